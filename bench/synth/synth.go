// Package synth writes synthetic driftlint projects for benchmarks: rule files, Grafana
// dashboards, metrics docs, runbooks and saved scrapes of made-up services, in the shapes
// real projects have (recording chains, ratio alerts with sum and clamp_min,
// histogram_quantile, by and without, alert label templates, Grafana variables), with a
// little drift sprinkled in. The output depends only on the options: the same options give
// the same bytes.
package synth

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// RulesPerService is how many rules each synthetic service has (8 recordings, 12 alerts).
const RulesPerService = 20

// ServicesPerGroup is how many services share one rule file, metrics doc, runbook and
// scrape; each service has its own dashboard.
const ServicesPerGroup = 10

// Options say what to generate.
type Options struct {
	// Rules is the number of rules wanted; it is rounded up to a whole service.
	Rules int
	// Seed picks where the drift goes; 0 means 1.
	Seed uint64
	// DriftPercent is the chance, per service and kind of drift, that the service has it;
	// a negative value means none, 0 means 3.
	DriftPercent int
}

// Stats counts what was written.
type Stats struct {
	Services   int
	Files      int
	RuleFiles  []string // project-relative, in order
	Rules      int
	Dashboards int
	Targets    int // dashboard targets
	DocRows    int
	Runbooks   int
	Families   int
	Bytes      int64
}

// family is a metric family of a synthetic service.
type family struct {
	suffix string
	typ    string
	labels []string
	help   string
}

// families are the metric families of every service, after its name prefix.
var families = []family{
	{"http_requests_total", "counter", []string{"method", "code", "handler"}, "HTTP requests served"},
	{"http_request_errors_total", "counter", []string{"method", "handler"}, "HTTP requests that failed"},
	{"http_request_duration_seconds", "histogram", []string{"handler"}, "HTTP request latency"},
	{"queue_depth", "gauge", []string{"queue"}, "Jobs waiting in the queue"},
	{"queue_capacity", "gauge", []string{"queue"}, "Queue capacity"},
	{"jobs_processed_total", "counter", []string{"queue", "outcome"}, "Jobs processed, by outcome"},
	{"db_connections", "gauge", []string{"pool", "state"}, "Database connections, by state"},
	{"db_query_duration_seconds", "summary", []string{"query"}, "Database query latency"},
	{"cache_hits_total", "counter", []string{"cache"}, "Cache hits"},
	{"cache_misses_total", "counter", []string{"cache"}, "Cache misses"},
	{"build_info", "gauge", []string{"version", "revision"}, "Build information"},
	{"start_time_seconds", "gauge", nil, "Unix time the process started"},
}

// labelValues are the values each label takes in scrapes.
var labelValues = map[string][]string{
	"method":   {"GET", "POST"},
	"code":     {"200", "500"},
	"handler":  {"/api", "/health"},
	"queue":    {"default", "bulk"},
	"outcome":  {"ok", "failed"},
	"pool":     {"primary"},
	"state":    {"active", "idle"},
	"query":    {"select", "update"},
	"cache":    {"objects"},
	"version":  {"1.4.2"},
	"revision": {"abc123"},
}

// drift is one kind of deliberate mistake.
type drift int

const (
	driftMetricTypo    drift = iota // an alert reads a misspelt metric
	driftLegendLabel                // a legend reads a label the result lacks
	driftRatioNoSum                 // a ratio alert without sum()
	driftDocType                    // a doc row with the wrong type
	driftDocMissing                 // a family documented nowhere
	driftRunbookAnchor              // a runbook heading that no longer matches the link
	driftRunbookCopy                // a runbook's alert copy with another threshold
	driftTemplateLabel              // an annotation reading a label aggregated away
	driftKinds
)

type service struct {
	name  string // svc00042
	title string // Svc00042
	drift [driftKinds]bool
}

