package source

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGoGrowth(t *testing.T) {
	tests := []struct {
		name    string
		texts   []string
		holders []string
		want    map[string]bool
	}{
		{
			name:    "a variable only incremented, on itself or a child, and registered grows",
			texts:   []string{"var hits = prometheus.NewGaugeVec(opts, l)\nfunc f() {\n\thits.WithLabelValues(\"a\").Inc()\n\thits.Add(2)\n\treg.MustRegister(hits)\n}\n"},
			holders: []string{"v:hits"},
			want:    map[string]bool{"v:hits": true},
		},
		{
			name: "a Set in another file, or the holder passed on, means it may go down",
			texts: []string{
				"var a = prometheus.NewGauge(o)\nvar b = prometheus.NewGauge(o)\nfunc f() { a.Inc(); b.Inc() }\n",
				"func g() { a.Set(0); use(b) }\n",
			},
			holders: []string{"v:a", "v:b"},
			want:    map[string]bool{"v:a": false, "v:b": false},
		},
		{
			name:    "a field is a word after a dot, a variable one not after a dot, and longer words are other names",
			texts:   []string{"m := &metrics{depth: prometheus.NewGauge(o)}\nm.depth.Inc()\ndepth.Set(1)\nm.depths.Dec()\nxdepth.Dec()\n"},
			holders: []string{"f:depth"},
			want:    map[string]bool{"f:depth": true},
		},
		{
			name:    "a holder never made to grow does not grow",
			texts:   []string{"var idle = prometheus.NewGauge(o)\n"},
			holders: []string{"v:idle", "bad", "x:idle"},
			want:    map[string]bool{"v:idle": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, goGrowth(tt.texts, tt.holders)); diff != "" {
				t.Errorf("goGrowth (-want +got):\n%s", diff)
			}
		})
	}
}
