package source

import "testing"

func TestLoadPythonLocals(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "reads labels and names from a local variable assigned once in the function",
			files: map[string]string{"app/m.py": `from prometheus_client import Counter, Gauge


class Logger:
    def __init__(self, model):
        labelnames = ["model_name", "engine"]
        name = "app:requests"
        self.a = Gauge(name="app:local", documentation="d", labelnames=labelnames)
        self.b = Counter(name, "d", labelnames + ["reason"])
        self.c = Gauge("app:tuple", "d", labelnames=list(labelnames))
`},
			want: []string{
				"app/m.py:8:29 app:local gauge [engine model_name] prometheus_client.Gauge",
				"app/m.py:9:26 app:requests_total counter [engine model_name reason] prometheus_client.Counter",
				"app/m.py:10:24 app:tuple gauge [engine model_name] prometheus_client.Gauge",
			},
		},
		{
			name: "leaves a local assigned more than once, changed in place, a parameter or another function's unknown",
			files: map[string]string{"app/m.py": `from prometheus_client import Gauge


def twice(extra):
    labels = ["a"]
    if extra:
        labels = ["a", "b"]
    Gauge("app_twice", "d", labels)


def appended():
    labels = ["a"]
    labels.append("b")
    Gauge("app_appended", "d", labels)


def augmented():
    labels = ["a"]
    labels += ["b"]
    Gauge("app_augmented", "d", labels)


def loop():
    for labels in (["a"], ["b"]):
        Gauge("app_loop", "d", labels)


def param(labels):
    labels = labels + ["x"]
    Gauge("app_param", "d", labels)


def other():
    Gauge("app_other", "d", labels)


def later():
    Gauge("app_later", "d", labels)
    labels = ["a"]
`},
			want: []string{
				"app/m.py:8:11 app_twice gauge [] ?labels prometheus_client.Gauge",
				"app/m.py:14:11 app_appended gauge [] ?labels prometheus_client.Gauge",
				"app/m.py:20:11 app_augmented gauge [] ?labels prometheus_client.Gauge",
				"app/m.py:25:15 app_loop gauge [] ?labels absent prometheus_client.Gauge",
				"app/m.py:30:11 app_param gauge [] ?labels prometheus_client.Gauge",
				"app/m.py:34:11 app_other gauge [] ?labels prometheus_client.Gauge",
				"app/m.py:38:11 app_later gauge [] ?labels prometheus_client.Gauge",
			},
		},
	})
}

func TestLoadPythonHeldConstructors(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "follows a constructor a base class's __init__ takes from a dict by its class, into subclasses of other modules",
			files: map[string]string{
				"src/base.py": `from prometheus_client import Counter, Histogram


class PromMetrics:
    def __init__(self, metric_types, labelnames):
        self._counter_cls = metric_types[Counter]
        self._histogram_cls = metric_types[Histogram]


class Prom:
    _counter_cls = Counter
    _histogram_cls = Histogram

    def __init__(self, connector_cls, labelnames):
        metric_types = {Counter: self._counter_cls, Histogram: self._histogram_cls}
        self.prom_metrics = connector_cls.build_prom_metrics(metric_types, labelnames)
`,
				"src/conn/stats.py": `from base import PromMetrics


class ConnPromMetrics(PromMetrics):
    def __init__(self, metric_types, labelnames):
        super().__init__(metric_types, labelnames)
        self._counter_cls(name="app:conn_failures", documentation="d", labelnames=labelnames)
        self._histogram_cls(name="app:conn_seconds", documentation="d", labelnames=["engine"])
`,
			},
			want: []string{
				"src/conn/stats.py:7:32 app:conn_failures_total counter [] ?labels prometheus_client.Counter",
				"src/conn/stats.py:8:34 app:conn_seconds histogram [engine] prometheus_client.Histogram",
			},
		},
		{
			name: "reports a call with prometheus_client's arguments on a callee it cannot identify as not read",
			files: map[string]string{
				"app/m.py": `from prometheus_client import Gauge
from app.registry import make


def setup(factory, name):
    factory.counter(name="app_jobs", documentation="Jobs.", labelnames=["queue"])
    make("app_queue_depth", documentation="Depth.")
    factory(name=name, documentation="d")
    factory.thing(name="not_a_metric", size=3)
    logger.info("app_not_a_metric", extra=1)
    Gauge("app_known", "Known.")
`,
			},
			want: []string{
				"app/m.py:11:11 app_known gauge [] prometheus_client.Gauge",
				"app/m.py:6:26 unresolved app_jobs_total counter: the name is given to factory.counter, which driftlint cannot identify as a prometheus_client class",
				"app/m.py:7:10 unresolved app_queue_depth untyped: the name is given to make, which driftlint cannot identify as a prometheus_client class",
				"app/m.py:8:18 unresolved * untyped: the name comes from the parameter name",
			},
		},
	})
}

func TestLoadPythonLocalUnderIf(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "reads a local given one constant under an if and None otherwise, and says why another local is unknown",
			files: map[string]string{"app/m.py": `from prometheus_client import Gauge


def loop_elsewhere(plugins):
    for name, cls in plugins:
        pass


class L:
    _gauge_cls = Gauge

    def log_metrics_info(self, type):
        name, documentation = None, None
        if type == "cache_config":
            name = "app:cache_config_info"
            documentation = "Cache config."
        self._gauge_cls(name=name, documentation=documentation, labelnames=["block_size"])

    def two(self, type):
        name, n = "app:a", 1
        if type == "b":
            name = "app:b"
        self._gauge_cls(name=name, documentation="d")
`},
			want: []string{
				"app/m.py:17:30 app:cache_config_info gauge [block_size] prometheus_client.Gauge",
				"app/m.py:23:30 unresolved * gauge: the name comes from the local variable name, which is assigned more than one value",
			},
		},
	})
}

func TestLoadPythonReadsOnlyWhatMayDefine(t *testing.T) {
	runLoadCases(t, []loadCase{
		{
			name: "reads files that call a wrapper, an aliased class or a constant of files it keeps, and the problems of every file",
			files: map[string]string{
				"app/__init__.py": "",
				"app/metrics.py": `from prometheus_client import Counter as C
from app.names import PREFIX


def make(name):
    return C(PREFIX + name, "Made.")
`,
				"app/names.py":  "PREFIX = 'app_'\n",
				"app/jobs.py":   "from app.metrics import make, C\n\nA = make('jobs')\nB = C('app_direct', 'D.')\n",
				"app/other.py":  "from collections import Counter\n\nX = Counter('not_a_metric', 'x')\n",
				"app/broken.py": "X = 'unterminated\n",
			},
			want: []string{
				"app/jobs.py:3:10 app_jobs_total counter [] prometheus_client.Counter",
				"app/jobs.py:4:7 app_direct_total counter [] prometheus_client.Counter",
			},
			problems: []string{"app/broken.py:1:5: python: unterminated string literal"},
		},
	})
}
