// Command actionrun runs the steps of a composite GitHub Action (action.yml) on this
// machine, the way the runner would, for scripts/test-action.sh: it fills in the inputs
// (flags, else the defaults), evaluates each step's if:, env: and with: expressions, runs the
// run: steps with bash (GITHUB_OUTPUT, GITHUB_ACTION_PATH set; the outputs they write feed
// later steps; so do the folders they add to GITHUB_PATH), and prints the uses: steps it would call, with their arguments, instead of
// calling them. It knows only the expressions action.yml uses and refuses any other, so the
// action cannot drift from what this runner checks.
//
// Usage: go run ./scripts/actionrun [-input NAME=VALUE]... ACTION.yml
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	Name            string            `yaml:"name"`
	ID              string            `yaml:"id"`
	If              string            `yaml:"if"`
	Shell           string            `yaml:"shell"`
	Run             string            `yaml:"run"`
	Uses            string            `yaml:"uses"`
	With            map[string]string `yaml:"with"`
	Env             map[string]string `yaml:"env"`
	ContinueOnError string            `yaml:"continue-on-error"`
}

type inputFlags map[string]string

func (f inputFlags) String() string { return "" }

func (f inputFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	f[k] = v
	return nil
}

func main() {
	inputs := inputFlags{}
	flag.Var(inputs, "input", "an input of the action, NAME=VALUE (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: actionrun [-input NAME=VALUE]... ACTION.yml")
		os.Exit(2)
	}
	code, err := run(flag.Arg(0), inputs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "actionrun: "+err.Error())
		os.Exit(2)
	}
	os.Exit(code)
}

// pinned is a uses: reference pinned by a full commit SHA.
var pinned = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)

func run(path string, given map[string]string) (int, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return 2, err
	}
	var a action
	if err := yaml.Unmarshal(src, &a); err != nil {
		return 2, err
	}
	if a.Runs.Using != "composite" {
		return 2, fmt.Errorf("runs.using is %q, not composite", a.Runs.Using)
	}
	actionPath, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return 2, err
	}
	ctx := &context{inputs: map[string]string{}, steps: map[string]map[string]string{}}
	for name, in := range a.Inputs {
		ctx.inputs[name] = in.Default
	}
	for name, v := range given {
		if _, ok := a.Inputs[name]; !ok {
			return 2, fmt.Errorf("the action has no input %q", name)
		}
		ctx.inputs[name] = v
	}
	for name := range a.Inputs { // defaults may be expressions: ${{ github.token }}
		if ctx.inputs[name], err = ctx.expand(ctx.inputs[name]); err != nil {
			return 2, fmt.Errorf("input %s: %w", name, err)
		}
	}
	failed := false
	for i, s := range a.Runs.Steps {
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("step %d", i+1)
		}
		ok, err := ctx.condition(s.If, failed)
		if err != nil {
			return 2, fmt.Errorf("%s: if: %w", name, err)
		}
		if !ok {
			fmt.Printf("::actionrun skip %s\n", name)
			continue
		}
		coe, err := ctx.expand(s.ContinueOnError)
		if err != nil {
			return 2, fmt.Errorf("%s: continue-on-error: %w", name, err)
		}
		var stepErr error
		switch {
		case s.Uses != "":
			if !pinned.MatchString(s.Uses) {
				return 2, fmt.Errorf("%s: %s is not pinned by a full commit SHA", name, s.Uses)
			}
			fmt.Printf("::actionrun uses %s\n", s.Uses)
			for _, k := range sortedKeys(s.With) {
				v, err := ctx.expand(s.With[k])
				if err != nil {
					return 2, fmt.Errorf("%s: with.%s: %w", name, k, err)
				}
				fmt.Printf("::actionrun with %s=%s\n", k, v)
			}
			fmt.Printf("::actionrun continue-on-error %s\n", or(coe, "false"))
		case s.Run != "":
			if s.Shell != "bash" {
				return 2, fmt.Errorf("%s: shell %q, want bash", name, s.Shell)
			}
			fmt.Printf("::actionrun run %s\n", name)
			stepErr = ctx.runStep(s, actionPath)
		default:
			return 2, fmt.Errorf("%s: neither run nor uses", name)
		}
		if stepErr != nil {
			fmt.Printf("::actionrun failed %s: %v\n", name, stepErr)
			if coe != "true" {
				failed = true
			}
		}
	}
	for _, name := range sortedKeys(a.Outputs) {
		v, err := ctx.expand(a.Outputs[name].Value)
		if err != nil {
			return 2, fmt.Errorf("output %s: %w", name, err)
		}
		fmt.Printf("::actionrun output %s=%s\n", name, v)
	}
	if failed {
		return 1, nil
	}
	return 0, nil
}

