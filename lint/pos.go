// Package lint is driftlint's engine: positions, findings, the project model, rules and the
// runner. Loaders (lint/load) fill a Project; rules (package rules) read it and report.
package lint

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unsafe"
)

// Pos is a position in a project file. Line and Col are 1-based and Col counts bytes;
// Line 0 means the whole file.
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether the position names a file.
func (p Pos) IsValid() bool { return p.File != "" }

// String formats the position as file:line:col (file alone for whole-file positions).
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Less orders positions by file, line and column.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// SourceFile is one input file held in memory, with a line index for positions.
type SourceFile struct {
	Path  string // slash-separated, relative to the project root
	Src   []byte // never modified once the SourceFile exists
	text  string // Src's bytes as a string, sharing their memory
	lines []int  // byte offset of each line start
}

// NewSourceFile indexes src for position lookups. The caller must not modify src afterwards:
// the file's Text and every verbatim span of it share src's memory.
func NewSourceFile(path string, src []byte) *SourceFile {
	lines := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for i, c := range src {
		if c == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &SourceFile{Path: path, Src: src, text: unsafe.String(unsafe.SliceData(src), len(src)), lines: lines}
}

// Text is the file's content as a string. It shares Src's memory, so slicing it copies
// nothing: a project keeps each file's bytes once, however many spans point into them.
func (f *SourceFile) Text() string { return f.text }

// Pos converts a byte offset into a position. Offsets past the end clamp to the end.
func (f *SourceFile) Pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	return Pos{File: f.Path, Line: i + 1, Col: off - f.lines[i] + 1}
}

// Offset converts a position in the file back into a byte offset: the inverse of Pos.
func (f *SourceFile) Offset(p Pos) int { return f.LineStart(p.Line) + p.Col - 1 }

// LineCount is the number of lines in the file.
func (f *SourceFile) LineCount() int { return len(f.lines) }

// LineStart is the byte offset of the 1-based line n.
func (f *SourceFile) LineStart(n int) int {
	if n < 1 {
		return 0
	}
	if n > len(f.lines) {
		return len(f.Src)
	}
	return f.lines[n-1]
}

// Line returns the text of the 1-based line n, without its newline. It copies nothing, so
// findings on a minified JSON or a one-line dashboard, which all ask for the same line of
// megabytes, cost nothing each.
func (f *SourceFile) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start := f.lines[n-1]
	end := len(f.Src)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	return strings.TrimSuffix(f.text[start:end], "\r")
}

// Span is a piece of text taken from a file, possibly decoded (YAML block scalars, JSON
// escapes, Grafana variables replaced), with the file offset of each of its bytes so that
// any byte maps back to its place in the file.
type Span struct {
	Value string
	File  *SourceFile
	// Offs holds the file offset of each byte of Value, plus one entry for the end.
	// When nil, Value is a verbatim copy of the file starting at Start. Read it through
	// Offset: MappedSpan stores it compactly, as runs of consecutive offsets.
	Offs  []int32
	Start int
}

// MappedSpan returns the span of value whose byte i comes from file offset offs[i] (offs
// has one more entry, for the end). The offsets are stored as runs when that is smaller:
// a YAML block scalar or a Markdown fence is a few runs, one per line, instead of four
// bytes per byte.
func MappedSpan(value string, f *SourceFile, offs []int32) Span {
	start := 0
	if len(offs) > 0 {
		start = int(offs[0])
	}
	return Span{Value: value, File: f, Offs: compactOffsets(offs), Start: start}
}

// runMarker starts an Offs slice stored as runs: [runMarker, n, idx0, off0, idx1, off1, …]
// where n is the number of offsets and byte i of run k (idx_k <= i < idx_k+1) is at
// off_k + i - idx_k. File offsets are never negative, so the marker cannot be an offset.
const runMarker = -1

// compactOffsets stores offs as runs when that takes less than half the room.
func compactOffsets(offs []int32) []int32 {
	runs := 0
	for i := range offs {
		if i == 0 || offs[i] != offs[i-1]+1 {
			runs++
			if 2+2*runs > len(offs)/2 {
				return offs
			}
		}
	}
	out := make([]int32, 0, 2+2*runs)
	out = append(out, runMarker, int32(len(offs)))
	for i := range offs {
		if i == 0 || offs[i] != offs[i-1]+1 {
			out = append(out, int32(i), offs[i])
		}
	}
	return out
}

// VerbatimSpan returns the span of src[start:end] in f.
func VerbatimSpan(f *SourceFile, start, end int) Span {
	return Span{Value: f.text[start:end], File: f, Start: start}
}

// Offset returns the file byte offset of byte i of the span's value.
func (s Span) Offset(i int) int {
	if s.Offs == nil {
		if i > len(s.Value) {
			i = len(s.Value)
		}
		return s.Start + max(i, 0)
	}
	if len(s.Offs) == 0 {
		return s.Start
	}
	if s.Offs[0] == runMarker && len(s.Offs) >= 4 {
		i = min(max(i, 0), int(s.Offs[1])-1)
		runs := s.Offs[2:]
		// The last run whose first index is at most i.
		k := sort.Search(len(runs)/2, func(k int) bool { return int(runs[2*k]) > i }) - 1
		return int(runs[2*k+1]) + i - int(runs[2*k])
	}
	if i >= len(s.Offs) {
		i = len(s.Offs) - 1
	}
	return int(s.Offs[max(i, 0)])
}

// Pos returns the file position of byte i of the span's value.
func (s Span) Pos(i int) Pos {
	if s.File == nil {
		return Pos{}
	}
	return s.File.Pos(s.Offset(i))
}

// StartPos is the position of the span's first byte.
func (s Span) StartPos() Pos { return s.Pos(0) }

// Sub returns the part of the span between value bytes i and j.
func (s Span) Sub(i, j int) Span {
	if s.Offs == nil {
		return Span{Value: s.Value[i:j], File: s.File, Start: s.Start + i}
	}
	offs := make([]int32, j-i+1)
	for k := i; k <= j; k++ {
		offs[k-i] = int32(s.Offset(k))
	}
	return MappedSpan(s.Value[i:j], s.File, offs)
}
