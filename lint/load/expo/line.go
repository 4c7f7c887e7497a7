package expo

import (
	"errors"
	"strings"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// parsedSample is one sample line as expfmt reads it.
type parsedSample struct {
	name   string
	labels map[string]string // nil without labels
	value  float64
}

// lineParser parses single sample lines with expfmt. Alone on its line, a sample is an
// untyped family of one metric named after its series, with every label (le and quantile
// included), which is the raw sample.
type lineParser struct {
	tp expfmt.TextParser
	r  strings.Reader
}

func newLineParser() *lineParser {
	return &lineParser{tp: expfmt.NewTextParser(model.UTF8Validation)}
}

// parse reads one text-format sample line.
func (p *lineParser) parse(s string) (parsedSample, error) {
	p.r.Reset(s + "\n")
	fams, err := p.tp.TextToMetricFamilies(&p.r)
	if err != nil {
		if pe, ok := errors.AsType[expfmt.ParseError](err); ok {
			return parsedSample{}, errors.New(pe.Msg)
		}
		return parsedSample{}, err
	}
	if len(fams) != 1 {
		return parsedSample{}, errors.New("not a sample line")
	}
	for name, mf := range fams {
		ms := mf.GetMetric()
		if len(ms) != 1 {
			break
		}
		m := ms[0]
		out := parsedSample{name: name, value: m.GetUntyped().GetValue()}
		if lps := m.GetLabel(); len(lps) > 0 {
			out.labels = make(map[string]string, len(lps))
			for _, lp := range lps {
				out.labels[lp.GetName()] = lp.GetValue()
			}
		}
		return out, nil
	}
	return parsedSample{}, errors.New("not a sample line")
}
