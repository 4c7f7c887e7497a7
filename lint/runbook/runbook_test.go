package runbook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/driftlint/driftlint/lint"
)

func write(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestListFiles(t *testing.T) {
	root := t.TempDir()
	write(t, root, "rules/alerts.yml", "docs/RUNBOOK.md", ".git/config", "vendor/x/rules.yml", "a.orig", "docs/sub/b.md")
	outside := t.TempDir()
	write(t, outside, "content/runbooks/node/NodeDown.md")
	if err := os.Symlink(outside, filepath.Join(root, "linked")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	// A link back to an enclosing folder must not loop.
	if err := os.Symlink(root, filepath.Join(root, "docs", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "missing"), filepath.Join(root, "dangling")); err != nil {
		t.Fatal(err)
	}
	// A link to a folder inside the root is followed.
	if err := os.Symlink("docs/sub", filepath.Join(root, "alias")); err != nil {
		t.Fatal(err)
	}
	got, err := ListFiles(root, []string{"vendor", "**/*.orig"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"rules/alerts.yml": true,
		"docs/RUNBOOK.md":  true,
		"docs/sub/b.md":    true,
		"alias/b.md":       true,
		// linked/ leads out of the root: nothing behind it is listed.
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ListFiles (-want +got):\n%s", d)
	}
}

func TestListFilesOnAMissingFolderFails(t *testing.T) {
	if _, err := ListFiles(filepath.Join(t.TempDir(), "nope"), nil); err == nil {
		t.Error("want an error for a folder that does not exist")
	}
}

func testIndex(complete bool) *Index {
	known := map[string]bool{
		"monitoring/alert_rules.yml":                                   true,
		"docs/OBSERVABILITY_RUNBOOK.md":                                true,
		"docs/other.md":                                                true,
		"docs/Guide.md":                                                true,
		"docs/folder/README.md":                                        true,
		"docs/images/arch.png":                                         true,
		"site/content/runbooks/_index.md":                              true,
		"site/content/runbooks/node/_index.md":                         true,
		"site/content/runbooks/node/NodeFilesystemSpaceFillingUp.md":   true,
		"site/content/runbooks/node/NodeFilesystemSpaceFillingDown.md": true,
		"site/content/runbooks/operator/OperatorSyncFailed":            true,
		"site/content/runbooks/empty/notes.txt":                        true,
	}
	if !complete {
		known = nil
	}
	rb := &lint.Markdown{
		File: lint.NewSourceFile("docs/OBSERVABILITY_RUNBOOK.md", nil), Runbook: true,
		Anchors: map[string]lint.Pos{"kafka-error-rate-high": {File: "docs/OBSERVABILITY_RUNBOOK.md", Line: 9, Col: 1}, "Custom-ID": {File: "docs/OBSERVABILITY_RUNBOOK.md", Line: 20, Col: 1}},
	}
	loaded := []*lint.SourceFile{lint.NewSourceFile("monitoring/alert_rules.yml", nil)}
	urls := []lint.RunbookURL{
		{Prefix: "https://runbooks.example.com/runbooks/", Path: "site/content/runbooks"},
		{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"},
		{Prefix: "https://example.com/run", Path: "docs"},
	}
	return New(known, loaded, []*lint.Markdown{rb}, urls)
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name     string
		link     string
		from     string
		fallback bool
		partial  bool // the index does not know every file
		want     Target
		suggest  string // SuggestFile's answer for a Missing target
	}{
		{
			name: "a relative link is resolved against the linking file's folder", link: "../docs/OBSERVABILITY_RUNBOOK.md#x", from: "monitoring/alert_rules.yml",
			want: Target{Status: Found, Path: "docs/OBSERVABILITY_RUNBOOK.md", Fragment: "x", FragmentAt: 33, Markdown: &lint.Markdown{}},
		},
		{
			name: "a relative runbook_url falls back to the project root", link: "docs/OBSERVABILITY_RUNBOOK.md#kafka", from: "monitoring/alert_rules.yml", fallback: true,
			want: Target{Status: Found, Path: "docs/OBSERVABILITY_RUNBOOK.md", Fragment: "kafka", FragmentAt: 30, Markdown: &lint.Markdown{}},
		},
		{
			name: "without the fallback a link relative to the root is missing", link: "docs/other.md", from: "monitoring/alert_rules.yml",
			want: Target{Status: Missing, Path: "monitoring/docs/other.md", Tried: []string{"monitoring/docs/other.md"}, FragmentAt: -1},
		},
		{
			name: "a file missing from both folders lists both", link: "docs/gone.md", from: "monitoring/alert_rules.yml", fallback: true,
			want: Target{Status: Missing, Path: "monitoring/docs/gone.md", Tried: []string{"monitoring/docs/gone.md", "docs/gone.md"}, FragmentAt: -1},
		},
		{
			name: "a renamed file gets a suggestion from its folder", link: "othr.md", from: "docs/OBSERVABILITY_RUNBOOK.md",
			want: Target{Status: Missing, Path: "docs/othr.md", Tried: []string{"docs/othr.md"}, FragmentAt: -1}, suggest: "docs/other.md",
		},
		{
			name: "a relative link in the wrong letter case is missing, as on GitHub", link: "../docs/guide.md", from: "monitoring/README.md",
			want: Target{Status: Missing, Path: "docs/guide.md", Tried: []string{"docs/guide.md"}, FragmentAt: -1}, suggest: "docs/Guide.md",
		},
		{
			name: "a link starting with a slash is relative to the root", link: "/docs/other.md", from: "monitoring/alert_rules.yml",
			want: Target{Status: Found, Path: "docs/other.md", FragmentAt: -1},
		},
		{
			name: "a folder link shows its README", link: "folder/", from: "docs/OBSERVABILITY_RUNBOOK.md",
			want: Target{Status: Found, Path: "docs/folder/README.md", FragmentAt: -1},
		},
		{
			name: "a page of a published site may link to the published name of a sibling", link: "nodefilesystemspacefillingdown/#meaning", from: "site/content/runbooks/node/_index.md",
			want: Target{Status: Found, Path: "site/content/runbooks/node/NodeFilesystemSpaceFillingDown.md", Fragment: "meaning", FragmentAt: 32, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"}},
		},
		{
			name: "a leaf page of a published site links relative to its own URL", link: "../nodefilesystemspacefillingdown", from: "site/content/runbooks/node/NodeFilesystemSpaceFillingUp.md",
			want: Target{Status: Found, Path: "site/content/runbooks/node/NodeFilesystemSpaceFillingDown.md", FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"}},
		},
		{
			name: "a folder without an index page is found as a folder", link: "images", from: "docs/OBSERVABILITY_RUNBOOK.md",
			want: Target{Status: Found, Path: "docs/images", Dir: true, FragmentAt: -1},
		},
		{
			name: "a bare anchor points into the linking file", link: "#custom-id", from: "docs/OBSERVABILITY_RUNBOOK.md",
			want: Target{Status: Found, Path: "docs/OBSERVABILITY_RUNBOOK.md", Fragment: "custom-id", FragmentAt: 1, Markdown: &lint.Markdown{}},
		},
		{
			name: "percent escapes are decoded", link: "../docs/other%2Emd#a%20b", from: "monitoring/alert_rules.yml",
			want: Target{Status: Found, Path: "docs/other.md", Fragment: "a b", FragmentAt: 19},
		},
		{
			name: "a query string is ignored", link: "/docs/other.md?plain=1#L3", from: "x.yml",
			want: Target{Status: Found, Path: "docs/other.md", Fragment: "L3", FragmentAt: 23},
		},
		{
			name: "a link leaving the project is unknown", link: "../../elsewhere.md", from: "docs/x.md",
			want: Target{Status: Unknown, Path: "../elsewhere.md", FragmentAt: -1},
		},
		{
			name: "an unknown file list makes a missing file unknown", link: "docs/gone.md", from: "monitoring/alert_rules.yml", fallback: true, partial: true,
			want: Target{Status: Unknown, Path: "monitoring/docs/gone.md", Tried: []string{"monitoring/docs/gone.md"}, FragmentAt: -1},
		},
		{
			name: "an unknown file list still knows loaded files", link: "../monitoring/alert_rules.yml", from: "docs/x.md", partial: true,
			want: Target{Status: Found, Path: "monitoring/alert_rules.yml", FragmentAt: -1},
		},
		{
			name: "another site is external", link: "https://github.com/org/repo/blob/main/RUNBOOK.md#x", from: "x.yml",
			want: Target{Status: External, Fragment: "x", FragmentAt: 49},
		},
		{
			name: "mailto is external", link: "mailto:oncall@example.com", from: "x.yml",
			want: Target{Status: External, FragmentAt: -1},
		},
		{
			name: "an e-mail autolink is external", link: "oncall@example.com", from: "docs/x.md",
			want: Target{Status: External, FragmentAt: -1},
		},
		{
			name: "a linkified www. host is external", link: "www.example.com/runbooks/x.md", from: "docs/x.md",
			want: Target{Status: External, FragmentAt: -1},
		},
		{
			name: "a templated URL is external", link: "{{ $externalURL }}/runbooks/x.md", from: "x.yml",
			want: Target{Status: External, FragmentAt: -1},
		},
		{
			name: "a published page without .md matches the file in any case", link: "https://runbooks.example.com/runbooks/node/nodefilesystemspacefillingup", from: "x.yml",
			want: Target{Status: Found, Path: "site/content/runbooks/node/NodeFilesystemSpaceFillingUp.md", FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"}},
		},
		{
			name: "the scheme and host of a prefix match in any case", link: "HTTPS://Runbooks.Example.com/runbooks/node/NodeFilesystemSpaceFillingUp/", from: "x.yml",
			want: Target{Status: Found, Path: "site/content/runbooks/node/NodeFilesystemSpaceFillingUp.md", FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"}},
		},
		{
			name: "a published folder shows its _index.md", link: "https://runbooks.example.com/runbooks/", from: "x.yml",
			want: Target{Status: Found, Path: "site/content/runbooks/_index.md", FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/", Path: "site/content/runbooks"}},
		},
		{
			name: "a published page may end in .html", link: "https://runbooks.example.com/runbooks/node/NodeFilesystemSpaceFillingUp.html#meaning", from: "x.yml",
			want: Target{Status: Found, Path: "site/content/runbooks/node/NodeFilesystemSpaceFillingUp.md", Fragment: "meaning", FragmentAt: 77, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"}},
		},
		{
			name: "a published folder without an index page is found as a folder", link: "https://runbooks.example.com/runbooks/empty", from: "x.yml",
			want: Target{Status: Found, Path: "site/content/runbooks/empty", Dir: true, FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/", Path: "site/content/runbooks"}},
		},
		{
			name: "a missing published page suggests a close one", link: "https://runbooks.example.com/runbooks/node/nodefilesystemspacefillingupp", from: "x.yml",
			want: Target{
				Status: Missing, Path: "site/content/runbooks/node/nodefilesystemspacefillingupp.md", FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"},
				Tried: []string{"site/content/runbooks/node/nodefilesystemspacefillingupp.md", "site/content/runbooks/node/nodefilesystemspacefillingupp/_index.md", "site/content/runbooks/node/nodefilesystemspacefillingupp/index.md", "site/content/runbooks/node/nodefilesystemspacefillingupp/README.md"},
			}, suggest: "site/content/runbooks/node/NodeFilesystemSpaceFillingUp.md",
		},
		{
			name: "a sibling page is not offered as a typo fix", link: "https://runbooks.example.com/runbooks/node/nodefilesystemfilesfillingup", from: "x.yml",
			want: Target{
				Status: Missing, Path: "site/content/runbooks/node/nodefilesystemfilesfillingup.md", FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/node", Path: "site/content/runbooks/node"},
				Tried: []string{"site/content/runbooks/node/nodefilesystemfilesfillingup.md", "site/content/runbooks/node/nodefilesystemfilesfillingup/_index.md", "site/content/runbooks/node/nodefilesystemfilesfillingup/index.md", "site/content/runbooks/node/nodefilesystemfilesfillingup/README.md"},
			},
		},
		{
			name: "a page file without .md is not published", link: "https://runbooks.example.com/runbooks/operator/operatorsyncfailed", from: "x.yml",
			want: Target{
				Status: Missing, Path: "site/content/runbooks/operator/operatorsyncfailed.md", FragmentAt: -1, Site: true, Prefix: lint.RunbookURL{Prefix: "https://runbooks.example.com/runbooks/", Path: "site/content/runbooks"},
				Tried:       []string{"site/content/runbooks/operator/operatorsyncfailed.md", "site/content/runbooks/operator/operatorsyncfailed/_index.md", "site/content/runbooks/operator/operatorsyncfailed/index.md", "site/content/runbooks/operator/operatorsyncfailed/README.md"},
				Unpublished: "site/content/runbooks/operator/OperatorSyncFailed",
			},
		},
		{
			name: "a prefix without a trailing slash ends at a path boundary", link: "https://example.com/runbooks/x", from: "x.yml",
			want: Target{Status: External, FragmentAt: -1},
		},
		{
			name: "a prefix without a trailing slash maps the path below it", link: "https://example.com/run/other#top", from: "x.yml",
			want: Target{Status: Found, Path: "docs/other.md", Fragment: "top", FragmentAt: 30, Site: true, Prefix: lint.RunbookURL{Prefix: "https://example.com/run", Path: "docs"}},
		},
	}
	full, partial := testIndex(true), testIndex(false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := full
			if tt.partial {
				ix = partial
			}
			got := ix.Resolve(tt.link, tt.from, tt.fallback)
			opts := cmp.Options{
				// Only whether a Markdown file was attached matters here.
				cmp.Comparer(func(a, b *lint.Markdown) bool { return (a == nil) == (b == nil) }),
				cmpopts.EquateEmpty(),
			}
			if d := cmp.Diff(tt.want, got, opts); d != "" {
				t.Errorf("Resolve(%q, %q) (-want +got):\n%s", tt.link, tt.from, d)
			}
			if s := ix.SuggestFile(got); s != tt.suggest {
				t.Errorf("SuggestFile = %q, want %q", s, tt.suggest)
			}
		})
	}
}

func TestAnchor(t *testing.T) {
	ix := testIndex(true)
	md := ix.Markdown("docs/OBSERVABILITY_RUNBOOK.md")
	if md == nil {
		t.Fatal("runbook not indexed")
	}
	tests := []struct {
		name, frag string
		ok         bool
		suggest    string
		at         lint.Pos
	}{
		{name: "a heading slug is found", frag: "kafka-error-rate-high", ok: true},
		{name: "anchors are compared lower-case", frag: "Kafka-Error-Rate-High", ok: true},
		{name: "an explicit id is found whatever its case", frag: "custom-id", ok: true},
		{name: "GitHub's user-content prefix is accepted", frag: "user-content-kafka-error-rate-high", ok: true},
		{name: "line anchors are accepted", frag: "L10-L20", ok: true},
		{name: "top is accepted", frag: "top", ok: true},
		{name: "an empty fragment is accepted", frag: "", ok: true},
		{name: "a reworded heading gets a suggestion", frag: "kafka-error-rate-hi", suggest: "kafka-error-rate-high", at: lint.Pos{File: "docs/OBSERVABILITY_RUNBOOK.md", Line: 9, Col: 1}},
		{name: "an unrelated anchor gets none", frag: "totally-different-words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok := ix.Anchor(md, tt.frag)
			var s string
			var at lint.Pos
			if !ok {
				s, at = ix.SuggestAnchor(md, tt.frag)
			}
			if d := cmp.Diff([]any{tt.ok, tt.suggest, tt.at}, []any{ok, s, at}); d != "" {
				t.Errorf("Anchor(%q) (-want +got):\n%s", tt.frag, d)
			}
		})
	}
}

func TestSections(t *testing.T) {
	rb := &lint.Markdown{
		File:    lint.NewSourceFile("docs/RUNBOOK.md", nil),
		Runbook: true,
		Headings: []lint.Heading{
			{Level: 3, Text: "HighKafkaErrorRate", Anchor: "highkafkaerrorrate", At: lint.Pos{File: "docs/RUNBOOK.md", Line: 3, Col: 1}},
			{Level: 3, Text: "Alert: E2ELatencyHigh (critical)", Anchor: "alert-e2elatencyhigh-critical", At: lint.Pos{File: "docs/RUNBOOK.md", Line: 9, Col: 1}},
			{Level: 3, Text: "Consumer stalled", Anchor: "stalled-consumer", At: lint.Pos{File: "docs/RUNBOOK.md", Line: 12, Col: 1}},
		},
		Anchors: map[string]lint.Pos{"websocketserverdown": {File: "docs/RUNBOOK.md", Line: 20, Col: 10}},
	}
	page := &lint.Markdown{File: lint.NewSourceFile("runbooks/node/NodeDiskFull.md", nil), Runbook: true}
	doc := &lint.Markdown{
		File: lint.NewSourceFile("docs/METRICS.md", nil), MetricsDoc: true,
		Headings: []lint.Heading{{Text: "MetricsDocAlert", At: lint.Pos{File: "docs/METRICS.md", Line: 1, Col: 1}}},
	}
	copies := []*lint.RuleEntry{{Kind: lint.AlertRule, Name: "QuotedOnly", NameAt: lint.Pos{File: "docs/RUNBOOK.md", Line: 30, Col: 10}}}
	s := NewSections([]*lint.Markdown{rb, page, doc}, copies)
	tests := []struct {
		name, alert string
		ok          bool
		at          lint.Pos
	}{
		{name: "a heading named after the alert", alert: "highkafkaerrorrate", ok: true, at: lint.Pos{File: "docs/RUNBOOK.md", Line: 3, Col: 1}},
		{name: "a word of a heading", alert: "E2ELatencyHigh", ok: true, at: lint.Pos{File: "docs/RUNBOOK.md", Line: 9, Col: 1}},
		{name: "an HTML anchor equal to the slug", alert: "WebSocketServerDown", ok: true, at: lint.Pos{File: "docs/RUNBOOK.md", Line: 20, Col: 10}},
		{name: "a runbook file named after the alert", alert: "NodeDiskFull", ok: true, at: lint.Pos{File: "runbooks/node/NodeDiskFull.md", Line: 1, Col: 1}},
		{name: "a yaml copy of the alert", alert: "QuotedOnly", ok: true, at: lint.Pos{File: "docs/RUNBOOK.md", Line: 30, Col: 10}},
		{name: "a metrics doc is not a runbook", alert: "MetricsDocAlert"},
		{name: "a heading whose words only together make the name", alert: "ConsumerStalled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, ok := s.Find(tt.alert)
			if d := cmp.Diff([]any{tt.ok, tt.at}, []any{ok, at}); d != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tt.alert, d)
			}
		})
	}
	h, ok := s.Suggest("HighKafkaErrorRte")
	if d := cmp.Diff([]any{true, "HighKafkaErrorRate"}, []any{ok, h.Text}); d != "" {
		t.Errorf("Suggest (-want +got):\n%s", d)
	}
}

func TestTypo(t *testing.T) {
	cands := []string{"kubepersistentvolumefillingup", "nodediskfull", "runbook.md"}
	tests := []struct{ name, in, want string }{
		{name: "one edit is a typo", in: "runbok.md", want: "runbook.md"},
		{name: "two edits on a short name are a typo", in: "nodedskfll", want: "nodediskfull"},
		{name: "a sibling alert's page is not a typo", in: "kubepersistentvolumeinodesfillingup", want: ""},
		{name: "an unrelated name has no match", in: "etcdmembersdown", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Typo(tt.in, cands); got != tt.want {
				t.Errorf("Typo(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestResolveOddLinksDoNotPanic(t *testing.T) {
	ix := testIndex(true)
	for _, link := range []string{"", "#", "?", "//", "..", "../..", "%zz", "a/../../b", "\x00", "https://runbooks.example.com/runbooks/../../../../x", "https://runbooks.example.com/runbooks/%2e%2e/%2e%2e/%2e%2e/x#%", "HTTPS://", "@", "a@b", "www."} {
		for _, from := range []string{"", "x.yml", "site/content/runbooks/node/_index.md"} {
			got := ix.Resolve(link, from, true)
			ix.SuggestFile(got)
			if got.Markdown != nil {
				ix.Anchor(got.Markdown, got.Fragment)
				ix.SuggestAnchor(got.Markdown, got.Fragment)
			}
		}
	}
}

func TestSplitCamel(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"splits words at capitals", "LokiRequestErrors", "Loki Request Errors"},
		{"keeps an acronym together", "KubeAPIDown", "Kube API Down"},
		{"keeps digits with the word before", "HTTP5xxErrors", "HTTP5xx Errors"},
		{"splits at underscores and dashes", "disk_full-soon", "disk full soon"},
		{"leaves one word alone", "Watchdog", "Watchdog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitCamel(tt.in); got != tt.want {
				t.Errorf("SplitCamel(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSitePrefix(t *testing.T) {
	tests := []struct {
		name, link, prefix, rest string
		ok                       bool
	}{
		{"a placeholder segment matches any version", "/docs/loki/latest/send-data/", "/docs/loki/<VERSION>/", "send-data/", true},
		{"a placeholder segment matches a written placeholder", "/docs/loki/<LOKI_VERSION>/send-data/", "/docs/loki/<VERSION>/", "send-data/", true},
		{"the site root without its last slash is the root", "/docs/loki/next", "/docs/loki/<VERSION>/", "", true},
		{"another product is not the site", "/docs/grafana/latest/x/", "/docs/loki/<VERSION>/", "", false},
		{"a placeholder does not match an empty segment", "/docs/loki//x", "/docs/loki/<VERSION>/", "", false},
		{"a full URL prefix compares the host without regard to case", "https://Grafana.com/docs/loki/v3.0.x/x", "https://grafana.com/docs/loki/<V>/", "x", true},
		{"a prefix needs a segment boundary", "/docs/lokistack/x", "/docs/loki", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, ok := sitePrefix(tt.link, tt.prefix)
			if rest != tt.rest || ok != tt.ok {
				t.Errorf("sitePrefix(%q, %q) = %q, %v; want %q, %v", tt.link, tt.prefix, rest, ok, tt.rest, tt.ok)
			}
		})
	}
}

func TestResolveTemplatedLinks(t *testing.T) {
	ix := testIndex(true)
	ix.prefixes = append(ix.prefixes,
		lint.RunbookURL{Prefix: "[[ .RunbookURL ]]", Path: "docs/OBSERVABILITY_RUNBOOK.md"},
		lint.RunbookURL{Prefix: "{{ .Values.base }}/", Path: "docs"})
	tests := []struct {
		name, link string
		status     Status
		path, frag string
	}{
		{"a mapped template prefix is its file", "[[ .RunbookURL ]]#kafka-error-rate-high", Found, "docs/OBSERVABILITY_RUNBOOK.md", "kafka-error-rate-high"},
		{"white space inside the template does not matter", "[[.RunbookURL]]#x", Found, "docs/OBSERVABILITY_RUNBOOK.md", "x"},
		{"a folder prefix resolves the page after it", "{{ .Values.base }}/other#y", Found, "docs/other.md", "y"},
		{"a missing page after a folder prefix is missing", "{{ .Values.base }}/nope.md", Missing, "docs/nope.md", ""},
		{"a templated anchor is not checked", "[[ .RunbookURL ]]#[[ .Alert ]]", External, "", ""},
		{"an unmapped template is external", "{{ .Values.other }}/x.md", External, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Resolve(tt.link, "monitoring/alert_rules.yml", true)
			if got.Status != tt.status || got.Path != tt.path || got.Fragment != tt.frag {
				t.Errorf("Resolve(%q) = %v %q #%q; want %v %q #%q", tt.link, got.Status, got.Path, got.Fragment, tt.status, tt.path, tt.frag)
			}
			if tt.frag != "" && tt.link[got.FragmentAt:] != tt.frag {
				t.Errorf("FragmentAt %d points at %q", got.FragmentAt, tt.link[got.FragmentAt:])
			}
		})
	}
}

func TestResolveDocSitePages(t *testing.T) {
	known := map[string]bool{
		"site/docs/intro.mdx":           true,
		"site/docs/guides/index.mdx":    true,
		"site/docs/guides/setup.md":     true,
		"site/docs/guides/tuning.md":    true,
		"site/docs/reference/_index.md": true,
	}
	ix := New(known, nil, nil, nil).WithDocSites([]lint.DocSite{{Root: "site/docs", URLPrefix: "/docs/<VERSION>/"}})
	tests := []struct {
		name, link, from string
		status           Status
		path             string
	}{
		{"a page links as it is served, one folder deeper", "../tuning/", "site/docs/guides/setup.md", Found, "site/docs/guides/tuning.md"},
		{"an index page is served at its folder", "setup/", "site/docs/guides/index.mdx", Found, "site/docs/guides/setup.md"},
		{"an mdx index page links from its folder", "../intro/", "site/docs/guides/index.mdx", Found, "site/docs/intro.mdx"},
		{"an mdx page is a page", "../../intro/", "site/docs/guides/setup.md", Found, "site/docs/intro.mdx"},
		{"a folder shows its mdx index", "/docs/next/guides/", "site/docs/intro.mdx", Found, "site/docs/guides/index.mdx"},
		{"a link under the prefix resolves under the root", "/docs/v1.2/reference/", "site/docs/intro.mdx", Found, "site/docs/reference/_index.md"},
		{"a missing page under the prefix is missing", "/docs/v1.2/nope/", "site/docs/intro.mdx", Missing, "site/docs/nope.md"},
		{"another part of the site is not a project file", "/blog/post/", "site/docs/intro.mdx", External, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Resolve(tt.link, tt.from, false)
			if got.Status != tt.status || got.Path != tt.path {
				t.Errorf("Resolve(%q from %s) = %v %q; want %v %q", tt.link, tt.from, got.Status, got.Path, tt.status, tt.path)
			}
		})
	}
}
