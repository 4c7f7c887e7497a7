// Package fetch scrapes the url entries of a config: live /metrics expositions and /health
// samples, fetched over HTTP with prometheus/common's transport (TLS, HTTP/2), bearer or
// basic authentication from a file or an environment variable, extra headers, a timeout per
// request that covers the whole body, a body size limit, gzip, and content negotiation for
// the Prometheus text format and OpenMetrics.
//
// The network is used only by permission of the command line: every url entry, and every
// redirect, must name a host that Options.AllowNet allows (--allow-net, DRIFTLINT_ALLOW_NET),
// and nothing is fetched while one entry is not allowed. A secret (authorization, basic_auth,
// a header read from a file or a variable) is sent only to the origin of its entry's URL,
// never after a redirect to another origin; the files a url entry names are read only
// through Options.ReadFile.
//
// Every fetched body becomes a lint.SourceFile with a virtual path that names the URL and the
// fetch number ("http://localhost:3002/metrics#2"), and goes through the same loaders as a
// saved file (expo.Load, health.LoadSample). Displayed URLs never hold a secret: userinfo and
// fragments are dropped and query values become xxxxx (see Redact); error texts are built
// from the displayed URL, and any credential that an underlying error might quote is
// replaced too.
package fetch

import (
	"cmp"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/common/model"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/load/expo"
	"github.com/driftlint/driftlint/lint/load/health"
)

// AcceptExposition is the Accept header of a /metrics scrape: the one Prometheus sends for
// its default scrape protocols with UTF-8 names allowed (protobuf left out, since driftlint
// reads text only).
const AcceptExposition = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.7," +
	"application/openmetrics-text;version=0.0.1;q=0.6," +
	"text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5," +
	"text/plain;version=0.0.4;q=0.4," +
	"*/*;q=0.3"

// AcceptHealth is the Accept header of a /health fetch.
const AcceptHealth = "application/json,*/*;q=0.1"

// Options tune fetching.
type Options struct {
	// LookupEnv reads the environment variables that hold credentials; nil means
	// os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// UserAgent is sent with every request; "" means "driftlint".
	UserAgent string
	// AllowNet is the hosts the command line allows (--allow-net, DRIFTLINT_ALLOW_NET; see
	// MergeAllowNet). Every url entry and every redirect must be allowed; the zero value
	// allows nothing.
	AllowNet AllowNet
	// ReadFile reads the files a url entry names: credentials_file, password_file, a header's
	// file, and tls_config's ca_file, cert_file and key_file. It gets the path as the config
	// gives it: slash-separated and relative to Config.Dir (the project root). The caller
	// confines it (to the root, unless --allow-read names the file); nil makes reading any
	// such file an error.
	ReadFile func(name string) ([]byte, error)
	// Progress, when not nil, shows the scrapes that take over a second: one line naming the
	// scrape and its time, rewritten in place and erased at the end (it writes "\r" and
	// "\x1b[K"). Pass stderr only when it is a terminal.
	Progress io.Writer
}

func (o Options) lookupEnv(name string) (string, bool) {
	if o.LookupEnv != nil {
		return o.LookupEnv(name)
	}
	return os.LookupEnv(name)
}

func (o Options) userAgent() string { return cmp.Or(o.UserAgent, "driftlint") }

// Result is what the url entries of a config gave.
type Result struct {
	// Files holds every fetched body, in config order.
	Files []*lint.SourceFile
	// Expositions holds, by cfg.Exposition index, the scrapes of each url entry in order
	// (nil for file entries and for scrapes that failed). Target is the entry's target (its
	// displayed URL by default), URL the displayed URL, Index the scrape number within the
	// target and TimeMs the time since the target's first scrape; Covers is left to the
	// caller.
	Expositions [][]*lint.Exposition
	// Health holds, by cfg.Health index, the sample of each url entry (nil otherwise).
	Health []*lint.HealthSample
	// Problems holds what the loaders found wrong in fetched bodies, and the failed
	// scrapes of entries with required: false (at the entry, "scrape failed: URL: reason").
	Problems []lint.ParseProblem
}

