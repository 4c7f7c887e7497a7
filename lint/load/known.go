package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/prometheus/common/model"

	"github.com/driftlint/driftlint/lint"
	"github.com/driftlint/driftlint/lint/safefs"
)

// knownMetrics reads the config's known_metrics files into p.KnownMetrics, adds each file to
// p.Files, and turns what does not parse (and a named file that is missing) into
// ParseProblems.
func knownMetrics(cfg *lint.Config, p *lint.Project, root *safefs.Root, maxSize int64) {
	if len(cfg.KnownMetrics) == 0 {
		return
	}
	configFile := cfg.ProjectPos(lint.Pos{File: cfg.Path})
	var files []string
	rs := &resolved{}
	for i, pattern := range cfg.KnownMetrics {
		matches, all, err := match(cfg, root, pattern, rs)
		if err != nil {
			p.ParseProblems = append(p.ParseProblems, lint.ParseProblem{At: configFile, Message: fmt.Sprintf("known_metrics %q: %v", pattern, err)})
			continue
		}
		if len(matches) == 0 {
			p.Empty = append(p.Empty, emptyGlob(cfg, "known_metrics", i, pattern, all))
		}
		for _, m := range matches {
			if !slices.Contains(files, m) {
				files = append(files, m)
			}
		}
	}
	p.Skipped = append(p.Skipped, rs.skipped...)
	slices.Sort(files)
	for _, rel := range files {
		f, problem := readInput(root, rel, maxSize)
		p.Files = append(p.Files, f)
		if problem != nil {
			p.ParseProblems = append(p.ParseProblems, *problem)
			continue
		}
		known, probs := ParseKnownMetrics(f)
		p.KnownMetrics = append(p.KnownMetrics, known...)
		p.ParseProblems = append(p.ParseProblems, probs...)
	}
}

// knownTypes are the metric types a known_metrics file may give, as Prometheus' metadata API
// and the exposition formats spell them; unknown and untyped mean "not said".
var knownTypes = map[string]string{
	"counter": "counter", "gauge": "gauge", "histogram": "histogram", "gaugehistogram": "gaugehistogram",
	"summary": "summary", "info": "info", "stateset": "stateset", "unknown": "", "untyped": "",
}

// ParseKnownMetrics reads a known_metrics file: a saved response of Prometheus'
// /api/v1/label/__name__/values ({"data": ["up", …]}) or /api/v1/metadata
// ({"data": {"up": [{"type": "gauge", …}]}}), a JSON array of names, or a text list with one
// name per line, optionally followed by its type, where # starts a comment. A name with a
// type stands for its whole family (a histogram's _bucket, _sum and _count series too); a
// name without one stands for that series name only.
func ParseKnownMetrics(f *lint.SourceFile) ([]lint.KnownMetric, []lint.ParseProblem) {
	trimmed := bytes.TrimLeft(f.Src, " \t\r\n\uFEFF")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return parseKnownJSON(f)
	}
	return parseKnownText(f)
}

func parseKnownText(f *lint.SourceFile) ([]lint.KnownMetric, []lint.ParseProblem) {
	var out []lint.KnownMetric
	var probs []lint.ParseProblem
	off := 0
	for line := range strings.SplitAfterSeq(string(f.Src), "\n") {
		start := off
		off += len(line)
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimPrefix(line, "\uFEFF")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		at := f.Pos(start + strings.Index(line, fields[0]))
		name := fields[0]
		if strings.ContainsAny(name, "*?[") {
			// A glob: the names it matches are unverified, never defined, so that "*" cannot
			// switch metric/unknown off.
			if _, err := path.Match(name, ""); err != nil || len(fields) > 1 {
				probs = append(probs, lint.ParseProblem{At: at, Message: fmt.Sprintf("%q is not a metric-name glob (a glob stands alone on its line, with no type)", strings.Join(fields, " "))})
				continue
			}
			out = append(out, lint.KnownMetric{Name: name, Glob: true, At: at})
			continue
		}
		if !model.LegacyValidation.IsValidMetricName(name) {
			probs = append(probs, lint.ParseProblem{At: at, Message: fmt.Sprintf("%q is not a metric name (want a name, optionally followed by its type)", name)})
			continue
		}
		typ := ""
		if len(fields) > 1 {
			t, ok := knownTypes[strings.ToLower(fields[1])]
			if !ok || len(fields) > 2 {
				probs = append(probs, lint.ParseProblem{At: at, Message: fmt.Sprintf("want a metric name optionally followed by its type (counter, gauge, histogram, summary, …), got %q", strings.Join(fields, " "))})
				continue
			}
			typ = t
		}
		out = append(out, lint.KnownMetric{Name: name, Type: typ, At: at})
	}
	return out, probs
}

// jsonReader reads JSON tokens with the file offset of each.
type jsonReader struct {
	f   *lint.SourceFile
	dec *json.Decoder
}