// Generate writes a project with at least opt.Rules rules under dir (created if needed),
// with its .driftlint.yaml.
func Generate(dir string, opt Options) (*Stats, error) {
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	pct := opt.DriftPercent
	if pct == 0 {
		pct = 3
	}
	n := max(1, (opt.Rules+RulesPerService-1)/RulesPerService)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6472696674))
	svcs := make([]service, n)
	for i := range svcs {
		s := &svcs[i]
		s.name = fmt.Sprintf("svc%05d", i)
		s.title = fmt.Sprintf("Svc%05d", i)
		for d := range s.drift {
			s.drift[d] = pct > 0 && rng.IntN(100) < pct
		}
	}
	g := &gen{dir: dir, st: &Stats{Services: n}}
	for _, sub := range []string{"rules", "dashboards", "docs", "runbooks", "scrapes"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	groups := (n + ServicesPerGroup - 1) / ServicesPerGroup
	for gi := range groups {
		part := svcs[gi*ServicesPerGroup : min(n, (gi+1)*ServicesPerGroup)]
		name := fmt.Sprintf("g%04d", gi)
		g.ruleFile(name, part)
		g.doc(name, part)
		g.runbook(name, part)
		g.scrape(name, part)
		for i := range part {
			g.dashboard(&part[i])
		}
	}
	g.config(groups)
	return g.st, g.err
}

type gen struct {
	dir string
	st  *Stats
	err error
}

// write writes one file from the text fill produces.
func (g *gen) write(rel string, fill func(w *bufio.Writer)) {
	if g.err != nil {
		return
	}
	f, err := os.Create(filepath.Join(g.dir, filepath.FromSlash(rel)))
	if err != nil {
		g.err = err
		return
	}
	w := bufio.NewWriterSize(f, 64<<10)
	fill(w)
	if err := w.Flush(); err != nil {
		g.err = err
	}
	if st, err := f.Stat(); err == nil {
		g.st.Bytes += st.Size()
	}
	if err := f.Close(); err != nil && g.err == nil {
		g.err = err
	}
	g.st.Files++
}

func (g *gen) config(groups int) {
	g.write(".driftlint.yaml", func(w *bufio.Writer) {
		_, _ = w.WriteString("# generated by bench/gen: a synthetic monorepo\n")
		_, _ = w.WriteString("rules: [rules/*.yml]\nrunbooks: [runbooks/*.md]\nmetrics_docs: [docs/*.md]\ndashboards: [dashboards/*.json]\n")
		_, _ = w.WriteString("exposition:\n")
		for gi := range groups {
			fmt.Fprintf(w, "  - file: scrapes/g%04d.prom\n    target: g%04d\n", gi, gi)
		}
		_, _ = w.WriteString("runbook_urls:\n  - prefix: https://runbooks.example.com/\n    path: runbooks\n")
	})
}

// rule is one generated rule.
type rule struct {
	record, alert string
	expr          string
	forDur        string
	labels        [][2]string
	annotations   [][2]string
}

