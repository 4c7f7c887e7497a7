package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/driftlint/driftlint/lint"
)

// The bounds of what a known_metrics url entry reads from its API.
const (
	// KnownBatch is the most names asked about in one /api/v1/series request (one exact
	// match[]={__name__="x"} each).
	KnownBatch = 50
	// KnownBudget is the most requests one entry makes: /api/v1/metadata, the names, and
	// the /api/v1/series batches. Names left over have unread labels (a warning finding).
	KnownBudget = 20
	// KnownSeriesLimit is the API's limit parameter on each /api/v1/series request: a
	// response that reaches it may lack series, so the labels of its names count as unread.
	KnownSeriesLimit = 10000
	// KnownRange is how far back the names and series are looked for.
	KnownRange = time.Hour
)

// KnownMetric is one metric name that a Prometheus-compatible API serves. It holds names
// only: the API's label values and sample values are never kept.
type KnownMetric struct {
	Name string
	Type string // as /api/v1/metadata gives it ("counter", "unknown", …); "" when not listed
	Help string
	// Labels are the sorted label names of its series (without __name__), read through
	// /api/v1/series for the names the project's queries read; LabelsRead says they were.
	Labels     []string
	LabelsRead bool
}

// KnownSet is what one known_metrics url entry gave.
type KnownSet struct {
	URL     string        // displayed: no userinfo, no query values
	Metrics []KnownMetric // sorted by name; the names and the metadata's families
	// Unread are the queried names whose labels were not read, sorted, and Why says why
	// (the request budget ran out, or the API's limit cut a response short).
	Unread []string
	Why    string
}

