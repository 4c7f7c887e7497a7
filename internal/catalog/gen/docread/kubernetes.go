package docread

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.yaml.in/yaml/v3"
)

// kubernetesListName names Kubernetes' list in warnings.
const kubernetesListName = "documentation-list.yaml"

// k8sMetric is one entry of Kubernetes' documentation-list.yaml, as its generator
// (test/instrumentation) writes it.
type k8sMetric struct {
	Name              string            `yaml:"name"`
	Subsystem         string            `yaml:"subsystem"`
	Namespace         string            `yaml:"namespace"`
	Help              string            `yaml:"help"`
	Type              string            `yaml:"type"`
	DeprecatedVersion string            `yaml:"deprecatedVersion"`
	StabilityLevel    string            `yaml:"stabilityLevel"`
	Labels            []string          `yaml:"labels"`
	ConstLabels       map[string]string `yaml:"constLabels"`
}

// KubernetesList reads Kubernetes' test/instrumentation/documentation/documentation-list.yaml:
// a list of {name, subsystem, namespace, help, type, stabilityLevel, labels, constLabels}.
// The family's name is namespace, subsystem and name joined as prometheus.BuildFQName joins
// them; labels are the variable and the constant label names. Types are written as the
// component-base metrics types (Counter, Gauge, Histogram, Summary, TimingRatioHistogram);
// Custom (a custom collector) gives "". An entry that cannot be decoded, or whose name or
// labels are not valid, is a warning at documentation-list.yaml:line; a YAML document that
// is not a list is an error.
func KubernetesList(src []byte) ([]Family, []string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", kubernetesListName, err)
	}
	c := newCollector()
	if root.Kind == 0 { // empty input
		fams, warns := c.result()
		return fams, warns, nil
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 || root.Content[0].Kind != yaml.SequenceNode {
		return nil, nil, fmt.Errorf("%s: not a list of metrics", kubernetesListName)
	}
	for _, item := range root.Content[0].Content {
		at := fmt.Sprintf("%s:%d", kubernetesListName, item.Line)
		var m k8sMetric
		if err := item.Decode(&m); err != nil {
			c.warnf(at, "entry not read: %s", strings.Join(strings.Fields(err.Error()), " "))
			continue
		}
		if m.Name == "" {
			c.warnf(at, "entry has no name")
			continue
		}
		name := prometheus.BuildFQName(m.Namespace, m.Subsystem, m.Name)
		if !validMetricName(name) {
			c.warnf(at, "%q is not a metric name", name)
			continue
		}
		f := Family{Name: name, Help: m.Help}
		typ, ok := normType(m.Type)
		if ok {
			f.Type = typ
		} else {
			c.warnf(at, "%s: type %q names no metric type", name, m.Type)
		}
		for _, l := range append(slices.Clone(m.Labels), slices.Collect(maps.Keys(m.ConstLabels))...) {
			if validLabelName(l) {
				f.Labels = append(f.Labels, l)
			} else {
				c.warnf(at, "%s: %q is not a label name", name, l)
			}
		}
		c.add(at, f)
	}
	fams, warns := c.result()
	return fams, warns, nil
}
