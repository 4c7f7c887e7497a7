package runbook

import (
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/driftlint/driftlint/lint"
)

// Status says what a link resolved to.
type Status int

// The outcomes of resolving a link.
const (
	// External links are not local files: another site, mailto:, a templated URL. They are
	// never fetched and never reported.
	External Status = iota
	// Found links name a file or folder of the project.
	Found
	// Missing links name a local file that does not exist.
	Missing
	// Unknown links are local, but the project's file list is unknown (Project.KnownPaths is
	// nil) and no loaded file matches, or they leave the project folder.
	Unknown
)

// Target is a resolved link.
type Target struct {
	Status Status
	// Path is the project-relative file (or folder) found, or for Missing the path looked
	// for first.
	Path string
	// Tried lists every path looked for, for messages about Missing links.
	Tried []string
	// Dir is set when a Found link names a folder without an index page.
	Dir bool
	// Fragment is the percent-decoded anchor without '#'; "" when the link has none.
	Fragment string
	// FragmentAt is the byte offset of the anchor (just after '#') in the link, or -1.
	FragmentAt int
	// Markdown is the target when it is a loaded Markdown file, so its anchors can be checked.
	Markdown *lint.Markdown
	// Site is set for links under a runbook_urls prefix, resolved as published pages.
	Site bool
	// Prefix is the runbook_urls entry a Site link fell under (empty for a doc site link).
	Prefix lint.RunbookURL
	// Unpublished names, for a Missing Site page, the file that matches it but lacks the .md
	// extension, so that the site does not publish it as a page.
	Unpublished string
}

// Index knows a project's files and Markdown anchors. Build it once per project with For.
type Index struct {
	files     map[string]bool
	complete  bool                // files is the full listing of the project folder
	lower     map[string][]string // lower-cased file path → known paths, sorted
	dirs      map[string]bool     // folders that hold a known file; "" is the root
	lowerDirs map[string][]string
	byDir     map[string][]string // folder → base names of its files, sorted
	md        map[string]*lint.Markdown
	anchors   map[*lint.Markdown]map[string]lint.Pos // lower-cased anchors
	names     map[*lint.Markdown][]string            // lower-cased anchors, sorted
	prefixes  []lint.RunbookURL                      // longest prefix first
	sites     []lint.DocSite                         // folders published as a doc site
	aliases   map[string]string                      // lower-cased site page path → the page (Hugo aliases)
	included  map[*lint.Markdown]bool                // pages whose content a shortcode includes
}

// For returns the project's index, built once and shared by every rule.
func For(p *lint.Project) *Index {
	return p.Memo("runbook.Index", func() any {
		var urls []lint.RunbookURL
		if p.Config != nil {
			urls = p.Config.RunbookURLs
		}
		ix := New(p.KnownPaths, p.Files, p.Markdown, urls)
		if p.Config != nil {
			ix.WithDocSites(p.Config.DocSites)
			ix.withPageAliases(p.SiteAliases)
		}
		return ix
	}).(*Index)
}

// WithDocSites declares the folders published as a documentation site (config doc_sites)
// and returns ix. Relative links in their pages resolve as the site serves the page (a/b.md
// at a/b/), and links under a site's URL prefix resolve under its root.
func (ix *Index) WithDocSites(sites []lint.DocSite) *Index {
	ix.sites = slices.Clone(sites)
	sort.SliceStable(ix.sites, func(i, j int) bool { return len(ix.sites[i].URLPrefix) > len(ix.sites[j].URLPrefix) })
	ix.aliases, ix.included = map[string]string{}, map[*lint.Markdown]bool{}
	for p, m := range ix.md {
		if m.File == nil || !ix.inSite(p) {
			continue
		}
		if includes.Match(m.File.Src) {
			ix.included[m] = true
		}
		ix.pageAliases(p, FrontMatterAliases(m.File.Src))
	}
	return ix
}

// withPageAliases adds the front matter aliases of site pages that are not loaded (the loader
// reads only the pages of the config's doc_sites: lint.Project.SiteAliases).
func (ix *Index) withPageAliases(pages map[string][]string) {
	for _, p := range slices.Sorted(maps.Keys(pages)) {
		ix.pageAliases(p, pages[p])
	}
}

