#!/usr/bin/env bash
# bench/sources.sh: whole-process CPU (user + sys) and peak RSS, from /usr/bin/time -v, of
# `driftlint check` with only `sources:` in its config (issue 14, item 13), on
#   - a real Go tree: prometheus/prometheus at commit
#     d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86 (727 .go files, 371,452 lines; 1 large
#     testdata blob absent is fine), given with -g DIR; skipped when absent. Get it with
#       git clone https://github.com/prometheus/prometheus DIR
#       git -C DIR checkout d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86
#   - 600 Python files written by this script (deterministic): 60 packages of 10 modules (__init__, a wrapper, 8 metric modules), each
#     module importing the package's constants, defining 5 prometheus_client metrics with
#     namespace/subsystem/labelnames, one through a project wrapper function, and one
#     hand-written exposition string, so that every file is parsed and resolved (the worst
#     case: files that never mention prometheus_client are not parsed at all);
#   - optionally a real Python tree given with -p DIR (e.g. jupyterhub).
# Targets (README, Performance): Go tree under 1.5 s of CPU and 250 MB; 600 Python files under
# 0.4 s. Measured here, never asserted in a test. Prints a Markdown table.
#
# Usage: bench/sources.sh [-n RUNS] [-g GO_TREE] [-p PY_TREE] [-w WORKDIR] [-j JOBS]
set -euo pipefail

runs=3
gotree=""
pytree=""
work=""
jobs=""
while getopts "n:g:p:w:j:" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	g) gotree=$OPTARG ;;
	p) pytree=$OPTARG ;;
	w) work=$OPTARG ;;
	j) jobs=$OPTARG ;;
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
	echo "sources.sh: /usr/bin/time is missing (apt-get install time)" >&2
	exit 2
}
(cd "$root" && go build -o "$work/driftlint" ./cmd/driftlint)

jflag=()
[[ -n $jobs ]] && jflag=(-j "$jobs")

# measure DIR CONFIG: runs driftlint $runs times (plus one untimed run to warm the page
# cache) and sets wall, cpu (best of the runs) and rss (MiB, largest).
measure() {
	local dir=$1 config=$2
	wall="" cpu="" rss=0
	"$work/driftlint" check --root "$dir" --config "$config" -q "${jflag[@]}" --format json --output "$work/report.json" >/dev/null 2>&1 || true
	local i w c r code
	for ((i = 0; i < runs; i++)); do
		code=0
		/usr/bin/time -v -o "$work/time.txt" "$work/driftlint" check --root "$dir" --config "$config" -q "${jflag[@]}" --format json --output "$work/report.json" >"$work/out.txt" 2>"$work/err.txt" || code=$?
		if ((code > 1)); then
			echo "sources.sh: $dir exited $code:" >&2
			head -5 "$work/err.txt" >&2
			wall=error cpu=error rss=error
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

# summary KEY: a number from the JSON report's summary.
summary() { tr -d '\n' <"$work/report.json" | sed -n "s/.*\"summary\": *{[^}]*\"$1\": *\([0-9]*\).*/\1/p"; }

# row NAME DIR CONFIG EXT TARGET
row() {
	local name=$1 dir=$2 config=$3 ext=$4 target=$5
	local files lines
	files=$(find "$dir" -name "*.$ext" | wc -l)
	lines=$(find "$dir" -name "*.$ext" -print0 | xargs -0 cat | wc -l)
	measure "$dir" "$config"
	echo "| $name | $files | $lines | $wall | $cpu | $rss | $(summary files) | $(summary findings) | $(summary unresolved_definitions) | $target |"
}

echo "driftlint $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); best of $runs runs (cpu = user + sys)"
echo
echo "| tree | files | lines | wall s | cpu s | RSS MiB | files read | findings | unresolved defs | target |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"

# 1. The real Go tree.
if [[ -n $gotree && -d $gotree ]]; then
	rev=$(git -C "$gotree" rev-parse HEAD 2>/dev/null || echo "?")
	[[ $rev == d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86 || $rev == "?" ]] ||
		echo "sources.sh: warning: $gotree is at $rev, not the pinned d15adb9a" >&2
	printf 'sources:\n  - "**/*.go"\n' >"$work/go.driftlint.yaml"
	row "prometheus/prometheus @d15adb9a (Go)" "$(cd "$gotree" && pwd)" "$work/go.driftlint.yaml" go "< 1.5 s, < 250 MB"
else
	echo "| prometheus/prometheus @d15adb9a (Go) | skipped: no -g DIR | | | | | | | | |"
fi

# 2. 600 generated Python files.
py=$work/py600
if [[ ! -f $py/.done ]]; then
	rm -rf "$py"
	for ((p = 0; p < 60; p++)); do
		d=$py/svc/pkg$p
		mkdir -p "$d"
		: >"$py/svc/__init__.py"
		cat >"$d/__init__.py" <<PY
"""Package $p."""
NAMESPACE = "svc"
SUBSYSTEM = "pkg$p"
LABELS = ["method", "code"]
PY
		cat >"$d/wrap.py" <<PY
from prometheus_client import Counter, Histogram


def counter(name, doc, labels=()):
    return Counter(name, doc, labels, namespace="svc", subsystem="pkg$p")
PY
		for ((m = 0; m < 8; m++)); do
			cat >"$d/mod$m.py" <<PY
"""Module $m of package $p: metrics and a hand-written /metrics fallback."""
from prometheus_client import Counter, Gauge, Histogram, Summary

from . import LABELS, NAMESPACE, SUBSYSTEM
from .wrap import counter

REQUESTS = Counter("requests_$m", "Requests served.", LABELS, namespace=NAMESPACE, subsystem=SUBSYSTEM)
INFLIGHT = Gauge("inflight_$m", "Requests in flight.", namespace=NAMESPACE, subsystem=SUBSYSTEM)
LATENCY = Histogram("latency_$m", "Latency.", [*LABELS, "route"], namespace=NAMESPACE, subsystem=SUBSYSTEM, unit="seconds")
SIZES = Summary(NAMESPACE + "_pkg${p}_size_$m" + "_bytes", "Response sizes.")
RETRIES = counter("retries_$m", "Retries.", ["reason"])

FALLBACK = """# HELP svc_pkg${p}_fallback_$m Fallback.
# TYPE svc_pkg${p}_fallback_$m gauge
svc_pkg${p}_fallback_$m{shard="%s"} %d
"""


def handle(method, code):
    with LATENCY.labels(method, code, "/").time():
        REQUESTS.labels(method, code).inc()
        return FALLBACK % ("a", 1)
PY
		done
	done
	touch "$py/.done"
fi
printf 'sources:\n  - "**/*.py"\n' >"$work/py.driftlint.yaml"
row "600 generated Python files" "$py" "$work/py.driftlint.yaml" py "< 0.4 s"

# 3. A real Python tree.
if [[ -n $pytree && -d $pytree ]]; then
	printf 'sources:\n  - "**/*.py"\n' >"$work/pyreal.driftlint.yaml"
	row "$(basename "$pytree") (Python)" "$(cd "$pytree" && pwd)" "$work/pyreal.driftlint.yaml" py ""
fi
