// Package rulefile loads Prometheus rule files (plain, PrometheusRule custom resources,
// multi-document YAML, rule files embedded in ConfigMaps) into lint.RuleEntry facts whose
// every byte maps back to the file.
package rulefile

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/template/parse"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	promtemplate "github.com/prometheus/prometheus/template"
	"github.com/prometheus/prometheus/util/features"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/logql"
	"github.com/driftlint/driftlint/lint/load/yamlpos"
	"github.com/driftlint/driftlint/lint/promql"
)

// Result is what loading found.
type Result struct {
	Rules    []*lint.RuleEntry
	Queries  []*lint.Query
	Problems []lint.ParseProblem
	// Foreign are the rules whose expression is LogQL (a Loki ruler's rule file): they are
	// counted, not read.
	Foreign []lint.ForeignQuery

	probe       bool                // Holds: stop at the first rule or group, parse nothing
	found       bool                // Holds: a rule or group was reached
	seen        map[*yaml.Node]bool // rule and group nodes visited
	repeats     int                 // visits of a node seen before (through an alias)
	overAliased bool                // the alias budget ran out; the rest was skipped
}

// maxRepeats bounds the visits of rule and group nodes reached again through aliases. A rule
// file rarely reuses a whole rule or group, but groups: [*g, *g, …] with g's rules: [*r, *r,
// …] makes a few kilobytes expand to millions of rules.
const maxRepeats = 1000

// spend records a visit of a rule or group node and reports whether the alias budget allows
// it. The first time the budget runs out is a problem.
func (r *Result) spend(t *yamlpos.Text, n *yaml.Node) bool {
	if r.overAliased {
		return false
	}
	if r.seen == nil {
		r.seen = map[*yaml.Node]bool{}
	}
	if !r.seen[n] {
		r.seen[n] = true
		return true
	}
	r.repeats++
	if r.repeats <= maxRepeats {
		return true
	}
	r.overAliased = true
	r.problem(t.Pos(n), "the document contains excessive aliasing: rules and groups are reused more than %d times; the rest is skipped", maxRepeats)
	return false
}

func (r *Result) problem(at lint.Pos, format string, args ...any) {
	r.Problems = append(r.Problems, lint.ParseProblem{At: at, Message: fmt.Sprintf(format, args...)})
}

// maxDocuments bounds multi-document files.
const maxDocuments = 10000

// Load parses a rule file. Each YAML document may be a rule file ({groups: …}), a
// PrometheusRule (spec.groups), a List of those, or a ConfigMap whose data values are rule
// files. Problems are positioned; the rest of the file is still loaded.
func Load(f *lint.SourceFile) *Result {
	res := &Result{}
	loadText(yamlpos.New(lint.VerbatimSpan(f, 0, len(f.Src))), res)
	return res
}

// Holds reports whether f, read as Load reads it, holds a rule group or a rule, or cannot be
// read as YAML (Load reports that). It stops at the first one and parses no expression:
// discovery's second look at a file whose text names groups and alerts.
func Holds(f *lint.SourceFile) bool {
	res := &Result{probe: true}
	loadText(yamlpos.New(lint.VerbatimSpan(f, 0, len(f.Src))), res)
	return res.found || len(res.Problems) > 0
}

func loadText(t *yamlpos.Text, res *Result) {
	if p := t.TooDeep(); p != nil {
		res.Problems = append(res.Problems, *p)
		return
	}
	dec := yaml.NewDecoder(strings.NewReader(t.Span.Value))
	for range maxDocuments {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			res.problem(t.LinePos(lint.YAMLErrorLine(err)), "%s", lint.YAMLErrorMessage(err))
			return // the decoder cannot resume after a syntax error
		}
		if len(doc.Content) == 0 {
			continue
		}
		loadDocument(t, doc.Content[0], res)
		if res.found {
			return
		}
	}
}

