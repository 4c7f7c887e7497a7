package guard

// The depth scans below run on the text before a parser sees it, in one linear pass with
// constant memory, so that a file built to be deep costs no more than a file of its size.
// Each returns where the nesting first goes past max; they never parse, so they may count a
// little more or less than the parser would (each says how), never without bound.

// PromQLDepth returns the byte offset in s of the first (, [ or { that nests deeper than
// max, or -1. Brackets inside string literals ("…", '…' with backslash escapes, `…` raw)
// and # comments are not counted; a closing bracket without an opening one counts nothing.
func PromQLDepth(s string, max int) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\'', '`':
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' && c != '`' {
					i++
				}
			}
		case '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case '(', '[', '{':
			depth++
			if depth > max {
				return i
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}

// JSONDepth returns the byte offset in b of the first [ or { that nests deeper than max, or
// -1. Brackets inside strings are not counted. On valid JSON this is exactly the nesting
// encoding/json sees.
func JSONDepth(b []byte, max int) int {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
			if depth > max {
				return i
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}

// YAMLDepth returns the 1-based line of s on which the nesting first goes past max, or 0.
// The nesting of a line is the number of block levels open at it plus the flow brackets
// open before its end. Block levels are counted by indentation: a line indented more than
// the innermost open level opens one more, a line indented less closes the levels it is
// left of, and each "- " that follows another on one line ("- - - x") opens one more.
// Flow brackets are [ and { outside quoted scalars ('…', "…") and # comments. The content
// of block scalars (| and >) is skipped, and "---" starts a new document. This is an
// approximation of what go.yaml.in/yaml/v3 builds: a bracket inside a plain scalar
// (key: a[b) counts though YAML reads it as text, and a mapping value on its key's line
// (a: {b: 1}) counts its brackets but not the key's own level.
func YAMLDepth(s string, max int) int {
	var levels []int // indentation of the open block levels, innermost last
	flow := 0
	scalarIndent := -1 // indentation of the line that opened a block scalar, or -1
	line := 0
	for start := 0; start < len(s); {
		end := start
		for end < len(s) && s[end] != '\n' {
			end++
		}
		l := s[start:end]
		start = end + 1
		line++
		indent := 0
		for indent < len(l) && l[indent] == ' ' {
			indent++
		}
		body := l[indent:]
		if len(body) > 0 && body[len(body)-1] == '\r' {
			body = body[:len(body)-1]
		}
		if body == "" || body[0] == '#' && flow == 0 {
			continue
		}
		if scalarIndent >= 0 {
			if indent > scalarIndent {
				continue
			}
			scalarIndent = -1
		}
		if flow == 0 {
			if indent == 0 && (body == "---" || len(body) > 3 && body[:4] == "--- " || body == "...") {
				levels = levels[:0]
				continue
			}
			for len(levels) > 0 && levels[len(levels)-1] > indent {
				levels = levels[:len(levels)-1]
			}
			if len(levels) == 0 || levels[len(levels)-1] < indent {
				levels = append(levels, indent)
			}
			// "- - x": each dash after the first opens a level at its column.
			for j := 0; j+1 < len(body) && body[j] == '-' && (body[j+1] == ' ' || body[j+1] == '\t'); {
				j++
				for j < len(body) && (body[j] == ' ' || body[j] == '\t') {
					j++
				}
				levels = append(levels, indent+j)
				if len(levels) > max {
					return line
				}
			}
			if len(levels) > max {
				return line
			}
		}
		var quote byte
		last := byte(0) // last byte outside quotes and comments that is not a blank
		for j := 0; j < len(body); j++ {
			c := body[j]
			if quote != 0 {
				switch {
				case c == '\\' && quote == '"':
					j++
				case c == quote:
					quote = 0
				}
				continue
			}
			switch c {
			case '\'', '"':
				if j == 0 || body[j-1] == ' ' || body[j-1] == '\t' || body[j-1] == '[' || body[j-1] == '{' || body[j-1] == ',' || body[j-1] == ':' {
					quote = c
				}
			case '#':
				if j == 0 || body[j-1] == ' ' || body[j-1] == '\t' {
					j = len(body)
					continue
				}
			case '[', '{':
				flow++
				if len(levels)+flow > max {
					return line
				}
			case ']', '}':
				if flow > 0 {
					flow--
				}
			}
			if c != ' ' && c != '\t' {
				last = c
			}
		}
		if flow == 0 && blockScalarIndicator(body, last) {
			scalarIndent = indent
		}
	}
	return 0
}

// blockScalarIndicator reports whether a line ends with a block scalar's header: | or >,
// maybe with a chomping indicator and an indentation digit (key: |-, - >2).
func blockScalarIndicator(body string, last byte) bool {
	if last == 0 {
		return false
	}
	// Strip a trailing comment, then blanks.
	for j := 0; j < len(body); j++ {
		if body[j] == '#' && (j == 0 || body[j-1] == ' ' || body[j-1] == '\t') {
			body = body[:j]
			break
		}
	}
	for len(body) > 0 && (body[len(body)-1] == ' ' || body[len(body)-1] == '\t') {
		body = body[:len(body)-1]
	}
	j := len(body)
	for j > 0 && (body[j-1] == '+' || body[j-1] == '-' || body[j-1] >= '1' && body[j-1] <= '9') && len(body)-j < 2 {
		j--
	}
	if j == 0 || body[j-1] != '|' && body[j-1] != '>' {
		return false
	}
	return j == 1 || body[j-2] == ' ' || body[j-2] == '\t'
}

// MarkdownDepth returns the 1-based line of src on which the nesting of block containers
// first goes past max, or 0. The nesting of a line is the number of > block-quote markers
// that start it, plus the list items open at it: each list marker (-, *, + or 1. / 1) and
// a blank or the end of the line after it) at the start of the line, after the one before
// it on the same line ("- - - x"), opens an item; an item stays open for later lines
// indented at least to its content, and a list marker, or a line after a blank line,
// indented less closes it. Lines of fenced code blocks, indented code and thematic breaks
// (- - -) open nothing. Lazy continuation lines keep the items open, as CommonMark does.
// It approximates goldmark's nesting: list items inside block quotes are counted by their
// indentation after the > markers, which can count an item the quote has closed.
func MarkdownDepth(src []byte, max int) int {
	var items []int // content columns of the open list items, innermost last
	var fence []byte
	blank := false
	line := 0
	for start := 0; start < len(src); {
		end := start
		for end < len(src) && src[end] != '\n' {
			end++
		}
		l := src[start:end]
		start = end + 1
		line++
		if len(l) > 0 && l[len(l)-1] == '\r' {
			l = l[:len(l)-1]
		}
		quotes, j := 0, 0
		for {
			k := j
			for k < len(l) && k-j < 3 && l[k] == ' ' {
				k++
			}
			if k < len(l) && l[k] == '>' {
				quotes++
				j = k + 1
				if j < len(l) && (l[j] == ' ' || l[j] == '\t') {
					j++
				}
				continue
			}
			break
		}
		rest := l[j:]
		indent := 0
		for indent < len(rest) && (rest[indent] == ' ' || rest[indent] == '\t') {
			if rest[indent] == '\t' {
				indent += 4 - indent%4
			} else {
				indent++
			}
		}
		body := trimLeft(rest)
		if fence != nil {
			if len(body) > 0 && body[0] == fence[0] && allByte(body, fence[0], len(fence)) {
				fence = nil
			}
			continue
		}
		if len(body) == 0 {
			blank = true
			if quotes+len(items) > max {
				return line
			}
			continue
		}
		inner := 0
		if len(items) > 0 {
			inner = items[len(items)-1]
		}
		if indent >= inner+4 {
			blank = false
			continue // indented code
		}
		if f := fenceOpen(body); f != nil {
			fence = f
			blank = false
			continue
		}
		var cols []int
		at := indent
		tail := breakTail(body)
		for b := body; ; {
			if len(body)-len(b) >= tail && thematicBreak(b) {
				break
			}
			n := listMarker(b)
			if n == 0 {
				break
			}
			k := n
			for k < len(b) && k-n < 4 && (b[k] == ' ' || b[k] == '\t') {
				k++
			}
			at += k
			cols = append(cols, at)
			b = b[k:]
		}
		if len(cols) > 0 || blank {
			for len(items) > 0 && items[len(items)-1] > indent {
				items = items[:len(items)-1]
			}
		}
		items = append(items, cols...)
		blank = false
		if quotes+len(items) > max {
			return line
		}
	}
	return 0
}

func trimLeft(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

func allByte(b []byte, c byte, n int) bool {
	i := 0
	for i < len(b) && b[i] == c {
		i++
	}
	return i >= n && len(trimLeft(b[i:])) == 0
}

// fenceOpen returns the fence (``` or ~~~, three or more) that opens a fenced code block
// on this line, or nil.
func fenceOpen(b []byte) []byte {
	if len(b) < 3 || b[0] != '`' && b[0] != '~' {
		return nil
	}
	n := 0
	for n < len(b) && b[n] == b[0] {
		n++
	}
	if n < 3 {
		return nil
	}
	return b[:n]
}

