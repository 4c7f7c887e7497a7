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