// Error is a failed required scrape. Its text is one line naming the displayed URL and the
// reason: "scrape http://localhost:3002/metrics: timeout after 10s".
type Error struct {
	URL    string // displayed: no userinfo, no query values
	Reason string
	// Op is what failed, in front of the URL; "" means "scrape".
	Op    string
	cause error
}

func (e *Error) Error() string { return cmp.Or(e.Op, "scrape") + " " + e.URL + ": " + e.Reason }

// Unwrap gives context.Canceled when the run was interrupted, and nil otherwise.
func (e *Error) Unwrap() error { return e.cause }

// errTimeout is the cause of a request context whose time is up.
var errTimeout = errors.New("timeout")

// HasURLs reports whether cfg lists a url entry.
func HasURLs(cfg *lint.Config) bool {
	for _, e := range cfg.Exposition {
		if e.URL != "" {
			return true
		}
	}
	for _, h := range cfg.Health {
		if h.URL != "" {
			return true
		}
	}
	return false
}

// All fetches every url entry of cfg. Targets are scraped in parallel; the scrapes of one
// target run in config order, interval apart (measured from the start of the previous
// scrape). Before anything is fetched, every url entry must be allowed by opts.AllowNet: the
// first that is not is returned as a *lint.ConfigError (see CheckAllowed). A failed scrape of
// a required entry stops everything and is returned as an *Error; one of an entry with required: false becomes a problem and ends that entry's
// scrapes. Cancelling ctx (Ctrl-C) stops at once with an *Error whose reason is
// "interrupted".
func All(ctx context.Context, cfg *lint.Config, opts Options) (*Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	res := &Result{
		Expositions: make([][]*lint.Exposition, len(cfg.Exposition)),
		Health:      make([]*lint.HealthSample, len(cfg.Health)),
	}
	if !HasURLs(cfg) {
		return res, nil
	}
	if err := CheckAllowed(cfg, opts.AllowNet); err != nil {
		return nil, err
	}
	nm := newNames(cfg)
	prog := startProgress(opts.Progress)
	defer prog.close()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var mu sync.Mutex
	var failed *Error // the first required failure, in time
	expoProblems := make([][]lint.ParseProblem, len(cfg.Exposition))
	expoFiles := make([][]*lint.SourceFile, len(cfg.Exposition))
	healthProblems := make([][]lint.ParseProblem, len(cfg.Health))
	healthFiles := make([]*lint.SourceFile, len(cfg.Health))
	fail := func(err *Error) {
		mu.Lock()
		if failed == nil {
			failed = err
			cancel(err)
		}
		mu.Unlock()
	}

	// Group the exposition url entries by target, in config order.
	var order []string
	groups := map[string][]int{}
	for i, e := range cfg.Exposition {
		if e.URL == "" {
			continue
		}
		t := cmp.Or(e.Target, nm.expo[i])
		if _, ok := groups[t]; !ok {
			order = append(order, t)
		}
		groups[t] = append(groups[t], i)
	}

	var wg sync.WaitGroup
	for _, target := range order {
		wg.Go(func() {
			var first, prev time.Time
			index := 0
			for _, i := range groups[target] {
				e := cfg.Exposition[i]
				c, err := newClient(e.URL, e.HTTP, opts)
				for k := 0; k < max(e.Scrapes, 1) && err == nil; k++ {
					if !prev.IsZero() {
						if err = wait(ctx, prev.Add(min(e.Interval, lint.Limit().MaxInterval))); err != nil {
							break
						}
					}
					var b *body
					end := prog.begin(nm.expoPaths[i][k])
					b, err = c.get(ctx, e.URL, AcceptExposition, e.Timeout, e.HTTP.MaxBodySize, true)
					end()
					if err != nil {
						break
					}
					if first.IsZero() {
						first = b.start
					}
					prev = b.start
					f := lint.NewSourceFile(nm.expoPaths[i][k], b.data)
					x, probs := expo.LoadAs(f, b.openMetrics)
					x.URL, x.Target, x.Index = nm.expo[i], target, index
					x.TimeMs = b.start.Sub(first).Milliseconds()
					index++
					mu.Lock()
					expoFiles[i] = append(expoFiles[i], f)
					expoProblems[i] = append(expoProblems[i], probs...)
					res.Expositions[i] = append(res.Expositions[i], x)
					mu.Unlock()
				}
				if c != nil {
					c.http.CloseIdleConnections()
				}
				if err == nil {
					continue
				}
				if ctx.Err() != nil {
					return // interrupted, or another target failed
				}
				ferr := &Error{URL: nm.expo[i], Reason: oneLine(err.Error())}
				if e.Required {
					fail(ferr)
					return
				}
				mu.Lock()
				expoProblems[i] = append(expoProblems[i], lint.ParseProblem{At: cfg.ProjectPos(e.At), Message: "scrape failed: " + ferr.URL + ": " + ferr.Reason})
				mu.Unlock()
			}
		})
	}
	for i, h := range cfg.Health {
		if h.URL == "" {
			continue
		}
		wg.Go(func() {
			c, err := newClient(h.URL, h.HTTP, opts)
			var b *body
			if err == nil {
				end := prog.begin(nm.healthPaths[i])
				b, err = c.get(ctx, h.URL, AcceptHealth, h.Timeout, h.HTTP.MaxBodySize, false)
				end()
				c.http.CloseIdleConnections()
			}
			if err == nil {
				f := lint.NewSourceFile(nm.healthPaths[i], b.data)
				s, probs := health.LoadSample(f)
				mu.Lock()
				healthFiles[i], res.Health[i], healthProblems[i] = f, s, probs
				mu.Unlock()
				return
			}
			if ctx.Err() != nil {
				return
			}
			ferr := &Error{URL: nm.health[i], Reason: oneLine(err.Error())}
			if h.Required {
				fail(ferr)
				return
			}
			mu.Lock()
			healthProblems[i] = []lint.ParseProblem{{At: cfg.ProjectPos(h.At), Message: "scrape failed: " + ferr.URL + ": " + ferr.Reason}}
			mu.Unlock()
		})
	}
	wg.Wait()

	if context.Cause(ctx) != nil && failed == nil {
		// The caller cancelled: say which URL was being fetched, the first in config order.
		url := ""
		for i := range cfg.Exposition {
			url = cmp.Or(url, nm.expo[i])
		}
		for i := range cfg.Health {
			url = cmp.Or(url, nm.health[i])
		}
		return nil, &Error{URL: url, Reason: "interrupted", cause: context.Canceled}
	}
	if failed != nil {
		return nil, failed
	}
	for i := range cfg.Exposition {
		res.Files = append(res.Files, expoFiles[i]...)
		res.Problems = append(res.Problems, expoProblems[i]...)
	}
	for i := range cfg.Health {
		if healthFiles[i] != nil {
			res.Files = append(res.Files, healthFiles[i])
		}
		res.Problems = append(res.Problems, healthProblems[i]...)
	}
	return res, nil
}

