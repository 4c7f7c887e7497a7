package fetch_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/driftlint/driftlint/lint/load/fetch"
)

func TestProgress(t *testing.T) {
	slow := newRecorder(t, false, func(w http.ResponseWriter, r *http.Request) {
		waitOrDone(r, 2200*time.Millisecond) // a wide window past the second, for a loaded machine
		fmt.Fprint(w, metricsText)
	})
	fast := newRecorder(t, false, nil)
	tests := []struct {
		name string
		srv  *recorder
		want string // regexp for every line drawn; "" for no output at all
	}{
		{name: "shows a scrape that takes over a second, then erases it", srv: slow, want: `^scraping ` + regexp.QuoteMeta(slow.URL) + `/metrics#1 \([12]s\)$`},
		{name: "shows nothing for a quick scrape", srv: fast},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := config(t, "exposition:\n  - url: "+tt.srv.URL+"/metrics\n", nil)
			o := local()
			var out bytes.Buffer
			o.Progress = &out
			if _, err := fetch.All(context.Background(), cfg, o); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if tt.want == "" {
				if got != "" {
					t.Errorf("progress %q", got)
				}
				return
			}
			if !strings.HasPrefix(got, "\r\x1b[K") || !strings.HasSuffix(got, "\r\x1b[K") {
				t.Fatalf("progress %q is not lines rewritten in place and erased at the end", got)
			}
			lines := strings.SplitSeq(strings.TrimSuffix(strings.TrimPrefix(got, "\r\x1b[K"), "\r\x1b[K"), "\r\x1b[K")
			for l := range lines {
				if !regexp.MustCompile(tt.want).MatchString(l) {
					t.Errorf("line %q does not match %s", l, tt.want)
				}
			}
		})
	}
}