// next returns the next token and the offset of its first byte.
func (r *jsonReader) next() (json.Token, int, error) {
	off := int(r.dec.InputOffset())
	tok, err := r.dec.Token()
	for off < len(r.f.Src) && strings.IndexByte(" \t\r\n,:", r.f.Src[off]) >= 0 {
		off++
	}
	return tok, off, err
}

// skip reads past the value that starts with tok.
func (r *jsonReader) skip(tok json.Token) error {
	depth := 0
	for {
		if d, ok := tok.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
		var err error
		if tok, _, err = r.next(); err != nil {
			return err
		}
	}
}

func parseKnownJSON(f *lint.SourceFile) ([]lint.KnownMetric, []lint.ParseProblem) {
	src := f.Src
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		src = append([]byte("   "), src[3:]...) // keep offsets
	}
	r := &jsonReader{f: f, dec: json.NewDecoder(bytes.NewReader(src))}
	var out []lint.KnownMetric
	fail := func(err error) ([]lint.KnownMetric, []lint.ParseProblem) {
		off := int(r.dec.InputOffset())
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			off = int(se.Offset)
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return out, []lint.ParseProblem{{At: f.Pos(min(max(off, 0), len(f.Src))), Message: "known_metrics: " + err.Error()}}
	}
	shape := func(off int) ([]lint.KnownMetric, []lint.ParseProblem) {
		return out, []lint.ParseProblem{{At: f.Pos(off), Message: `known_metrics: want a saved /api/v1/label/__name__/values or /api/v1/metadata response, or a JSON array of metric names`}}
	}
	tok, off, err := r.next()
	if err != nil {
		return fail(err)
	}
	switch tok {
	case json.Delim('['):
		if err := r.names(&out); err != nil {
			return fail(err)
		}
		return out, nil
	case json.Delim('{'):
	default:
		return shape(off)
	}
	sawData := false
	for {
		tok, off, err := r.next()
		if err != nil {
			return fail(err)
		}
		if tok == json.Delim('}') {
			break
		}
		key, _ := tok.(string)
		val, voff, err := r.next()
		if err != nil {
			return fail(err)
		}
		switch {
		case key == "status" && val == "error":
			return out, []lint.ParseProblem{{At: f.Pos(voff), Message: "known_metrics: the saved response is an error response"}}
		case key == "data" && val == json.Delim('['):
			sawData = true
			if err := r.names(&out); err != nil {
				return fail(err)
			}
		case key == "data" && val == json.Delim('{'):
			sawData = true
			if err := r.metadata(&out); err != nil {
				return fail(err)
			}
		case key == "data":
			return shape(off)
		default:
			if err := r.skip(val); err != nil {
				return fail(err)
			}
		}
	}
	if !sawData {
		return shape(0)
	}
	return out, nil
}

// names reads the rest of an array of names; other values in it are skipped.
func (r *jsonReader) names(out *[]lint.KnownMetric) error {
	for {
		tok, off, err := r.next()
		if err != nil {
			return err
		}
		if tok == json.Delim(']') {
			return nil
		}
		if s, ok := tok.(string); ok {
			if s != "" {
				*out = append(*out, lint.KnownMetric{Name: s, At: r.f.Pos(off + 1)})
			}
			continue
		}
		if err := r.skip(tok); err != nil {
			return err
		}
	}
}

// metadata reads the rest of a metadata object: name → [{"type": …, "help": …, "unit": …}].
func (r *jsonReader) metadata(out *[]lint.KnownMetric) error {
	for {
		tok, off, err := r.next()
		if err != nil {
			return err
		}
		if tok == json.Delim('}') {
			return nil
		}
		name, _ := tok.(string)
		val, _, err := r.next()
		if err != nil {
			return err
		}
		typ := ""
		if val == json.Delim('[') {
			if typ, err = r.metadataType(); err != nil {
				return err
			}
		} else if err := r.skip(val); err != nil {
			return err
		}
		if name != "" {
			*out = append(*out, lint.KnownMetric{Name: name, Type: typ, At: r.f.Pos(off + 1)})
		}
	}
}

// metadataType reads the rest of a metadata array and returns the first entry's type.
func (r *jsonReader) metadataType() (string, error) {
	typ, found := "", false
	for {
		tok, _, err := r.next()
		if err != nil {
			return "", err
		}
		if tok == json.Delim(']') {
			return typ, nil
		}
		if tok != json.Delim('{') {
			if err := r.skip(tok); err != nil {
				return "", err
			}
			continue
		}
		for {
			k, _, err := r.next()
			if err != nil {
				return "", err
			}
			if k == json.Delim('}') {
				break
			}
			v, _, err := r.next()
			if err != nil {
				return "", err
			}
			if s, ok := v.(string); ok && k == "type" && !found {
				typ, found = knownTypes[strings.ToLower(s)], true
				continue
			}
			if err := r.skip(v); err != nil {
				return "", err
			}
		}
	}
}
