# Ehrenamts- und Spendenbörse — the two commands people need are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PORT ?= 8080
HOST ?= 127.0.0.1
REGION ?= lippe
DATABASE ?= data/boerse.sqlite
# System libraries the build links against (the Swift toolchain itself is a prerequisite), and what the
# real-browser tests need: headless Chromium with its WebDriver, Java for the Nu Html Checker, venv.
APT_PACKAGES := libsqlite3-dev zlib1g-dev libsodium-dev pkg-config \
	chromium chromium-driver default-jre-headless python3-venv
FORMAT_PATHS := Package.swift Sources Tests

.PHONY: bench e2e i18n-check run test deps build build-debug migrate seed format format-check clean-data help fuzz slowtest

help:
	@echo "make run    – install what is missing, build, migrate, load demo data, serve http://localhost:$(PORT)"
	@echo "make test   – format check and all tests (what CI runs)"
	@echo "make e2e    – accessibility, keyboard and HTML checks in headless Chromium (part of make test)"
	@echo "make format – rewrite the Swift sources in the project's style"
	@echo "make bench  – benchmarks against nginx and a Hummingbird peer (Benchmarks/results/latest.md)"

# Installs missing Debian packages, as root or through sudo; does nothing when all are present.
deps:
	@missing=""; for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product boerse

build-debug: deps
	$(SWIFT) build --product boerse

migrate: build
	.build/release/boerse migrate --database $(DATABASE) --region $(REGION)

run: build
	.build/release/boerse migrate --database $(DATABASE) --region $(REGION)
	.build/release/boerse seed --demo --if-empty --database $(DATABASE) --region $(REGION)
	.build/release/boerse serve --host $(HOST) --port $(PORT) --database $(DATABASE) --region $(REGION) \
		--public-url http://localhost:$(PORT)

test: deps format-check i18n-check
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(SWIFT) build --product boerse
	python3 Tests/smoke/crawl.py .build/debug/boerse "$(CURDIR)"
	$(MAKE) --no-print-directory e2e

format:
	$(SWIFT) format format --in-place --recursive $(FORMAT_PATHS)

# Accessibility and valid HTML in a real browser (Tests/e2e, docs/ACCESSIBILITY.md): axe-core and the
# Nu Html Checker over every page type, keyboard-only journeys, screenshots in .build-e2e/screenshots/.
E2E_VENV := .venv-e2e
E2E_AXE := .build-e2e/axe/axe.min.js
# axe-core comes out of this wheel (axe-core 4.12.1); axe-selenium-python's copy is from 2018.
AXE_WHEEL := axe-playwright-python==0.1.8

$(E2E_VENV)/installed: Tests/e2e/requirements.txt
	python3 -m venv $(E2E_VENV)
	$(E2E_VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/e2e/requirements.txt
	touch $@

$(E2E_AXE): | $(E2E_VENV)/installed
	mkdir -p $(dir $@)
	$(E2E_VENV)/bin/pip download --quiet --disable-pip-version-check --no-deps --dest $(dir $@) $(AXE_WHEEL)
	$(E2E_VENV)/bin/python -c "import glob, zipfile, sys; wheel = zipfile.ZipFile(sorted(glob.glob('$(dir $@)axe_playwright_python-*.whl'))[-1]); open('$@', 'wb').write(wheel.read('axe_playwright_python/axe.min.js'))"

e2e: deps $(E2E_VENV)/installed $(E2E_AXE)
	$(SWIFT) build --product boerse
	$(E2E_VENV)/bin/python Tests/e2e/run.py .build/debug/boerse "$(CURDIR)"

# Every language has every key, no German left untranslated, no unused keys (Tests/i18n/check.py).
i18n-check:
	python3 Tests/i18n/check.py

format-check:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

clean-data:
	rm -f $(DATABASE) $(DATABASE)-wal $(DATABASE)-shm

# Coverage-guided fuzzing of the HTTP request parser (libFuzzer + AddressSanitizer); not part of `make test`.
# FUZZ_SECONDS sets the run length (default 600).
fuzz:
	bash Fuzz/run.sh

# slowloris and slow-body attacks (slowhttptest) against a server on loopback while a probe keeps
# requesting /; not part of `make test`.
slowtest: deps
	bash Tests/slow/slowtest.sh

# Benchmarks against nginx and a Hummingbird peer (Benchmarks/bench.py); not part of make test.
BENCH_PACKAGES := wrk nginx-light
bench: deps
	@$(MAKE) --no-print-directory deps APT_PACKAGES="$(BENCH_PACKAGES)"
	python3 Benchmarks/bench.py
