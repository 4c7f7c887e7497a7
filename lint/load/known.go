package load

import (
	"bytes"
	"cmp"
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
		known, covers, probs := ParseKnown(f)
		p.KnownMetrics = append(p.KnownMetrics, known...)
		p.KnownCovers = append(p.KnownCovers, covers...)
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
// ({"data": {"up": [{"type": "gauge", …}]}}), a JSON array of names, a snapshot that
// driftlint snapshot wrote ({"version": 1, "covers": […], "metrics": [{"name", "type",
// "help", "labels"}]}), or a text list with one name per line, optionally followed by its
// type, where # starts a comment. A name with a type stands for its whole family (a
// histogram's _bucket, _sum and _count series too); a name without one stands for that
// series name only. A snapshot's covers are left out: see ParseKnown.
func ParseKnownMetrics(f *lint.SourceFile) ([]lint.KnownMetric, []lint.ParseProblem) {
	known, _, probs := ParseKnown(f)
	return known, probs
}

// ParseKnown reads a known_metrics file as ParseKnownMetrics does, and also returns the
// metric-name globs a snapshot covers (the name spaces its live API was the truth for).
func ParseKnown(f *lint.SourceFile) ([]lint.KnownMetric, []string, []lint.ParseProblem) {
	trimmed := bytes.TrimLeft(f.Src, " \t\r\n\uFEFF")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return parseKnownJSON(f)
	}
	known, probs := parseKnownText(f)
	return known, nil, probs
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

func parseKnownJSON(f *lint.SourceFile) ([]lint.KnownMetric, []string, []lint.ParseProblem) {
	src := f.Src
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		src = append([]byte("   "), src[3:]...) // keep offsets
	}
	r := &jsonReader{f: f, dec: json.NewDecoder(bytes.NewReader(src))}
	var out []lint.KnownMetric
	var covers []string
	var probs []lint.ParseProblem
	fail := func(err error) ([]lint.KnownMetric, []string, []lint.ParseProblem) {
		off := int(r.dec.InputOffset())
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			off = int(se.Offset)
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return out, covers, append(probs, lint.ParseProblem{At: f.Pos(min(max(off, 0), len(f.Src))), Message: "known_metrics: " + err.Error()})
	}
	shape := func(off int) ([]lint.KnownMetric, []string, []lint.ParseProblem) {
		return out, covers, append(probs, lint.ParseProblem{At: f.Pos(off), Message: `known_metrics: want a saved /api/v1/label/__name__/values or /api/v1/metadata response, a snapshot, or a JSON array of metric names`})
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
		return out, nil, nil
	case json.Delim('{'):
	default:
		return shape(off)
	}
	sawData, sawVersion, sawSnapshot := false, false, false
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
		case key == "version":
			sawVersion, sawSnapshot = true, true
			if val != float64(SnapshotVersion) {
				return out, covers, append(probs, lint.ParseProblem{At: f.Pos(voff), Message: fmt.Sprintf("known_metrics: snapshot version %v is not supported (want %d; write it again with driftlint snapshot)", val, SnapshotVersion)})
			}
		case key == "covers" && val == json.Delim('['):
			sawSnapshot = true
			if err := r.globs(&covers, &probs); err != nil {
				return fail(err)
			}
		case key == "metrics" && val == json.Delim('['):
			sawSnapshot = true
			if err := r.snapshotMetrics(&out, &probs); err != nil {
				return fail(err)
			}
		case key == "covers" || key == "metrics":
			return shape(voff)
		case key == "status" && val == "error":
			return out, nil, []lint.ParseProblem{{At: f.Pos(voff), Message: "known_metrics: the saved response is an error response"}}
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
	if sawSnapshot && !sawVersion {
		return out, covers, append(probs, lint.ParseProblem{At: f.Pos(off), Message: fmt.Sprintf(`known_metrics: a snapshot needs "version": %d`, SnapshotVersion)})
	}
	if !sawData && !sawSnapshot {
		return shape(0)
	}
	return out, covers, probs
}

// globs reads the rest of a snapshot's covers: an array of metric-name globs.
func (r *jsonReader) globs(out *[]string, probs *[]lint.ParseProblem) error {
	for {
		tok, off, err := r.next()
		if err != nil {
			return err
		}
		if tok == json.Delim(']') {
			return nil
		}
		s, ok := tok.(string)
		if _, err := path.Match(s, ""); !ok || s == "" || err != nil {
			*probs = append(*probs, lint.ParseProblem{At: r.f.Pos(off), Message: "known_metrics: a snapshot's covers holds metric-name globs"})
			if err := r.skip(tok); err != nil {
				return err
			}
			continue
		}
		*out = append(*out, s)
	}
}

// snapshotMetrics reads the rest of a snapshot's metrics: objects with a name and an
// optional type, help and labels (the label names of its series).
func (r *jsonReader) snapshotMetrics(out *[]lint.KnownMetric, probs *[]lint.ParseProblem) error {
	for {
		tok, off, err := r.next()
		if err != nil {
			return err
		}
		if tok == json.Delim(']') {
			return nil
		}
		if tok != json.Delim('{') {
			*probs = append(*probs, lint.ParseProblem{At: r.f.Pos(off), Message: "known_metrics: a snapshot's metrics are objects with a name"})
			if err := r.skip(tok); err != nil {
				return err
			}
			continue
		}
		k := lint.KnownMetric{At: r.f.Pos(off)}
		bad := ""
		for {
			key, _, err := r.next()
			if err != nil {
				return err
			}
			if key == json.Delim('}') {
				break
			}
			v, voff, err := r.next()
			if err != nil {
				return err
			}
			s, isStr := v.(string)
			switch {
			case key == "name" && isStr:
				k.Name, k.At = s, r.f.Pos(voff+1)
			case key == "type" && isStr:
				t, ok := knownTypes[strings.ToLower(s)]
				if !ok {
					bad = cmp.Or(bad, fmt.Sprintf("type %q is not a metric type", s))
				}
				k.Type = t
			case key == "help" && isStr:
				k.Help = s
			case key == "labels" && v == json.Delim('['):
				k.LabelsKnown, k.Labels = true, []string{}
				for {
					l, _, err := r.next()
					if err != nil {
						return err
					}
					if l == json.Delim(']') {
						break
					}
					ls, ok := l.(string)
					if !ok || !model.UTF8Validation.IsValidLabelName(ls) {
						bad = cmp.Or(bad, jsonText(l)+" is not a label name")
						if err := r.skip(l); err != nil {
							return err
						}
						continue
					}
					k.Labels = append(k.Labels, ls)
				}
				slices.Sort(k.Labels)
				k.Labels = slices.Compact(k.Labels)
			default:
				if err := r.skip(v); err != nil {
					return err
				}
			}
		}
		switch {
		case k.Name == "" || !model.UTF8Validation.IsValidMetricName(k.Name):
			*probs = append(*probs, lint.ParseProblem{At: k.At, Message: fmt.Sprintf("known_metrics: snapshot entry has no metric name (name: %q)", k.Name)})
		case bad != "":
			*probs = append(*probs, lint.ParseProblem{At: k.At, Message: fmt.Sprintf("known_metrics: snapshot entry %q: %s", k.Name, bad)})
		default:
			*out = append(*out, k)
		}
	}
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

// jsonText writes a JSON token as it would appear in the file.
func jsonText(tok json.Token) string {
	if d, ok := tok.(json.Delim); ok {
		return d.String()
	}
	b, err := json.Marshal(tok)
	if err != nil {
		return fmt.Sprint(tok)
	}
	return string(b)
}
