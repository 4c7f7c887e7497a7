package fieldtest_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load"
	"github.com/driftlint/driftlint/rules"
)

// corporaDir holds the real projects, beside the checkout; the test skips without it.
const corporaDir = "../../shared/corpora"

// findingsFile is the triaged list of a corpus' findings.
const findingsFile = "findings.txt"

// realSep separates a finding from its triage in findingsFile.
const realSep = " — real: "

// TestField runs every rule over every corpus with its config and compares the findings with
// the corpus' triaged list.
func TestField(t *testing.T) {
	corpora := corporaRoot(t)
	entries, err := os.ReadDir("corpora")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			cfgDir := filepath.Join("corpora", e.Name())
			want, err := readFindings(filepath.Join(cfgDir, findingsFile))
			if err != nil {
				t.Fatal(err)
			}
			res, _ := runCorpus(t, cfgDir, corpora)
			var got []string
			message := map[string]string{}
			for _, f := range res.Findings {
				k := key(f)
				got = append(got, k)
				message[k] = f.Message
			}
			for _, k := range missing(got, want) {
				t.Errorf("unexpected finding (triage it: fix the rule if it is not drift, else list it):\n%s%s%s", k, realSep, message[k])
			}
			for _, k := range missing(want, got) {
				t.Errorf("listed finding no longer reported (remove it from %s if that is right):\n%s", findingsFile, k)
			}
			t.Logf("%d findings, %d metrics unverified", len(res.Findings), res.Summary.UnverifiedMetrics)
		})
	}
}

// TestFieldUncoveredExportersAreUnverified checks coverage on kube-prometheus: its rules and
// dashboards read metrics of exporters that no exposition of the corpus covers (the API
// server, the kubelet and its cAdvisor, Prometheus, Alertmanager). Those are unverified:
// counted, never reported as unknown.
func TestFieldUncoveredExportersAreUnverified(t *testing.T) {
	corpora := corporaRoot(t)
	_, p := runCorpus(t, filepath.Join("corpora", "kube-prometheus"), corpora)
	unverified := p.Unverified()
	for _, prefix := range []string{"apiserver_", "kubelet_", "container_", "prometheus_", "alertmanager_"} {
		n := 0
		for _, name := range unverified {
			if strings.HasPrefix(name, prefix) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no %s* metric is unverified", prefix)
		}
	}
	for _, u := range p.MetricUses() {
		if lint.IsRecordingName(u.Name) {
			continue // the project's recording rules are the truth for a:b:c names
		}
		for _, prefix := range []string{"apiserver_", "kubelet_", "container_", "prometheus_", "alertmanager_"} {
			if strings.HasPrefix(u.Name, prefix) && p.Covered(u.Name) {
				t.Errorf("%s at %s is covered by an exposition of another exporter", u.Name, u.At)
			}
		}
	}
}

// corporaRoot returns the absolute corpora folder, or skips the test.
func corporaRoot(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs(corporaDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Skipf("corpora not present: %v", err)
	}
	return abs
}