// pageAliases records a site page's aliases: under a site's URL prefix, or relative to the
// page's own URL.
func (ix *Index) pageAliases(p string, aliases []string) {
	for _, a := range aliases {
		for _, d := range ix.sites {
			if rest, ok := sitePrefix(a, d.URLPrefix); ok {
				ix.addAlias(path.Join(d.Root, rest), p)
			}
		}
		if !strings.HasPrefix(a, "/") && !scheme.MatchString(a) {
			ix.addAlias(path.Join(dirOf(pageURL(p)), a), p)
		}
	}
}

func (ix *Index) addAlias(at, page string) {
	k := strings.ToLower(strings.Trim(path.Clean(at), "/"))
	if _, ok := ix.aliases[k]; !ok && !outside(k) {
		ix.aliases[k] = page
	}
}

// pageURL is the site path a page is served at, without the trailing slash: a/b for a/b.md,
// a for a/_index.md.
func pageURL(p string) string {
	name := path.Base(p)
	if isIndexPage(name) {
		return dirOf(p)
	}
	return strings.TrimSuffix(p, path.Ext(p))
}

// includes matches a Hugo shortcode that includes another file's content into a page
// ({{< docs/shared lookup="x.md" >}}, {{< readfile … >}}, {{% include … %}}): the page's
// anchors are then not all its own headings.
var includes = regexp.MustCompile(`\{\{[<%]\s*(docs/shared|shared|include|readfile|embed)\b`)

// FrontMatterAliases returns the aliases: list of a page's YAML front matter (Hugo): the
// old URLs that redirect to the page.
func FrontMatterAliases(src []byte) []string {
	s := string(src)
	if !strings.HasPrefix(s, "---\n") && !strings.HasPrefix(s, "---\r\n") {
		return nil
	}
	end := strings.Index(s[3:], "\n---")
	if end < 0 {
		return nil
	}
	var out []string
	in := false
	for line := range strings.Lines(s[3 : 3+end]) {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "aliases:"):
			in = true
			if v := strings.TrimSpace(strings.TrimPrefix(line, "aliases:")); strings.HasPrefix(v, "[") {
				for a := range strings.SplitSeq(strings.Trim(v, "[]"), ",") {
					if a = strings.Trim(strings.TrimSpace(a), `"'`); a != "" {
						out = append(out, a)
					}
				}
				in = false
			}
		case in && strings.HasPrefix(t, "- "):
			a := strings.TrimSpace(strings.TrimPrefix(t, "- "))
			if i := strings.Index(a, " #"); i >= 0 {
				a = strings.TrimSpace(a[:i])
			}
			if a = strings.Trim(a, `"'`); a != "" {
				out = append(out, a)
			}
		case in && t != "" && !strings.HasPrefix(t, "#"):
			in = false
		}
	}
	return out
}

// New builds an index from the list of files on disk (nil when unknown: then only the loaded
// files are known to exist), the loaded files, the loaded Markdown files and the configured
// runbook URL prefixes.
func New(known map[string]bool, loaded []*lint.SourceFile, md []*lint.Markdown, urls []lint.RunbookURL) *Index {
	ix := &Index{
		files:     map[string]bool{},
		complete:  known != nil,
		lower:     map[string][]string{},
		dirs:      map[string]bool{"": true},
		lowerDirs: map[string][]string{},
		byDir:     map[string][]string{},
		md:        map[string]*lint.Markdown{},
		anchors:   map[*lint.Markdown]map[string]lint.Pos{},
		names:     map[*lint.Markdown][]string{},
	}
	add := func(p string) {
		p = path.Clean(p)
		if ix.files[p] || p == "." || p == "" {
			return
		}
		ix.files[p] = true
		lp := strings.ToLower(p)
		ix.lower[lp] = append(ix.lower[lp], p)
		dir, base := path.Split(p)
		dir = strings.TrimSuffix(dir, "/")
		ix.byDir[dir] = append(ix.byDir[dir], base)
		for d := dir; d != "" && !ix.dirs[d]; d = parent(d) {
			ix.dirs[d] = true
			ld := strings.ToLower(d)
			ix.lowerDirs[ld] = append(ix.lowerDirs[ld], d)
		}
	}
	for p := range known {
		add(p)
	}
	for _, f := range loaded {
		if f != nil {
			add(f.Path)
		}
	}
	for _, m := range md {
		if m == nil || m.File == nil {
			continue
		}
		add(m.File.Path)
		ix.md[path.Clean(m.File.Path)] = m
		a := make(map[string]lint.Pos, len(m.Anchors))
		for name, at := range m.Anchors {
			ln := strings.ToLower(name)
			if old, ok := a[ln]; !ok || at.Less(old) {
				a[ln] = at
			}
		}
		ix.anchors[m] = a
		names := make([]string, 0, len(a))
		for name := range a {
			names = append(names, name)
		}
		sort.Strings(names)
		ix.names[m] = names
	}
	for _, m := range []map[string][]string{ix.lower, ix.lowerDirs, ix.byDir} {
		for _, v := range m {
			sort.Strings(v)
		}
	}
	ix.prefixes = slices.Clone(urls)
	sort.SliceStable(ix.prefixes, func(i, j int) bool { return len(ix.prefixes[i].Prefix) > len(ix.prefixes[j].Prefix) })
	return ix
}