func (s *service) rules(group string) []rule {
	m := s.name
	typo := m + "_http_requests_total"
	if s.drift[driftMetricTypo] {
		typo = m + "_http_request_total"
	}
	jobsRatio := fmt.Sprintf("sum by (job, queue) (rate(%s_jobs_processed_total{outcome=\"failed\"}[5m]))\n  /\nclamp_min(sum by (job, queue) (rate(%s_jobs_processed_total[5m])), 1e-9) > 0.1", m, m)
	if s.drift[driftRatioNoSum] {
		jobsRatio = fmt.Sprintf("rate(%s_jobs_processed_total{outcome=\"failed\"}[5m]) / rate(%s_jobs_processed_total[5m]) > 0.1", m, m)
	}
	latencySummary := "p99 latency of {{ $labels.handler }} is {{ $value | humanizeDuration }}"
	if s.drift[driftTemplateLabel] {
		latencySummary = "p99 latency of {{ $labels.handler }} on {{ $labels.method }} is {{ $value | humanizeDuration }}"
	}
	sev := func(v string) [][2]string { return [][2]string{{"severity", v}, {"team", "team-" + m[len(m)-1:]}} }
	ann := func(alert, summary string) [][2]string {
		return [][2]string{
			{"summary", summary},
			{"description", "{{ $labels.job }} fired " + alert + " with value {{ $value }}."},
			{"runbook_url", "https://runbooks.example.com/" + group + "#" + strings.ToLower(alert)},
		}
	}
	a := func(name string) string { return s.title + name }
	return []rule{
		{record: m + ":http_requests:rate5m", expr: fmt.Sprintf("sum by (job, handler, code) (rate(%s[5m]))", typo)},
		{record: m + ":http_errors:rate5m", expr: fmt.Sprintf("sum by (job, handler) (rate(%s_http_request_errors_total[5m]))", m)},
		{record: m + ":http_error_ratio:rate5m", expr: fmt.Sprintf("sum by (job, handler) (%s:http_errors:rate5m)\n  /\nclamp_min(sum by (job, handler) (%s:http_requests:rate5m), 1e-9)", m, m)},
		{record: m + ":http_latency:p99_5m", expr: fmt.Sprintf("histogram_quantile(0.99, sum by (le, job, handler) (rate(%s_http_request_duration_seconds_bucket[5m])))", m)},
		{record: m + ":http_latency:p50_5m", expr: fmt.Sprintf("histogram_quantile(0.5, sum by (le, job, handler) (rate(%s_http_request_duration_seconds_bucket[5m])))", m)},
		{record: m + ":queue_utilisation:ratio", expr: fmt.Sprintf("max by (job, queue) (%s_queue_depth / clamp_min(%s_queue_capacity, 1))", m, m)},
		{record: m + ":jobs:rate5m", expr: fmt.Sprintf("sum without (instance) (rate(%s_jobs_processed_total[5m]))", m), labels: [][2]string{{"aggregation", "instance"}}},
		{record: m + ":cache_hit_ratio:rate5m", expr: fmt.Sprintf("sum by (job) (rate(%s_cache_hits_total[5m]))\n  /\nclamp_min(sum by (job) (rate(%s_cache_hits_total[5m])) + sum by (job) (rate(%s_cache_misses_total[5m])), 1e-9)", m, m, m)},
		{alert: a("HighErrorRatio"), expr: m + ":http_error_ratio:rate5m > 0.05", forDur: "10m", labels: sev("critical"), annotations: ann(a("HighErrorRatio"), "{{ $labels.handler }} fails {{ $value | humanizePercentage }} of requests")},
		{alert: a("HighLatency"), expr: m + ":http_latency:p99_5m > 1", forDur: "15m", labels: sev("warning"), annotations: ann(a("HighLatency"), latencySummary)},
		{alert: a("QueueFull"), expr: m + ":queue_utilisation:ratio > 0.9", forDur: "5m", labels: sev("warning"), annotations: ann(a("QueueFull"), "queue {{ $labels.queue }} is {{ $value | humanizePercentage }} full")},
		{alert: a("JobsFailing"), expr: jobsRatio, forDur: "10m", labels: sev("warning"), annotations: ann(a("JobsFailing"), "jobs of queue {{ $labels.queue }} fail")},
		{alert: a("Down"), expr: fmt.Sprintf("up{job=%q} == 0", m), forDur: "2m", labels: sev("critical"), annotations: ann(a("Down"), "{{ $labels.instance }} is down")},
		{alert: a("DBPoolExhausted"), expr: fmt.Sprintf("sum by (job, pool) (%s_db_connections{state=\"active\"})\n  /\nclamp_min(sum by (job, pool) (%s_db_connections), 1) > 0.95", m, m), forDur: "5m", labels: sev("warning"), annotations: ann(a("DBPoolExhausted"), "pool {{ $labels.pool }} is exhausted")},
		{alert: a("SlowQueries"), expr: m + "_db_query_duration_seconds{quantile=\"0.99\"} > 0.5", forDur: "10m", labels: sev("info"), annotations: ann(a("SlowQueries"), "query {{ $labels.query }} is slow")},
		{alert: a("CacheHitRatioLow"), expr: m + ":cache_hit_ratio:rate5m < 0.5", forDur: "30m", labels: sev("info"), annotations: ann(a("CacheHitRatioLow"), "cache hit ratio is {{ $value | humanizePercentage }}")},
		{alert: a("Restarting"), expr: fmt.Sprintf("changes(%s_start_time_seconds[1h]) > 2", m), labels: sev("warning"), annotations: ann(a("Restarting"), "{{ $labels.instance }} restarted {{ $value }} times")},
		{alert: a("NoTraffic"), expr: fmt.Sprintf("absent(%s:http_requests:rate5m) or sum by (job) (%s:http_requests:rate5m) == 0", m, m), forDur: "30m", labels: sev("warning"), annotations: ann(a("NoTraffic"), "no requests")},
		{alert: a("ErrorBudgetBurn"), expr: fmt.Sprintf("(%s:http_error_ratio:rate5m > 0.01)\nand on (job, handler)\n(%s:http_errors:rate5m > 1)", m, m), forDur: "1h", labels: sev("critical"), annotations: ann(a("ErrorBudgetBurn"), "{{ $labels.handler }} burns its error budget")},
		{alert: a("VersionMismatch"), expr: fmt.Sprintf("count by (job) (count by (job, version) (%s_build_info)) > 1", m), forDur: "1h", labels: sev("info"), annotations: ann(a("VersionMismatch"), "{{ $labels.job }} runs {{ $value }} versions")},
	}
}

