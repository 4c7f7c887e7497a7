#!/usr/bin/env bash
# Runs the driftlint action's steps (action.yml, through scripts/actionrun) on this machine
# against a fake release served by a local file server (a tar.gz of driftlint built from this
# tree, its checksums.txt, and the releases API's "latest"), in the contexts the action
# decides on: a pull request from the repository, from a fork, from Dependabot, a push, an
# untagged ref of the action, a tampered checksum and a shallow clone. Asserts what it
# decides (install, arguments, SARIF upload, summary, exit code). Needs go, git, python3,
# curl, tar and sha256sum; run by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

fails=0
fail() {
	echo "FAIL [$case]: $1" >&2
	fails=$((fails + 1))
}
# has/lacks assert that the last run's log has (or lacks) a line matching an extended regex.
has() { grep -Eq -- "$1" "$log" || fail "log lacks /$1/ (see $log)"; }
lacks() { if grep -Eq -- "$1" "$log"; then fail "log has /$1/"; fi; }
output() { sed -n "s/^::actionrun output $1=//p" "$log"; }

echo "== building driftlint 9.9.9 and the step runner"
(cd "$root" && go build -o "$tmp/pkg/driftlint" \
	-ldflags "-s -w -X main.version=9.9.9 -X main.commit=0000000 -X main.date=2026-01-01T00:00:00Z" ./cmd/driftlint &&
	go build -o "$tmp/actionrun" ./scripts/actionrun)
os=$(go env GOOS)
arch=$(go env GOARCH)
case "$os" in linux) runner_os=Linux ;; darwin) runner_os=macOS ;; *) echo "test-action.sh: runs on linux or darwin" >&2 && exit 2 ;; esac
case "$arch" in amd64) runner_arch=X64 ;; arm64) runner_arch=ARM64 ;; *) echo "test-action.sh: runs on amd64 or arm64" >&2 && exit 2 ;; esac
flag_new_from_rev=false
if "$tmp/pkg/driftlint" check --help | grep -q -- --new-from-rev; then flag_new_from_rev=true; fi

echo "== a fake release: v9.9.9, and v9.9.8 whose checksums.txt does not match"
srv="$tmp/srv"
mkdir -p "$srv/download/v9.9.9" "$srv/download/v9.9.8" "$srv/api"
archive="driftlint_9.9.9_${os}_${arch}.tar.gz"
tar -czf "$srv/download/v9.9.9/$archive" -C "$tmp/pkg" driftlint
(cd "$srv/download/v9.9.9" && sha256sum "$archive" >checksums.txt && echo "0000  driftlint_9.9.9_windows_arm64.zip" >>checksums.txt)
cp "$srv/download/v9.9.9/$archive" "$srv/download/v9.9.8/driftlint_9.9.8_${os}_${arch}.tar.gz"
echo "$(printf '%064d' 0)  driftlint_9.9.8_${os}_${arch}.tar.gz" >"$srv/download/v9.9.8/checksums.txt"
printf '{\n  "url": "https://api.github.com/repos/driftlint/driftlint/releases/1",\n  "tag_name": "v9.9.9",\n  "name": "v9.9.9"\n}\n' >"$srv/api/latest"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$srv" >"$tmp/server.log" 2>&1 &
server=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$tmp/server.log" | head -n 1)
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/server.log" >&2 && exit 2; }
export DRIFTLINT_RELEASE_API="http://127.0.0.1:$port/api"
export DRIFTLINT_RELEASE_DOWNLOAD="http://127.0.0.1:$port/download"

echo "== a project in git: the second commit (the pull request's) adds an alert on a missing metric"
ws="$tmp/ws"
mkdir -p "$ws/svc"
cd "$ws"
git init -q -b main .
git config user.email t@example.com && git config user.name test
printf 'rules: [rules.yml]\nexposition:\n  - file: metrics.prom\n' >svc/.driftlint.yaml
printf '# HELP app_up Whether the app is up.\n# TYPE app_up gauge\napp_up 1\n' >svc/metrics.prom
printf 'groups:\n  - name: app\n    rules:\n      - record: app:up\n        expr: max(app_up)\n' >svc/rules.yml
git add -A && git commit -qm base
printf '      - alert: AppDown\n        expr: app_upp == 0\n' >>svc/rules.yml
git commit -qam "pull request"
git clone -q --depth 1 "file://$ws" "$tmp/shallow"