func parent(d string) string {
	if i := strings.LastIndexByte(d, '/'); i >= 0 {
		return d[:i]
	}
	return ""
}

// Markdown returns the loaded Markdown file with the given project-relative path, or nil.
func (ix *Index) Markdown(p string) *lint.Markdown { return ix.md[path.Clean(p)] }

var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// Resolve resolves a link written in the project file from (a rule file or a runbook).
// Relative links are resolved against from's folder and, with rootFallback, failing that
// against the project root; a link starting with / against the root. Absolute URLs under
// a runbook_urls prefix are published pages of the prefix's local folder (see Site).
// Other absolute URLs, and links holding a {{ template }}, are External.
func (ix *Index) Resolve(link, from string, rootFallback bool) Target {
	t := Target{FragmentAt: -1}
	if templated.MatchString(link) {
		return ix.template(link)
	}
	main := link
	if i := strings.IndexByte(link, '#'); i >= 0 {
		main = link[:i]
		t.FragmentAt = i + 1
		t.Fragment = decode(link[i+1:])
	}
	if i := strings.IndexByte(main, '?'); i >= 0 {
		main = main[:i]
	}
	main = strings.TrimSpace(main)
	if looksExternal(main) {
		return t // External: an e-mail address or a www. host written without a scheme
	}
	for _, d := range ix.sites {
		if rest, ok := sitePrefix(main, d.URLPrefix); ok {
			t.Site = true
			ix.site(&t, d.Root, decode(rest))
			return t
		}
	}
	if scheme.MatchString(main) || strings.HasPrefix(main, "//") {
		for _, u := range ix.prefixes {
			rest, ok := underPrefix(main, u.Prefix)
			if !ok {
				continue
			}
			t.Site, t.Prefix = true, u
			ix.site(&t, u.Path, decode(rest))
			return t
		}
		return t // External
	}
	if main == "" {
		// A bare #anchor points into the file that holds it.
		ix.local(&t, path.Clean(from))
		return t
	}
	p := decode(main)
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && ix.inSite(from) {
		return t // External: another part of the published site, not a file of the project
	}
	if strings.HasPrefix(p, "/") {
		ix.local(&t, path.Clean(strings.TrimLeft(p, "/")))
		return t
	}
	if ix.inSite(from) {
		// A page of a doc site links as the site serves it: a/b.md is a/b/.
		if pub, ok := ix.published(t, from, p); ok {
			return pub
		}
	}
	ix.local(&t, path.Join(dirOf(from), p))
	if t.Status == Found {
		return t
	}
	if pub, ok := ix.published(t, from, p); ok {
		return pub
	}
	if !rootFallback {
		return t
	}
	first := t
	alt := Target{FragmentAt: t.FragmentAt, Fragment: t.Fragment}
	ix.local(&alt, path.Clean(p))
	if alt.Status == Found {
		return alt
	}
	if alt.Status == Missing && first.Status == Missing {
		first.Tried = appendNew(first.Tried, alt.Tried...)
	}
	if first.Status == Unknown || alt.Status == Unknown {
		first.Status = Unknown
	}
	return first
}