// wait sleeps until t, or until ctx is done.
func wait(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// body is one fetched response body.
type body struct {
	data        []byte
	start       time.Time
	openMetrics bool // the content type said OpenMetrics
}

// get fetches url once. The timeout covers the whole request, body included. The error is
// the reason alone, one line, without the URL and without secrets. The config rejects a
// timeout or max_body_size above the run's ceilings; a default above a ceiling that the
// command line lowered is cut down to it here.
func (c *client) get(ctx context.Context, url, accept string, timeout time.Duration, maxBody int64, exposition bool) (*body, error) {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if maxBody <= 0 {
		maxBody = lint.DefaultMaxBodySize
	}
	timeout, maxBody = min(timeout, lint.Limit().MaxTimeout), min(maxBody, lint.Limit().MaxBodySize)
	rctx, cancel := context.WithTimeoutCause(ctx, timeout, errTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return nil, errors.New("bad url")
	}
	maps.Copy(req.Header, c.headers)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip")
	if exposition {
		req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64))
	}
	b := &body{start: time.Now()}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.reason(rctx, err, timeout, 0, -1)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg := "HTTP " + cmp.Or(resp.Status, strconv.Itoa(resp.StatusCode))
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			msg += " (check the entry's authorization or basic_auth)"
		}
		return nil, errors.New(c.secrets.scrub(oneLine(msg)))
	}
	if b.openMetrics, err = checkContentType(resp.Header.Get("Content-Type"), exposition); err != nil {
		return nil, errors.New(c.secrets.scrub(err.Error()))
	}
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if enc != "" && enc != "identity" && enc != "gzip" {
		return nil, fmt.Errorf("unsupported content encoding %q", c.secrets.scrub(oneLine(enc)))
	}
	if enc != "gzip" && resp.ContentLength > maxBody {
		return nil, fmt.Errorf("body larger than %s (Content-Length %d; raise max_body_size to read it)", lint.FormatByteSize(maxBody), resp.ContentLength)
	}
	raw := &countingReader{r: resp.Body}
	var r io.Reader = raw
	if enc == "gzip" {
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, c.reason(rctx, err, timeout, raw.n, resp.ContentLength)
		}
		defer zr.Close()
		r = zr
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, c.reason(rctx, err, timeout, raw.n, resp.ContentLength)
	}
	if int64(len(data)) > maxBody {
		return nil, fmt.Errorf("body larger than %s (raise max_body_size to read it)", lint.FormatByteSize(maxBody))
	}
	b.data = data
	return b, nil
}