func loadDocument(t *yamlpos.Text, n *yaml.Node, res *Result) {
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Value == "" {
			return
		}
		res.problem(t.Pos(n), "a rule file must be a mapping with groups, got %s", kindName(n))
		return
	}
	switch kind := yamlpos.MapValue(n, "kind"); {
	case kind != nil && kind.Value == "PrometheusRule":
		if spec := yamlpos.MapValue(n, "spec"); spec != nil {
			FromNode(t, spec, false, res)
		}
	case kind != nil && strings.HasSuffix(kind.Value, "List"):
		if items := yamlpos.MapValue(n, "items"); items != nil && items.Kind == yaml.SequenceNode {
			for _, it := range items.Content {
				loadDocument(t, it, res)
			}
		}
	case kind != nil && kind.Value == "ConfigMap":
		data := yamlpos.MapValue(n, "data")
		if data == nil || data.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(data.Content); i += 2 {
			k, v := data.Content[i], data.Content[i+1]
			if v.Kind != yaml.ScalarNode || !isRuleFileName(k.Value) {
				continue
			}
			loadText(yamlpos.New(t.Scalar(v)), res)
		}
	default:
		FromNode(t, n, false, res)
	}
}

func isRuleFileName(name string) bool {
	return strings.HasSuffix(name, ".yml") || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".rules")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	default:
		return "something else"
	}
}

var (
	// groupKeys are the keys of a rule group that Prometheus (name, interval, query_offset,
	// limit, labels, rules), Thanos (partial_response_strategy) and Cortex, Mimir or Loki
	// rulers (source_tenants, evaluation_delay, align_evaluation_time_on_interval) accept.
	groupKeys = []string{
		"name", "interval", "query_offset", "limit", "rules", "labels",
		"partial_response_strategy", "source_tenants", "evaluation_delay", "align_evaluation_time_on_interval",
	}
	ruleKeys = []string{"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
)

// FromNode extracts rules from a YAML node: a rule file ({groups: …}), a list of rules, or
// a single rule mapping (as runbooks quote them). With runbook set, queries get
// lint.OriginRunbookAlert and structural problems are not reported (a runbook's yaml block
// need not be a rule).
func FromNode(t *yamlpos.Text, n *yaml.Node, runbook bool, res *Result) {
	n = yamlpos.Resolve(n)
	switch {
	case n == nil:
	case n.Kind == yaml.DocumentNode && len(n.Content) > 0:
		FromNode(t, n.Content[0], runbook, res)
	case n.Kind == yaml.SequenceNode:
		for _, it := range n.Content {
			it = yamlpos.Resolve(it)
			if yamlpos.MapValue(it, "alert") != nil || yamlpos.MapValue(it, "record") != nil {
				rule(t, it, "", runbook, res)
			} else if yamlpos.MapValue(it, "rules") != nil {
				group(t, it, runbook, res)
			}
		}
	case n.Kind != yaml.MappingNode:
	case yamlpos.MapValue(n, "groups") != nil:
		if res.probe {
			res.found = true
			return
		}
		groups := yamlpos.Resolve(yamlpos.MapValue(n, "groups"))
		if groups.Kind != yaml.SequenceNode {
			if !runbook && (groups.Kind != yaml.ScalarNode || groups.Tag != "!!null") {
				res.problem(t.Pos(groups), "groups must be a list")
			}
			return
		}
		before := len(res.Problems)
		for _, g := range groups.Content {
			group(t, yamlpos.Resolve(g), runbook, res)
		}
		if !runbook && !res.overAliased { // decoding would expand the aliases again
			validate(t, n, len(res.Problems) > before, res)
		}
	case yamlpos.MapValue(n, "alert") != nil || yamlpos.MapValue(n, "record") != nil:
		rule(t, n, "", runbook, res)
	case yamlpos.MapValue(n, "rules") != nil:
		group(t, n, runbook, res)
	}
}

func group(t *yamlpos.Text, g *yaml.Node, runbook bool, res *Result) {
	if res.probe {
		res.found = true
		return
	}
	if !res.spend(t, g) {
		return
	}
	if g.Kind != yaml.MappingNode {
		if !runbook {
			res.problem(t.Pos(g), "a rule group must be a mapping")
		}
		return
	}
	name := ""
	if v := yamlpos.MapValue(g, "name"); v != nil {
		name = v.Value
	}
	if !runbook {
		unknownKeys(t, g, groupKeys, "rule group", res)
	}
	rules := yamlpos.Resolve(yamlpos.MapValue(g, "rules"))
	if rules == nil || rules.Kind != yaml.SequenceNode {
		return
	}
	for _, r := range rules.Content {
		if res.overAliased {
			return
		}
		rule(t, yamlpos.Resolve(r), name, runbook, res)
	}
}

func unknownKeys(t *yamlpos.Text, n *yaml.Node, allowed []string, what string, res *Result) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, a := range allowed {
			ok = ok || a == k.Value
		}
		if !ok {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := lint.Closest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			res.problem(t.Pos(k), "%s", msg)
		}
	}
}

