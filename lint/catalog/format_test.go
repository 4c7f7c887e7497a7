package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormatRoundTrip(t *testing.T) {
	d := &ExporterData{
		Excuses: map[string][]string{"1.0": {"x_*"}, "2.0": {"x_*", "y_*_total"}},
		Families: []Family{
			{Name: "x_a", Type: "gauge", Help: "tab\there, newline\nthere, backslash \\ and \\n literally", Labels: []string{"a", "b"}, Until: "2.0", RenamedTo: "x_b"},
			{Name: "x_b", Type: "counter", Since: "2.0", LabelsUnknown: true},
		},
	}
	b, err := d.Encode([]string{"1.0", "2.0"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 4 {
		t.Errorf("encoded %d lines, want 4 (one a record):\n%s", n, b)
	}
	got, err := DecodeData(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestFormatRejects(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"a record of an unknown kind", "famly\tx\n"},
		{"a family with too few fields", "family\tx\tgauge\t\t\n"},
		{"an unknown flag", "family\tx\tgauge\t\t\t\tlabels-maybe\t\thelp\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeData(tt.data); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, err := (&ExporterData{Families: []Family{{Name: "x\ty", Type: "gauge"}}}).Encode(nil); err == nil {
		t.Error("Encode accepted a name with a tab")
	}
}
