package lint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/model"
)

// Limits are the hard ceilings of one run. They bound what an input can cost, whoever wrote
// it: in a pull request every file is the author's, the config included, so the config can
// never raise them; only the command line can (--limit NAME=VALUE). Each limit that is hit
// is a positioned finding or one error line, never a crash or a hang.
type Limits struct {
	// Live scrapes: the most a config may ask for.
	MaxBodySize int64         // max_body_size of a url entry
	MaxTimeout  time.Duration // timeout of a url entry
	MaxScrapes  int           // scrapes of a url entry
	MaxInterval time.Duration // interval between the scrapes of a target

	ReadBytes int64 // bytes read from files in one run, all inputs together

	PromQLBytes   int // the length of one PromQL expression
	PromQLDepth   int // nesting of (), [] and {} in one PromQL expression, checked on the text
	MarkdownDepth int // nesting of lists and block quotes in a Markdown file
	JSONDepth     int // nesting of a JSON document
	YAMLDepth     int // nesting of a YAML document

	RustCrateBytes int64 // the Rust source of one crate read as a set (its files resolve each other's names)

	InvariantSamples int           // the PromQL engine's MaxSamples for one invariant
	InvariantTimeout time.Duration // one invariant
	InvariantTotal   time.Duration // every invariant of a run
	InvariantSteps   int           // steps of a range or subquery (nested ones multiply)

	JQTimeout time.Duration // one jq program over one sample
	JQTotal   time.Duration // every jq program of a run

	MaxMemory int64 // the process guard: past this heap, exit 2 naming the phase
}

// DefaultLimits are the ceilings unless the command line changes them. The README's
// "Limits" table lists them with the reasons.
var DefaultLimits = Limits{
	MaxBodySize:      256 << 20,
	MaxTimeout:       5 * time.Minute,
	MaxScrapes:       100,
	MaxInterval:      10 * time.Minute,
	ReadBytes:        2 << 30,
	PromQLBytes:      64 << 10,
	PromQLDepth:      256,
	MarkdownDepth:    100,
	JSONDepth:        512,
	YAMLDepth:        512,
	RustCrateBytes:   32 << 20,
	InvariantSamples: 5_000_000,
	InvariantTimeout: 10 * time.Second,
	InvariantTotal:   60 * time.Second,
	InvariantSteps:   11_000,
	JQTimeout:        time.Second,
	JQTotal:          10 * time.Second,
	MaxMemory:        4 << 30,
}

var current atomic.Pointer[Limits]

// Limit returns the limits in force: DefaultLimits unless SetLimits changed them.
func Limit() *Limits {
	if l := current.Load(); l != nil {
		return l
	}
	return &DefaultLimits
}

// SetLimits puts l in force for the process (the command line's --limit flags) and returns
// the limits it replaces, so that a test can put them back.
func SetLimits(l Limits) Limits {
	old := *Limit()
	current.Store(&l)
	return old
}

// limitField is one limit as --limit names it.
type limitField struct {
	name string
	kind byte // 'b' bytes, 'd' duration, 'n' count
	get  func(*Limits) any
}

var limitFields = []limitField{
	{"max_body_size", 'b', func(l *Limits) any { return &l.MaxBodySize }},
	{"max_timeout", 'd', func(l *Limits) any { return &l.MaxTimeout }},
	{"max_scrapes", 'n', func(l *Limits) any { return &l.MaxScrapes }},
	{"max_interval", 'd', func(l *Limits) any { return &l.MaxInterval }},
	{"read_bytes", 'b', func(l *Limits) any { return &l.ReadBytes }},
	{"promql_bytes", 'b', func(l *Limits) any { return &l.PromQLBytes }},
	{"promql_depth", 'n', func(l *Limits) any { return &l.PromQLDepth }},
	{"markdown_depth", 'n', func(l *Limits) any { return &l.MarkdownDepth }},
	{"json_depth", 'n', func(l *Limits) any { return &l.JSONDepth }},
	{"yaml_depth", 'n', func(l *Limits) any { return &l.YAMLDepth }},
	{"rust_crate_bytes", 'b', func(l *Limits) any { return &l.RustCrateBytes }},
	{"invariant_samples", 'n', func(l *Limits) any { return &l.InvariantSamples }},
	{"invariant_timeout", 'd', func(l *Limits) any { return &l.InvariantTimeout }},
	{"invariant_total", 'd', func(l *Limits) any { return &l.InvariantTotal }},
	{"invariant_steps", 'n', func(l *Limits) any { return &l.InvariantSteps }},
	{"jq_timeout", 'd', func(l *Limits) any { return &l.JQTimeout }},
	{"jq_total", 'd', func(l *Limits) any { return &l.JQTotal }},
	{"max_memory", 'b', func(l *Limits) any { return &l.MaxMemory }},
}

// LimitNames lists the names --limit accepts, in the order of the README's table.
func LimitNames() []string {
	out := make([]string, len(limitFields))
	for i, f := range limitFields {
		out[i] = f.name
	}
	return out
}

// Set applies one NAME=VALUE of --limit: bytes as 64MiB or 1GB, durations as 30s, counts as
// whole numbers; every value must be positive.
func (l *Limits) Set(kv string) error {
	name, value, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("--limit %q: want NAME=VALUE (names: %s)", kv, strings.Join(LimitNames(), ", "))
	}
	i := slices.IndexFunc(limitFields, func(f limitField) bool { return f.name == name })
	if i < 0 {
		msg := fmt.Sprintf("--limit: unknown limit %q", name)
		if s := Closest(name, LimitNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return fmt.Errorf("%s; the limits are %s", msg, strings.Join(LimitNames(), ", "))
	}
	f := limitFields[i]
	switch p := f.get(l).(type) {
	case *int64:
		n, ok := ParseByteSize(value)
		if !ok || n <= 0 {
			return fmt.Errorf("--limit %s: bad size %q (want e.g. 64MiB, 1GB)", name, value)
		}
		*p = n
	case *int:
		if f.kind == 'b' {
			n, ok := ParseByteSize(value)
			if !ok || n <= 0 || n > 1<<40 {
				return fmt.Errorf("--limit %s: bad size %q (want e.g. 64KiB)", name, value)
			}
			*p = int(n)
			return nil
		}
		n, err := strconv.Atoi(value)
		if err != nil || n <= 0 {
			return fmt.Errorf("--limit %s: bad count %q (want a whole number above 0)", name, value)
		}
		*p = n
	case *time.Duration:
		d, err := model.ParseDuration(value)
		if err != nil || d <= 0 {
			return fmt.Errorf("--limit %s: bad duration %q (want e.g. 30s, 5m)", name, value)
		}
		*p = time.Duration(d)
	}
	return nil
}

// LimitFlagHint is what a message about a ceiling says to lift it.
func LimitFlagHint(name string) string {
	return fmt.Sprintf("the config cannot raise it; --limit %s=VALUE on the command line can", name)
}