func rule(t *yamlpos.Text, n *yaml.Node, groupName string, runbook bool, res *Result) {
	if res.probe {
		res.found = true
		return
	}
	if !res.spend(t, n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		if !runbook {
			res.problem(t.Pos(n), "a rule must be a mapping")
		}
		return
	}
	if !runbook {
		unknownKeys(t, n, ruleKeys, "rule", res)
	}
	r := &lint.RuleEntry{Group: groupName, File: t.Span.File}
	var nameNode *yaml.Node
	if v := yamlpos.MapValue(n, "alert"); v != nil {
		r.Kind, nameNode = lint.AlertRule, v
	} else if v := yamlpos.MapValue(n, "record"); v != nil {
		r.Kind, nameNode = lint.RecordingRule, v
	}
	if nameNode == nil || nameNode.Kind != yaml.ScalarNode {
		if !runbook {
			res.problem(t.Pos(n), "a rule needs an alert or a record name")
		}
		return
	}
	r.Name, r.NameAt = nameNode.Value, t.Pos(nameNode)
	expr := yamlpos.Resolve(yamlpos.MapValue(n, "expr"))
	if expr == nil || expr.Kind != yaml.ScalarNode {
		if !runbook {
			res.problem(r.NameAt, "rule %s has no expr", r.Name)
		}
		return
	}
	if logql.LooksLikeLogQL(expr.Value) {
		res.Foreign = append(res.Foreign, lint.ForeignQuery{At: t.Pos(expr), Language: "logql", Owner: r.Name})
		return
	}
	origin := lint.OriginAlert
	switch {
	case runbook:
		origin = lint.OriginRunbookAlert
	case r.Kind == lint.RecordingRule:
		origin = lint.OriginRecording
	}
	r.Query = promql.NewQuery(t.Scalar(expr), origin, r.Name)
	if v := yamlpos.MapValue(n, "for"); v != nil {
		r.For, r.ForAt = v.Value, t.Pos(v)
		checkDuration(r.ForAt, "for", v.Value, runbook, res)
	}
	if v := yamlpos.MapValue(n, "keep_firing_for"); v != nil {
		r.KeepFiringFor, r.KeepFiringAt = v.Value, t.Pos(v)
		checkDuration(r.KeepFiringAt, "keep_firing_for", v.Value, runbook, res)
	}
	r.Labels = kvs(t, yamlpos.Resolve(yamlpos.MapValue(n, "labels")))
	r.Annotations = kvs(t, yamlpos.Resolve(yamlpos.MapValue(n, "annotations")))
	res.Rules = append(res.Rules, r)
	res.Queries = append(res.Queries, r.Query)
}

func checkDuration(at lint.Pos, key, value string, runbook bool, res *Result) {
	if _, err := model.ParseDuration(value); err != nil && !runbook {
		res.problem(at, "bad %s duration: %s", key, err)
	}
}