// published resolves a relative link written in a page of a published runbook site (a file
// under a runbook_urls folder) the way the site does: against the page's published URL,
// which is its folder for an index page and the page's own name otherwise.
func (ix *Index) published(t Target, from, p string) (Target, bool) {
	from = path.Clean(from)
	under := func(root string) bool {
		base := path.Clean(root)
		return base == "." || from == base || strings.HasPrefix(from, base+"/")
	}
	name := path.Base(from)
	pageDir := "" // the folder a non-index page is served as: a/b.md at a/b/
	if !isIndexPage(name) {
		pageDir = path.Join(dirOf(from), strings.TrimSuffix(name, path.Ext(name)))
	}
	try := func(d string, u lint.RunbookURL) (Target, bool) {
		alt := Target{FragmentAt: t.FragmentAt, Fragment: t.Fragment, Site: true, Prefix: u}
		ix.site(&alt, d, p)
		return alt, alt.Status == Found
	}
	for _, d := range ix.sites {
		if !under(d.Root) {
			continue
		}
		// A doc site serves every page as a folder, so that is tried first.
		dirs := []string{dirOf(from)}
		if pageDir != "" {
			dirs = []string{pageDir, dirOf(from)}
		}
		for _, dir := range dirs {
			if alt, ok := try(dir, lint.RunbookURL{}); ok {
				return alt, true
			}
		}
	}
	for _, u := range ix.prefixes {
		if !under(u.Path) {
			continue
		}
		dirs := []string{dirOf(from)}
		if pageDir != "" {
			dirs = append(dirs, pageDir)
		}
		for _, d := range dirs {
			if alt, ok := try(d, u); ok {
				return alt, true
			}
		}
	}
	return t, false
}

// inSite reports whether the project file from is a page of a doc site.
func (ix *Index) inSite(from string) bool {
	from = path.Clean(from)
	for _, d := range ix.sites {
		base := path.Clean(d.Root)
		if base == "." || from == base || strings.HasPrefix(from, base+"/") {
			return true
		}
	}
	return false
}

// templated matches a link holding a template rendered at deploy time: {{ … }} (Go,
// Helm, Jinja) or [[ … ]] (Go templates with other delimiters).
var templated = regexp.MustCompile(`\{\{|\}\}|\[\[.*\]\]`)

// template resolves a templated link: one that starts with a template prefix of
// runbook_urls is a page of the prefix's file or folder, and its anchor is checked; any
// other, or one whose path or anchor is templated too, is External.
func (ix *Index) template(link string) Target {
	t := Target{FragmentAt: -1}
	for _, u := range ix.prefixes {
		if !templated.MatchString(u.Prefix) {
			continue
		}
		n, ok := templatePrefix(link, u.Prefix)
		if !ok {
			continue
		}
		rest := link[n:]
		if templated.MatchString(rest) {
			return t // External: the rest is rendered too
		}
		if i := strings.IndexByte(rest, '#'); i >= 0 {
			t.FragmentAt = n + i + 1
			t.Fragment = decode(rest[i+1:])
			rest = rest[:i]
		}
		if i := strings.IndexByte(rest, '?'); i >= 0 {
			rest = rest[:i]
		}
		rest = strings.TrimSpace(rest)
		if rest != "" && rest[0] != '/' && !strings.HasSuffix(u.Prefix, "/") {
			continue // the prefix is only part of a longer template or name
		}
		t.Site, t.Prefix = true, u
		ix.site(&t, u.Path, decode(strings.TrimLeft(rest, "/")))
		return t
	}
	return t // External
}

