#!/usr/bin/env bash
# bench/run.sh: time whole `driftlint check` runs (wall clock, CPU and peak RSS, from
# /usr/bin/time -v) on
#   - fixtures/dashstream/broken,
#   - the real corpus in ../shared/corpora as one project (bench/corpus.driftlint.yaml;
#     skipped when that folder is absent),
#   - synthetic projects written by bench/gen (deterministic) at several sizes,
# and, when promtool or pint is on PATH (or PROMTOOL=/path, PINT=/path), the same rule files
# through `promtool check rules` and `pint lint`, with the ratios. Prints a Markdown table.
#
# Usage: bench/run.sh [-n RUNS] [-s "1000 5000 10000 50000"] [-j JOBS] [-w WORKDIR] [-q] [-H "MB …"]
#   -n  runs per measurement (default 3); wall and CPU are the best run, RSS the largest
#   -s  synthetic sizes, in rules
#   -j  passed to driftlint as -j (default: driftlint's own, the number of CPUs)
#   -w  scratch folder (default: a new temporary folder, removed at the end); generated
#       projects in it are reused
#   -q  quick: only the 1000 and 5000 rule projects
#   -H  also run on trees of hostile inputs of about MB megabytes each (bench/gen -hostile;
#       "8 16 32" for several), each with a 300 s timeout, and print time and peak RSS per
#       MiB of input
set -euo pipefail

runs=3
sizes="1000 5000 10000 50000"
jobs=""
work=""
hostile=""
while getopts "n:s:j:w:qH:" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	s) sizes=$OPTARG ;;
	j) jobs=$OPTARG ;;
	w) work=$OPTARG ;;
	q) sizes="1000 5000" ;;
	H) hostile=$OPTARG ;;
	*)
		sed -n '2,20p' "$0"
		exit 2
		;;
	esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
keep=1
if [[ -z $work ]]; then
	work=$(mktemp -d)
	keep=0
fi
mkdir -p "$work"
cleanup() { if [[ $keep == 0 ]]; then rm -rf "$work"; fi; }
trap cleanup EXIT

[[ -x /usr/bin/time ]] || {
	echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2
	exit 2
}

(cd "$root" && go build -o "$work/driftlint" ./cmd/driftlint && go build -o "$work/gen" ./bench/gen)
promtool=${PROMTOOL:-$(command -v promtool || true)}
pint=${PINT:-$(command -v pint || true)}

# measure LABEL CMD...: runs CMD $runs times under /usr/bin/time -v and sets wall, cpu (user
# + sys, seconds) and rss (MiB). Exit codes 0 and 1 count as success (1: findings).
measure() {
	local label=$1
	shift
	wall="" cpu="" rss=0
	local i w c r code
	for ((i = 0; i < runs; i++)); do
		code=0
		/usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" || code=$?
		if ((code > 1)); then
			echo "run.sh: $label exited $code:" >&2
			head -5 "$work/err.txt" "$work/out.txt" >&2
			wall="error" cpu="error" rss="error"
			return
		fi
		read -r w c r < <(awk -F': ' '
			/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + p[k]; w = s }
			/User time/ { u = $2 } /System time/ { y = $2 }
			/Maximum resident set size/ { m = $2 }
			END { printf "%.3f %.3f %.1f\n", w, u + y, m / 1024 }' "$work/time.txt")
		if [[ -z $wall ]] || awk "BEGIN{exit !($w < $wall)}"; then wall=$w; fi
		if [[ -z $cpu ]] || awk "BEGIN{exit !($c < $cpu)}"; then cpu=$c; fi
		if awk "BEGIN{exit !($r > $rss)}"; then rss=$r; fi
	done
}

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"-\" }"; }

jflag=()
[[ -n $jobs ]] && jflag=(-j "$jobs")

echo "driftlint $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); best of $runs runs"
[[ -n $promtool ]] && echo "promtool: $($promtool --version 2>&1 | head -1)"
[[ -n $pint ]] && echo "pint: $($pint version 2>&1 | head -1)"
echo
echo "| project | files | rules | wall s | cpu s | RSS MiB | µs/rule (cpu) | promtool wall s | promtool cpu s | promtool RSS MiB | wall ratio | cpu ratio | pint wall s | pint RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

