package docsfix

import (
	"math/rand/v2"
	"slices"
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
			name: "changes six lines apart share one hunk",
			old:  "1\n2\n3\n4\n5\n6\n7\n8\n",
			new:  "one\n2\n3\n4\n5\n6\n7\neight\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -1,8 +1,8 @@
-1
+one
 2
 3
 4
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
			name: "a line added to an empty file",
			old:  "",
			new:  "a\n",
			want: `--- a/doc.md
+++ b/doc.md
@@ -0,0 +1 @@
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

// lcs is the length of a longest common subsequence, by dynamic programming.
func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i, x := range slices.Backward(a) {
		for j, y := range slices.Backward(b) {
			if x == y {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestDiffLinesIsAShortestEditScript(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() []string {
		n := r.IntN(30)
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + r.IntN(4)))
		}
		return out
	}
	for i := range 3000 {
		a, b := gen(), gen()
		ops := diffLines(a, b)
		var gotA, gotB []string
		edits := 0
		for _, o := range ops {
			switch o.kind {
			case ' ':
				if a[o.a] != b[o.b] {
					t.Fatalf("case %d: equal op joins %q and %q", i, a[o.a], b[o.b])
				}
				gotA, gotB = append(gotA, a[o.a]), append(gotB, b[o.b])
			case '-':
				gotA = append(gotA, a[o.a])
				edits++
			case '+':
				gotB = append(gotB, b[o.b])
				edits++
			}
		}
		if strings.Join(gotA, "") != strings.Join(a, "") || strings.Join(gotB, "") != strings.Join(b, "") {
			t.Fatalf("case %d: script does not rebuild the inputs:\na=%q\nb=%q\nops=%v", i, a, b, ops)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("case %d: %d edits, want %d:\na=%q\nb=%q", i, edits, want, a, b)
		}
	}
}
