package source

import (
	"strings"

	"github.com/prometheus/common/model"
)

// hole stands for a part of a string that the code computes at run time.
const hole = "\x00"

// value is a string worked out from code: known, or with holes where the code computes text
// at run time, and then why.
type value struct {
	s   string // the text, with a hole byte for each unknown part
	why string // why a part is unknown: "" when known
	// rest is set when the namespace is the only unknown part (fqName with a namespace
	// computed at run time): the name after the namespace and its _, which a sources
	// entry's prefix: completes. Any other operation on the value drops it.
	rest string
}

// known returns a constant value.
func known(s string) value { return value{s: s} }

// unknown returns a value that is not known at all.
func unknown(why string) value { return value{s: hole, why: why} }

// known reports whether the whole value is a constant.
func (v value) known() bool { return v.why == "" && !strings.Contains(v.s, hole) }

// pattern is a glob of the strings the value can be: each hole becomes *.
func (v value) pattern() string {
	var b strings.Builder
	for i := 0; i < len(v.s); i++ {
		c := v.s[i]
		switch c {
		case 0:
			if !strings.HasSuffix(b.String(), "*") {
				b.WriteByte('*')
			}
		case '*', '?', '[', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// concat joins values; the first reason of an unknown part is kept.
func concat(vs ...value) value {
	var out value
	for _, v := range vs {
		out.s += v.s
		if out.why == "" {
			out.why = v.why
		}
	}
	if out.why == "" && strings.Contains(out.s, hole) {
		out.why = "part of the name is computed at run time"
	}
	return out
}

// fqName joins namespace, subsystem and name as client_golang's BuildFQName, the Rust
// prometheus crate's Opts and prometheus_client's namespace/subsystem do: the non-empty
// parts with _, and nothing when the name is empty. An unknown part that may be empty
// contributes a hole without its _.
func fqName(namespace, subsystem, name value) value {
	if name.known() && name.s == "" {
		return known("")
	}
	var parts []value
	for _, p := range []value{namespace, subsystem} {
		switch {
		case p.known() && p.s == "":
		case p.known():
			parts = append(parts, p, known("_"))
		default:
			parts = append(parts, unknown(p.why)) // may be empty: no _ after it
		}
	}
	out := concat(append(parts, name)...)
	if !namespace.known() && subsystem.known() && name.known() {
		out.rest = name.s
		if subsystem.s != "" {
			out.rest = subsystem.s + "_" + name.s
		}
	}
	return out
}

// fillFormat builds a value from a format string: the i-th placeholder (spec is its text,
// "%s" or "{name}") becomes the value fill returns; escapes become their text. An unknown
// placeholder is a hole, and the value is then unknown for the reason of the first one, or
// why when fill gives none.
func fillFormat(format string, find func(string) []span, fill func(i int, spec string) value, why string) value {
	out := value{}
	last, n := 0, 0
	for _, sp := range find(format) {
		out.s += format[last:sp.start]
		if sp.repl != "" {
			out.s += sp.repl
		} else {
			v := fill(n, format[sp.start:sp.end])
			if v.known() {
				out.s += v.s
			} else {
				out.s += hole
				if out.why == "" {
					out.why = v.why
				}
			}
			n++
		}
		last = sp.end
	}
	out.s += format[last:]
	if strings.Contains(out.s, hole) && out.why == "" {
		out.why = why
	}
	return out
}

// span is a placeholder (or an escape) in a format string; repl is the text of an escape
// ({{ → {), "" for a placeholder.
type span struct {
	start, end int
	repl       string
}

// printfVerbs finds the verbs of a Go or Python %-format string: %% is an escape.
func printfVerbs(s string) []span {
	var out []span
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			out = append(out, span{i, i + 2, "%"})
			i++
			continue
		}
		j := i + 1
		// flags, width, precision, argument index, Python mapping key
		if j < len(s) && s[j] == '(' {
			if k := strings.IndexByte(s[j:], ')'); k >= 0 {
				j += k + 1
			}
		}
		for j < len(s) && strings.IndexByte("+-# 0123456789.*[]", s[j]) >= 0 {
			j++
		}
		if j < len(s) {
			j++ // the verb letter
		}
		out = append(out, span{i, j, ""})
		i = j - 1
	}
	return out
}

// braceFields finds the fields of a Rust format! string, a Python f-string or a str.format
// template: {…} is a field, {{ and }} are escapes.
func braceFields(s string) []span {
	var out []span
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if i+1 < len(s) && s[i+1] == '{' {
				out = append(out, span{i, i + 2, "{"})
				i++
				continue
			}
			depth, j := 0, i
			for ; j < len(s); j++ {
				if s[j] == '{' {
					depth++
				} else if s[j] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j == len(s) {
				return out
			}
			out = append(out, span{i, j + 1, ""})
			i = j
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				out = append(out, span{i, i + 2, "}"})
				i++
			}
		}
	}
	return out
}

// isMetricName and isLabelName are Prometheus's classic name checks.
func isMetricName(s string) bool { return model.LegacyValidation.IsValidMetricName(s) }

func isLabelName(s string) bool { return model.LegacyValidation.IsValidLabelName(s) }
