package fetch

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/driftlint/driftlint/lint"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "keeps a plain URL as it is", in: "http://localhost:3002/metrics", want: "http://localhost:3002/metrics"},
		{name: "drops user and password", in: "https://prom:s3cret@metrics.example.com/metrics", want: "https://metrics.example.com/metrics"},
		{name: "drops a user without password", in: "http://token@localhost/metrics", want: "http://localhost/metrics"},
		{name: "replaces every query value and keeps the keys", in: "http://x/probe?target=db1&module=http_2xx&token=abc", want: "http://x/probe?target=xxxxx&module=xxxxx&token=xxxxx"},
		{name: "keeps a query flag without value", in: "http://x/metrics?debug", want: "http://x/metrics?debug"},
		{name: "drops the fragment", in: "http://x/metrics#part", want: "http://x/metrics"},
		{name: "strips an unparsable URL down to scheme, host and path", in: "http://u:p@x/%zz?k=v", want: "http://x/%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Redact(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name       string
		expo       []lint.ExpositionSource
		health     []lint.HealthSource
		wantExpo   [][]string
		wantHealth []string
	}{
		{
			name:       "numbers the scrapes of a url and fetches of a health url",
			expo:       []lint.ExpositionSource{{File: "a.prom"}, {URL: "http://h:1/metrics", Scrapes: 2}},
			health:     []lint.HealthSource{{URL: "http://h:1/health"}, {File: "h.json"}},
			wantExpo:   [][]string{nil, {"http://h:1/metrics#1", "http://h:1/metrics#2"}},
			wantHealth: []string{"http://h:1/health#1", ""},
		},
		{
			name:     "continues the numbers when one url is listed twice",
			expo:     []lint.ExpositionSource{{URL: "http://h/metrics", Scrapes: 1}, {URL: "http://h/metrics", Scrapes: 2}},
			wantExpo: [][]string{{"http://h/metrics#1"}, {"http://h/metrics#2", "http://h/metrics#3"}},
		},
		{
			name:     "tells apart two urls that differ only in secrets",
			expo:     []lint.ExpositionSource{{URL: "http://h/probe?target=a", Scrapes: 1}, {URL: "http://h/probe?target=b", Scrapes: 1}, {URL: "http://h/probe?target=a", Scrapes: 1}},
			wantExpo: [][]string{{"http://h/probe?target=xxxxx#1"}, {"http://h/probe?target=xxxxx (2)#1"}, {"http://h/probe?target=xxxxx#2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newNames(&lint.Config{Exposition: tt.expo, Health: tt.health})
			if diff := cmp.Diff(tt.wantExpo, n.expoPaths); diff != "" {
				t.Errorf("exposition paths (-want +got):\n%s", diff)
			}
			if tt.wantHealth == nil {
				tt.wantHealth = []string{}
			}
			if diff := cmp.Diff(tt.wantHealth, n.healthPaths); diff != "" {
				t.Errorf("health paths (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScrub(t *testing.T) {
	var r redactor
	r.addURL("http://prom:pa%24%24word@h/metrics?token=tok-1234&x=1")
	r.add("bearer-secret", "ab") // too short to redact
	got := r.scrub("pa$$word pa%24%24word tok-1234 bearer-secret ab x=1")
	want := "xxxxx xxxxx xxxxx xxxxx ab x=1"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzRedact checks that a redacted URL never keeps userinfo or a query value.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"http://u:p@h/m?a=b&c=d#f", "https://h:1/x?y", "http://[::1]:80/?=", "http://u@/%zz?k=v"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Redact(s)
		u, err := url.Parse(r)
		if err != nil {
			return
		}
		if u.User != nil && strings.HasPrefix(r, u.Scheme+"://") {
			t.Errorf("Redact(%q) = %q keeps userinfo", s, r)
		}
		if orig, err := url.Parse(s); err == nil {
			for p := range strings.SplitSeq(u.RawQuery, "&") {
				if _, v, ok := strings.Cut(p, "="); ok && v != redactedValue && orig.RawQuery != "" {
					t.Errorf("Redact(%q) = %q keeps query value %q", s, r, v)
				}
			}
		}
	})
}
