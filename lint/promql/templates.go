package promql

import (
	"strings"

	"github.com/prometheus/common/model"
)

// LabelRef is a label name that a template or a legend reads, with the byte offset of the
// name in the text it was found in.
type LabelRef struct {
	Name string
	Off  int // byte offset of the first byte of Name
}

// LegendLabels returns the labels that a Grafana legendFormat reads, in order: every
// {{x}} or {{ x }} whose content is a label name. Grafana variables ({{$var}}), stand-ins
// (__gv_…), __name__ and anything that is not a plain label name are skipped.
func LegendLabels(legend string) []LabelRef {
	var out []LabelRef
	for i := 0; i < len(legend); {
		open := strings.Index(legend[i:], "{{")
		if open < 0 {
			break
		}
		start := i + open + 2
		end := strings.Index(legend[start:], "}}")
		if end < 0 {
			break
		}
		end += start
		a, b := start, end
		for a < b && isBlank(legend[a]) {
			a++
		}
		for b > a && isBlank(legend[b-1]) {
			b--
		}
		if name := legend[a:b]; IsLabelName(name) && !IsVariable(name) && name != "__name__" {
			out = append(out, LabelRef{Name: name, Off: a})
		}
		i = end + 2
	}
	return out
}

// TemplateLabels returns the labels that a Prometheus alert label or annotation template
// reads from the alert's series, in order: $labels.x, .Labels.x (also $.Labels.x),
// index $labels "x" and index .Labels "x". $labels.x counts anywhere in the text, inside
// or outside {{ … }}. $externalLabels.x, $value and other data are not series labels and
// are not returned.
func TemplateLabels(tmpl string) []LabelRef {
	var out []LabelRef
	for i := 0; i < len(tmpl); i++ {
		switch {
		case strings.HasPrefix(tmpl[i:], "$labels"):
			if ref, ok := labelsAccess(tmpl, i, i+len("$labels")); ok {
				out = append(out, ref)
			}
		case strings.HasPrefix(tmpl[i:], ".Labels") && (i == 0 || !isIdentByte(tmpl[i-1])):
			if ref, ok := labelsAccess(tmpl, i, i+len(".Labels")); ok {
				out = append(out, ref)
			}
		case strings.HasPrefix(tmpl[i:], "index") && (i == 0 || !isIdentByte(tmpl[i-1])):
			if ref, ok := indexAccess(tmpl, i+len("index")); ok {
				out = append(out, ref)
			}
		}
	}
	return out
}

// labelsAccess reads the field access after a labels map that spans tmpl[start:end]: .x.
func labelsAccess(tmpl string, start, end int) (LabelRef, bool) {
	if start > 0 && isIdentByte(tmpl[start-1]) && tmpl[start] == '$' {
		return LabelRef{}, false
	}
	if end >= len(tmpl) || tmpl[end] != '.' {
		return LabelRef{}, false
	}
	j := end + 1
	for j < len(tmpl) && isIdentByte(tmpl[j]) {
		j++
	}
	name := tmpl[end+1 : j]
	if !IsLabelName(name) {
		return LabelRef{}, false
	}
	return LabelRef{Name: name, Off: end + 1}, true
}

// indexAccess reads ` $labels "x"` or ` .Labels "x"` (also with a backquoted string) after
// the index keyword that ends at i.
func indexAccess(tmpl string, i int) (LabelRef, bool) {
	j := skipBlanks(tmpl, i)
	if j == i {
		return LabelRef{}, false
	}
	switch {
	case strings.HasPrefix(tmpl[j:], "$labels"):
		j += len("$labels")
	case strings.HasPrefix(tmpl[j:], "$.Labels"):
		j += len("$.Labels")
	case strings.HasPrefix(tmpl[j:], ".Labels"):
		j += len(".Labels")
	default:
		return LabelRef{}, false
	}
	k := skipBlanks(tmpl, j)
	if k == j || k >= len(tmpl) || tmpl[k] != '"' && tmpl[k] != '`' {
		return LabelRef{}, false
	}
	end := strings.IndexByte(tmpl[k+1:], tmpl[k])
	if end < 0 {
		return LabelRef{}, false
	}
	name := tmpl[k+1 : k+1+end]
	if !IsLabelName(name) {
		return LabelRef{}, false
	}
	return LabelRef{Name: name, Off: k + 1}, true
}

func skipBlanks(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// IsLabelName reports whether s is a classic label name: [a-zA-Z_][a-zA-Z0-9_]*.
func IsLabelName(s string) bool { return model.LegacyValidation.IsValidLabelName(s) }
