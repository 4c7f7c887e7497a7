package rules

import (
	"testing"

	"github.com/driftlint/driftlint/lint/linttest"
)

func TestScrapeCounterDecrease(t *testing.T) {
	linttest.Run(t, "../fixtures/scrape-counter-decrease", ScrapeCounterDecrease)
}
