#!/usr/bin/env bash
# The shell logic of the driftlint GitHub Action (action.yml), kept here so that
# scripts/test-action.sh can run it outside GitHub. Subcommands, one per step of action.yml:
#
#   install   resolve the version, download the release archive for this runner, verify it
#             against the release's checksums.txt (sha256), unpack it, put it on GITHUB_PATH
#   check     decide the arguments (only-new, baseline, config, args) and whether SARIF is
#             uploaded; run driftlint for annotations (--format github; its exit code is the
#             gate), the Markdown report (appended to GITHUB_STEP_SUMMARY) and SARIF (under
#             RUNNER_TEMP)
#   gate      fail the job by the check's exit code, with the reason in the log
#
# Inputs arrive as INPUT_* variables (set by action.yml's env:). Never compiles driftlint.
set -euo pipefail

REPO=driftlint/driftlint
# Overridable only for the local test (scripts/test-action.sh), which serves a fake release.
RELEASE_API=${DRIFTLINT_RELEASE_API:-https://api.github.com/repos/$REPO/releases}
RELEASE_DOWNLOAD=${DRIFTLINT_RELEASE_DOWNLOAD:-https://github.com/$REPO/releases/download}

out() { echo "$1=$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"; }
die() {
	echo "::error title=driftlint::$1"
	exit "${2:-2}"
}

# resolve_version prints the release tag (v1.2.3) to install: the version input (with or
# without its v), or the latest release when it is empty or "latest".
resolve_version() {
	local v=${INPUT_VERSION:-}
	case "$v" in
	"" | latest)
		if [ -z "$v" ]; then
			echo "::notice title=driftlint::this ref of the action names no driftlint version (it is not a release tag); installing the latest release. Pin a release of the action, or set 'version:'." >&2
		fi
		local auth=() json
		if [ -n "${INPUT_TOKEN:-}" ]; then
			auth=(-H "Authorization: Bearer $INPUT_TOKEN")
		fi
		json=$(curl -fsSL --retry 3 ${auth[@]+"${auth[@]}"} -H "Accept: application/vnd.github+json" "$RELEASE_API/latest") ||
			die "cannot read the latest driftlint release from $RELEASE_API/latest"
		v=$(printf '%s\n' "$json" | sed -n 's/^ *"tag_name": *"\([^"]*\)".*/\1/p' | head -n 1)
		[ -n "$v" ] || die "no tag_name in $RELEASE_API/latest"
		;;
	esac
	[[ "$v" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]] ||
		die "version '$v' is not a release version such as v1.2.3 or latest"
	echo "v${v#v}"
}

# platform prints goreleaser's os_arch for this runner.
platform() {
	local os arch
	case "${RUNNER_OS:-$(uname -s)}" in
	Linux) os=linux ;;
	macOS | Darwin) os=darwin ;;
	Windows | MINGW* | MSYS*) os=windows ;;
	*) die "driftlint has no release for runner OS ${RUNNER_OS:-$(uname -s)}" ;;
	esac
	case "${RUNNER_ARCH:-$(uname -m)}" in
	X64 | x86_64 | amd64) arch=amd64 ;;
	ARM64 | aarch64 | arm64) arch=arm64 ;;
	*) die "driftlint has no release for runner architecture ${RUNNER_ARCH:-$(uname -m)}" ;;
	esac
	echo "${os}_${arch}"
}

sha256() {
	if command -v sha256sum >/dev/null; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

cmd_install() {
	local tag version plat ext archive tmp dir want got bin
	tag=$(resolve_version)
	version=${tag#v}
	plat=$(platform)
	ext=tar.gz
	if [[ $plat == windows_* ]]; then ext=zip; fi
	archive="driftlint_${version}_${plat}.${ext}"
	tmp="${RUNNER_TEMP:?RUNNER_TEMP is not set}/driftlint-install"
	dir="$RUNNER_TEMP/driftlint-$version"
	rm -rf "$tmp" && mkdir -p "$tmp" "$dir"
	echo "driftlint: installing $tag ($archive) from $RELEASE_DOWNLOAD/$tag"
	curl -fsSL --retry 3 -o "$tmp/checksums.txt" "$RELEASE_DOWNLOAD/$tag/checksums.txt" ||
		die "cannot download $RELEASE_DOWNLOAD/$tag/checksums.txt (is $tag a driftlint release?)"
	curl -fsSL --retry 3 -o "$tmp/$archive" "$RELEASE_DOWNLOAD/$tag/$archive" ||
		die "cannot download $RELEASE_DOWNLOAD/$tag/$archive"
	want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
	[ -n "$want" ] || die "checksums.txt of $tag lists no $archive"
	got=$(sha256 "$tmp/$archive")
	if [ "$got" != "$want" ]; then
		die "checksum mismatch for $archive: sha256 $got, checksums.txt says $want; not installing"
	fi
	if [ "$ext" = zip ]; then
		unzip -q -o "$tmp/$archive" -d "$dir"
		bin="$dir/driftlint.exe"
	else
		tar -xzf "$tmp/$archive" -C "$dir"
		bin="$dir/driftlint"
	fi
	[ -x "$bin" ] || die "$archive holds no driftlint binary"
	rm -rf "$tmp"
	echo "$dir" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
	out version "$tag"
	out bin "$bin"
	"$bin" version
}

# event_field prints a field of the event payload (GITHUB_EVENT_PATH) with jq when the
# runner has it, else with sed on the pretty-printed JSON (the fields read are unique).
is_fork_pr() {
	local ev=${GITHUB_EVENT_PATH:-}
	[ -n "$ev" ] && [ -f "$ev" ] || return 1
	if command -v jq >/dev/null; then
		[ "$(jq -r '(.pull_request.head.repo.fork // false) or (.pull_request.head.repo.full_name != null and .pull_request.head.repo.full_name != .pull_request.base.repo.full_name)' "$ev")" = true ]
	else
		tr -d '\n' <"$ev" | grep -Eq '"head" *: *\{[^}]*"repo" *: *\{[^{}]*"fork" *: *true'
	fi
}

is_dependabot() {
	[ "${GITHUB_ACTOR:-}" = "dependabot[bot]" ] || [ "${GITHUB_TRIGGERING_ACTOR:-}" = "dependabot[bot]" ]
}

# decide_upload prints true or false: SARIF goes to code scanning only where the upload can
# work. A fork's pull request and Dependabot get a read-only token (no security-events: write).
decide_upload() {
	case "${INPUT_UPLOAD_SARIF:-auto}" in
	true) echo true ;;
	false) echo false ;;
	auto)
		if [ "${GITHUB_EVENT_NAME:-}" = pull_request ] && is_fork_pr; then
			echo "::notice title=driftlint::not uploading SARIF: a pull request from a fork has no security-events: write token. The findings are in the annotations and the job summary." >&2
			echo false
		elif is_dependabot; then
			echo "::notice title=driftlint::not uploading SARIF: Dependabot's token cannot write code scanning alerts. The findings are in the annotations and the job summary." >&2
			echo false
		else
			echo true
		fi
		;;
	*) die "upload-sarif must be auto, true or false, not '${INPUT_UPLOAD_SARIF}'" ;;
	esac
}

