package markdown

import (
	"path"
	"strings"

	"github.com/itchyny/gojq"

	"github.com/driftlint/driftlint/lint"
)

// A shell word or operator, with the span of its decoded value.
type shellToken struct {
	word lint.Span
	op   string // "" for a word; "|" pipe, ";" command separator, ">" redirection
}

// shell finds the jq programs of `curl … | jq '…'` pipelines in shell text (a code block or
// an inline code span) and records them with the exact span of the program.
func (l *loader) shell(s lint.Span) {
	if !strings.Contains(s.Value, "jq") {
		return
	}
	for _, prog := range jqPrograms(s) {
		p := lint.JQProgram{Program: prog, Owner: l.owner}
		p.Query, p.Err = gojq.Parse(prog.Value)
		if p.Err != nil {
			p.Query = nil
		}
		l.md.JQ = append(l.md.JQ, p)
	}
}

// isFetcher reports whether a command is an HTTP client whose output a jq program reads
// when it is piped into jq.
func isFetcher(cmd string) bool {
	switch cmd {
	case "curl", "wget", "http", "https", "xh", "curlie":
		return true
	}
	return false
}

// jqPrograms returns the program argument of every jq command that reads the output of an
// HTTP client earlier in the same pipeline.
func jqPrograms(s lint.Span) []lint.Span {
	var out []lint.Span
	var cmd []lint.Span // words of the current command
	fetched := false    // an earlier command of this pipeline fetches over HTTP
	redirect := false   // the next word is a redirection target
	end := func() {
		if len(cmd) == 0 {
			return
		}
		name := commandName(cmd)
		if name == "jq" && fetched {
			if p, ok := jqProgram(cmd); ok {
				out = append(out, p)
			}
		}
		for _, w := range cmd {
			if isFetcher(path.Base(w.Value)) {
				fetched = true
			}
		}
		cmd = cmd[:0]
	}
	for _, t := range shellTokens(s) {
		switch t.op {
		case "":
			if redirect {
				redirect = false
				continue
			}
			cmd = append(cmd, t.word)
		case "|":
			end()
		case ">":
			redirect = true
		default:
			end()
			fetched = false
		}
	}
	end()
	return out
}

// commandName is the base name of a command's program, after prompts, variable
// assignments and wrappers such as sudo.
func commandName(cmd []lint.Span) string {
	for _, w := range cmd {
		v := w.Value
		switch {
		case v == "$" || v == "%" || v == "#":
		case strings.Contains(v, "=") && !strings.HasPrefix(v, "="):
		case v == "sudo" || v == "command" || v == "time" || v == "exec" || v == "env":
		default:
			return path.Base(v)
		}
	}
	return ""
}

// jqProgram returns the program argument of a jq command line, skipping options and their
// values. A program read from a file (-f) has no program argument.
func jqProgram(cmd []lint.Span) (lint.Span, bool) {
	i := 0
	for i < len(cmd) && path.Base(cmd[i].Value) != "jq" {
		i++
	}
	for i++; i < len(cmd); i++ {
		a := cmd[i].Value
		switch {
		case a == "--":
			if i+1 < len(cmd) {
				return cmd[i+1], true
			}
			return lint.Span{}, false
		case strings.HasPrefix(a, "--"):
			switch a {
			case "--arg", "--argjson", "--slurpfile", "--rawfile":
				i += 2
			case "--indent", "--library-path":
				i++
			case "--from-file":
				return lint.Span{}, false
			}
		case len(a) > 1 && a[0] == '-':
			if strings.ContainsRune(a[1:], 'f') {
				return lint.Span{}, false
			}
			if a == "-L" {
				i++
			}
		default:
			return cmd[i], true
		}
	}
	return lint.Span{}, false
}

// shellTokens splits shell text into words and operators, decoding quotes and escapes; each
// word keeps the file offset of every byte. It is no full shell parser: enough for the
// pipelines runbooks show.
func shellTokens(s lint.Span) []shellToken {
	v := s.Value
	var toks []shellToken
	var b builder
	inWord := false
	flush := func(i int) {
		if inWord {
			toks = append(toks, shellToken{word: wordSpan(s, &b, i)})
		}
		b = builder{}
		inWord = false
	}
	op := func(i int, o string) {
		flush(i)
		toks = append(toks, shellToken{op: o})
	}
	add := func(i int) {
		b.buf = append(b.buf, v[i])
		b.offs = append(b.offs, int32(i))
		inWord = true
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch c {
		case ' ', '\t', '\r':
			flush(i)
		case '\n':
			// A line ending in a pipe continues the pipeline.
			if !inWord && len(toks) > 0 && toks[len(toks)-1].op == "|" {
				continue
			}
			op(i, ";")
		case '|':
			if i+1 < len(v) && v[i+1] == '|' {
				op(i, ";")
				i++
				continue
			}
			if i+1 < len(v) && v[i+1] == '&' {
				i++
			}
			op(i, "|")
		case ';', '&', '(', ')', '`', '{', '}':
			op(i, ";")
		case '<', '>':
			op(i, ">")
			for i+1 < len(v) && (v[i+1] == '>' || v[i+1] == '&' || v[i+1] == '<') {
				i++
			}
		case '$':
			if i+1 < len(v) && v[i+1] == '(' {
				op(i, ";")
				i++
				continue
			}
			add(i)
		case '\\':
			if i+1 < len(v) {
				i++
				if v[i] == '\n' {
					flush(i)
					continue
				}
				add(i)
			}
		case '\'':
			inWord = true
			for i++; i < len(v) && v[i] != '\''; i++ {
				add(i)
			}
		case '"':
			inWord = true
			for i++; i < len(v) && v[i] != '"'; i++ {
				if v[i] == '\\' && i+1 < len(v) && strings.IndexByte("$`\"\\\n", v[i+1]) >= 0 {
					i++
					if v[i] == '\n' {
						continue
					}
				}
				add(i)
			}
		default:
			add(i)
		}
	}
	flush(len(v))
	return toks
}

// wordSpan turns the bytes of a word (offsets into s's value) into a span of the file.
func wordSpan(s lint.Span, b *builder, end int) lint.Span {
	fb := builder{buf: b.buf, offs: make([]int32, len(b.offs))}
	last := end
	for i, o := range b.offs {
		fb.offs[i] = int32(s.Offset(int(o)))
		last = int(o) + 1
	}
	return fb.span(s.File, s.Offset(last))
}
