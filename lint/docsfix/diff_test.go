package docsfix

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{
			name: "equal contents give no diff",
			old:  "a\nb\n", new: "a\nb\n",
			want: "",
		},
		{
			name: "a changed line is shown with three lines of context",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
			new:  "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+five
 6
 7
 8
`,
		},
		{
			name: "changes more than six lines apart make two hunks",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			new:  "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -1,4 +1,4 @@
-1
+one
 2
 3
 4
@@ -9,4 +9,4 @@
 9
 10
 11
-12
+twelve
`,
		},
		{
			// diff -u would print one hunk here (@@ -1,8 +1,8 @@); go-internal's diff ends the
			// first hunk after three lines of context and starts the next one at once. Both
			// apply alike.
			name: "changes six lines apart make two adjacent hunks",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n",
			new:  "one\n2\n3\n4\n5\n6\n7\neight\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -1,4 +1,4 @@
-1
+one
 2
 3
 4
@@ -5,4 +5,4 @@
 5
 6
 7
-8
+eight
`,
		},
		{
			name: "lines added at the end of a file",
			old:  "a\nb\n",
			new:  "a\nb\nc\nd\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -1,2 +1,4 @@
 a
 b
+c
+d
`,
		},
		{
			name: "a line added to an empty file (the count is always written)",
			old:  "",
			new:  "a\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -0,0 +1,1 @@
+a
`,
		},
		{
			name: "a last line without a newline is marked",
			old:  "a\nb",
			new:  "a\nc",
			want: `--- a/doc.md
+++ b/doc.md
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+c
\ No newline at end of file
`,
		},
		{
			name: "adding the missing final newline changes the last line",
			old:  "a\nb",
			new:  "a\nb\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+b
`,
		},
		{
			name: "a row inserted into a table",
			old:  "| m | t |\n|---|---|\n| a | x |\n| b | y |\n\ntext\n",
			new:  "| m | t |\n|---|---|\n| a | x |\n| b | y |\n| c | z |\n\ntext\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -2,5 +2,6 @@
 |---|---|
 | a | x |
 | b | y |
+| c | z |
 
 text
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff("doc.md", []byte(tt.old), []byte(tt.new))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Diff (-want +got):\n%s", d)
			}
		})
	}
}

// apply applies a unified diff to old, checking each hunk's header counts and context.
func apply(t *testing.T, old, d string) string {
	t.Helper()
	lines := strings.SplitAfter(old, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out []string
	next := 0 // index in lines of the next line not yet copied
	dl := strings.SplitAfter(d, "\n")
	if len(dl) < 3 || !strings.HasPrefix(dl[0], "--- a/") || !strings.HasPrefix(dl[1], "+++ b/") {
		t.Fatalf("bad headers:\n%s", d)
	}
	hunk := regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$`)
	atoi := func(s, def string) int {
		if s == "" {
			s = def
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := 2; i < len(dl) && dl[i] != ""; {
		m := hunk.FindStringSubmatch(dl[i])
		if m == nil {
			t.Fatalf("line %d: not a hunk header: %q\n%s", i, dl[i], d)
		}
		start, na, nb := atoi(m[1], ""), atoi(m[2], "1"), atoi(m[4], "1")
		if na > 0 {
			start-- // 1-based, except for an empty side
		}
		out = append(out, lines[next:start]...)
		next = start
		i++
		ga, gb := 0, 0
		for i < len(dl) && dl[i] != "" && !strings.HasPrefix(dl[i], "@@") {
			k, line := dl[i][0], dl[i][1:]
			i++
			if i < len(dl) && dl[i] == "\\ No newline at end of file\n" {
				line = strings.TrimSuffix(line, "\n")
				i++
			}
			switch k {
			case ' ', '-':
				if next >= len(lines) || lines[next] != line {
					t.Fatalf("context or removed line %q does not match old line %d", line, next+1)
				}
				next++
				ga++
				if k == ' ' {
					out = append(out, line)
					gb++
				}
			case '+':
				out = append(out, line)
				gb++
			default:
				t.Fatalf("bad diff line %q", dl[i-1])
			}
		}
		if ga != na || gb != nb {
			t.Fatalf("hunk %q counts -%d +%d, header says -%d +%d", m[0], ga, gb, na, nb)
		}
	}
	out = append(out, lines[next:]...)
	return strings.Join(out, "")
}

func TestDiffAppliesToGiveTheNewText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() string {
		n := r.IntN(30)
		var b strings.Builder
		for range n {
			b.WriteString(string(rune('a' + r.IntN(4)))) // few distinct lines: many repeats
			b.WriteByte('\n')
		}
		s := b.String()
		if s != "" && r.IntN(4) == 0 {
			s = strings.TrimSuffix(s, "\n")
		}
		return s
	}
	for i := range 3000 {
		a, b := gen(), gen()
		d := Diff("doc.md", []byte(a), []byte(b))
		if a == b {
			if d != "" {
				t.Fatalf("case %d: equal texts gave a diff", i)
			}
			continue
		}
		if got := apply(t, a, d); got != b {
			t.Fatalf("case %d: the diff applied to\n%q\ngives\n%q\nwant\n%q\ndiff:\n%s", i, a, got, b, d)
		}
	}
}