// checkContentType decides the format from the response's Content-Type. A missing one is
// read as the text format (or JSON).
func checkContentType(ct string, exposition bool) (openMetrics bool, err error) {
	if strings.TrimSpace(ct) == "" {
		return false, nil
	}
	mt, _, perr := mime.ParseMediaType(ct)
	if perr != nil {
		return false, fmt.Errorf("unexpected content type %q", oneLine(ct))
	}
	if exposition {
		switch mt {
		case "text/plain":
			return false, nil
		case "application/openmetrics-text":
			return true, nil
		}
		return false, fmt.Errorf("unexpected content type %q (want the Prometheus text format or OpenMetrics)", mt)
	}
	if mt == "application/json" || mt == "text/json" || mt == "text/plain" || strings.HasSuffix(mt, "+json") {
		return false, nil
	}
	return false, fmt.Errorf("unexpected content type %q (want application/json)", mt)
}

// reason turns a transport or body error into a short reason. got is the number of body
// bytes read and want the announced Content-Length (-1: unknown).
func (c *client) reason(rctx context.Context, err error, timeout time.Duration, got, want int64) error {
	if errors.Is(context.Cause(rctx), errTimeout) {
		return fmt.Errorf("timeout after %s", model.Duration(timeout))
	}
	if errors.Is(err, context.Canceled) || rctx.Err() != nil {
		return errors.New("interrupted")
	}
	var msg string
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		if want > 0 {
			msg = fmt.Sprintf("body truncated after %d of %d bytes", got, want)
		} else {
			msg = fmt.Sprintf("body truncated after %d bytes", got)
		}
	case errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum):
		msg = "bad gzip body: " + err.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		msg = "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		msg = "connection reset by the server"
	case errors.Is(err, io.EOF):
		msg = "the server closed the connection without a response"
	default:
		msg = describe(err)
	}
	return errors.New(c.secrets.scrub(oneLine(msg)))
}

// describe names a network or TLS error without the URL that url.Error puts in front.
func describe(err error) string {
	if e, ok := errors.AsType[*net.DNSError](err); ok {
		return "cannot resolve " + e.Name + ": " + e.Err
	}
	if e, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return "tls: " + describeCert(e.Err)
	}
	if e, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return "tls: " + describeCert(e)
	}
	if e, ok := errors.AsType[x509.HostnameError](err); ok {
		return "tls: " + describeCert(e)
	}
	if e, ok := errors.AsType[tls.RecordHeaderError](err); ok {
		return "tls: " + e.Msg + " (is the server serving plain http?)"
	}
	if e, ok := errors.AsType[*net.OpError](err); ok {
		return e.Err.Error()
	}
	if e, ok := errors.AsType[*neturl.Error](err); ok {
		return e.Err.Error() // without the `Get "URL": ` in front
	}
	return err.Error()
}

func describeCert(err error) string {
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return "certificate signed by unknown authority (set tls_config.ca_file)"
	}
	return strings.TrimPrefix(err.Error(), "x509: ")
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
