# framescope: every target sets up what it needs (.venv, release build) itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS_STAMP := $(VENV)/.deps-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
SOURCES := $(shell find src python -type f \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' \) 2>/dev/null) Cargo.toml Cargo.lock pyproject.toml
BUILD_STAMP := $(VENV)/.built

.PHONY: demo test browser test-rust test-python test-notebooks docs lint stubtest bench bench-read bench-scale bench-main-path bench-threads bench-ceiling bench-bundle bench-pages bench-store bench-progress bench-trust bench-report bench-dates fuzz instructions setup build clean

# The main job on the built-in demo corpus: frame trends printed, written as CSV, plotted as PNG,
# and the interactive HTML report to open in a browser.
demo: build
	mkdir -p demo-output
	$(PY) -m framescope trends --out demo-output/trends.csv --plot demo-output/trends.png
	$(PY) -m framescope report --group channel -o demo-output/report.html

test: build browser test-rust lint stubtest test-python test-notebooks docs

# Headless Chromium with its WebDriver, and Firefox ESR (which serves WebDriver BiDi
# itself), from Debian's packages, for the HTML report's browser tests
# (tests/python/test_report_browser.py); nothing is downloaded by Selenium.
BROWSER_PACKAGES := chromium chromium-driver firefox-esr
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v firefox-esr >/dev/null; then :; \
	else SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; fi

setup: $(DEPS_STAMP)

$(DEPS_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -c 'import tomllib,sys; print("\n".join(tomllib.load(open("pyproject.toml","rb"))["project"]["optional-dependencies"]["dev"]))' > $(VENV)/dev-requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/dev-requirements.txt
	rm -f $(VENV)/.deps-* && touch $@

build: $(BUILD_STAMP)

$(BUILD_STAMP): $(DEPS_STAMP) $(SOURCES)
	VIRTUAL_ENV=$(abspath $(VENV)) PATH=$(abspath $(VENV))/bin:$$PATH $(VENV)/bin/maturin develop --release --quiet
	touch $@

test-rust:
	cargo test --quiet

lint: $(DEPS_STAMP)
	cargo fmt --check
	cargo clippy --quiet --all-targets -- -D warnings
	PYO3_PYTHON=$(abspath $(PY)) cargo clippy --quiet --features python --lib -- -D warnings
	$(VENV)/bin/ruff check python tests benches notebooks

stubtest: build
	$(PY) -m mypy.stubtest framescope._core

test-python: build browser
	FRAMESCOPE_BROWSER_TEST=required $(PY) -m pytest -q tests/python python/framescope

test-notebooks: build
	$(PY) -m pytest -q --nbmake --nbmake-timeout=300 notebooks/

# The documentation site in site/ (entry page site/index.html): README, the two
# "coming from" pages, the notebooks executed, the API reference; warnings are errors.
docs: build
	NO_MKDOCS_2_WARNING=1 PYTHONPATH=$(abspath python) $(VENV)/bin/mkdocs build --strict --quiet

# Python's character classes per Unicode version (src/text/pyword_table.rs), from every
# Python found among PYWORD_PYTHONS (each release ships another Unicode version).
PYWORD_PYTHONS ?= python3.10 python3.11 python3.12 python3.13 python3.14
pyword-tables:
	rm -rf target/pyword && mkdir -p target/pyword
	for py in $(PYWORD_PYTHONS); do \
		if command -v $$py >/dev/null 2>&1 && $$py -c 1 >/dev/null 2>&1; then \
			$$py tools/gen_pyword.py --dump > target/pyword/$$py.json || exit 1; \
		else echo "$$py not found: its Unicode version is computed at run time instead"; fi; \
	done
	python3 tools/gen_pyword.py --emit target/pyword/*.json > src/text/pyword_table.rs

bench: build bench-read bench-scale bench-main-path bench-threads bench-ceiling bench-pages bench-store bench-progress bench-trust bench-report bench-dates
	$(PY) benches/bench_vectorizers.py --sizes 100 --repeat 5 --out BENCHMARKS.md

# 10 MB, 100 MB and 1 GB: TF-IDF vs scikit-learn, frame trends vs re and pyahocorasick,
# tokenize+count vs wc -w; then fs.scan over 5 GB of JSONL (files under target/bench/).
bench-scale: build
	$(PY) benches/bench_scale.py --sizes 10 100 1000 --repeat 3 --stream-gb 5 --out BENCHMARKS.md

# Corpus -> frame trends on 100 MB shaped like real sources (typography, glued sentences,
# all-Russian, short documents) vs re and pyahocorasick; TF-IDF on short documents.
bench-main-path: build
	$(PY) benches/bench_main_path.py --mb 100 --repeat 3 --out BENCHMARKS.md

# Thread scaling (1, 2, 4, 8, 16 threads, up to the machine's cores) of frame trends and
# TF-IDF on 100 MB of real-shaped text and of short posts; results checked identical.
bench-threads: build
	$(PY) benches/bench_threads.py --mb 100 --repeat 3 --out BENCHMARKS.md

# The machine's own ceiling for that scaling: N one-thread copies of the frame-trends job at
# once (N = the cores), each copy's slowdown against one alone.
bench-ceiling: build
	$(PY) benches/bench_ceiling.py --mb 100 --rounds 3 --out BENCHMARKS.md

# A first TF-IDF fit with and without 2 MiB pages (FRAMESCOPE_HUGE_PAGES=1), 1 and all threads.
bench-pages: build
	$(PY) benches/bench_pages.py --mb 100 --rounds 3 --out BENCHMARKS.md

# A wheel and the two 100 MB corpora of bench-threads (xz) in target/bench-bundle/, to
# measure thread scaling on another machine: `bash benches/run_bundle.sh` there.
bench-bundle: build
	$(PY) benches/bench_bundle.py

# Progress bars on and off: frame trends and tokenizing on 100 MB of short documents.
bench-progress: build
	$(PY) benches/bench_progress.py --mb 100 --repeat 7 --out BENCHMARKS.md

# Validation sample, expansion, drift and run records on the 100 MB real-shaped corpus.
bench-trust: build
	$(PY) benches/bench_trust.py --mb 100 --out BENCHMARKS.md

# The HTML report: time and file size, demo corpus and 100 MB (by year and by month).
bench-report: build
	$(PY) benches/bench_report.py --mb 100 --out BENCHMARKS.md

# corpus.save / fs.load against pickle on the 100 MB real-shaped corpus.
bench-store: build
	$(PY) benches/bench_store.py --mb 100 --repeat 3 --out BENCHMARKS.md

# Dating by the texts' own datelines (planted in one document of five, all found first).
bench-dates: build
	$(PY) benches/bench_dates.py --mb 100 --repeat 3 --out BENCHMARKS.md

# Reading a 200 MB and a 2 GB JSONL: time and peak RSS (files generated under target/bench/).
bench-read: build
	$(PY) benches/bench_read.py --mb 200 2000 --out BENCHMARKS.md

# Longer fuzzing (make test runs the same property tests with 256 inputs each):
# tokenizer and segmentation, dates, every loader, the pattern compiler and matcher.
FUZZ_CASES ?= 1000000
fuzz:
	time PROPTEST_CASES=$(FUZZ_CASES) cargo test --release --test fuzz_text --test fuzz_inputs --test corpus_robustness --test memory_bounds

# Instruction counts of the counting hot loop (deterministic; for A/B of optimisations).
instructions: build
	valgrind --tool=callgrind --callgrind-out-file=target/callgrind.out $(PY) benches/instructions.py >/dev/null 2>&1
	callgrind_annotate target/callgrind.out | grep -E "PROGRAM TOTALS|framescope::|rayon::|hashbrown::|sort::" | head -15

clean:
	rm -rf $(VENV) target
