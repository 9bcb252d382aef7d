# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Elsewhere than this machine, get PyTorch's CPU build with
#   make TORCH_INDEX=https://download.pytorch.org/whl/cpu run
TORCH_INDEX ?=
# The browser test drives Debian's Chromium (Playwright cannot download browsers here).
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup run test check lint eval bench build clean browser redis

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0 $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

build: $(STAMP)
	$(VENV)/bin/policy-assistant build --if-needed

run: build
	$(PY) app.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Chromium for the browser test: installed with apt-get when missing and run as root, else a clear error.
# A Chinese font too, so that the screenshots are legible (only a warning when it cannot be installed).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Chromium not found at $(CHROMIUM): installing it with apt-get"; \
	    apt-get update && apt-get install -y chromium fonts-wqy-zenhei || exit 1; \
	    [ -x "$(CHROMIUM)" ] || { echo "error: Chromium is still not at $(CHROMIUM)" >&2; exit 1; }; \
	  else \
	    echo "error: the browser test needs Chromium at $(CHROMIUM)." >&2; \
	    echo "  Install it as root: apt-get update && apt-get install -y chromium" >&2; \
	    echo "  or point CHROMIUM=/path/to/chromium at another build." >&2; \
	    exit 1; \
	  fi; \
	fi
	@if command -v fc-list >/dev/null && [ -z "$$(fc-list :lang=zh 2>/dev/null)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y fonts-wqy-zenhei >/dev/null || echo "warning: no Chinese font; screenshots will show boxes" >&2; \
	  else \
	    echo "warning: no Chinese font installed; screenshots will show boxes (apt-get install fonts-wqy-zenhei)" >&2; \
	  fi; \
	fi

# The Redis conversation store is tested against a real redis-server (installed with apt-get when missing
# and run as root, else a clear error): REQUIRE_REDIS makes those tests fail, never skip, without it.
redis:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "redis-server not found: installing it with apt-get"; \
	    apt-get update && apt-get install -y redis-server || exit 1; \
	  else \
	    echo "error: the conversation-store tests need redis-server." >&2; \
	    echo "  Install it as root: apt-get update && apt-get install -y redis-server" >&2; \
	    exit 1; \
	  fi; \
	fi

# REQUIRE_BROWSER: the browser test fails, never skips, when Chromium cannot be driven.
# Then the retrieval and API tests again on a milvus-lite folder (tests/test_vectors.py runs both
# backends already): the suite runs on FAISS, the default vector store.
# The project's index is built first: each test session copies its passage vectors instead of embedding
# the library again (about 100 s on two cores, once per session).
MILVUS_TESTS := tests/test_search.py tests/test_store.py tests/test_api.py tests/test_workers.py
test: lint browser redis build
	REQUIRE_BROWSER=1 REQUIRE_REDIS=1 CHROMIUM=$(CHROMIUM) $(PY) -m pytest -q
	POLICY_ASSISTANT_VECTOR_STORE=milvus:vectors.db $(PY) -m pytest -q $(MILVUS_TESTS)

check: test

eval: $(STAMP)
	$(PY) -m evals.run --mode all

# The full run includes FAISS against milvus-lite at 1M synthetic chunks (bench/vectors.py): about 35 minutes
# more on two cores and 5 GB of memory at its peak. `python -m bench.run --quick` compares them at 10k.
bench: build
	$(PY) -m bench.run

clean:
	rm -rf .cache artifacts