# row NAME DIR RULES RULEFILES...: one line of the table.
row() {
	local name=$1 dir=$2 nrules=$3
	shift 3
	measure "$name" "$work/driftlint" check "$dir" -q "${jflag[@]}" --format json --output "$work/report.json"
	local files
	files=$(tr -d '\n' <"$work/report.json" | sed -n 's/.*"summary": *{[^}]*"files": *\([0-9]*\).*/\1/p')
	local dw=$wall dc=$cpu dr=$rss
	local perrule="-"
	[[ $dc != error && $nrules -gt 0 ]] && perrule=$(awk "BEGIN{printf \"%.0f\", $dc * 1e6 / $nrules}")
	local pw="-" pc="-" pr="-" rw="-" rc="-" iw="-" ir="-"
	if [[ -n $promtool && $# -gt 0 ]]; then
		measure "promtool $name" "$promtool" check rules "$@"
		pw=$wall pc=$cpu pr=$rss
		if [[ $dw != error && $pw != error ]]; then
			rw=$(ratio "$dw" "$pw")
			rc=$(ratio "$dc" "$pc")
		fi
	fi
	if [[ -n $pint && $# -gt 0 ]]; then
		measure "pint $name" "$pint" --offline --no-color lint "$@"
		iw=$wall ir=$rss
	fi
	echo "| $name | ${files:-?} | $nrules | $dw | $dc | $dr | $perrule | $pw | $pc | $pr | $rw | $rc | $iw | $ir |"
}

countrules() { cat "$@" | grep -cE '^\s*-?\s*(alert|record):' || true; }

# 1. The audited fixture.
fix=$root/fixtures/dashstream/broken
row "dashstream/broken" "$fix" "$(countrules "$fix/monitoring/alert_rules.yml")" "$fix/monitoring/alert_rules.yml"

# 2. The real corpus, when it is there.
corpora=$(cd "$root/.." && pwd)/shared/corpora
if [[ -d $corpora ]]; then
	mkdir -p "$work/corpus"
	# A copy, not a link: driftlint reads nothing through a link out of the project root.
	[[ -d $work/corpus/corpora ]] || cp -r "$corpora" "$work/corpus/corpora"
	cp "$root/bench/corpus.driftlint.yaml" "$work/corpus/.driftlint.yaml"
	mapfile -t crules < <(ls "$corpora"/prometheus-operator__kube-prometheus/derived/rules/*.yaml)
	row "shared/corpora (kube-prometheus + node_exporter + kube-state-metrics + runbooks)" "$work/corpus" "$(countrules "${crules[@]}")" "${crules[@]}"
else
	echo "| shared/corpora | skipped: $corpora is absent | | | | | | | | | | | | |"
fi

# 3. Synthetic projects.
for n in $sizes; do
	dir=$work/gen-$n
	if [[ ! -f $dir/.driftlint.yaml ]]; then
		rm -rf "$dir"
		"$work/gen" -rules "$n" -out "$dir" >/dev/null
	fi
	grules=("$dir"/rules/*.yml)
	row "synthetic $n rules" "$dir" "$(countrules "${grules[@]}")" "${grules[@]}"
done

# 4. Hostile inputs: one row per size, and the CPU and memory per MiB of input, which stay
# flat when time and memory are linear in the bytes read (every part of the tree doubles
# with MB; see bench/synth.Hostile).
if [[ -n $hostile ]]; then
	echo
	echo "| hostile -H | input MiB | wall s | cpu s | RSS MiB | cpu s per MiB | RSS × input |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	for mb in $hostile; do
		dir=$work/hostile-$mb
		if [[ ! -f $dir/.driftlint.yaml ]]; then
			rm -rf "$dir"
			"$work/gen" -hostile "$mb" -out "$dir" >/dev/null
		fi
		size=$(du -sb "$dir" | cut -f1)
		measure "hostile $mb" timeout 300 "$work/driftlint" check "$dir" -q "${jflag[@]}" --format json --output "$work/report.json"
		if [[ $cpu == error ]]; then
			echo "| $mb | $(awk "BEGIN{printf \"%.1f\", $size / 1048576}") | error (exit above; 124 is the 300 s timeout) | | | | |"
			continue
		fi
		awk -v mb="$mb" -v size="$size" -v w="$wall" -v c="$cpu" -v r="$rss" 'BEGIN {
			mib = size / 1048576
			printf "| %s | %.1f | %.2f | %.2f | %.0f | %.3f | %.1f |\n", mb, mib, w, c, r, c / mib, r / mib }'
	done
fi
