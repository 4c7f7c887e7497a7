package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint/catalog"
)

func TestGenerateDocsExposition(t *testing.T) {
	mirrors, commits := tinyMirror(t)
	m := &Manifest{Exporters: []*ManifestExporter{{
		Name: "tiny-java", Repo: "test/tiny", Kind: "docs", Reader: readerExpoMD, Paths: []string{"expo/*.md"},
		Versions: []ManifestVersion{
			{Name: "1.0", Ref: "v1.0.0", Commit: commits[0]},
			{Name: "2.0", Ref: "v2.0.0", Commit: commits[1]},
		},
	}}}
	if err := m.check(); err != nil {
		t.Fatal(err)
	}
	files, err := generate(m, nil, options{mirrors: mirrors})
	if err != nil {
		t.Fatal(err)
	}
	d, err := catalog.DecodeData(string(files["tiny-java.tsv"]))
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Family{
		{Name: "jvm_memory_bytes_used", Type: "gauge", Help: "Used bytes of a given JVM memory area.", Labels: []string{"area"}, Until: "2.0"},
		{Name: "jvm_memory_used_bytes", Type: "gauge", Help: "Used bytes of a given JVM memory area.", Labels: []string{"area"}, Since: "2.0"},
		// the OpenMetrics info TYPE line is a reader warning; the sample stays untyped
		{Name: "jvm_runtime_info", Type: "untyped", Labels: []string{"version"}, Since: "2.0"},
		{Name: "jvm_threads_current", Type: "gauge", Help: "Current thread count of a JVM"},
	}
	if diff := cmp.Diff(want, d.Families); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
}

func TestManifestDocsExpositionNeedsPaths(t *testing.T) {
	m := &Manifest{Exporters: []*ManifestExporter{{
		Name: "tiny-java", Repo: "test/tiny", Kind: "docs", Reader: readerExpoMD,
		Versions: []ManifestVersion{{Name: "1.0", Ref: "v1.0.0", Commit: "0123456789012345678901234567890123456789"}},
	}}}
	if err := m.check(); err == nil {
		t.Error("a docs-exposition exporter without paths is accepted")
	}
}
