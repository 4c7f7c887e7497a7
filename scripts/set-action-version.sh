#!/usr/bin/env bash
# set-action-version.sh TAG [ACTION.yml]: writes TAG (v1.2.3) as the default of the
# action's version input, on the line marked "driftlint-release-version". Run by the release
# workflow, so that a release of the action installs its own driftlint release.
set -euo pipefail
tag=${1:?usage: set-action-version.sh TAG [ACTION.yml]}
file=${2:-"$(dirname "$0")/../action.yml"}
[[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]] || {
	echo "set-action-version.sh: $tag is not a release tag such as v1.2.3" >&2
	exit 2
}
[ "$(grep -c '# driftlint-release-version' "$file")" = 1 ] || {
	echo "set-action-version.sh: $file has no single line marked driftlint-release-version" >&2
	exit 2
}
sed -i.bak -E "s|^( *default: )\"[^\"]*\"( # driftlint-release-version.*)$|\1\"$tag\"\2|" "$file"
rm -f "$file.bak"
grep -q "default: \"$tag\" # driftlint-release-version" "$file" || {
	echo "set-action-version.sh: the marked line of $file is not 'default: \"…\" # driftlint-release-version'" >&2
	exit 2
}