func kvs(t *yamlpos.Text, n *yaml.Node) []lint.KV {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]lint.KV, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], yamlpos.Resolve(n.Content[i+1])
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		out = append(out, lint.KV{Key: k.Value, KeyAt: t.Pos(k), Value: t.Scalar(v)})
	}
	return out
}

// validate runs the checks of rulefmt's RuleGroups.Validate (durations and field types by
// decoding into rulefmt's types; group names, label and annotation names and values,
// recording rule names, alert templates) and reports each problem at the group or rule it
// names. PromQL errors are left to promql/syntax (the expression was parsed once already),
// and missing fields to the loader itself, which reports them at a better position.
//
// rulefmt.RuleGroups.Validate itself is not called: it parses every expression a second
// time and builds a text/template with Prometheus's whole function map for every label and
// annotation, which was most of the time of a whole run (see bench/). The checks below
// give the same messages.
func validate(t *yamlpos.Text, n *yaml.Node, reported bool, res *Result) {
	var groups rulefmt.RuleGroups
	if err := n.Decode(&groups); err != nil {
		if te, ok := errors.AsType[*yaml.TypeError](err); ok && len(te.Errors) > 0 {
			res.problem(t.LinePos(lint.YAMLErrorLine(errors.New(te.Errors[0]))), "%s", te.Errors[0])
		} else if !reported {
			res.problem(t.Pos(n), "%s", err)
		}
		return
	}
	var groupNodes []*yaml.Node
	if gs := yamlpos.Resolve(yamlpos.MapValue(n, "groups")); gs != nil && gs.Kind == yaml.SequenceNode {
		groupNodes = gs.Content
	}
	seen := map[string]bool{}
	for j := range groups.Groups {
		g := &groups.Groups[j]
		var gn *yaml.Node
		if j < len(groupNodes) {
			gn = yamlpos.Resolve(groupNodes[j])
		}
		at := t.Pos(n)
		if gn != nil {
			at = t.Pos(gn)
			if name := yamlpos.MapValue(gn, "name"); name != nil {
				at = t.Pos(name)
			}
		}
		if g.Name == "" {
			res.problem(at, "Groupname must not be empty")
		}
		if seen[g.Name] {
			res.problem(at, "groupname: %q is repeated in the same file", g.Name)
		}
		seen[g.Name] = true
		for _, msg := range labelErrors(g.Labels, nil) {
			res.problem(at, "%s", msg)
		}
		var ruleNodes []*yaml.Node
		if gn != nil {
			if rs := yamlpos.Resolve(yamlpos.MapValue(gn, "rules")); rs != nil && rs.Kind == yaml.SequenceNode {
				ruleNodes = rs.Content
			}
		}
		for i := range g.Rules {
			var rn *yaml.Node
			if i < len(ruleNodes) {
				rn = yamlpos.Resolve(ruleNodes[i])
			}
			errs := ruleErrors(&g.Rules[i], rn)
			if len(errs) == 0 {
				continue
			}
			rat := at
			if rn != nil {
				rat = t.Pos(rn)
				for _, key := range []string{"alert", "record", "expr"} {
					if v := yamlpos.MapValue(rn, key); v != nil {
						rat = t.Pos(v)
						break
					}
				}
			}
			for _, msg := range errs {
				res.problem(rat, "%s", msg)
			}
		}
	}
}

