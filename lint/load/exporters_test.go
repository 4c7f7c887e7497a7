package load

import (
	"slices"
	"strings"
	"testing"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/catalog"
)

// The exporters: entries become definitions: the selected version's families with labels,
// the older versions' names with their renames, the name spaces owned, and an alias selects
// its prefixes only.
func TestExporterDefs(t *testing.T) {
	x, problem := exporterDefs(lint.ExporterRef{Name: "node-exporter", Exporter: "node-exporter", Version: latest(t, "node-exporter")})
	if problem != nil {
		t.Fatal(problem.Message)
	}
	f := x.Expo.Families["node_cpu_seconds_total"]
	if f == nil || len(f.Labels) != 2 || f.Labels[0] != "cpu" || f.Labels[1] != "mode" || f.Expo != x.Expo {
		t.Fatalf("node_cpu_seconds_total = %+v, want labels cpu, mode", f)
	}
	if x.Expo.Catalog == "" || !x.Expo.Source || !x.Expo.Lumped {
		t.Errorf("exposition %+v: want Catalog, Source and Lumped set", x.Expo)
	}
	if x.RenamedTo["node_cpu"] != "node_cpu_seconds_total" || x.RenamedIn["node_cpu"] != "0.16" || x.OlderIn["node_cpu"] != "0.15 until 0.16" {
		t.Errorf("node_cpu: renamed to %q in %q, older in %q", x.RenamedTo["node_cpu"], x.RenamedIn["node_cpu"], x.OlderIn["node_cpu"])
	}
	owns := map[string]bool{}
	for _, g := range x.Expo.Covers {
		owns[g] = true
	}
	if !owns["node_cpu_*"] {
		t.Errorf("covers %v lack node_cpu_*", x.Expo.Covers)
	}

	// A client library's entry owns its names only (data: owns_names_only in the catalogue).
	cg, problem := exporterDefs(lint.ExporterRef{Name: "client-golang", Exporter: "client-golang", Version: latest(t, "client-golang")})
	if problem != nil {
		t.Fatal(problem.Message)
	}
	for _, g := range cg.Expo.Covers {
		if strings.ContainsAny(g, "*?[") {
			t.Errorf("client-golang owns the space %s; it should own only its names", g)
		}
	}
	if !slices.Contains(cg.Expo.Covers, "go_goroutines") {
		t.Errorf("client-golang covers %v lack go_goroutines", cg.Expo.Covers)
	}

	k, _, _ := catalog.Lookup("kubelet")
	kx, problem := exporterDefs(lint.ExporterRef{Name: "kubelet", Exporter: k.Name, Prefixes: []string{"kubelet_"}, Version: latest(t, k.Name)})
	if problem != nil {
		t.Fatal(problem.Message)
	}
	for name := range kx.Expo.Families {
		if len(name) < 8 || name[:8] != "kubelet_" {
			t.Errorf("the kubelet alias selected %s", name)
		}
	}
	if len(kx.Expo.Families) == 0 {
		t.Error("the kubelet alias selected nothing")
	}
}

func latest(t *testing.T, name string) string {
	t.Helper()
	e, _, ok := catalog.Lookup(name)
	if !ok {
		t.Fatalf("%s is not catalogued", name)
	}
	return e.Versions[len(e.Versions)-1].Name
}

// BenchmarkExporterDefs builds the definitions of ten exporters (the catalogue decoded once,
// as in a run): the cost a config naming ten exporters adds after decoding.
func BenchmarkExporterDefs(b *testing.B) {
	names := []string{"node-exporter", "kube-state-metrics", "kubernetes", "cadvisor", "prometheus", "alertmanager", "prometheus-operator", "etcd", "coredns", "client-golang"}
	var refs []lint.ExporterRef
	for _, n := range names {
		e, _, ok := catalog.Lookup(n)
		if !ok {
			b.Skipf("%s is not catalogued", n)
		}
		refs = append(refs, lint.ExporterRef{Name: n, Exporter: n, Version: e.Versions[len(e.Versions)-1].Name})
	}
	for b.Loop() {
		for _, r := range refs {
			if _, p := exporterDefs(r); p != nil {
				b.Fatal(p.Message)
			}
		}
	}
}
