package docread

import (
	"os"
	"testing"
	"testing/fstest"
)

// The readers never panic, whatever the input.

func FuzzMarkdown(f *testing.F) {
	for _, p := range []string{"testdata/md/pod-metrics.md", "testdata/md/cadvisor.md", "testdata/md/stages.md"} {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, _, err := Markdown(fstest.MapFS{"a.md": {Data: src}}, []string{"a.md"}); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzExposition(f *testing.F) {
	for _, p := range []string{"testdata/expo/a.prom", "testdata/expo/b.prom", "testdata/expo/bom.prom"} {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, _, err := Exposition(fstest.MapFS{"a.prom": {Data: src}}, []string{"a.prom"}); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzKubernetesList(f *testing.F) {
	src, err := os.ReadFile("testdata/k8s/documentation-list.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src)
	f.Fuzz(func(_ *testing.T, src []byte) {
		_, _, _ = KubernetesList(src) // an error is fine; a panic is not
	})
}