// ruleErrors returns the messages rulefmt's Rule.Validate gives for r, except PromQL
// errors and missing fields. n is the rule's node, for the order of labels and annotations
// (nil: sorted by key).
func ruleErrors(r *rulefmt.Rule, n *yaml.Node) []string {
	var errs []string
	if r.Record != "" {
		if len(r.Annotations) > 0 {
			errs = append(errs, "invalid field 'annotations' in recording rule")
		}
		if r.For != 0 {
			errs = append(errs, "invalid field 'for' in recording rule")
		}
		if r.KeepFiringFor != 0 {
			errs = append(errs, "invalid field 'keep_firing_for' in recording rule")
		}
		if !model.UTF8Validation.IsValidMetricName(r.Record) {
			errs = append(errs, "invalid recording rule name: "+r.Record)
		}
		if strings.ContainsAny(r.Record, "{}") {
			errs = append(errs, "braces present in the recording rule name; should it be in expr?: "+r.Record)
		}
	}
	labelKeys := mapKeys(n, "labels", r.Labels)
	annotationKeys := mapKeys(n, "annotations", r.Annotations)
	errs = append(errs, labelErrors(r.Labels, labelKeys)...)
	for _, k := range annotationKeys {
		if !model.UTF8Validation.IsValidLabelName(k) {
			errs = append(errs, "invalid annotation name: "+k)
		}
	}
	if r.Alert == "" {
		return errs
	}
	for _, k := range labelKeys {
		if err := parseTemplate(r.Alert, r.Labels[k]); err != nil {
			errs = append(errs, fmt.Sprintf("label %q: %s", k, err))
		}
	}
	for _, k := range annotationKeys {
		if err := parseTemplate(r.Alert, r.Annotations[k]); err != nil {
			errs = append(errs, fmt.Sprintf("annotation %q: %s", k, err))
		}
	}
	return errs
}

// labelErrors checks label names and values as rulefmt does, in the order of keys (nil:
// sorted).
func labelErrors(labels map[string]string, keys []string) []string {
	if keys == nil {
		keys = slices.Sorted(maps.Keys(labels))
	}
	var errs []string
	for _, k := range keys {
		if !model.UTF8Validation.IsValidLabelName(k) || k == model.MetricNameLabel {
			errs = append(errs, "invalid label name: "+k)
		}
		if v := labels[k]; !model.LabelValue(v).IsValid() {
			errs = append(errs, "invalid label value: "+v)
		}
	}
	return errs
}

// mapKeys returns the keys of the decoded map m in the order the rule node n lists them
// under key, so that problems come out in file order; keys the node does not show (or
// without a node) follow, sorted.
func mapKeys(n *yaml.Node, key string, m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	done := make(map[string]bool, len(m))
	if mn := yamlpos.Resolve(yamlpos.MapValue(n, key)); mn != nil && mn.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(mn.Content); i += 2 {
			k := mn.Content[i].Value
			if _, ok := m[k]; ok && !done[k] {
				keys = append(keys, k)
				done[k] = true
			}
		}
	}
	if len(keys) < len(m) {
		var rest []string
		for k := range m {
			if !done[k] {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		keys = append(keys, rest...)
	}
	return keys
}

// templateDefs are the variables Prometheus defines before an alert's label and annotation
// templates (rulefmt's testTemplateParsing).
const templateDefs = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"

// templateFuncs returns the names of the functions alert templates can call: Prometheus's
// template functions and text/template's builtins, as parse.Parse wants them (only the
// names are looked at). It is built once per process.
var templateFuncs = sync.OnceValue(func() map[string]any {
	reg := features.NewRegistry()
	promtemplate.RegisterFeatures(reg)
	funcs := map[string]any{}
	for name := range reg.Get()[features.TemplatingFunctions] {
		funcs[name] = true
	}
	for _, name := range []string{
		"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
		"println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
	} {
		funcs[name] = true
	}
	return funcs
})

// parseTemplate parses an alert's label or annotation template as Prometheus's
// template.Expander.ParseTest does, and returns the same error, without building a
// text/template with the whole function map each time.
func parseTemplate(alert, text string) error {
	if !strings.Contains(text, "{{") {
		return nil // no action: nothing can fail to parse
	}
	_, err := parse.Parse("__alert_"+alert, templateDefs+text, "", "", templateFuncs())
	return err
}