// thematicBreak reports whether b is a thematic break: three or more of one of - * _ with
// only blanks between them.
func thematicBreak(b []byte) bool {
	var c byte
	n := 0
	for _, x := range b {
		switch {
		case x == ' ' || x == '\t':
		case c == 0 && (x == '-' || x == '*' || x == '_'):
			c, n = x, 1
		case x == c:
			n++
		default:
			return false
		}
	}
	return n >= 3
}

// breakTail returns the offset of the longest tail of b made of blanks and one of - * _
// only: a rest of the line before it cannot be a thematic break. It keeps the marker loop
// of MarkdownDepth linear.
func breakTail(b []byte) int {
	var c byte
	i := len(b)
	for i > 0 {
		x := b[i-1]
		if x == ' ' || x == '\t' {
			i--
			continue
		}
		if c == 0 && (x == '-' || x == '*' || x == '_') {
			c = x
		}
		if x != c {
			break
		}
		i--
	}
	return i
}

// listMarker returns the length of the list marker at the start of b (- * + or up to nine
// digits and . or )), which must be followed by a blank or the end of the line, or 0.
func listMarker(b []byte) int {
	n := 0
	switch {
	case len(b) > 0 && (b[0] == '-' || b[0] == '*' || b[0] == '+'):
		n = 1
	default:
		for n < len(b) && n < 9 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(b) || b[n] != '.' && b[n] != ')' {
			return 0
		}
		n++
	}
	if n < len(b) && b[n] != ' ' && b[n] != '\t' {
		return 0
	}
	return n
}
