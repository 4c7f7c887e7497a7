#!/usr/bin/env bash
# bench/fuzz.sh: run every fuzz target of the project for a while each (default 10s; set
# FUZZTIME, e.g. FUZZTIME=1m). A crasher is saved under the package's testdata/fuzz/ and then
# runs as a regression test with plain `go test`; commit it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
failed=0
# Every package with a Fuzz function, and its targets.
while read -r pkg; do
	dir=${pkg#github.com/driftlint/driftlint}
	dir=.${dir}
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go | sed 's/^func //' | sort -u); do
		echo "== $pkg $target ($fuzztime)"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"; then
			failed=1
		fi
	done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u | sed 's|^\.|github.com/driftlint/driftlint|')
exit $failed
