package rules

import (
	"fmt"
	"slices"
	"sort"

	"github.com/driftlint/driftlint/lint"
)

// RulesCopyDrift reports rule files that are copies of each other and disagree.
var RulesCopyDrift = &lint.Rule{
	ID:      "rules/copy-drift",
	Summary: "an alert or recording rule defined differently in two rule file copies",
	Doc: `Real repositories keep a canonical rule file and a deployed copy: a ConfigMap or a
PrometheusRule that embeds the same rules, a file vendored into another repository, a
rendered mixin committed next to its source. Someone fixes the threshold in one and not in
the other, and the alert that pages is not the one that was reviewed.

Two rule files are copies when the config says so, the first file being the canonical one:

    copies: [[monitoring/alert_rules.yml, deploy/k8s/prometheus-rules.yaml]]

or when they share most of their rule names (at least 80% of the alert and recording names
of the smaller file, and at least 3 names); the file that sorts first is then the
reference. For every pair of copies, each alert or recording rule defined in both is
compared: expr as parsed PromQL (formatting, comments and redundant parentheses do not
count), for and keep_firing_for as durations, and labels; a name defined in one file of the
pair and not in the other is reported too. Findings point into the copy, with the reference
as the related position; a rule missing from one side is reported where it is defined.

Not reported: the same name defined differently in two files that are not copies (per
environment or per team files legitimately define "HighErrorRate" with their own
thresholds), and a name defined several times within one file (group-scoped variants,
e.g. a warning and a critical alert of one name). When a name has several definitions in
both files, each definition is compared with the closest one of the other file.

Bad (deploy/k8s/prometheus-rules.yaml, a declared copy of monitoring/alert_rules.yml whose
rule says for: 10m):

    - alert: KafkaConsumerLagHigh
      expr: dashstream:consumer_lag:max > 10000
      for: 5m

Good:

    - alert: KafkaConsumerLagHigh
      expr: dashstream:consumer_lag:max > 10000
      for: 10m`,
	Severity: lint.Error,
	Needs:    lint.NeedRules,
	Run:      runRulesCopyDrift,
}

// rbRuleFile is the rules of one file, by kind and name.
type rbRuleFile struct {
	path  string
	byKey map[rbRuleKey][]*lint.RuleEntry
	keys  []rbRuleKey // in file order
}

// rbCopyPair is a reference file and its copy, with why they are copies.
type rbCopyPair struct {
	ref, cp *rbRuleFile
	reason  string
}

// rbMinShared is the least number of shared names for two files to be detected as copies.
const rbMinShared = 3

// rbMaxFilesPerName bounds the files a name is counted in during detection (a name defined
// in hundreds of files says nothing about which are copies).
const rbMaxFilesPerName = 64