// templatePrefix reports whether link starts with the template prefix, white space
// ignored ([[.RunbookURL]] is [[ .RunbookURL ]]), and returns the prefix's length in link.
func templatePrefix(link, prefix string) (int, bool) {
	i := 0
	for j := 0; j < len(prefix); j++ {
		if isSpace(prefix[j]) {
			continue
		}
		for i < len(link) && isSpace(link[i]) {
			i++
		}
		if i >= len(link) || link[i] != prefix[j] {
			return 0, false
		}
		i++
	}
	return i, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// sitePrefix reports whether link falls under a doc site's URL prefix and returns the rest
// after it. A <NAME> segment of the prefix (<VERSION>) matches any one segment of the link;
// letters compare without regard to case.
func sitePrefix(link, prefix string) (string, bool) {
	if prefix == "" {
		return "", false
	}
	i := 0
	for j := 0; j < len(prefix); {
		if prefix[j] == '<' {
			if k := strings.IndexByte(prefix[j:], '>'); k > 0 {
				start := i
				for i < len(link) && link[i] != '/' {
					i++
				}
				if i == start {
					return "", false
				}
				j += k + 1
				continue
			}
		}
		if i >= len(link) || !strings.EqualFold(link[i:i+1], prefix[j:j+1]) {
			if j == len(prefix)-1 && prefix[j] == '/' && i == len(link) {
				return "", true // the site's root written without its last slash
			}
			return "", false
		}
		i++
		j++
	}
	rest := link[i:]
	if strings.HasSuffix(prefix, "/") || rest == "" || rest[0] == '/' {
		return strings.TrimLeft(rest, "/"), true
	}
	return "", false
}

// looksExternal recognises what Markdown autolinks without a scheme: an e-mail address
// (<oncall@example.com>, or linkified in text) and a www. host.
func looksExternal(link string) bool {
	if strings.HasPrefix(strings.ToLower(link), "www.") {
		return true
	}
	at := strings.IndexByte(link, '@')
	return at > 0 && !strings.Contains(link, "/") && strings.Contains(link[at:], ".")
}

func appendNew(list []string, items ...string) []string {
	for _, s := range items {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}

func dirOf(p string) string {
	d := path.Dir(path.Clean(p))
	if d == "." {
		return ""
	}
	return d
}

// underPrefix reports whether link falls under prefix (scheme and host compared without
// regard to case) and returns the rest after it.
func underPrefix(link, prefix string) (string, bool) {
	if prefix == "" || len(link) < len(prefix) || !strings.EqualFold(link[:len(prefix)], prefix) {
		return "", false
	}
	rest := link[len(prefix):]
	if strings.HasSuffix(prefix, "/") || rest == "" || rest[0] == '/' {
		return strings.TrimLeft(rest, "/"), true
	}
	return "", false
}

// decode percent-decodes a link part; a malformed escape leaves it as written.
func decode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// outside reports whether a cleaned path leaves the project folder.
func outside(p string) bool { return p == ".." || strings.HasPrefix(p, "../") }

// isIndexPage reports whether a file name is a folder's page (index.mdx too, on a site).
func isIndexPage(name string) bool {
	return strings.EqualFold(name, "index.mdx") || slices.ContainsFunc(indexPages, func(ip string) bool { return strings.EqualFold(ip, name) })
}

// indexPages are the files that a link to a folder shows, in the order they are tried.
var indexPages = []string{"README.md", "readme.md", "index.md", "_index.md"}

// local resolves a project-relative path exactly, as GitHub does: a file, or a folder
// (whose README.md, index.md or _index.md is the page).
func (ix *Index) local(t *Target, p string) {
	if p == "." {
		p = ""
	}
	if outside(p) {
		t.Status, t.Path = Unknown, p
		return
	}
	t.Path = p
	if ix.files[p] {
		t.Status, t.Markdown = Found, ix.md[p]
		return
	}
	if ix.dirs[p] {
		t.Status, t.Dir = Found, true
		for _, name := range indexPages {
			if ip := path.Join(p, name); ix.files[ip] {
				t.Path, t.Dir, t.Markdown = ip, false, ix.md[ip]
				break
			}
		}
		return
	}
	t.Tried = append(t.Tried, p)
	if !ix.complete {
		t.Status = Unknown
		return
	}
	t.Status = Missing
}

// site resolves the rest of a published runbook URL below the local folder base, the way
// static-site generators (Hugo, Jekyll, MkDocs) publish Markdown: case-insensitively,
// without the .md extension (or with .html), a folder URL showing its _index.md, index.md
// or README.md.
func (ix *Index) site(t *Target, base, rest string) {
	p := path.Join(path.Clean(base), strings.TrimSuffix(rest, "/"))
	if p == "." {
		p = ""
	}
	if outside(p) {
		t.Status, t.Path = Unknown, p
		return
	}
	page := p
	lowerExt := strings.ToLower(path.Ext(p))
	switch lowerExt {
	case ".html", ".htm":
		page = strings.TrimSuffix(p, path.Ext(p))
		if strings.EqualFold(path.Base(page), "index") {
			page = parent(page)
		}
	}
	var tried []string
	try := func(c string) bool {
		c = strings.TrimPrefix(c, "/")
		tried = append(tried, c)
		if m := ix.lower[strings.ToLower(c)]; len(m) > 0 {
			t.Status, t.Path, t.Markdown = Found, m[0], ix.md[m[0]]
			return true
		}
		return false
	}
	// MDX pages (Docusaurus) are tried without being named in messages, which speak of .md.
	quiet := func(c string) bool {
		if m := ix.lower[strings.ToLower(strings.TrimPrefix(c, "/"))]; len(m) > 0 {
			t.Status, t.Path, t.Markdown = Found, m[0], ix.md[m[0]]
			return true
		}
		return false
	}
	if lowerExt == ".md" || lowerExt == ".markdown" || lowerExt == ".mdx" {
		if try(p) {
			return
		}
	} else {
		if page != "" && (try(page+".md") || quiet(page+".mdx")) {
			return
		}
		for _, name := range []string{"_index.md", "index.md", "README.md"} {
			if try(path.Join(page, name)) {
				return
			}
		}
		if quiet(path.Join(page, "index.mdx")) {
			return
		}
		// Any other file (an image, a PDF) is published as it is.
		if path.Ext(p) != "" && try(p) {
			return
		}
		if ds := ix.lowerDirs[strings.ToLower(page)]; len(ds) > 0 || page == "" {
			t.Status, t.Dir = Found, true
			t.Path = page
			if len(ds) > 0 {
				t.Path = ds[0]
			}
			return
		}
	}
	if a, ok := ix.aliases[strings.ToLower(strings.Trim(page, "/"))]; ok {
		t.Status, t.Path, t.Markdown = Found, a, ix.md[a]
		return
	}
	t.Path, t.Tried = tried[0], tried
	if !ix.complete {
		t.Status = Unknown
		return
	}
	t.Status = Missing
	if path.Ext(p) == "" {
		if m := ix.lower[strings.ToLower(p)]; len(m) > 0 {
			t.Unpublished = m[0]
			return
		}
	}
}

// SuggestCost is the number of edit distances SuggestFile computes for t.
func (ix *Index) SuggestCost(t Target) int {
	n := 0
	for _, p := range t.Tried {
		n += len(ix.byDir[ix.realDir(dirOf(p))])
	}
	return n
}

// realDir returns the known folder that matches dir without regard to case, or dir.
func (ix *Index) realDir(dir string) string {
	if ix.dirs[dir] {
		return dir
	}
	if ds := ix.lowerDirs[strings.ToLower(dir)]; len(ds) > 0 {
		return ds[0]
	}
	return dir
}

// SuggestFile returns, for a Missing target, a known file close to the one looked for: the
// same path in another letter case, else the file of the same folder whose name is the
// missing one with a typo (for a published page, the page name). "" when there is none.
func (ix *Index) SuggestFile(t Target) string {
	if t.Status != Missing {
		return ""
	}
	for _, p := range t.Tried {
		if c := ix.lower[strings.ToLower(p)]; len(c) > 0 && !t.Site {
			return c[0]
		}
	}
	for _, p := range t.Tried {
		dir, base := ix.realDir(dirOf(p)), path.Base(p)
		names := ix.byDir[dir]
		if t.Site {
			// Page names compare without .md and without regard to case.
			stems := make([]string, 0, len(names))
			byStem := map[string]string{}
			for _, n := range names {
				if strings.HasSuffix(strings.ToLower(n), ".md") {
					st := strings.ToLower(n[:len(n)-3])
					if _, ok := byStem[st]; !ok {
						byStem[st] = n
						stems = append(stems, st)
					}
				}
			}
			want := strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))
			if s := Typo(want, stems); s != "" {
				return path.Join(dir, byStem[s])
			}
			return "" // only the page name itself (the first path tried) is worth a guess
		}
		if s := Typo(base, names); s != "" {
			return path.Join(dir, s)
		}
	}
	return ""
}

