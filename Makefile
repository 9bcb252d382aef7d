# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Elsewhere than this machine, get PyTorch's CPU build with
#   make TORCH_INDEX=https://download.pytorch.org/whl/cpu run
TORCH_INDEX ?=

.PHONY: setup run test check lint eval bench build clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0 $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

build: $(STAMP)
	$(VENV)/bin/policy-assistant build

run: build
	$(PY) app.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest -q

check: test

eval: $(STAMP)
	$(PY) -m evals.run --mode all

clean:
	rm -rf .cache artifacts
