// Package rulefile loads Prometheus rule files (plain, PrometheusRule custom resources,
// multi-document YAML, rule files embedded in ConfigMaps) into lint.RuleEntry facts whose
// every byte maps back to the file.
package rulefile

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/yamlpos"
	"github.com/driftlint/driftlint/lint/promql"
)

// Result is what loading found.
type Result struct {
	Rules    []*lint.RuleEntry
	Queries  []*lint.Query
	Problems []lint.ParseProblem
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

func loadText(t *yamlpos.Text, res *Result) {
	dec := yaml.NewDecoder(strings.NewReader(t.Span.Value))
	for range maxDocuments {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			res.problem(t.LinePos(yamlErrLine(err)), "%s", lint.YAMLErrorMessage(err))
			return // the decoder cannot resume after a syntax error
		}
		if len(doc.Content) == 0 {
			continue
		}
		loadDocument(t, doc.Content[0], res)
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
	groupKeys = []string{"name", "interval", "query_offset", "limit", "rules", "labels", "partial_response_strategy", "source_tenants"}
	ruleKeys  = []string{"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
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
		if !runbook {
			validate(t, n, len(res.Problems) > before, res)
		}
	case yamlpos.MapValue(n, "alert") != nil || yamlpos.MapValue(n, "record") != nil:
		rule(t, n, "", runbook, res)
	case yamlpos.MapValue(n, "rules") != nil:
		group(t, n, runbook, res)
	}
}

func group(t *yamlpos.Text, g *yaml.Node, runbook bool, res *Result) {
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

// ruleGroupsNode has the shape of rulefmt's unexported ruleGroups, so that the node tree
// decoded once can be handed to RuleGroups.Validate.
type ruleGroupsNode = struct {
	Groups []rulefmt.RuleGroupNode `yaml:"groups"`
}

// validate runs rulefmt's own validation (durations, label names, templates, …) and reports
// its errors at the rule they name. PromQL errors are left to promql/syntax.
func validate(t *yamlpos.Text, n *yaml.Node, reported bool, res *Result) {
	var groups rulefmt.RuleGroups
	if err := n.Decode(&groups); err != nil {
		if te, ok := errors.AsType[*yaml.TypeError](err); ok && len(te.Errors) > 0 {
			res.problem(t.LinePos(yamlErrLine(errors.New(te.Errors[0]))), "%s", te.Errors[0])
		} else if !reported {
			res.problem(t.Pos(n), "%s", err)
		}
		return
	}
	var nodes ruleGroupsNode
	if err := n.Decode(&nodes); err != nil {
		return
	}
	for _, err := range groups.Validate(nodes, model.UTF8Validation, promql.Parser()) {
		if isPromQLError(err) {
			continue
		}
		at := t.Pos(n)
		if re, ok := errors.AsType[*rulefmt.Error](err); ok {
			msg := positionPrefix.ReplaceAllString(re.Err.Error(), "")
			if strings.Contains(msg, "must be set") {
				continue // reported by the loader itself, at a better position
			}
			res.problem(ruleAt(t, nodes, re), "%s", msg)
			continue
		}
		res.problem(at, "%s", err)
	}
}

func isPromQLError(err error) bool {
	if re, ok := errors.AsType[*rulefmt.Error](err); ok {
		msg := re.Err.Error()
		return strings.Contains(msg, "could not parse expression") || strings.Contains(msg, "parse error")
	}
	return false
}

// ruleAt finds the position of the rule a rulefmt error names (by group and 1-based index).
func ruleAt(t *yamlpos.Text, nodes ruleGroupsNode, re *rulefmt.Error) lint.Pos {
	for gi := range nodes.Groups {
		g := &nodes.Groups[gi]
		if re.Rule < 1 || re.Rule > len(g.Rules) || g.Name != re.Group {
			continue
		}
		r := &g.Rules[re.Rule-1]
		for _, n := range []*yaml.Node{&r.Alert, &r.Record, &r.Expr} {
			if n.Line > 0 {
				return t.Pos(n)
			}
		}
	}
	return t.LinePos(1)
}

// positionPrefix matches the "line:col: " prefixes rulefmt puts in its messages.
var positionPrefix = regexp.MustCompile(`^(?:\d+:\d+: )+`)

// yamlErrLine digs the line number out of a yaml.v3 error message ("yaml: line 5: …").
func yamlErrLine(err error) int {
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		var line int
		if _, e := fmt.Sscanf(msg[i:], "line %d", &line); e == nil {
			return line
		}
	}
	return 1
}