cmd_check() {
	local args=() extra=() dir sarif category upload code
	args+=(--fail-on "${INPUT_FAIL_ON:-error}")
	if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
	if [ -n "${INPUT_BASELINE:-}" ]; then args+=(--baseline "$INPUT_BASELINE"); fi
	case "${INPUT_ONLY_NEW:-false}" in
	true)
		if [ "${GITHUB_EVENT_NAME:-}" = pull_request ]; then
			git rev-parse --verify --quiet 'HEAD^1^{commit}' >/dev/null ||
				die "only-new needs the parent of the pull request's merge commit: check out with 'fetch-depth: 2'"
			args+=(--new-from-rev 'HEAD^1')
		else
			echo "::notice title=driftlint::only-new applies to pull_request events; on ${GITHUB_EVENT_NAME:-this event} every finding counts"
		fi
		;;
	false) ;;
	*) die "only-new must be true or false, not '${INPUT_ONLY_NEW}'" ;;
	esac
	# args: extra flags, split on whitespace (no quoting).
	read -r -a extra <<<"${INPUT_ARGS:-}"
	args+=(${extra[@]+"${extra[@]}"}) # bash 3.2 (macOS) calls an empty "${a[@]}" unbound
	dir=${INPUT_PATH:-.}

	upload=$(decide_upload)
	category=${INPUT_SARIF_CATEGORY:-}
	if [ -z "$category" ]; then
		category=driftlint
		local p=${dir#./}
		p=${p%/}
		if [ -n "$p" ] && [ "$p" != . ]; then category="driftlint/$p"; fi
	fi
	sarif="${RUNNER_TEMP:?RUNNER_TEMP is not set}/driftlint/driftlint.sarif"
	mkdir -p "$(dirname "$sarif")"
	rm -f "$sarif"

	echo "driftlint check ${args[*]} $dir"
	set +e
	driftlint check --format github "${args[@]}" "$dir"
	code=$?
	set -e
	out exit-code "$code"
	out args "${args[*]}"
	if [ "$code" -le 1 ]; then
		# The report and SARIF: the same findings, never the gate (--fail-on never).
		if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
			driftlint check --format markdown "${args[@]}" --fail-on never "$dir" >>"$GITHUB_STEP_SUMMARY" ||
				echo "::warning title=driftlint::the Markdown report for the job summary failed"
		fi
		if driftlint check --format sarif --output "$sarif" "${args[@]}" --fail-on never "$dir"; then
			out sarif "$sarif"
		else
			echo "::warning title=driftlint::the SARIF report failed"
			upload=false
		fi
	else
		upload=false
	fi
	out upload-sarif "$upload"
	out sarif-category "$category"
	out artifact "driftlint-sarif-${GITHUB_JOB:-job}$(printf '%s' "${category#driftlint}" | tr -c 'A-Za-z0-9_.-' '-')"
}

cmd_gate() {
	local code=${CHECK_EXIT_CODE:-} fail_on=${INPUT_FAIL_ON:-error}
	case "$code" in
	0) echo "driftlint: no findings at or above $fail_on" ;;
	1) die "findings at or above $fail_on: each is an annotation in the log of the driftlint step, and the job summary has the report" 1 ;;
	*) die "driftlint could not run (exit ${code:-unknown}): see the log of the driftlint step" 2 ;;
	esac
}

case "${1:-}" in
install) cmd_install ;;
check) cmd_check ;;
gate) cmd_gate ;;
*)
	echo "usage: action.sh install|check|gate" >&2
	exit 2
	;;
esac
