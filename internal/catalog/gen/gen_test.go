package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/internal/catalog/gen/docread"
	"github.com/driftlint/driftlint/lint/catalog"
)

// tinyMirror builds a bare mirror of the hand-made exporter in testdata/tiny: v1 then v2,
// tagged v1.0.0 and v2.0.0. It returns the mirrors folder and the two commits.
func tinyMirror(t *testing.T) (mirrors string, commits []string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
		cmd.Dir = work
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	git("init", "-q")
	for i, v := range []string{"v1", "v2"} {
		entries, err := os.ReadDir(work)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != ".git" {
				if err := os.RemoveAll(filepath.Join(work, e.Name())); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := os.CopyFS(work, os.DirFS(filepath.Join("testdata", "tiny", v))); err != nil {
			t.Fatal(err)
		}
		git("add", "-A")
		git("commit", "-q", "-m", v)
		git("tag", []string{"v1.0.0", "v2.0.0"}[i])
		commits = append(commits, git("rev-parse", "HEAD"))
	}
	mirrors = filepath.Join(dir, "mirrors")
	git("clone", "-q", "--bare", work, filepath.Join(mirrors, "test+tiny", "repo"))
	return mirrors, commits
}

func tinyManifest(commits []string) *Manifest {
	m := &Manifest{
		Exporters: []*ManifestExporter{{
			Name: "tiny", Repo: "test/tiny", Kind: "code", Reader: readerGit,
			Aliases: map[string][]string{"tiny-stages": {"tiny_stage_"}},
			Versions: []ManifestVersion{
				{Name: "1.0", Ref: "v1.0.0", Commit: commits[0]},
				{Name: "2.0", Ref: "v2.0.0", Commit: commits[1]},
			},
		}},
		Pending: []string{"pending-one"},
	}
	m.Exporters = append(m.Exporters, &ManifestExporter{
		Name: "tiny-docs", Repo: "test/tiny", Kind: "docs", Reader: readerMarkdown, Paths: []string{"docs/*.md"},
		Versions: m.Exporters[0].Versions,
	})
	return m
}

func TestGenerateTiny(t *testing.T) {
	mirrors, commits := tinyMirror(t)
	m := tinyManifest(commits)
	if err := m.check(); err != nil {
		t.Fatal(err)
	}
	corr, err := readCorrections(filepath.Join("testdata", "corrections.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := generate(m, corr, options{mirrors: mirrors})
	if err != nil {
		t.Fatal(err)
	}
	d, err := catalog.DecodeData(string(files["tiny.tsv"]))
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Family{
		{Name: "tiny_new_bytes", Type: "gauge", Help: "Bytes.", Since: "2.0"},
		{Name: "tiny_old_bytes", Type: "gauge", Help: "Bytes, under the old name.", Until: "2.0", RenamedTo: "tiny_new_bytes"},
		{Name: "tiny_queue_length", Type: "gauge", Help: "Queue length.", Labels: []string{"queue"}, Until: "2.0"},
		{Name: "tiny_queue_length", Type: "gauge", Help: "Queue length.", Labels: []string{"queue", "shard"}, Since: "2.0"},
		{Name: "tiny_requests_total", Type: "counter", Help: "Requests served.", Labels: []string{"code", "controller"}},
		{Name: "tiny_stage_parse_seconds", Type: "histogram", Help: "Stage duration.", Since: "2.0"},
		{Name: "tiny_stage_write_seconds", Type: "histogram", Help: "Stage duration.", Since: "2.0"},
	}
	if diff := cmp.Diff(want, d.Families); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
	wantExcuses := map[string][]string{"2.0": {"tiny_stage_parse_seconds", "tiny_stage_write_seconds"}}
	if diff := cmp.Diff(wantExcuses, d.Excuses); diff != "" {
		t.Errorf("excuses (-want +got):\n%s", diff)
	}
	docs, err := catalog.DecodeData(string(files["tiny-docs.tsv"]))
	if err != nil {
		t.Fatal(err)
	}
	wantDocs := []catalog.Family{
		{Name: "tiny_doc_custom", Type: "untyped", Help: "A custom collector", Since: "2.0"},
		{Name: "tiny_doc_info", Type: "gauge", Help: "Information", Labels: []string{"node"}, Until: "2.0"},
		{Name: "tiny_doc_info", Type: "gauge", Help: "Information", Labels: []string{"node", "zone"}, Since: "2.0"},
		{Name: "tiny_doc_labels", Type: "gauge", Help: "Labels as labels", Labels: []string{"label_NODE_LABEL"}, LabelsUnknown: true},
	}
	if diff := cmp.Diff(wantDocs, docs.Families); diff != "" {
		t.Errorf("docs families (-want +got):\n%s", diff)
	}
	for _, s := range []string{`"commit": "` + commits[1] + `"`, `"tiny-stages": [`, `"source_kind": "code"`} {
		if !strings.Contains(string(files["index.json"]), s) {
			t.Errorf("index.json lacks %s:\n%s", s, files["index.json"])
		}
	}

	again, err := generate(m, corr, options{mirrors: mirrors})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if !bytes.Equal(b, again[name]) {
			t.Errorf("a second generation of %s differs", name)
		}
	}
}

func TestGenerateFails(t *testing.T) {
	mirrors, commits := tinyMirror(t)
	good, err := readCorrections(filepath.Join("testdata", "corrections.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func(m *Manifest) []Correction
		errHas string
	}{
		{"fails when the mirror lacks the pinned commit", func(m *Manifest) []Correction {
			m.Exporters[0].Versions[0].Commit = strings.Repeat("ab", 20)
			return good
		}, "lacks the pinned commit"},
		{"fails when the ref names another commit", func(m *Manifest) []Correction {
			m.Exporters[0].Versions[0].Ref = "v2.0.0"
			return good
		}, "the manifest pins"},
		{"fails when there is no mirror", func(m *Manifest) []Correction {
			m.Exporters[0].Repo = "test/absent"
			return good
		}, "no mirror of test/absent"},
		{"fails on a rename that matches no family", func(m *Manifest) []Correction {
			c := append([]Correction(nil), good...)
			c[0].Rename = &struct {
				From string `yaml:"from"`
				To   string `yaml:"to"`
				In   string `yaml:"in"`
			}{"tiny_nothing", "tiny_new_bytes", "2.0"}
			return c
		}, "matches no family"},
		{"fails on an addition the reader already sees", func(m *Manifest) []Correction {
			c := append([]Correction(nil), good...)
			c[1].Add.Names = append(c[1].Add.Names, "tiny_requests_total")
			return c
		}, "already sees"},
		{"fails on a label the reader already sees", func(m *Manifest) []Correction {
			c := append([]Correction(nil), good...)
			c[3].Labels = &struct {
				Names []string `yaml:"names"`
				Add   []string `yaml:"add"`
			}{[]string{"tiny_requests_total"}, []string{"code"}}
			return c
		}, "already sees"},
		{"fails on labels for a family the reader does not see", func(m *Manifest) []Correction {
			c := append([]Correction(nil), good...)
			c[3].Labels = &struct {
				Names []string `yaml:"names"`
				Add   []string `yaml:"add"`
			}{[]string{"tiny_absent_total"}, []string{"controller"}}
			return c
		}, "does not see"},
		{"fails on a rewrite that matches no file", func(m *Manifest) []Correction {
			m.Exporters[0].Rewrite = append(m.Exporters[0].Rewrite, struct {
				From   string `yaml:"from"`
				To     string `yaml:"to"`
				Reason string `yaml:"reason"`
			}{"opts.Namespace", `"tiny"`, "a flag's default"})
			return good
		}, "matches no file"},
		{"fails on a correction for an exporter neither generated nor pending", func(m *Manifest) []Correction {
			m.Pending = nil
			return good
		}, `unknown exporter "pending-one"`},
		{"fails on a correction naming a version not catalogued", func(m *Manifest) []Correction {
			c := append([]Correction(nil), good...)
			c[1].Versions = []string{"3.0"}
			return c
		}, `names version "3.0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tinyManifest(commits)
			corr := tt.edit(m)
			_, err := generate(m, corr, options{mirrors: mirrors})
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("err = %v, want one containing %q", err, tt.errHas)
			}
		})
	}
}

func TestReadCorrectionsRejects(t *testing.T) {
	tests := []struct{ name, yaml, errHas string }{
		{"an entry without a reason", "corrections:\n  - exporter: x\n    remove: a\n", "no reason"},
		{"an entry with two kinds", "corrections:\n  - exporter: x\n    remove: a\n    add: {name: b, type: gauge}\n    reason: r\n", "exactly one"},
		{"an addition with a bad type", "corrections:\n  - exporter: x\n    add: {name: b, type: gaug}\n    reason: r\n", "type of"},
		{"a labels entry with a bad label name", "corrections:\n  - exporter: x\n    labels: {names: [a], add: [bad-name]}\n    reason: r\n", "labels needs"},
		{"an unknown field", "corrections:\n  - exporter: x\n    remove: a\n    reason: r\n    note: n\n", "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(f, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := readCorrections(f)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("err = %v, want one containing %q", err, tt.errHas)
			}
		})
	}
}

// TestManifest checks the real manifest and corrections: they parse, and every
// correction names a generated or pending exporter and its versions.
func TestManifest(t *testing.T) {
	m, err := readManifest("manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	corr, err := readCorrections("corrections.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkCorrectionVersions(m, corr); err != nil {
		t.Error(err)
	}
}

func TestKubernetesList(t *testing.T) {
	const list = `- name: requests_total
  subsystem: apiserver
  help: Requests.
  type: Counter
  stabilityLevel: STABLE
  labels:
  - verb
  - code
- name: depth
  subsystem: workqueue
  help: Depth.
  type: Gauge
  stabilityLevel: ALPHA
  labels:
  - name
`
	commit := strings.Repeat("c", 40)
	sum := sha256.Sum256([]byte(list))
	tests := []struct {
		name, source, sha, errHas string
	}{
		{"reads the list saved at the pinned commit", "commit: " + commit + "\n", hex.EncodeToString(sum[:]), ""},
		{"fails when the file's sha256 is not the pinned one", "commit: " + commit + "\n", strings.Repeat("0", 64), "the manifest pins"},
		{"fails when the file was read at another commit", "commit: " + strings.Repeat("d", 40) + "\n", hex.EncodeToString(sum[:]), "does not record the pinned commit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mirrors := t.TempDir()
			dir := filepath.Join(mirrors, "kubernetes+kubernetes")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "list.yaml"), []byte(list), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "list.yaml.source"), []byte(tt.source), 0o644); err != nil {
				t.Fatal(err)
			}
			m := &Manifest{Exporters: []*ManifestExporter{{
				Name: "kubernetes", Repo: "kubernetes/kubernetes", Kind: "kubernetes-documentation-list", Reader: readerK8sList,
				Aliases:  map[string][]string{"kube-apiserver": {"apiserver_", "workqueue_"}},
				Versions: []ManifestVersion{{Name: "x", Ref: commit, Commit: commit, File: "list.yaml", SHA256: tt.sha}},
			}}}
			if err := m.check(); err != nil {
				t.Fatal(err)
			}
			files, err := generate(m, nil, options{mirrors: mirrors})
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Errorf("err = %v, want one containing %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, err := catalog.DecodeData(string(files["kubernetes.tsv"]))
			if err != nil {
				t.Fatal(err)
			}
			want := []catalog.Family{
				{Name: "apiserver_requests_total", Type: "counter", Help: "Requests.", Labels: []string{"code", "verb"}},
				{Name: "workqueue_depth", Type: "gauge", Help: "Depth.", Labels: []string{"name"}},
			}
			if diff := cmp.Diff(want, d.Families); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
		})
	}
}

func TestManifestCheckGomod(t *testing.T) {
	commit := strings.Repeat("ab", 20)
	tests := []struct {
		name     string
		versions []ManifestVersion
		errHas   string
	}{
		{"accepts the go.mod version alone", []ManifestVersion{{Name: "3.16"}}, ""},
		{"accepts older versions from the mirror before it", []ManifestVersion{{Name: "2.22", Ref: "v2.22.0", Commit: commit}, {Name: "3.16"}}, ""},
		{"rejects an older version without a commit", []ManifestVersion{{Name: "2.22", Ref: "v2.22.0"}, {Name: "3.16"}}, "before the go.mod one"},
		{"rejects a go.mod version that is not the last", []ManifestVersion{{Name: "3.16"}, {Name: "2.22", Ref: "v2.22.0", Commit: commit}}, "last version with a name only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Manifest{Exporters: []*ManifestExporter{{Name: "p", Repo: "o/p", Kind: "code", Reader: readerGomod, Module: "example.com/p", Versions: tt.versions}}}
			err := m.check()
			if tt.errHas == "" && err != nil || tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)) {
				t.Errorf("err = %v, want one containing %q", err, tt.errHas)
			}
		})
	}
}

func TestGoldenMerge(t *testing.T) {
	tests := []struct {
		name   string
		code   map[string]*FamilyShape
		golden []docread.Family
		want   map[string]*FamilyShape
	}{
		{
			name:   "types an untyped family and joins label names",
			code:   map[string]*FamilyShape{"node_x_total": {Type: "untyped", Labels: []string{"cpu"}}},
			golden: []docread.Family{{Name: "node_x_total", Type: "counter", Help: "X.", Labels: []string{"cpu", "mode"}}},
			want:   map[string]*FamilyShape{"node_x_total": {Type: "counter", Help: "X.", Labels: []string{"cpu", "mode"}}},
		},
		{
			name:   "keeps the code's type when it has one",
			code:   map[string]*FamilyShape{"node_y": {Type: "gauge", Help: "Y."}},
			golden: []docread.Family{{Name: "node_y", Type: "untyped", Help: "other"}},
			want:   map[string]*FamilyShape{"node_y": {Type: "gauge", Help: "Y."}},
		},
		{
			name: "adds the names the code builds at run time, and only those the globs name",
			code: map[string]*FamilyShape{},
			golden: []docread.Family{
				{Name: "node_vmstat_pgfault", Labels: nil},
				{Name: "go_goroutines", Type: "gauge"},
				{Name: "testmetric1_1", Type: "untyped"},
			},
			want: map[string]*FamilyShape{"node_vmstat_pgfault": {Type: "untyped"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			goldenMerge(tt.code, tt.golden, []string{"node_*"})
			if diff := cmp.Diff(tt.want, tt.code); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
		})
	}
}