event() { # event FILE FORK: a pull_request payload
	printf '{\n  "pull_request": {\n    "head": {\n      "repo": {\n        "full_name": "%s",\n        "fork": %s\n      }\n    },\n    "base": {\n      "repo": {\n        "full_name": "acme/app",\n        "fork": false\n      }\n    }\n  }\n}\n' "$2" "$3" >"$1"
}
event "$tmp/pr.json" acme/app false
event "$tmp/fork.json" someone/app true
printf '{"ref": "refs/heads/main"}\n' >"$tmp/push.json"

# act CASE EVENT EVENT_FILE ACTOR [-input NAME=VALUE]...: runs the action in $ws (or $dir).
act() {
	case=$1 && shift
	local ev=$1 evfile=$2 actor=$3
	shift 3
	local run="$tmp/run-$case"
	mkdir -p "$run/temp"
	log="$run/log"
	printf '## an earlier step wrote this\n' >"$run/summary.md"
	summary="$run/summary.md"
	set +e
	(cd "${dir:-$ws}" && env -i PATH="/usr/bin:/bin:/usr/local/bin:$(dirname "$(command -v go)"):$(dirname "$(command -v python3)")" HOME="$HOME" \
		GITHUB_EVENT_NAME="$ev" GITHUB_EVENT_PATH="$evfile" GITHUB_ACTOR="$actor" GITHUB_JOB=lint \
		GITHUB_STEP_SUMMARY="$summary" RUNNER_TEMP="$run/temp" RUNNER_OS="$runner_os" RUNNER_ARCH="$runner_arch" \
		DRIFTLINT_RELEASE_API="$DRIFTLINT_RELEASE_API" DRIFTLINT_RELEASE_DOWNLOAD="$DRIFTLINT_RELEASE_DOWNLOAD" \
		"$tmp/actionrun" "$@" "${action:-$root/action.yml}") >"$log" 2>&1
	code=$?
	set -e
	echo "-- $case: exit $code ($SECONDS s)"
}
upload='^::actionrun uses github/codeql-action/upload-sarif@[0-9a-f]{40}$'
artifact='^::actionrun uses actions/upload-artifact@[0-9a-f]{40}$'

act pr-gate pull_request "$tmp/pr.json" alice -input path=svc -input version=v9.9.9
[ "$code" = 1 ] || fail "exit $code, want 1 (the gate fails the job)"
has '^driftlint 9\.9\.9 \(commit 0000000, built 2026-01-01T00:00:00Z\)$'
has '^::error file=[^,]*rules\.yml,line=7,col=[0-9]+,title=metric/unknown::'
has '^::actionrun with sarif_file=.*/temp/driftlint/driftlint\.sarif$'
has '^::actionrun with category=driftlint/svc$'
has "$upload"
has "$artifact"
has '^::actionrun with name=driftlint-sarif-lint-svc$'
has '^::actionrun continue-on-error true$'
has '^::error title=driftlint::findings at or above error: each is an annotation'
lacks 'names no driftlint version'
lacks 'new-from-rev'
[ "$(output exit-code)" = 1 ] || fail "exit-code output $(output exit-code)"
[ "$(output version)" = v9.9.9 ] || fail "version output $(output version)"
head -n 1 "$summary" | grep -q '^## an earlier step wrote this$' || fail "the summary was replaced, not appended to"
grep -q '^# driftlint report$' "$summary" || fail "no Markdown report in the summary"
grep -q 'app_upp' "$summary" || fail "the summary lacks the finding"
sarif=$(output sarif-file)
grep -q '"version": "2.1.0"' "$sarif" || fail "no SARIF 2.1.0 at $sarif"
grep -q 'app_upp' "$sarif" || fail "the SARIF lacks the finding"

