package lint

import "testing"

// threeCopies has the same alert expression three times (the third with other spacing, which
// the fingerprint normalizes away): three findings with one fingerprint before numbering.
const threeCopies = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: BAD > 0\n      - alert: A\n        expr: BAD > 0\n      - alert: A\n        expr:  BAD > 0\n"

// pinnedFingerprint is the fingerprint today's code gave the first of threeCopies' findings
// before fingerprints were numbered: every existing baseline holds values computed this way,
// so it must never change.
const pinnedFingerprint = "1f5187428a23e21b"

func runOn(src string) *Result {
	return Run(&Project{Files: []*SourceFile{NewSourceFile("r.yml", []byte(src))}}, []*Rule{lineReporter("metric/unknown", "BAD")}, RunOptions{})
}

func fingerprints(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Fingerprint)
	}
	return out
}

func TestTheFirstFingerprintKeepsTodaysHash(t *testing.T) {
	got := fingerprints(runOn(threeCopies).Findings)
	if len(got) == 0 || got[0] != pinnedFingerprint {
		t.Errorf("fingerprints %v, want the first to be %s", got, pinnedFingerprint)
	}
}
