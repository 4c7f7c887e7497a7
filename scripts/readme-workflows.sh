#!/usr/bin/env bash
# readme-workflows.sh README.md DIR: writes each ```yaml block of README.md that is a GitHub
# Actions workflow (it has "jobs:" and "runs-on:") to DIR/readme-N.yml, for actionlint.
# Fails when there is none, so that a README rewrite cannot silently skip the check.
set -euo pipefail
readme=${1:?usage: readme-workflows.sh README.md DIR}
dir=${2:?usage: readme-workflows.sh README.md DIR}
mkdir -p "$dir"
awk -v dir="$dir" '
	/^```yaml *$/ { inblock = 1; body = ""; next }
	/^```/ && inblock {
		inblock = 0
		if (body ~ /(^|\n)jobs:/ && body ~ /runs-on:/) {
			n++
			f = dir "/readme-" n ".yml"
			printf "%s", body > f
			close(f)
		}
		next
	}
	inblock { body = body $0 "\n" }
	END { print n + 0 }
' "$readme" | {
	read -r n
	if [ "$n" -eq 0 ]; then
		echo "readme-workflows.sh: no workflow examples in $readme" >&2
		exit 1
	fi
	echo "readme-workflows.sh: $n workflow examples from $readme"
}