// apiResponse is the envelope of every Prometheus HTTP API response.
type apiResponse struct {
	Status    string          `json:"status"`
	Data      json.RawMessage `json:"data"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Warnings  []string        `json:"warnings"`
}

// Known reads every known_metrics url entry of cfg, in config order: the metric names
// (/api/v1/label/__name__/values), their metadata (/api/v1/metadata) and the label names of
// the series of queried, the metric names the project's queries read, that the API serves
// (/api/v1/series, KnownBatch exact names a request, KnownSeriesLimit series, the last
// KnownRange, at most KnownBudget requests an entry). Every url must be allowed by
// opts.AllowNet (see CheckAllowed). An unreachable API, an HTTP error or a response whose
// status is not success is an *Error, like a failed scrape of a required url entry.
func Known(ctx context.Context, cfg *lint.Config, queried []string, opts Options) ([]*KnownSet, error) {
	if len(cfg.KnownURLs) == 0 {
		return nil, nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if err := CheckAllowed(cfg, opts.AllowNet); err != nil {
		return nil, err
	}
	prog := startProgress(opts.Progress)
	defer prog.close()
	var out []*KnownSet
	for _, k := range cfg.KnownURLs {
		set, err := knownEntry(ctx, k, queried, opts, prog)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, nil
}

// knownReader makes the requests of one entry, counting them.
type knownReader struct {
	c     *client
	k     lint.KnownURL
	shown string // the entry's displayed URL
	prog  *progress
	used  int
	now   time.Time
}

func knownEntry(ctx context.Context, k lint.KnownURL, queried []string, opts Options, prog *progress) (*KnownSet, error) {
	r := &knownReader{k: k, shown: Redact(k.URL), prog: prog, now: time.Now()}
	c, err := newClient(k.URL, k.HTTP, opts)
	if err != nil {
		return nil, &Error{Op: "known_metrics", URL: r.shown, Reason: oneLine(err.Error())}
	}
	defer c.http.CloseIdleConnections()
	r.c = c
	set := &KnownSet{URL: r.shown}
	byName := map[string]*KnownMetric{}
	metric := func(name string) *KnownMetric {
		m := byName[name]
		if m == nil {
			m = &KnownMetric{Name: name}
			byName[name] = m
		}
		return m
	}

	var meta map[string][]struct {
		Type string `json:"type"`
		Help string `json:"help"`
	}
	if err := r.get(ctx, "/api/v1/metadata", neturl.Values{"limit_per_metric": {"1"}}, &meta); err != nil {
		return nil, err
	}
	for name, ms := range meta {
		if name == "" {
			continue
		}
		m := metric(name)
		if len(ms) > 0 {
			m.Type, m.Help = ms[0].Type, ms[0].Help
		}
	}
	var names []string
	if err := r.get(ctx, "/api/v1/label/__name__/values", r.window(), &names); err != nil {
		return nil, err
	}
	for _, n := range names {
		if n != "" {
			metric(n)
		}
	}

	// The queried names the API serves, in batches.
	var ask []string
	for _, n := range queried {
		if byName[n] != nil && !slices.Contains(ask, n) {
			ask = append(ask, n)
		}
	}
	slices.Sort(ask)
	for batch := range slices.Chunk(ask, KnownBatch) {
		if r.used >= KnownBudget {
			set.Unread = append(set.Unread, batch...)
			set.Why = fmt.Sprintf("the request budget of %d requests ran out", KnownBudget)
			continue
		}
		q := r.window()
		for _, n := range batch {
			q.Add("match[]", "{__name__="+strconv.Quote(n)+"}")
		}
		q.Set("limit", strconv.Itoa(KnownSeriesLimit))
		var series []map[string]string
		if err := r.get(ctx, "/api/v1/series", q, &series); err != nil {
			return nil, err
		}
		if len(series) >= KnownSeriesLimit {
			set.Unread = append(set.Unread, batch...)
			if set.Why == "" {
				set.Why = fmt.Sprintf("a /api/v1/series response reached the limit of %d series", KnownSeriesLimit)
			}
			continue
		}
		labels := map[string]map[string]bool{}
		for _, s := range series {
			name := s["__name__"]
			if !slices.Contains(batch, name) {
				continue
			}
			if labels[name] == nil {
				labels[name] = map[string]bool{}
			}
			for l := range s {
				if l != "__name__" {
					labels[name][l] = true
				}
			}
		}
		for _, n := range batch {
			m := byName[n]
			m.LabelsRead = true
			m.Labels = []string{}
			for l := range labels[n] {
				m.Labels = append(m.Labels, l)
			}
			slices.Sort(m.Labels)
		}
	}
	slices.Sort(set.Unread)
	for _, m := range byName {
		set.Metrics = append(set.Metrics, *m)
	}
	slices.SortFunc(set.Metrics, func(a, b KnownMetric) int { return strings.Compare(a.Name, b.Name) })
	return set, nil
}

// window is the time range of a names or series request: the last KnownRange.
func (r *knownReader) window() neturl.Values {
	return neturl.Values{
		"start": {strconv.FormatInt(r.now.Add(-KnownRange).Unix(), 10)},
		"end":   {strconv.FormatInt(r.now.Unix(), 10)},
	}
}

// get requests the API path under the entry's URL with the query q added to the URL's own,
// and decodes the data of a success response into data.
func (r *knownReader) get(ctx context.Context, path string, q neturl.Values, data any) error {
	r.used++
	u, err := neturl.Parse(r.k.URL)
	if err != nil {
		return &Error{Op: "known_metrics", URL: r.shown, Reason: "bad url"}
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath = ""
	all := u.Query()
	for key, vs := range q {
		all[key] = append(all[key], vs...)
	}
	u.RawQuery = all.Encode()
	shown := strings.TrimSuffix(r.shown, "/") + path
	if i := strings.IndexByte(r.shown, '?'); i >= 0 {
		// The entry's own (redacted) query follows the path.
		shown = strings.TrimSuffix(r.shown[:i], "/") + path + r.shown[i:]
	}
	fail := func(reason string) error {
		e := &Error{Op: "known_metrics", URL: shown, Reason: r.c.secrets.scrub(oneLine(reason))}
		if ctx.Err() != nil {
			e.Reason, e.cause = "interrupted", context.Canceled
		}
		return e
	}
	end := r.prog.begin(shown)
	b, err := r.c.get(ctx, u.String(), AcceptHealth, r.k.Timeout, r.k.HTTP.MaxBodySize, false)
	end()
	if err != nil {
		return fail(err.Error())
	}
	var resp apiResponse
	if err := json.Unmarshal(b.data, &resp); err != nil {
		return fail("not a Prometheus API response: " + jsonReason(err))
	}
	if resp.Status != "success" {
		msg := fmt.Sprintf("the API answered status %q", resp.Status)
		if resp.ErrorType != "" || resp.Error != "" {
			msg += ": " + strings.Trim(resp.ErrorType+": "+resp.Error, ": ")
		}
		return fail(msg)
	}
	if err := json.Unmarshal(resp.Data, data); err != nil {
		return fail("unexpected data in the API response: " + jsonReason(err))
	}
	return nil
}

// jsonReason is a decoding error without the Go type names that json's errors carry.
func jsonReason(err error) string {
	if e, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return fmt.Sprintf("a JSON %s where %s was expected", e.Value, strings.TrimPrefix(e.Type.String(), "[]"))
	}
	return err.Error()
}
