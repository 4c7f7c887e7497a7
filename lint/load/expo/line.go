package expo

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

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

// parse reads one text-format sample line. Lines of the plain shape that nearly every
// exposition has (name{a="x",b="y"} value [timestamp], see fastSample) are read directly;
// any other line goes through expfmt.
func (p *lineParser) parse(s string) (parsedSample, error) {
	if out, ok := fastSample(s); ok {
		return out, nil
	}
	return p.parseExpfmt(s)
}

// parseExpfmt reads one sample line with expfmt: alone in a text, it is an untyped family
// of one metric.
func (p *lineParser) parseExpfmt(s string) (parsedSample, error) {
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

// fastSample reads a sample line of the plain shape name, optional {label="value",…} with
// no blanks inside the braces, one space, a decimal value (or NaN, +Inf, -Inf) and
// optionally one space and an integer timestamp. It gives what expfmt gives for such a
// line (labels unescaped: \\, \" and \n); ok is false for any other line, which is then left
// to expfmt. The line has already been accepted by expfmt as part of the whole file.
func fastSample(s string) (out parsedSample, ok bool) {
	i := 0
	for i < len(s) && isNameByte(s[i], i == 0) {
		i++
	}
	if i == 0 || i == len(s) {
		return parsedSample{}, false
	}
	out.name = s[:i]
	if s[i] == '{' {
		i++
		for i < len(s) && s[i] != '}' {
			j := i
			for j < len(s) && isLabelByte(s[j], j == i) {
				j++
			}
			if j == i || j+1 >= len(s) || s[j] != '=' || s[j+1] != '"' {
				return parsedSample{}, false
			}
			name := s[i:j]
			val, n, ok := labelValue(s[j+2:])
			if !ok || !utf8.ValidString(val) {
				return parsedSample{}, false
			}
			if out.labels == nil {
				out.labels = make(map[string]string, 4)
			}
			if _, dup := out.labels[name]; dup {
				return parsedSample{}, false
			}
			out.labels[name] = val
			i = j + 2 + n
			if i < len(s) && s[i] == ',' {
				i++
			} else if i >= len(s) || s[i] != '}' {
				return parsedSample{}, false
			}
		}
		if i >= len(s) {
			return parsedSample{}, false
		}
		i++ // }
	}
	if i >= len(s) || s[i] != ' ' {
		return parsedSample{}, false
	}
	i++
	value, rest, _ := strings.Cut(s[i:], " ")
	if !plainFloat(value) {
		return parsedSample{}, false
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return parsedSample{}, false
	}
	if strings.Contains(s[i:], " ") && !plainInt(rest) {
		return parsedSample{}, false
	}
	out.value = v
	return out, true
}

// labelValue reads a label value after its opening quote up to the closing quote, decoding
// the escapes expfmt knows. It returns the value and the number of bytes read, the closing
// quote included.
func labelValue(s string) (string, int, bool) {
	end := strings.IndexByte(s, '"')
	if end < 0 {
		return "", 0, false
	}
	if k := strings.IndexByte(s[:end], '\\'); k < 0 {
		return s[:end], end + 1, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), i + 1, true
		case '\\':
			if i+1 >= len(s) {
				return "", 0, false
			}
			i++
			switch s[i] {
			case '\\', '"':
				b.WriteByte(s[i])
			case 'n':
				b.WriteByte('\n')
			default:
				return "", 0, false
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// isLabelByte reports whether c can be in an unquoted label name.
func isLabelByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || !first && c >= '0' && c <= '9'
}

// plainFloat reports whether s is a decimal number (digits, one dot, an exponent) or NaN,
// +Inf or -Inf: the values whose parse expfmt and strconv agree on.
func plainFloat(s string) bool {
	switch s {
	case "NaN", "+Inf", "-Inf":
		return true
	case "":
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-' {
			return false
		}
	}
	return true
}

// plainInt reports whether s is an optionally negative decimal integer that fits in an
// int64 (as expfmt wants a timestamp).
func plainInt(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" {
		return false
	}
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}
