package rules

import "github.com/driftlint/driftlint/lint"

// InputEmpty reports config globs that match nothing and configured files that yield
// nothing of their kind, so that "0 findings" never means "nothing was checked".
var InputEmpty = &lint.Rule{
	ID:      "input/empty",
	Summary: "a config glob that matches nothing, or an input that yields nothing",
	Doc: `A glob in the config that matches no file (a folder renamed, a typo, or every match
ignored) is reported at the glob, and so is a configured input that yields nothing of its
kind: a rule file with no rule, a metrics doc in which driftlint reads no metric, a dashboard
file with no dashboard, a saved scrape with no family, a sources glob none of whose files
defines a metric that driftlint can read. Without this, a gate whose inputs silently
vanished passes with "0 findings".

Bad (.driftlint.yaml, after monitoring/ was renamed to observability/):

    rules: [monitoring/*.yml]

Good:

    rules: [observability/*.yml]`,
	Severity: lint.Warning,
	Run: func(pass *lint.Pass) error {
		for _, p := range pass.Project.Empty {
			pass.Reportf(p.At, lint.Subject{File: p.At.File}, "%s", p.Message)
		}
		return nil
	},
}

// InputSkipped reports inputs found by a glob or by discovery that were not read: symbolic
// links that lead out of the project root, FIFOs, devices and sockets.
var InputSkipped = &lint.Rule{
	ID:      "input/skipped",
	Summary: "an input not read: a link out of the project root, a FIFO, a device",
	Doc: `Every input is read inside the project root: in a pull request the author controls
every file, and a committed link to /proc/self/environ or ~/.ssh must not be printed in a
report. A symbolic link that leads out of the root is not followed, and a FIFO, a device or a
socket is not read (a FIFO would hang the run, /dev/zero would never end); each is reported at
its path. Links whose target stays inside the root are followed as usual. A path in the
config that leaves the root is not a finding but a config error (exit 2). A known_metrics url
entry whose API did not give the labels of every queried name (its request budget ran out, or
a response reached the API's limit) is reported at the entry: label/unknown cannot check them.
A Rust crate with more source than rust_crate_bytes (32 MiB) is read one file at a time, and
the crates kept for their helpers hold at most as much: each is reported at the crate's first
file, since names that cross files (or crates) are then unresolved (source/unresolved says
which); --limit rust_crate_bytes=SIZE raises it.

Bad (rules/shared.yml is a link to ../../platform/rules/shared.yml):

    rules: [rules/*.yml]

Good: copy the shared rules into the project, or run driftlint with --root at a folder that
holds both:

    driftlint check --root ../.. --config .driftlint.yaml`,
	Severity: lint.Warning,
	Run: func(pass *lint.Pass) error {
		for _, p := range pass.Project.Skipped {
			pass.Reportf(p.At, lint.Subject{File: p.At.File}, "%s", p.Message)
		}
		return nil
	},
}
