package synth

import (
	"os"
	"path/filepath"
)

// Sample generates a small project (one group of ServicesPerGroup services, 200 rules) in
// dir and returns the contents of one file of each kind, for loader benchmarks: "rules",
// "dashboard", "doc", "runbook" and "scrape".
func Sample(dir string) (map[string][]byte, error) {
	if _, err := Generate(dir, Options{Rules: RulesPerService * ServicesPerGroup}); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for kind, rel := range map[string]string{
		"rules": "rules/g0000.yml", "dashboard": "dashboards/svc00000.json", "doc": "docs/g0000.md",
		"runbook": "runbooks/g0000.md", "scrape": "scrapes/g0000.prom",
	} {
		src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		out[kind] = src
	}
	return out, nil
}