// runCorpus assembles the project root of one corpus config and runs every rule over it as
// `driftlint check` does.
func runCorpus(t *testing.T, cfgDir, corpora string) (*lint.Result, *lint.Project) {
	t.Helper()
	root := assemble(t, cfgDir, corpora)
	cfg, err := lint.LoadConfig(filepath.Join(root, lint.ConfigFile), lint.ConfigOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.ValidateRuleIDs(rules.IDs()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	p, err := load.Project(cfg, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := lint.Run(p, rules.All(), lint.RunOptions{})
	t.Logf("loaded and linted in %v", time.Since(start).Round(time.Millisecond))
	for _, err := range res.Internal {
		t.Error(err)
	}
	return res, p
}

// assemble builds the project root of a corpus config in a temporary folder: copies of the
// files of cfgDir (the config and the files it names) and of every corpus folder that the
// config mentions by name. Copies, not links: driftlint reads nothing through a link that
// leads out of the project root.
func assemble(t *testing.T, cfgDir, corpora string) string {
	t.Helper()
	root := t.TempDir()
	absCfg, err := filepath.Abs(cfgDir)
	if err != nil {
		t.Fatal(err)
	}
	own, err := os.ReadDir(absCfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range own {
		if e.Name() != findingsFile {
			copyFile(t, filepath.Join(absCfg, e.Name()), filepath.Join(root, e.Name()))
		}
	}
	src, err := os.ReadFile(filepath.Join(absCfg, lint.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := os.ReadDir(corpora)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && strings.Contains(string(src), d.Name()+"/") {
			if err := os.CopyFS(filepath.Join(root, d.Name()), os.DirFS(filepath.Join(corpora, d.Name()))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, src, 0o644); err != nil {
		t.Fatal(err)
	}
}

// key identifies a finding in findingsFile: file:line:col rule subject.
func key(f lint.Finding) string {
	var parts []string
	s := f.Subject
	for _, kv := range [][2]string{{"metric", s.Metric}, {"label", s.Label}, {"field", s.Field}, {"alert", s.Alert}, {"record", s.Record}, {"file", s.File}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	subject := "-"
	if len(parts) > 0 {
		subject = strings.Join(parts, ",")
	}
	return fmt.Sprintf("%s %s %s", f.Pos, f.Rule, subject)
}

// readFindings reads the finding keys of a triaged list. Blank lines and lines starting
// with # are comments; every other line needs a non-empty reason after realSep.
func readFindings(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, reason, ok := strings.Cut(line, realSep)
		if !ok || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: want `file:line:col rule subject%sreason`", path, n, realSep)
		}
		keys = append(keys, strings.TrimSpace(k))
	}
	return keys, sc.Err()
}

// missing returns the entries of a that b lacks, counting repeats.
func missing(a, b []string) []string {
	left := map[string]int{}
	for _, k := range b {
		left[k]++
	}
	var out []string
	for _, k := range a {
		if left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestMissingCountsRepeats(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want []string
	}{
		{name: "reports nothing when both lists agree", a: []string{"x", "y"}, b: []string{"y", "x"}},
		{name: "reports an entry that the other list lacks", a: []string{"x", "y"}, b: []string{"x"}, want: []string{"y"}},
		{name: "reports a repeat that the other list has once", a: []string{"x", "x"}, b: []string{"x"}, want: []string{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, missing(tt.a, tt.b)); d != "" {
				t.Errorf("missing (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadFindings(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string
		wantErr string
	}{
		{
			name: "reads keys and skips comments and blank lines",
			src:  "# header\n\na.yml:1:2 metric/unknown metric=x — real: renamed\n  b.md:3:4 label/unknown - — real: aggregated away  \n",
			want: []string{"a.yml:1:2 metric/unknown metric=x", "b.md:3:4 label/unknown -"},
		},
		{
			name:    "rejects a finding without a reason",
			src:     "a.yml:1:2 metric/unknown metric=x — real: \n",
			wantErr: "findings.txt:1: want `file:line:col rule subject — real: reason`",
		},
		{
			name:    "rejects a finding without the separator",
			src:     "# ok\na.yml:1:2 metric/unknown metric=x\n",
			wantErr: "findings.txt:2: want `file:line:col rule subject — real: reason`",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), findingsFile)
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := readFindings(path)
			if tt.wantErr != "" {
				if err == nil || !strings.HasSuffix(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one ending %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("keys (-want +got):\n%s", d)
			}
		})
	}
}

// TestFieldExportersCatalogue checks issue 18's field test: with exporters: in place of saved
// scrapes and hand lists, kube-prometheus leaves at most 42 metric names unverified (292 with
// no truth at all), Thanos at most 18 (117), and Strimzi verifies every name of
// kafka_exporter, cAdvisor, the kubelet and the JVM client, the JMX exporter's generated
// names (kafka_server_*, kafka_connect_*, …) staying unverified, counted.
func TestFieldExportersCatalogue(t *testing.T) {
	corpora := corporaRoot(t)
	for _, tt := range []struct {
		corpus string
		most   int
	}{{"kube-prometheus-exporters", 42}, {"thanos-exporters", 18}} {
		_, p := runCorpus(t, filepath.Join("corpora", tt.corpus), corpora)
		if n := len(p.Unverified()); n > tt.most {
			t.Errorf("%s: %d metric names unverified, want at most %d: %v", tt.corpus, n, tt.most, p.Unverified())
		}
	}
	_, p := runCorpus(t, filepath.Join("corpora", "strimzi-exporters"), corpora)
	var jmx int
	for _, name := range p.Unverified() {
		if strings.HasPrefix(name, "jvm_gc_pause_seconds") {
			continue // Micrometer's, in the operator's and the bridge's dashboards: not the JVM client's
		}
		for _, prefix := range []string{"kafka_topic_partition", "kafka_consumergroup_", "kafka_broker", "container_", "kubelet_", "jvm_", "kube_"} {
			if strings.HasPrefix(name, prefix) {
				t.Errorf("strimzi: %s is unverified, but a catalogued exporter exports it", name)
			}
		}
		jmx++
	}
	t.Logf("strimzi: %d names unverified (the JMX exporter's and the brokers' own)", jmx)
}