func (c *context) runStep(s step, actionPath string) error {
	out, err := os.CreateTemp("", "actionrun-output-*")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	if err := out.Close(); err != nil {
		return err
	}
	script, err := c.expand(s.Run)
	if err != nil {
		return err
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	pathFile, err := os.CreateTemp("", "actionrun-path-*")
	if err != nil {
		return err
	}
	defer os.Remove(pathFile.Name())
	if err := pathFile.Close(); err != nil {
		return err
	}
	cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+out.Name(), "GITHUB_PATH="+pathFile.Name(), "GITHUB_ACTION_PATH="+actionPath,
		"PATH="+strings.Join(append(slices.Clone(c.path), os.Getenv("PATH")), string(os.PathListSeparator)))
	for _, k := range sortedKeys(s.Env) {
		v, err := c.expand(s.Env[k])
		if err != nil {
			return fmt.Errorf("env.%s: %w", k, err)
		}
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	runErr := cmd.Run()
	added, err := os.ReadFile(pathFile.Name())
	if err != nil {
		return err
	}
	for dir := range strings.SplitSeq(strings.TrimSpace(string(added)), "\n") {
		if dir != "" {
			c.path = append([]string{dir}, c.path...)
		}
	}
	if s.ID != "" {
		outputs, err := readOutputs(out.Name())
		if err != nil {
			return err
		}
		c.steps[s.ID] = outputs
	}
	return runErr
}

// readOutputs reads NAME=VALUE lines, as a step writes them to GITHUB_OUTPUT.
func readOutputs(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			return nil, fmt.Errorf("GITHUB_OUTPUT line %q is not NAME=VALUE", sc.Text())
		}
		m[k] = v
	}
	return m, sc.Err()
}

type context struct {
	path   []string // directories steps added to GITHUB_PATH, latest first
	inputs map[string]string
	steps  map[string]map[string]string
}

var exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand replaces each ${{ … }} in s by its value.
func (c *context) expand(s string) (string, error) {
	var firstErr error
	out := exprRE.ReplaceAllStringFunc(s, func(m string) string {
		v, err := c.eval(exprRE.FindStringSubmatch(m)[1])
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	})
	return out, firstErr
}

// condition evaluates an if: (with or without ${{ }}); without always(), a step runs only
// when no earlier step failed.
func (c *context) condition(expr string, failed bool) (bool, error) {
	expr = strings.TrimSpace(expr)
	if m := exprRE.FindStringSubmatch(expr); m != nil && m[0] == expr {
		expr = m[1]
	}
	if expr == "" {
		return !failed, nil
	}
	always := false
	result := true
	for term := range strings.SplitSeq(expr, "&&") {
		term = strings.TrimSpace(term)
		if term == "always()" {
			always = true
			continue
		}
		v, err := c.eval(term)
		if err != nil {
			return false, err
		}
		result = result && v == "true"
	}
	return result && (always || !failed), nil
}

var (
	compareRE = regexp.MustCompile(`^(\S+)\s*(==|!=)\s*'([^']*)'$`)
	refRE     = regexp.MustCompile(`^(inputs|steps|github)\.([\w-]+)(?:\.outputs\.([\w-]+))?$`)
)

// eval evaluates the expressions action.yml uses: a context reference (inputs.NAME,
// steps.ID.outputs.NAME, github.token) or its comparison with a quoted string.
func (c *context) eval(expr string) (string, error) {
	if m := compareRE.FindStringSubmatch(expr); m != nil {
		v, err := c.eval(m[1])
		if err != nil {
			return "", err
		}
		return strconv.FormatBool((v == m[3]) == (m[2] == "==")), nil
	}
	m := refRE.FindStringSubmatch(expr)
	switch {
	case m == nil:
		return "", fmt.Errorf("unsupported expression %q", expr)
	case m[1] == "inputs" && m[3] == "":
		v, ok := c.inputs[m[2]]
		if !ok {
			return "", fmt.Errorf("no input %q", m[2])
		}
		return v, nil
	case m[1] == "steps" && m[3] != "":
		return c.steps[m[2]][m[3]], nil
	case m[1] == "github" && m[2] == "token" && m[3] == "":
		return os.Getenv("GITHUB_TOKEN"), nil
	}
	return "", errors.New("unsupported expression " + expr)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
