# The README's two commands, `make book` and `make test`, and a few helpers.
# Every target sets itself up: .venv is created from requirements.txt when it is
# missing, and re-installed when requirements.txt or pyproject.toml is newer than it.

SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The kernels must use matplotlib's inline backend (ipykernel sets it only when
# MPLBACKEND is unset); an inherited MPLBACKEND=Agg would drop every figure.
unexport MPLBACKEND

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-requirements

# Notebooks: all chapters, or just NB=path/to/one.ipynb for `make execute`.
CHAPTERS := $(sort $(wildcard chapters/*.ipynb))
NB       ?= $(CHAPTERS)

BUILD_STRICT := build --all -W -n --keep-going .
NBVAL_ARGS   := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

.PHONY: help venv book book-strict pdf test check lint nbval pytest execute student lab pack setup-cells bench timings clean

help:  ## show this help
	@echo "Usage: make <target>"
	@echo
	@echo "  book      build the website into _build/html (re-executes every chapter); with"
	@echo "            TeX Live installed, first the PDF, which the site's download menu links"
	@echo "  test      everything CI runs: ruff, the strict book build (-W -n), pytest"
	@echo "            (nnlib, notebook contracts, built site, the site in a headless"
	@echo "            browser; screenshots in _build/screenshots/) and strict nbval"
	@echo "  check     the quick loop (under a minute): ruff, then pytest on tests/ without the"
	@echo "            tests marked slow (kernels, chapters, the built site); not what CI runs"
	@echo "  pdf       the whole book as one PDF, _build/latex/book.pdf (needs TeX Live:"
	@echo "            texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk)"
	@echo "  lint      ruff on nnlib, tests, tools, book/_ext and the chapter notebooks"
	@echo "  nbval     strict nbval on every notebook in chapters/"
	@echo "  execute   re-execute every chapter in place from a fresh kernel;"
	@echo "            one chapter: make execute NB=chapters/01_perceptron.ipynb"
	@echo "  student   student notebooks, solutions removed, into student/"
	@echo "  lab       JupyterLab on the chapters, MyST rendered (jupyterlab-myst); as root"
	@echo "            too. Extra options: make lab LAB_ARGS='--no-browser --port 8899'"
	@echo "  pack      the course pack (.zip: student notebooks in plain Markdown, nnlib's"
	@echo "            wheel, a README) into _build/course-pack/; make book also puts it"
	@echo "            into the site (_build/html/_static/nnlib-course-pack.zip)"
	@echo "  setup-cells  write the set-up cell (tools/setup_cell.py) as every chapter's first"
	@echo "            code cell; run it after changing repository: url in _config.yml"
	@echo "  bench     training-speed benchmark: nnlib, a bare numpy loop, scikit-learn,"
	@echo "            PyTorch (if installed), one thread; report in _build/benchmarks/ (1-2 min)"
	@echo "  timings   each chapter's run time and the whole build's, against the book's"
	@echo "            targets; report in _build/timings/ (about 2 minutes)"
	@echo "  venv      create or update .venv from requirements.txt"
	@echo "  clean     remove _build and caches (keeps .venv; rm -rf .venv to reset it)"

# --- set-up ------------------------------------------------------------------------------
$(STAMP): requirements.txt pyproject.toml
	@echo "==> Setting up $(VENV) from requirements.txt: 1-3 minutes the first time, longer"
	@echo "    on a slow network or a busy machine; pip lists each package as it goes."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	@touch $@

venv: $(STAMP)  ## create or update .venv

# --- the two commands --------------------------------------------------------------------
book: $(STAMP)  ## build the website (and first the PDF, when TeX Live is installed)
	$(BIN)/python tools/build_pdf.py --if-tex
	$(BIN)/jupyter-book build --all .
	@echo "Open _build/html/index.html"

book-strict: $(STAMP)
	$(BIN)/jupyter-book $(BUILD_STRICT)

# Runs every step even when an earlier one fails, so one run shows every problem;
# pytest runs last, so that its summary line ends the output. Exits non-zero if any
# step failed.
test: $(STAMP)  ## lint + strict book build + pytest (tests/ and nbval on chapters/)
	@failed=""; \
	echo "==> ruff"; \
	$(BIN)/ruff check nnlib tests tools book chapters || failed="$$failed ruff"; \
	echo "==> the PDF: tools/build_pdf.py (before the website, which links it)"; \
	$(BIN)/python tools/build_pdf.py $(if $(CI),,--if-tex) || failed="$$failed pdf"; \
	echo "==> jupyter-book $(BUILD_STRICT)"; \
	$(BIN)/jupyter-book $(BUILD_STRICT) || failed="$$failed book-build"; \
	if [ -n "$$failed" ]; then echo "==> FAILED so far:$$failed (running pytest anyway)"; fi; \
	echo "==> pytest tests + nbval chapters"; \
	$(BIN)/python -m pytest tests chapters $(NBVAL_ARGS) || failed="$$failed pytest"; \
	test -z "$$failed"

pdf: $(STAMP)  ## the whole book as one PDF (tools/build_pdf.py; needs TeX Live)
	$(BIN)/python tools/build_pdf.py

# --- helpers -----------------------------------------------------------------------------
check: $(STAMP)  ## the quick loop: ruff + pytest without the slow tests
	$(BIN)/ruff check nnlib tests tools book chapters
	$(BIN)/python -m pytest tests -m "not slow" -q

lint: $(STAMP)  ## ruff on code and notebooks
	$(BIN)/ruff check nnlib tests tools book chapters

nbval: $(STAMP)  ## strict nbval on the chapters only
	$(BIN)/python -m pytest $(NBVAL_ARGS) chapters

pytest: $(STAMP)  ## pytest on tests/ only (no nbval, no build)
	$(BIN)/python -m pytest tests

# tools/execute_notebooks.py, not `jupyter execute`: it stores no timestamps in cells.
execute: $(STAMP)  ## re-execute notebooks in place (NB=path for one)
	@test -n "$(strip $(NB))" || { echo "no notebooks in chapters/"; exit 1; }
	$(BIN)/python tools/execute_notebooks.py $(NB)

student: $(STAMP)  ## student notebooks (solutions removed) into student/
	$(BIN)/python tools/student_notebooks.py student

# JupyterLab refuses to start as root without --allow-root (containers, cloud machines).
LAB_ARGS ?=
lab: $(STAMP)  ## JupyterLab on the chapters (jupyterlab-myst renders their MyST)
	$(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS) chapters/

pack: $(STAMP)  ## the course pack into _build/course-pack/ (tools/course_pack.py)
	$(BIN)/python tools/course_pack.py

setup-cells: $(STAMP)  ## every chapter's first code cell: the set-up cell (tools/setup_cell.py)
	$(BIN)/python tools/setup_cell.py

bench: $(STAMP)  ## training-speed benchmark (benchmarks/README.md)
	$(BIN)/python benchmarks/bench_training.py

timings: $(STAMP)  ## how long each chapter and the whole build take (tools/book_timings.py)
	$(BIN)/python tools/book_timings.py

clean:  ## remove build output and caches (keeps .venv)
	rm -rf _build .pytest_cache .hypothesis .ruff_cache
	find . -path ./.venv -prune -o -type d -name __pycache__ -exec rm -rf {} +
	find . -path ./.venv -prune -o -type d -name .ipynb_checkpoints -exec rm -rf {} +
