package source

import "strings"

// goGrowth says, for each gauge held in a package variable or a struct field (holders are
// "v:name" and "f:name"), whether the Go code of the set only ever makes it grow: every use
// of the holder is an Inc or Add (directly, or on a child from WithLabelValues, With or
// CurryWith), or its registration; at least one is. A Dec, Sub, Set or SetToCurrentTime, an
// assignment, or the holder passed anywhere else (where it could be set) means it may go
// down. It reads the text, not types: a name that another package reuses for something
// else counts as a use, which only makes the answer "may go down" (the safe side). A
// variable is a word not after a dot, a field a word after one. The texts are scanned once
// for all holders, word by word.
func goGrowth(texts []string, holders []string) map[string]bool {
	type state struct{ grows, down bool }
	kinds := map[string][]byte{} // word → 'v' and/or 'f'
	st := map[string]*state{}
	for _, h := range holders {
		kind, name, ok := strings.Cut(h, ":")
		if !ok || name == "" || (kind != "v" && kind != "f") || st[h] != nil {
			continue
		}
		st[h] = &state{}
		kinds[name] = append(kinds[name], kind[0])
	}
	if len(kinds) == 0 {
		return nil
	}
	for _, t := range texts {
		for i := 0; i < len(t); {
			if !isWordByte(t[i]) {
				i++
				continue
			}
			j := i + 1
			for j < len(t) && isWordByte(t[j]) {
				j++
			}
			ks := kinds[t[i:j]]
			afterDot := i > 0 && t[i-1] == '.'
			for _, k := range ks {
				s := st[string(k)+":"+t[i:j]]
				if s.down || (k == 'v') == afterDot {
					continue
				}
				switch goUse(t, j) {
				case useGrow:
					s.grows = true
				case useOther:
					if !registration(t, max(i-1, 0)) {
						s.down = true
					}
				case useShrink:
					s.down = true
				case useNone: // its definition, or an assignment the walker reads
				}
			}
			i = j
		}
	}
	out := map[string]bool{}
	for h, s := range st {
		out[h] = s.grows && !s.down
	}
	return out
}

// isWordByte reports whether c is a regexp \w byte: an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

type growUse int

const (
	useNone   growUse = iota // the definition itself (name = …, name: …, var name)
	useGrow                  // .Inc(), .Add(…)
	useShrink                // .Dec(), .Sub(…), .Set(…), .SetToCurrentTime()
	useOther                 // passed or returned: anything may happen to it
)

// goUse classifies what follows an occurrence of a holder ending at i.
func goUse(t string, i int) growUse {
	rest := strings.TrimLeft(t[i:], " \t")
	switch {
	case strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "=="),
		strings.HasPrefix(rest, ":"):
		return useNone // a definition, a composite literal's field, or an assignment
	case !strings.HasPrefix(rest, "."):
		return useOther
	}
	for hops := 0; strings.HasPrefix(rest, ".") && hops < 4; hops++ {
		rest = strings.TrimLeft(rest[1:], " \t\n")
		method := rest[:len(rest)-len(strings.TrimLeft(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))]
		rest = rest[len(method):]
		switch method {
		case "Inc", "Add":
			return useGrow
		case "Dec", "Sub", "Set", "SetToCurrentTime":
			return useShrink
		case "WithLabelValues", "With", "CurryWith", "MustCurryWith", "GetMetricWithLabelValues", "GetMetricWith":
			end := closeParen(rest)
			if end < 0 {
				return useOther
			}
			rest = strings.TrimLeft(rest[end:], " \t\n")
			if strings.HasPrefix(rest, ")") || strings.HasPrefix(rest, ",") { // err-returning forms
				return useOther
			}
		default:
			return useOther // Describe, Collect, Reset (…): not a plain growth
		}
	}
	return useOther
}

// closeParen returns the offset just past the parenthesized group that s starts with, or -1.
func closeParen(s string) int {
	if !strings.HasPrefix(s, "(") {
		return -1
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"', '`':
			q := s[i]
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				return -1
			}
			i += j + 1
		}
	}
	return -1
}

// registration reports whether the occurrence at i is an argument of a Register or
// MustRegister call on its line: registering a gauge does not change it.
func registration(t string, i int) bool {
	line := t[strings.LastIndexByte(t[:i], '\n')+1 : i+1]
	return strings.Contains(line, "Register(")
}
