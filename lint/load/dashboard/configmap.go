package dashboard

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/yamlpos"
)

// maxDocuments bounds multi-document YAML files.
const maxDocuments = 10000

// maxNesting bounds how deep Lists of Lists are followed.
const maxNesting = 16

// LoadConfigMap loads the dashboards embedded in a YAML file: a ConfigMap whose data values
// are dashboard JSON, a List of them (kind: List, items: […]), several YAML documents, or a
// grafana-operator GrafanaDashboard (spec.json). Positions map through the YAML scalar into
// the YAML file.
func LoadConfigMap(f *lint.SourceFile) *Result {
	res := &Result{}
	t := yamlpos.New(lint.VerbatimSpan(f, 0, len(f.Src)))
	seen := map[*yaml.Node]bool{} // aliases can make a node reachable many times
	var embedded []lint.Span
	if p := t.TooDeep(); p != nil {
		res.Problems = append(res.Problems, *p)
		return res
	}
	dec := yaml.NewDecoder(strings.NewReader(t.Span.Value))
	for range maxDocuments {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, msg := lint.YAMLErrorLine(err), lint.YAMLErrorMessage(err)
			res.problem(t.LinePos(line), "%s", msg)
			break // the decoder cannot resume after a syntax error
		}
		if len(n.Content) > 0 {
			res.object(t, n.Content[0], 0, seen, &embedded)
		}
	}
	// The dashboards of one ConfigMap are independent: parse them in parallel (a
	// kube-prometheus style file holds dozens), then merge in file order.
	parts := make([]Result, len(embedded))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, span := range embedded {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			parts[i].load(f, span, []byte(span.Value))
		}()
	}
	wg.Wait()
	for _, part := range parts {
		res.Dashboards = append(res.Dashboards, part.Dashboards...)
		res.Queries = append(res.Queries, part.Queries...)
		res.Problems = append(res.Problems, part.Problems...)
	}
	res.finish()
	return res
}

// object loads the dashboards of one Kubernetes object, or of the items of a List.
func (r *Result) object(t *yamlpos.Text, n *yaml.Node, depth int, seen map[*yaml.Node]bool, out *[]lint.Span) {
	n = yamlpos.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > maxNesting || seen[n] {
		return
	}
	seen[n] = true
	if items := yamlpos.Resolve(yamlpos.MapValue(n, "items")); items != nil && items.Kind == yaml.SequenceNode {
		for _, it := range items.Content {
			r.object(t, it, depth+1, seen, out)
		}
	}
	if data := yamlpos.Resolve(yamlpos.MapValue(n, "data")); data != nil && data.Kind == yaml.MappingNode {
		for i := 1; i < len(data.Content); i += 2 {
			embedded(t, data.Content[i], out)
		}
	}
	if kind := yamlpos.MapValue(n, "kind"); kind != nil && kind.Value == "GrafanaDashboard" {
		embedded(t, yamlpos.MapValue(yamlpos.Resolve(yamlpos.MapValue(n, "spec")), "json"), out)
	}
}

// embedded collects the dashboard JSON held by a YAML scalar, if it looks like one.
func embedded(t *yamlpos.Text, v *yaml.Node, out *[]lint.Span) {
	v = yamlpos.Resolve(v)
	if v == nil || v.Kind != yaml.ScalarNode || !LooksLikeDashboardJSON([]byte(v.Value)) {
		return
	}
	span := t.Scalar(v)
	if strings.HasPrefix(span.Value, string(bom)) {
		span = span.Sub(len(bom), len(span.Value))
	}
	*out = append(*out, span)
}
