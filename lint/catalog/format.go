package catalog

import (
	"bytes"
	"fmt"
	"strings"
)

// The data file of an exporter (data/NAME.tsv) is text, one record a line, fields
// separated by tabs, so that a regeneration diffs by family and decoding is a split:
//
//	excuses	VERSION	GLOB	GLOB…
//	family	NAME	TYPE	SINCE	UNTIL	RENAMED_TO	FLAGS	LABEL,LABEL…	HELP
//
// FLAGS is a comma-separated list: labels-unknown (Family.LabelsUnknown). Empty fields
// are empty strings. In HELP, a backslash, tab and newline are written \\, \t
// and \n; the other fields never hold them (names, types, versions and label names are
// checked by the generator).

// ExporterData is an exporter's data file: the excuse globs by version name, and the
// families sorted by name.
type ExporterData struct {
	Excuses  map[string][]string
	Families []Family
}

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`)

// Encode writes an exporter's data file; versions orders the excuse lines.
func (d *ExporterData) Encode(versions []string) ([]byte, error) {
	var b bytes.Buffer
	for _, v := range versions {
		if ex := d.Excuses[v]; len(ex) > 0 {
			fields := append([]string{"excuses", v}, ex...)
			for _, f := range fields {
				if strings.ContainsAny(f, "\t\n") {
					return nil, fmt.Errorf("excuse %q holds a tab or newline", f)
				}
			}
			b.WriteString(strings.Join(fields, "\t"))
			b.WriteByte('\n')
		}
	}
	for _, f := range d.Families {
		flags := ""
		if f.LabelsUnknown {
			flags = "labels-unknown"
		}
		fields := []string{f.Name, f.Type, f.Since, f.Until, f.RenamedTo, flags, strings.Join(f.Labels, ",")}
		for _, s := range fields {
			if strings.ContainsAny(s, "\t\n\\") {
				return nil, fmt.Errorf("family %q: field %q holds a tab, newline or backslash", f.Name, s)
			}
		}
		for _, l := range f.Labels {
			if l == "" || strings.Contains(l, ",") {
				return nil, fmt.Errorf("family %q: label %q is empty or holds a comma", f.Name, l)
			}
		}
		b.WriteString("family\t")
		b.WriteString(strings.Join(fields, "\t"))
		b.WriteByte('\t')
		b.WriteString(helpEscaper.Replace(f.Help))
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// DecodeData reads an exporter's data file.
func DecodeData(s string) (*ExporterData, error) {
	d := &ExporterData{Excuses: map[string][]string{}}
	d.Families = make([]Family, 0, strings.Count(s, "\nfamily\t")+1)
	for n := 1; s != ""; n++ {
		line, rest, _ := strings.Cut(s, "\n")
		s = rest
		kind, fields, _ := strings.Cut(line, "\t")
		switch kind {
		case "excuses":
			parts := strings.Split(fields, "\t")
			d.Excuses[parts[0]] = parts[1:]
		case "family":
			var f [8]string
			for i := range 7 {
				var ok bool
				if f[i], fields, ok = strings.Cut(fields, "\t"); !ok {
					return nil, fmt.Errorf("line %d: a family needs 8 fields", n)
				}
			}
			f[7] = fields
			fd := Family{Name: f[0], Type: f[1], Since: f[2], Until: f[3], RenamedTo: f[4], Help: unescapeHelp(f[7])}
			for flag := range strings.SplitSeq(f[5], ",") {
				switch flag {
				case "":
				case "labels-unknown":
					fd.LabelsUnknown = true
				default:
					return nil, fmt.Errorf("line %d: unknown flag %q", n, flag)
				}
			}
			if f[6] != "" {
				fd.Labels = strings.Split(f[6], ",")
			}
			d.Families = append(d.Families, fd)
		default:
			return nil, fmt.Errorf("line %d: unknown record %q", n, kind)
		}
	}
	return d, nil
}

func unescapeHelp(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 't':
				b.WriteByte('\t')
			case 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