func runRulesCopyDrift(pass *lint.Pass) error {
	p := pass.Project
	var files []*rbRuleFile
	byPath := map[string]*rbRuleFile{}
	for _, r := range p.Rules {
		if r.File == nil {
			continue
		}
		f := byPath[r.File.Path]
		if f == nil {
			f = &rbRuleFile{path: r.File.Path, byKey: map[rbRuleKey][]*lint.RuleEntry{}}
			byPath[r.File.Path] = f
			files = append(files, f)
		}
		k := rbRuleKey{r.Kind, r.Name}
		if len(f.byKey[k]) == 0 {
			f.keys = append(f.keys, k)
		}
		f.byKey[k] = append(f.byKey[k], r)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	for _, pr := range rbCopyPairs(p.Config, files, byPath) {
		rbCompareCopies(pass, pr)
	}
	return nil
}

// rbCopyPairs lists the declared copies (each file of a copies entry against the first one)
// and then the detected ones.
func rbCopyPairs(cfg *lint.Config, files []*rbRuleFile, byPath map[string]*rbRuleFile) []rbCopyPair {
	var out []rbCopyPair
	seen := map[[2]string]bool{}
	add := func(ref, cp *rbRuleFile, reason string) {
		k := [2]string{ref.path, cp.path}
		if ref == cp || seen[k] || seen[[2]string{cp.path, ref.path}] {
			return
		}
		seen[k] = true
		out = append(out, rbCopyPair{ref: ref, cp: cp, reason: reason})
	}
	if cfg != nil {
		for _, set := range cfg.Copies {
			var members []*rbRuleFile // the files of the entry (cleaned paths) that hold rules
			for _, name := range set {
				if f := byPath[name]; f != nil && !slices.Contains(members, f) {
					members = append(members, f)
				}
			}
			for _, m := range members[min(1, len(members)):] {
				add(members[0], m, "declared as copies in the config")
			}
		}
	}
	// Detection: count the names each pair of files shares.
	idx := map[*rbRuleFile]int{}
	for i, f := range files {
		idx[f] = i
	}
	holders := map[rbRuleKey][]int{}
	for i, f := range files {
		for _, k := range f.keys {
			holders[k] = append(holders[k], i)
		}
	}
	shared := map[[2]int]int{}
	for _, hs := range holders {
		if len(hs) < 2 || len(hs) > rbMaxFilesPerName {
			continue
		}
		for a := range len(hs) {
			for b := a + 1; b < len(hs); b++ {
				shared[[2]int{hs[a], hs[b]}]++
			}
		}
	}
	pairs := make([][2]int, 0, len(shared))
	for pr, n := range shared {
		small := min(len(files[pr[0]].keys), len(files[pr[1]].keys))
		if n >= rbMinShared && n*5 >= small*4 {
			pairs = append(pairs, pr)
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	for _, pr := range pairs {
		a, b := files[pr[0]], files[pr[1]]
		add(a, b, fmt.Sprintf("they share %d of their rule names", shared[pr]))
	}
	return out
}

// rbCompareCopies reports every difference between a file and its copy.
func rbCompareCopies(pass *lint.Pass, pr rbCopyPair) {
	ref, cp := pr.ref, pr.cp
	for _, k := range cp.keys {
		there := ref.byKey[k]
		what := rbKindWord(k.kind)
		if len(there) == 0 {
			for _, r := range cp.byKey[k] {
				rbReportMissing(pass, r, cp.path, ref.path, pr.reason)
			}
			continue
		}
		used := map[*lint.RuleEntry]bool{}
		for _, r := range cp.byKey[k] {
			best, diffs := rbClosestRule(r, there)
			used[best] = true
			here := fmt.Sprintf("%s %q in %s", what, r.Name, cp.path)
			for _, d := range diffs {
				pass.Report(lint.Finding{
					Pos:     d.at,
					Message: rbDiffMessage(here, ref.path, d),
					Subject: rbSubjectFor(r, d.label),
					Related: []lint.Related{{Pos: d.relAt, Message: fmt.Sprintf("%s %q is defined here", what, r.Name)}},
				})
			}
		}
		if len(there) > len(cp.byKey[k]) {
			for _, r := range there {
				if used[r] {
					continue
				}
				pass.Report(lint.Finding{
					Pos: r.NameAt,
					Message: fmt.Sprintf("%s %q has %d definitions in %s but %d in %s; this one has no counterpart there (%s)",
						what, r.Name, len(there), ref.path, len(cp.byKey[k]), cp.path, pr.reason),
					Subject: rbSubjectFor(r, ""),
					Related: []lint.Related{{Pos: cp.byKey[k][0].NameAt, Message: "the copy's definition"}},
				})
			}
		}
	}
	for _, k := range ref.keys {
		if len(cp.byKey[k]) > 0 {
			continue
		}
		for _, r := range ref.byKey[k] {
			rbReportMissing(pass, r, ref.path, cp.path, pr.reason)
		}
	}
}

func rbReportMissing(pass *lint.Pass, r *lint.RuleEntry, in, from, reason string) {
	pass.Report(lint.Finding{
		Pos:     r.NameAt,
		Message: fmt.Sprintf("%s %q is defined in %s but missing from %s (%s)", rbKindWord(r.Kind), r.Name, in, from, reason),
		Subject: rbSubjectFor(r, ""),
		Related: []lint.Related{{Pos: lint.Pos{File: from}, Message: "the copy that lacks it"}},
	})
}