func (g *gen) ruleFile(name string, svcs []service) {
	rel := "rules/" + name + ".yml"
	g.st.RuleFiles = append(g.st.RuleFiles, rel)
	g.write(rel, func(w *bufio.Writer) {
		fmt.Fprintf(w, "# Rules of the services of %s.\ngroups:\n", name)
		for i := range svcs {
			s := &svcs[i]
			rs := s.rules(name)
			for gi, kind := range []string{"recording", "alerts"} {
				fmt.Fprintf(w, "  - name: %s.%s\n", s.name, kind)
				if gi == 0 {
					_, _ = w.WriteString("    interval: 30s\n")
				}
				_, _ = w.WriteString("    rules:\n")
				for _, r := range rs {
					if (r.record != "") != (gi == 0) {
						continue
					}
					g.st.Rules++
					if r.record != "" {
						fmt.Fprintf(w, "      - record: %s\n", r.record)
					} else {
						fmt.Fprintf(w, "      - alert: %s\n", r.alert)
					}
					writeExpr(w, r.expr, "        ")
					if r.forDur != "" {
						fmt.Fprintf(w, "        for: %s\n", r.forDur)
					}
					writeMap(w, "labels", r.labels)
					writeMap(w, "annotations", r.annotations)
				}
			}
		}
	})
}

// writeExpr writes an expr key: multi-line expressions as | blocks, others plain.
func writeExpr(w *bufio.Writer, expr, indent string) {
	if !strings.Contains(expr, "\n") {
		fmt.Fprintf(w, "%sexpr: %s\n", indent, expr)
		return
	}
	fmt.Fprintf(w, "%sexpr: |\n", indent)
	for l := range strings.SplitSeq(expr, "\n") {
		fmt.Fprintf(w, "%s  %s\n", indent, l)
	}
}

func writeMap(w *bufio.Writer, key string, kvs [][2]string) {
	if len(kvs) == 0 {
		return
	}
	fmt.Fprintf(w, "        %s:\n", key)
	for _, kv := range kvs {
		v := kv[1]
		if strings.ContainsAny(v, "{}:#") {
			v = quoteYAML(v)
		}
		fmt.Fprintf(w, "          %s: %s\n", kv[0], v)
	}
}

