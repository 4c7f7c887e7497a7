package docsfix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitCells(t *testing.T) {
	tests := []struct {
		name string
		row  string
		want []string
	}{
		{"a row with leading and trailing pipes", "| `a` | b |", []string{" `a` ", " b "}},
		{"a row without leading and trailing pipes", "a | b", []string{"a ", " b"}},
		{"an escaped pipe stays in its cell", `| a\|b | c |`, []string{` a\|b `, " c "}},
		{"a pipe inside backticks still splits, as on GitHub", "| `a|b` | c |", []string{" `a", "b` ", " c "}},
		{"an empty cell", "| a || c |", []string{" a ", "", " c "}},
		{"blanks around the row are not part of a cell", "  | a |  ", []string{" a "}},
		{"cells after the header's are kept", "| a | b | <!-- want -->", []string{" a ", " b ", " <!-- want -->"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.row)
			var got []string
			for _, c := range splitCells(src, 0, len(src)) {
				got = append(got, tt.row[c.start:c.end])
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("splitCells(%q) (-want +got):\n%s", tt.row, d)
			}
		})
	}
}

func TestRepad(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		content string
		width   int
		want    string
	}{
		{"a shorter text in an aligned column is padded to its width", " Counter   ", "Gauge", 11, " Gauge     "},
		{"a longer text in an aligned column keeps one space", " Gauge ", "HistogramVec", 7, " HistogramVec "},
		{"a column that is not aligned keeps the cell's blanks", " IntCounterVec ", "IntGaugeVec", -1, " IntGaugeVec "},
		{"a cell without blanks stays without", "x", "yy", 1, "yy"},
		{"a blank cell gets one space before the text", "       ", "`a`", 7, " `a`   "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := repad(tt.raw, tt.content, tt.width); got != tt.want {
				t.Errorf("repad(%q, %q, %d) = %q, want %q", tt.raw, tt.content, tt.width, got, tt.want)
			}
		})
	}
}

func TestTypeWord(t *testing.T) {
	tests := []struct {
		old, typ, want string
	}{
		{"counter", "gauge", "gauge"},
		{"Counter", "gauge", "Gauge"},
		{"COUNTER", "histogram", "HISTOGRAM"},
		{"CounterVec", "gauge", "GaugeVec"},
		{"IntCounterVec", "gauge", "IntGaugeVec"},
		{"IntGauge", "histogram", "Histogram"},
		{"GaugeFunc", "counter", "CounterFunc"},
		{"Histogram", "summary", "Summary"},
		{"HistogramVec", "summary", "SummaryVec"},
		{"gauge", "stateset", "stateset"},
		{"Gauge", "info", "Info"},
		{"", "counter", "counter"},
		{"Timer", "gaugehistogram", "GaugeHistogram"},
	}
	for _, tt := range tests {
		t.Run(tt.old+" becomes "+tt.want, func(t *testing.T) {
			if got := typeWord(tt.old, tt.typ); got != tt.want {
				t.Errorf("typeWord(%q, %q) = %q, want %q", tt.old, tt.typ, got, tt.want)
			}
		})
	}
}

func TestRewriteLabels(t *testing.T) {
	codeComma := labelStyle{sep: ", ", code: true, marker: "-"}
	plainBr := labelStyle{sep: "<br>", marker: "none"}
	tests := []struct {
		name     string
		content  string
		labels   []string // what the loader read from the cell
		rename   map[string]string
		remove   []string
		add      []string
		style    labelStyle
		want     string
		unchange bool
	}{
		{
			name:    "a no-labels marker is replaced by the labels",
			content: "-", add: []string{"severity"}, style: codeComma,
			want: "`severity`",
		},
		{
			name:    "an empty cell gets the labels in the table's style",
			content: "", add: []string{"partition", "topic"}, style: plainBr,
			want: "partition<br>topic",
		},
		{
			name:    "a marker without labels to add is left alone",
			content: "none", style: plainBr, unchange: true, want: "none",
		},
		{
			name:    "labels are appended with the cell's own separator",
			content: "`topic`=&lt;topic-name&gt; <br> `partition`=&lt;partition&gt;", labels: []string{"topic", "partition"},
			add: []string{"client_id"}, style: codeComma,
			want: "`topic`=&lt;topic-name&gt; <br> `partition`=&lt;partition&gt; <br> `client_id`",
		},
		{
			name:    "a label renamed one for one keeps its value",
			content: "`endpoint`=&lt;endpoint-name&gt; <br> `nodename`=&lt;node-name&gt;", labels: []string{"endpoint", "nodename"},
			rename: map[string]string{"nodename": "endpoint_nodename"}, style: codeComma,
			want: "`endpoint`=&lt;endpoint-name&gt; <br> `endpoint_nodename`=&lt;node-name&gt;",
		},
		{
			name:    "a label in the middle is dropped with one separator",
			content: "`a`, `b`, `c`", labels: []string{"a", "b", "c"}, remove: []string{"b"}, style: codeComma,
			want: "`a`, `c`",
		},
		{
			name:    "the first label is dropped with the separator after it",
			content: "`a`, `b`", labels: []string{"a", "b"}, remove: []string{"a"}, style: codeComma,
			want: "`b`",
		},
		{
			name:    "dropping every label leaves the table's marker",
			content: "`thread_id`", labels: []string{"thread_id"}, remove: []string{"thread_id"}, style: codeComma,
			want: "-",
		},
		{
			name:    "a value with an escaped pipe and quotes stays whole",
			content: "`provider=\"stripe\\|adyen\"`, `code`", labels: []string{"provider", "code"}, add: []string{"region"}, style: codeComma,
			want: "`provider=\"stripe\\|adyen\"`, `code`, `region`",
		},
		{
			name:    "plain label=value pairs keep their values",
			content: "severity=\"warning, critical\" stage", labels: []string{"severity", "stage"}, remove: []string{"stage"}, add: []string{"tier"},
			style: labelStyle{sep: " ", marker: "-"},
			want:  "severity=\"warning, critical\" tier",
		},
		{
			name:    "one code span listing every label is edited inside",
			content: "`topic, partition`", labels: []string{"topic", "partition"}, add: []string{"client_id"}, style: codeComma,
			want: "`topic, partition, client_id`",
		},
		{
			name:    "with prose in the cell no label is dropped",
			content: "`ingressclass`=&lt;class&gt; or `_default` if not set", labels: []string{"ingressclass", "_default"},
			remove: []string{"_default"}, style: codeComma,
			want: "`ingressclass`=&lt;class&gt; or `_default` if not set",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ed := labelEdit{documented: map[string]bool{}, rename: tt.rename, remove: map[string]bool{}, add: tt.add}
			for _, l := range tt.labels {
				ed.documented[l] = true
			}
			for _, l := range tt.remove {
				ed.remove[l] = true
			}
			got, ok := rewriteLabels(tt.content, ed, tt.style)
			if got != tt.want || ok == tt.unchange && tt.unchange {
				t.Errorf("rewriteLabels(%q) = %q, %v; want %q", tt.content, got, ok, tt.want)
			}
		})
	}
}
