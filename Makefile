# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Quieter TensorFlow start-up; errors are still printed.
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: venv install demo test clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(STAMP): setup.py | $(PY)
	$(PIP) install -e .
	touch $@

$(TEST_STAMP): setup.py | $(PY)
	$(PIP) install -e ".[test]"
	touch $(STAMP) $@

venv: $(PY)

install: $(STAMP)

# Trains a small GAN on real offline data and writes samples and a loss plot.
demo: $(STAMP)
	$(PY) scripts/demo.py --out outputs/demo

# Runs the whole suite (unit tests, notebooks in smoke mode).
test: $(TEST_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) outputs build *.egg-info .pytest_cache