// quoteYAML double-quotes a string for YAML.
func quoteYAML(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

func (g *gen) doc(name string, svcs []service) {
	g.write("docs/"+name+".md", func(w *bufio.Writer) {
		fmt.Fprintf(w, "# Metrics of %s\n\nEvery service of %s exports these families at `/metrics`. Prometheus adds the\n`job` and `instance` labels at scrape time.\n", name, name)
		for i := range svcs {
			s := &svcs[i]
			fmt.Fprintf(w, "\n## %s\n\n| Metric | Type | Labels | Description |\n|--------|------|--------|-------------|\n", s.name)
			for fi, f := range families {
				if s.drift[driftDocMissing] && fi == 9 {
					continue
				}
				typ := f.typ
				if s.drift[driftDocType] && fi == 3 {
					typ = "counter"
				}
				labels := "-"
				if len(f.labels) > 0 {
					labels = "`" + strings.Join(f.labels, "`, `") + "`"
				}
				fmt.Fprintf(w, "| `%s_%s` | %s | %s | %s |\n", s.name, f.suffix, strings.ToUpper(typ[:1])+typ[1:], labels, f.help)
				g.st.DocRows++
			}
		}
	})
}

func (g *gen) runbook(name string, svcs []service) {
	g.st.Runbooks++
	g.write("runbooks/"+name+".md", func(w *bufio.Writer) {
		fmt.Fprintf(w, "# Runbook: %s\n\nOne section per alert of the services of %s.\n", name, name)
		for i := range svcs {
			s := &svcs[i]
			for ri, r := range s.rules(name) {
				if r.alert == "" {
					continue
				}
				heading := r.alert
				if s.drift[driftRunbookAnchor] && ri == 9 {
					heading += " (old)"
				}
				fmt.Fprintf(w, "\n## %s\n\n**Severity:** %s. %s\n", heading, r.labels[0][1], r.annotations[0][1])
				if ri == 8 { // the first alert of each service quotes its definition
					expr := r.expr
					if s.drift[driftRunbookCopy] {
						expr = strings.Replace(expr, "> 0.05", "> 0.1", 1)
					}
					fmt.Fprintf(w, "\n```yaml\n- alert: %s\n", r.alert)
					writeExpr(w, expr, "  ")
					fmt.Fprintf(w, "  for: %s\n  labels:\n    severity: %s\n    team: %s\n```\n", r.forDur, r.labels[0][1], r.labels[1][1])
				}
				fmt.Fprintf(w, "\nCheck the error ratio by handler:\n\n```promql\nsum by (handler) (rate(%s_http_request_errors_total[5m]))\n  / clamp_min(sum by (handler) (rate(%s_http_requests_total[5m])), 1e-9)\n```\n", s.name, s.name)
			}
		}
	})
}

func (g *gen) scrape(name string, svcs []service) {
	g.write("scrapes/"+name+".prom", func(w *bufio.Writer) {
		for i := range svcs {
			s := &svcs[i]
			for fi, f := range families {
				g.st.Families++
				full := s.name + "_" + f.suffix
				fmt.Fprintf(w, "# HELP %s %s.\n# TYPE %s %s\n", full, f.help, full, f.typ)
				for si, ls := range combos(f.labels) {
					v := float64((i+1)*(fi+3)*(si+7)) + 0.5
					switch f.typ {
					case "histogram":
						cum := 0.0
						for _, le := range []string{"0.05", "0.1", "0.5", "1", "+Inf"} {
							cum += v
							fmt.Fprintf(w, "%s_bucket{%sle=%q} %g\n", full, ls, le, cum)
						}
						fmt.Fprintf(w, "%s_sum{%s} %g\n%s_count{%s} %g\n", full, strings.TrimSuffix(ls, ","), v*3, full, strings.TrimSuffix(ls, ","), cum)
					case "summary":
						for _, q := range []string{"0.5", "0.99"} {
							fmt.Fprintf(w, "%s{%squantile=%q} %g\n", full, ls, q, v/1000)
						}
						fmt.Fprintf(w, "%s_sum{%s} %g\n%s_count{%s} %g\n", full, strings.TrimSuffix(ls, ","), v, full, strings.TrimSuffix(ls, ","), v*10)
					default:
						if ls == "" {
							fmt.Fprintf(w, "%s %g\n", full, v)
						} else {
							fmt.Fprintf(w, "%s{%s} %g\n", full, strings.TrimSuffix(ls, ","), v)
						}
					}
				}
			}
		}
	})
}

// combos returns every label-value combination of labels, each as `a="x",b="y",` (with a
// trailing comma), or one empty string for no labels.
func combos(labels []string) []string {
	out := []string{""}
	for _, l := range labels {
		var next []string
		for _, prefix := range out {
			for _, v := range labelValues[l] {
				next = append(next, fmt.Sprintf("%s%s=%q,", prefix, l, v))
			}
		}
		out = next
	}
	return out
}

func (g *gen) dashboard(s *service) {
	g.st.Dashboards++
	m := s.name
	legend := "{{handler}} {{code}}"
	if s.drift[driftLegendLabel] {
		legend = "{{handler}} {{pod_name}}"
	}
	type target struct{ expr, legend string }
	panels := []struct {
		title   string
		targets []target
	}{
		{"Requests", []target{{fmt.Sprintf("sum by (handler, code) (rate(%s_http_requests_total{job=~\"$job\"}[$__rate_interval]))", m), legend}}},
		{"Error ratio", []target{{fmt.Sprintf("sum by (handler) (rate(%s_http_request_errors_total{job=~\"$job\", handler=~\"$handler\"}[$__rate_interval]))\n/\nclamp_min(sum by (handler) (rate(%s_http_requests_total{job=~\"$job\", handler=~\"$handler\"}[$__rate_interval])), 1e-9)", m, m), "{{handler}}"}}},
		{"Latency", []target{
			{fmt.Sprintf("histogram_quantile(0.99, sum by (le, handler) (rate(%s_http_request_duration_seconds_bucket{job=~\"$job\"}[$__rate_interval])))", m), "p99 {{handler}}"},
			{fmt.Sprintf("histogram_quantile(0.5, sum by (le, handler) (rate(%s_http_request_duration_seconds_bucket{job=~\"$job\"}[$__rate_interval])))", m), "p50 {{handler}}"},
		}},
		{"Queue", []target{
			{m + "_queue_depth{job=~\"$job\"}", "{{queue}} depth"},
			{m + ":queue_utilisation:ratio{job=~\"$job\"}", "{{queue}} utilisation"},
		}},
		{"Jobs", []target{{fmt.Sprintf("sum by (queue, outcome) (rate(%s_jobs_processed_total{job=~\"$job\"}[$__rate_interval]))", m), "{{queue}} {{outcome}}"}}},
		{"DB connections", []target{{fmt.Sprintf("sum by (pool, state) (%s_db_connections{job=~\"$job\"})", m), "{{pool}} {{state}}"}}},
		{"Slow queries", []target{{fmt.Sprintf("max by (query) (%s_db_query_duration_seconds{job=~\"$job\", quantile=\"0.99\"})", m), "{{query}}"}}},
		{"Cache", []target{{m + ":cache_hit_ratio:rate5m{job=~\"$job\"}", "hit ratio"}}},
		{"Versions", []target{{fmt.Sprintf("count by (version) (%s_build_info{job=~\"$job\"})", m), "{{version}}"}}},
	}
	g.write("dashboards/"+m+".json", func(w *bufio.Writer) {
		fmt.Fprintf(w, "{\n  \"title\": %q,\n  \"uid\": %q,\n  \"schemaVersion\": 39,\n  \"tags\": [\"generated\"],\n  \"panels\": [\n", s.title, m)
		for pi, p := range panels {
			fmt.Fprintf(w, "    {\n      \"id\": %d,\n      \"type\": \"timeseries\",\n      \"title\": %q,\n      \"gridPos\": {\"h\": 8, \"w\": 12, \"x\": %d, \"y\": %d},\n", pi+1, p.title, pi%2*12, pi/2*8)
			_, _ = w.WriteString("      \"datasource\": {\"type\": \"prometheus\", \"uid\": \"${datasource}\"},\n      \"targets\": [\n")
			for ti, t := range p.targets {
				g.st.Targets++
				fmt.Fprintf(w, "        {\"refId\": %q, \"expr\": %s, \"legendFormat\": %q}", string(rune('A'+ti)), jsonString(t.expr), t.legend)
				if ti < len(p.targets)-1 {
					_, _ = w.WriteString(",")
				}
				_, _ = w.WriteString("\n")
			}
			_, _ = w.WriteString("      ]\n    }")
			if pi < len(panels)-1 {
				_, _ = w.WriteString(",")
			}
			_, _ = w.WriteString("\n")
		}
		fmt.Fprintf(w, "  ],\n  \"templating\": {\n    \"list\": [\n")
		fmt.Fprintf(w, "      {\"name\": \"datasource\", \"type\": \"datasource\", \"query\": \"prometheus\"},\n")
		fmt.Fprintf(w, "      {\"name\": \"job\", \"type\": \"query\", \"datasource\": {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}, \"query\": \"label_values(%s_build_info, job)\", \"includeAll\": true},\n", m)
		fmt.Fprintf(w, "      {\"name\": \"handler\", \"type\": \"query\", \"datasource\": {\"type\": \"prometheus\", \"uid\": \"${datasource}\"}, \"query\": \"label_values(%s_http_requests_total{job=~\\\"$job\\\"}, handler)\", \"includeAll\": true}\n", m)
		_, _ = w.WriteString("    ]\n  }\n}\n")
	})
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}
