package fetch

import (
	"cmp"
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	progressAfter = time.Second            // a scrape shows once it has run this long
	progressTick  = 250 * time.Millisecond // how often the line is redrawn
	progressWidth = 79                     // the longest line, so that it never wraps
	clearLine     = "\r\x1b[K"             // back to the start of the line, and erase it
)

// progress shows the live scrapes that take over a second on one line of a terminal,
// rewritten in place ("scraping http://localhost:3002/metrics#2 (3s)", with "and N more"
// when several are slow) and erased at the end. A nil *progress shows nothing.
type progress struct {
	w      io.Writer
	mu     sync.Mutex
	active map[int]scrapeStart
	next   int
	shown  bool
	stop   chan struct{}
	done   chan struct{}
}

type scrapeStart struct {
	name  string
	start time.Time
}

// startProgress starts drawing on w; nil w gives a nil *progress.
func startProgress(w io.Writer) *progress {
	if w == nil {
		return nil
	}
	p := &progress{w: w, active: map[int]scrapeStart{}, stop: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p
}

// begin records a scrape of name (a displayed URL) and returns the func that ends it.
func (p *progress) begin(name string) func() {
	if p == nil {
		return func() {}
	}
	p.mu.Lock()
	id := p.next
	p.next++
	p.active[id] = scrapeStart{name, time.Now()}
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		delete(p.active, id)
		p.mu.Unlock()
	}
}

func (p *progress) run() {
	defer close(p.done)
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			p.draw(now)
		}
	}
}

// draw shows the oldest scrape that has run over progressAfter, or erases the line when
// there is none.
func (p *progress) draw(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var oldest *scrapeStart
	slow := 0
	for _, a := range p.active {
		if now.Sub(a.start) < progressAfter {
			continue
		}
		slow++
		if oldest == nil || cmp.Or(a.start.Compare(oldest.start), cmp.Compare(a.name, oldest.name)) < 0 {
			oldest = &a
		}
	}
	if oldest == nil {
		if p.shown {
			_, _ = io.WriteString(p.w, clearLine)
			p.shown = false
		}
		return
	}
	line := fmt.Sprintf("scraping %s (%ds)", oldest.name, int(now.Sub(oldest.start).Seconds()))
	if slow > 1 {
		line += fmt.Sprintf(" and %d more", slow-1)
	}
	if utf8.RuneCountInString(line) > progressWidth {
		r := []rune(line)
		line = string(r[:progressWidth-1]) + "…"
	}
	_, _ = io.WriteString(p.w, clearLine+line)
	p.shown = true
}

// close stops drawing and erases the line if one is shown.
func (p *progress) close() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		_, _ = io.WriteString(p.w, clearLine)
		p.shown = false
	}
}
