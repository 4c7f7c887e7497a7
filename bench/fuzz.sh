#!/usr/bin/env bash
# bench/fuzz.sh: run every fuzz target of the project for a while each. FUZZTIME is what
# `go test -fuzztime` takes: a duration (default 10s; e.g. FUZZTIME=1m for a long hunt) or an
# execution count such as 1000x. CI uses a count: with a duration, Go 1.26's fuzz coordinator
# can report a spurious "context deadline exceeded" when the deadline races a busy worker
# (golang/go#75804, fixed in Go 1.27); a count has no deadline to race.
# A real crasher is written under the package's testdata/fuzz/ and then runs as a regression
# test with plain `go test`; commit it with the fix. A duration run that fails with that bare
# deadline message and writes no crasher is run once more, and fails only if it fails again.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fuzz() { # pkg target
	go test -run '^$' -fuzz "^${2}\$" -fuzztime "$fuzztime" "$1" 2>&1 | tee "$log"
	return "${PIPESTATUS[0]}"
}
deadline_flake() {
	grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"
}
# Every package with a Fuzz function, and its targets.
while read -r pkg; do
	dir=${pkg#github.com/driftlint/driftlint}
	dir=.${dir}
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go | sed 's/^func //' | sort -u); do
		echo "== $pkg $target ($fuzztime)"
		if fuzz "$pkg" "$target"; then
			continue
		fi
		if deadline_flake; then
			echo "== $target: the fuzz deadline race (golang/go#75804), no crasher written; once more"
			fuzz "$pkg" "$target" && continue
		fi
		failed=1
	done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u | sed 's|^\.|github.com/driftlint/driftlint|')
exit $failed