var lineAnchor = regexp.MustCompile(`^l\d+(-l\d+)?$`)

// Anchor reports whether the Markdown file md declares the anchor frag. Anchors are
// compared lower-case, as GitHub writes them; GitHub's "user-content-" prefix, "top" and
// line anchors (#L10, #L10-L20) are accepted. md must be indexed (a loaded Markdown file).
func (ix *Index) Anchor(md *lint.Markdown, frag string) bool {
	f := strings.ToLower(frag)
	if f == "" || f == "top" || lineAnchor.MatchString(f) || ix.included[md] {
		return true // included content's anchors are unknown
	}
	anchors := ix.anchors[md]
	if _, ok := anchors[f]; ok {
		return true
	}
	_, ok := anchors[strings.TrimPrefix(f, "user-content-")]
	return ok
}

// AnchorCount is the number of anchors md declares: the cost of one SuggestAnchor.
func (ix *Index) AnchorCount(md *lint.Markdown) int { return len(ix.names[md]) }

// SuggestAnchor returns the anchor of md closest to frag and where it is declared, for a
// "did you mean"; "" when none is close.
func (ix *Index) SuggestAnchor(md *lint.Markdown, frag string) (string, lint.Pos) {
	s := lint.Closest(strings.ToLower(frag), ix.names[md])
	if s == "" {
		return "", lint.Pos{}
	}
	return s, ix.anchors[md][s]
}
