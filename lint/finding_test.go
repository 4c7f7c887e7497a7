package lint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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

func TestRepeatedFingerprintsAreNumbered(t *testing.T) {
	want := []string{pinnedFingerprint, pinnedFingerprint + ":2", pinnedFingerprint + ":3"}
	if diff := cmp.Diff(want, fingerprints(runOn(threeCopies).Findings)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A finding elsewhere keeps an unnumbered fingerprint of its own.
	res := runOn(threeCopies + "      - alert: B\n        expr: BAD > 1\n")
	got := fingerprints(res.Findings)
	if len(got) != 4 || got[3] == pinnedFingerprint || strings.Contains(got[3], ":") {
		t.Errorf("fingerprints %v: the fourth should be another plain hash", got)
	}
}

func TestNumberFingerprints(t *testing.T) {
	tests := []struct {
		name     string
		in, want []string
	}{
		{name: "leaves distinct fingerprints alone", in: []string{"a", "b", "c"}, want: []string{"a", "b", "c"}},
		{name: "numbers later copies in order", in: []string{"a", "b", "a", "a", "b"}, want: []string{"a", "b", "a:2", "a:3", "b:2"}},
		{name: "changes nothing when numbered again", in: []string{"a", "a:2", "a:3"}, want: []string{"a", "a:2", "a:3"}},
		{name: "skips numbers already taken", in: []string{"a", "a", "a:2"}, want: []string{"a", "a:3", "a:2"}},
		{name: "leaves empty fingerprints empty", in: []string{"", "", "a"}, want: []string{"", "", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := make([]Finding, len(tt.in))
			for i, fp := range tt.in {
				fs[i].Fingerprint = fp
			}
			NumberFingerprints(fs)
			if diff := cmp.Diff(tt.want, fingerprints(fs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestCompareWithCopies sets runs with copies of one finding against baselines: written by
// this version (numbered) and by earlier ones (the same hash once per copy).
func TestCompareWithCopies(t *testing.T) {
	one := strings.Replace(threeCopies, "      - alert: A\n        expr: BAD > 0\n      - alert: A\n        expr:  BAD > 0\n", "", 1)
	two := strings.Replace(threeCopies, "      - alert: A\n        expr:  BAD > 0\n", "", 1)
	legacy := func(n int) []BaselineEntry {
		var out []BaselineEntry
		for range n {
			out = append(out, BaselineEntry{Fingerprint: pinnedFingerprint})
		}
		return out
	}
	tests := []struct {
		name             string
		earlier          []BaselineEntry
		now              string
		open, news, gone int
	}{
		{name: "matches every copy of a numbered baseline", earlier: NewBaseline(runOn(threeCopies).Findings).Findings, now: threeCopies, open: 3},
		{name: "finds a new copy against a numbered baseline", earlier: NewBaseline(runOn(two).Findings).Findings, now: threeCopies, open: 2, news: 1},
		{name: "finds a removed copy fixed against a numbered baseline", earlier: NewBaseline(runOn(threeCopies).Findings).Findings, now: one, open: 1, gone: 2},
		{name: "matches every copy of a baseline written before numbering", earlier: legacy(3), now: threeCopies, open: 3},
		{name: "finds a new copy against a baseline written before numbering", earlier: legacy(2), now: threeCopies, open: 2, news: 1},
		{name: "finds a removed copy fixed against a baseline written before numbering", earlier: legacy(3), now: two, open: 2, gone: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.earlier, runOn(tt.now).Findings)
			if len(c.Open) != tt.open || len(c.New) != tt.news || len(c.Fixed) != tt.gone {
				t.Errorf("open %d, new %d, fixed %d; want %d, %d, %d", len(c.Open), len(c.New), len(c.Fixed), tt.open, tt.news, tt.gone)
			}
		})
	}
	t.Run("a numbered fingerprint does not take an entry its base matched exactly", func(t *testing.T) {
		c := Compare([]BaselineEntry{{Fingerprint: "h"}}, []Finding{{Fingerprint: "h"}, {Fingerprint: "h:2"}})
		if len(c.Open) != 1 || c.Open[0].Fingerprint != "h" || len(c.New) != 1 || c.New[0].Fingerprint != "h:2" {
			t.Errorf("open %v, new %v", c.Open, c.New)
		}
	})
}