act pr-only-new pull_request "$tmp/pr.json" alice -input path=svc -input only-new=true -input version=9.9.9
has '^driftlint check --fail-on error --new-from-rev HEAD\^1 svc$'
if $flag_new_from_rev; then
	[ "$(output exit-code)" = 1 ] || fail "exit-code $(output exit-code), want 1: the new alert is on a changed line"
else
	# The flag is another change's; until it lands, driftlint rejects it, and the gate says so.
	[ "$(output exit-code)" = 2 ] || fail "exit-code $(output exit-code), want 2 without --new-from-rev"
	has 'unknown flag: --new-from-rev'
	has '^::error title=driftlint::driftlint could not run \(exit 2\)'
fi

dir="$tmp/shallow" act pr-only-new-shallow pull_request "$tmp/pr.json" alice -input path=svc -input only-new=true -input version=v9.9.9
[ "$code" = 1 ] || fail "exit $code, want 1"
has "only-new needs the parent of the pull request's merge commit: check out with 'fetch-depth: 2'"
has '^::actionrun skip Fail by'

act fork pull_request "$tmp/fork.json" mallory -input path=svc -input version=v9.9.9
[ "$code" = 1 ] || fail "exit $code, want 1"
has 'not uploading SARIF: a pull request from a fork'
lacks "$upload"
has "$artifact"
[ "$(output exit-code)" = 1 ] || fail "exit-code output $(output exit-code)"
grep -q 'app_upp' "$summary" || fail "the summary lacks the finding"

act fork-forced pull_request "$tmp/fork.json" mallory -input path=svc -input version=v9.9.9 -input upload-sarif=true
has "$upload"
has '^::actionrun continue-on-error false$'

act dependabot pull_request "$tmp/pr.json" 'dependabot[bot]' -input path=svc -input version=v9.9.9
has 'not uploading SARIF: Dependabot'
lacks "$upload"

act push-only-new push "$tmp/push.json" alice -input path=svc -input only-new=true -input version=v9.9.9 -input 'args=--disable runbook/missing'
has 'only-new applies to pull_request events; on push every finding counts'
has '^driftlint check --fail-on error --disable runbook/missing svc$'
has "$upload"
[ "$(output exit-code)" = 1 ] || fail "exit-code output $(output exit-code)"

act untagged-ref push "$tmp/push.json" alice -input path=svc -input fail-on=never
[ "$code" = 0 ] || fail "exit $code, want 0 with fail-on never"
has 'names no driftlint version \(it is not a release tag\); installing the latest release'
[ "$(output version)" = v9.9.9 ] || fail "version output $(output version)"
has '^driftlint: no findings at or above never$'

# A release of the action: the release workflow wrote its version into action.yml.
mkdir -p "$tmp/released/scripts"
cp "$root/action.yml" "$tmp/released/" && cp "$root/scripts/action.sh" "$tmp/released/scripts/"
"$root/scripts/set-action-version.sh" v9.9.9 "$tmp/released/action.yml"
action="$tmp/released/action.yml" act released-ref push "$tmp/push.json" alice -input path=svc
lacks 'names no driftlint version'
[ "$(output version)" = v9.9.9 ] || fail "version output $(output version)"
has '^driftlint: installing v9\.9\.9 '

act checksum-mismatch push "$tmp/push.json" alice -input path=svc -input version=v9.9.8
[ "$code" = 1 ] || fail "exit $code, want 1"
has "checksum mismatch for driftlint_9\.9\.8_${os}_${arch}\.tar\.gz"
lacks '^::actionrun run Run driftlint$'
[ ! -e "$tmp/run-checksum-mismatch/temp/driftlint-9.9.8/driftlint" ] || fail "a binary that failed its checksum was unpacked"

act no-such-release push "$tmp/push.json" alice -input path=svc -input version=v1.0.0
[ "$code" = 1 ] || fail "exit $code, want 1"
has 'cannot download .*/v1\.0\.0/checksums\.txt'

if [ "$fails" -gt 0 ]; then
	echo "test-action.sh: $fails failures" >&2
	exit 1
fi
echo "test-action.sh: ok"
