# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DOCS_STAMP := $(VENV)/.installed-docs
# Quieter TensorFlow start-up; errors are still printed.
export TF_CPP_MIN_LOG_LEVEL ?= 2
# On x86, TensorFlow runs oneDNN's kernels by itself only on CPUs with AVX512_VNNI, AVX512_BF16,
# AVX_VNNI or AMX, and Eigen's elsewhere (AMD EPYC Zen 1-3, Intel Skylake-SP), where oneDNN trained
# gankit's GANs 1.35-4.4x as fast (benchmarks/onednn_speed.py): tests, demo and benchmarks run
# oneDNN on every x86 machine.
ifneq ($(filter x86_64 amd64 AMD64,$(shell uname -m)),)
export TF_ENABLE_ONEDNN_OPTS ?= 1
endif
# mkdocs-material's banner about its successor; the build is unaffected.
export NO_MKDOCS_2_WARNING ?= 1

.PHONY: venv install demo test lint format docs bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PIP) install -e ".[test]"
	touch $(STAMP) $(DOCS_STAMP) $@

$(DOCS_STAMP): pyproject.toml | $(PY)
	$(PIP) install -e ".[docs]"
	touch $(STAMP) $@

venv: $(PY)

install: $(STAMP)

# Trains a small GAN on real offline data and writes samples and a loss plot.
demo: $(STAMP)
	$(PY) scripts/demo.py --out outputs/demo

# Builds the documentation site into build/site in strict mode (any warning fails).
docs: $(DOCS_STAMP)
	$(PY) -m mkdocs build --strict

# Lint and format check (ruff; settings in pyproject.toml). `make format` applies both.
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(TEST_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Runs the lint, then the whole suite (unit tests, notebooks in smoke mode, the docs build),
# then the tests that compare results across batch sizes and devices twice more: with oneDNN
# limited to AVX2, as on CPUs without AVX-512 (whose kernels round differently), and with
# Eigen's kernels, TensorFlow's default on CPUs without AVX512_VNNI, AVX_VNNI or AMX.
test: lint
	$(PY) -m pytest $(PYTEST_ARGS)
	ONEDNN_MAX_CPU_ISA=AVX2 $(PY) -m pytest -q -m cpu_invariance
	TF_ENABLE_ONEDNN_OPTS=0 $(PY) -m pytest -q -m cpu_invariance

# Quality benchmarks on real Fashion-MNIST (not part of `make test`; up to 15 minutes each on 2
# AVX-512 CPU cores, about 6 hours in all, more where TensorFlow's steps run slower), scored by the domain
# classifier committed in benchmarks/classifiers/. Each line writes one
# benchmarks/results/quality_*.json and its grids in docs/images/quality/; report.py then
# rewrites the tables of docs/benchmarks.md.
QUALITY := $(PY) benchmarks/quality
bench: $(STAMP)
	$(QUALITY)/metric_floor.py
	$(QUALITY)/dcgan_mlm.py --networks mlm_mnist --real-images 24000 --gankit-batch 128 --seed 0
	$(QUALITY)/dcgan_mlm.py --networks mlm_mnist --real-images 24000 --gankit-batch 128 --seed 1
	$(QUALITY)/dcgan_mlm.py --networks mlm_mnist --real-images 24000 --gankit-batch 128 --seed 2
	$(QUALITY)/dcgan_mlm.py --networks generic --real-images 24000 --gankit-batch 128 --seed 0
	$(QUALITY)/dcgan_mlm.py --networks generic --real-images 24000 --gankit-batch 128 --seed 1
	$(QUALITY)/dcgan_mlm.py --networks generic --real-images 24000 --gankit-batch 128 --seed 2
	$(QUALITY)/loss_families.py
	$(QUALITY)/update_schemes.py --scheme shared
	$(QUALITY)/update_schemes.py --scheme fresh
	$(QUALITY)/update_schemes.py --scheme simultaneous
	$(QUALITY)/dcgan_budget.py --select
	$(QUALITY)/dcgan_budget.py --recipe paper --seed 0
	$(QUALITY)/dcgan_budget.py --recipe paper --seed 1
	$(QUALITY)/dcgan_budget.py --recipe paper --seed 2
	$(QUALITY)/dcgan_budget.py --recipe best --seed 0
	$(QUALITY)/dcgan_budget.py --recipe best --seed 1
	$(QUALITY)/dcgan_budget.py --recipe best --seed 2
	$(QUALITY)/cgan.py --seed 0 --iterations 10000
	$(QUALITY)/cgan.py --seed 1 --iterations 10000
	$(QUALITY)/cgan.py --seed 2 --iterations 10000
	$(QUALITY)/sgan.py --seed 0
	$(QUALITY)/sgan.py --seed 1
	$(QUALITY)/sgan.py --seed 2
	$(QUALITY)/sgan.py --seed 0 --feature-matching
	$(QUALITY)/sgan.py --seed 1 --feature-matching
	$(QUALITY)/sgan.py --seed 2 --feature-matching
	$(QUALITY)/cyclegan.py --recipe book --seed 0
	$(QUALITY)/cyclegan.py --recipe book --seed 1
	$(QUALITY)/cyclegan.py --recipe book --seed 2
	$(QUALITY)/cyclegan.py --recipe gankit --seed 0
	$(QUALITY)/cyclegan.py --recipe gankit --seed 1
	$(QUALITY)/cyclegan.py --recipe gankit --seed 2
	$(QUALITY)/cyclegan.py --recipe book --seed 0 --epochs 3
	$(QUALITY)/cyclegan.py --recipe book --seed 1 --epochs 3
	$(QUALITY)/cyclegan.py --recipe book --seed 2 --epochs 3
	$(QUALITY)/cyclegan.py --recipe gankit --seed 0 --epochs 3
	$(QUALITY)/cyclegan.py --recipe gankit --seed 1 --epochs 3
	$(QUALITY)/cyclegan.py --recipe gankit --seed 2 --epochs 3
	$(QUALITY)/progan.py
	$(QUALITY)/report.py

clean:
	rm -rf $(VENV) outputs build *.egg-info .pytest_cache
