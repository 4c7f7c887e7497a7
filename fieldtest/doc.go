// Package fieldtest holds driftlint's field test: driftlint run over real projects that
// nobody here wrote (the corpora in ../shared/corpora, beside the checkout), each with a
// config written as a user of that project would write it, and every finding triaged by hand.
//
// Each folder corpora/<name>/ holds
//
//   - .driftlint.yaml: the config, its paths relative to a project root in which every
//     corpus folder of ../shared/corpora sits under its own name (the layout of a monitoring
//     repository that vendors the upstream projects as submodules);
//   - findings.txt: every finding driftlint reports, one per line, as
//     "file:line:col rule subject — real: reason", the reason saying why it is real drift;
//   - any file the config names beside it (known_metrics lists).
//
// The test assembles that root in a temporary folder from copies (the config and its files,
// and the corpus folders the config names: copies, because driftlint reads nothing through a
// symbolic link that leads out of the project root), loads it exactly as `driftlint check`
// does, runs every rule, and fails on a finding that is not listed and on a listed finding
// that is no longer reported. It skips itself when ../shared/corpora is absent: the corpora
// are not part of the project.
//
// To run driftlint by hand on the same root, make the same copies:
//
//	mkdir /tmp/kp && cd /tmp/kp
//	cp -r /path/to/driftlint/fieldtest/corpora/kube-prometheus/. /path/to/shared/corpora/* .
//	driftlint check .
package fieldtest
