# stedenband: developer and CI entry points (GNU make).
#
#   make run            build and serve on an embedded PostgreSQL (http://127.0.0.1:8080)
#   make test           build everything, run the tests, end with "N passed, N failed"
#   make lint | format  swift-format check / rewrite (config: .swift-format)
#   make compose-check  validate docker-compose.yml
#   make api-check      schemathesis and openapi-spec-validator against a live server
#   make ci             lint, compose-check, test (what .ci/run does)
#   make bench          the released server under wrk beside pgbench; a table and bench/results.json
#   make bench-queue    the queue's figures beside pgqueuer's, written to bench/queue.json
#   make bench-import   rows per second of the CSV import
#   make bench-digests  10,000 users' digests built and handed to a real SMTP server
#   make bench-reports  report latencies with 300 municipalities in the read model
#   make bench-delivery events/s delivered to Reporting and Notifications, batched beside one by one
#   make bench-pages    the dashboard (GET /) for a signed-in coordinator, at the server, beside pgbench
#   make bench-showcase the public showcase's pages with 300 municipalities, at the server, beside pgbench
#
# Override variables on the command line, e.g. `make test BUILD_DIR=.build-mine`
# to build in a scratch folder of your own, or `make run ARGS="--port 9090"`.

SHELL := /bin/bash
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

SWIFT ?= swift
PYTHON ?= python3
DOCKER_COMPOSE ?= docker-compose
BUILD_DIR ?= .build
XUNIT ?= $(BUILD_DIR)/xunit.xml
# Swift Testing writes its report next to $(XUNIT), with "-swift-testing" before ".xml".
XUNIT_SWIFT_TESTING = $(patsubst %.xml,%-swift-testing.xml,$(XUNIT))
TEST_LOG ?= $(BUILD_DIR)/test.log
# The browser suite (Tests/Browser: pytest, Selenium, headless Chromium) in the venv scripts/install-deps fills.
export BROWSER_VENV ?= .build/browser-venv
XUNIT_BROWSER ?= $(BUILD_DIR)/xunit-browser.xml
BROWSER_ARGS ?=
TEST_ARGS ?=
ARGS ?=
FORMAT_PATHS ?= Package.swift Plugins Sources Tests migrations

SWIFT_BUILD = $(SWIFT) build --scratch-path $(BUILD_DIR)

.PHONY: deps build run test lint format compose-check api-check ci clean bench bench-queue bench-import bench-digests bench-reports bench-pages bench-delivery bench-showcase

deps:
	@scripts/install-deps

build: deps
	$(SWIFT_BUILD)

# A fresh database gets the demo municipalities (their tokens are printed once); later runs keep what is there.
# One process migrates, seeds and serves, so the embedded PostgreSQL starts once.
run: deps
	$(SWIFT_BUILD) --product stedenband
	exec $(BUILD_DIR)/debug/stedenband serve --migrate --demo-if-empty $(ARGS)

# The test run and the summary both always run; the recipe then fails if either did
# (a failing test, a crash, or no test at all), so the summary line is printed last.
test: deps
	$(SWIFT_BUILD) --build-tests --explicit-target-dependency-import-check=error
	@mkdir -p $(dir $(XUNIT)) $(dir $(TEST_LOG))
	@rm -f $(XUNIT) $(XUNIT_SWIFT_TESTING) $(XUNIT_BROWSER)
	@set -o pipefail; tests=0; browser=0; summary=0; \
	$(SWIFT) test --scratch-path $(BUILD_DIR) --skip-build --xunit-output $(XUNIT) $(TEST_ARGS) 2>&1 \
	    | tee $(TEST_LOG) || tests=$$?; \
	STEDENBAND_BINARY=$(BUILD_DIR)/debug/stedenband $(BROWSER_VENV)/bin/python -m pytest -c Tests/Browser/pytest.ini \
	    Tests/Browser --junitxml=$(XUNIT_BROWSER) $(BROWSER_ARGS) 2>&1 | tee -a $(TEST_LOG) || browser=$$?; \
	$(PYTHON) scripts/test-summary $(XUNIT) --require $(XUNIT_BROWSER) || summary=$$?; \
	if [ "$$tests" -ne 0 ]; then exit "$$tests"; fi; if [ "$$browser" -ne 0 ]; then exit "$$browser"; fi; exit "$$summary"

lint:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --recursive $(FORMAT_PATHS)

# docker-compose v1 (Debian 12's 1.29) is enough to validate the file; no engine needed.
compose-check:
	@if ! command -v $(firstword $(DOCKER_COMPOSE)) >/dev/null 2>&1; then \
	    echo "compose-check: installing docker-compose"; \
	    sudo=; if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; fi; \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -q --no-install-recommends docker-compose >/dev/null; \
	fi
	$(DOCKER_COMPOSE) -f docker-compose.yml config -q

# The live API against /openapi.json: openapi-spec-validator, then schemathesis (no 5xx, no response that
# contradicts the document), on a server of its own with an embedded database.
# Built with the same flags as `make test`, so the test build reuses it instead of starting over.
api-check: deps
	$(SWIFT_BUILD) --build-tests --explicit-target-dependency-import-check=error
	scripts/api-check $(BUILD_DIR)/debug/stedenband

# Sequential on purpose (not prerequisites), so `make -j ci` keeps this order and the
# test summary stays the last line.
ci:
	$(MAKE) lint
	$(MAKE) compose-check
	$(MAKE) api-check
	$(MAKE) chaos-short
	$(MAKE) test

# Fault runs against the debug binary and a private PostgreSQL cluster (scripts/chaos; results in
# docs/reliability.md). Kept out of `make test`: the full run takes minutes. chaos-short is the CI version
# (200 POSTs, a 4 s outage). Built with the same flags as `make test`, so neither build starts over.
# CHAOS_ARGS="--only 2,4" runs some scenarios; "--plant lose-post" checks that a check catches a fault.
CHAOS_ARGS ?=
.PHONY: chaos chaos-short
chaos: deps
	$(SWIFT_BUILD) --build-tests --explicit-target-dependency-import-check=error
	$(PYTHON) scripts/chaos --binary $(BUILD_DIR)/debug/stedenband $(CHAOS_ARGS)

chaos-short: deps
	$(SWIFT_BUILD) --build-tests --explicit-target-dependency-import-check=error
	$(PYTHON) scripts/chaos --short --binary $(BUILD_DIR)/debug/stedenband $(CHAOS_ARGS)

# The queue's throughput and latency on a private cluster with default durability, beside pgqueuer's on the
# same cluster; prints a table and writes bench/queue.json. BENCH_ARGS="--jobs 20000" for a quicker run.
BENCH_ARGS ?=
bench-queue: deps
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product QueueBenchmark
	$(BUILD_DIR)/release/QueueBenchmark $(BENCH_ARGS)

# The whole server under load (Benchmarks/ServerBenchmark): a private cluster seeded with 300 municipalities ×
# 10 partnerships × 100 activities through the API, wrk at 32 connections against the released server, pgbench
# (-S and each request's own shape) on the same cluster as the limits, and the queue's figures; writes
# bench/results.json (docs/performance.md). BENCH_ARGS="--runs 3" for medians, "--small" for a quicker seeding.
bench: deps
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product stedenband
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product QueueBenchmark
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product ServerBenchmark
	$(BUILD_DIR)/release/ServerBenchmark --binary $(BUILD_DIR)/release/stedenband \
	    --queue-binary $(BUILD_DIR)/release/QueueBenchmark $(BENCH_ARGS)

bench-digests: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product DigestBenchmark
	$(BUILD_DIR)/release/DigestBenchmark $(BENCH_ARGS)

bench-reports: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product ReportBenchmark
	$(BUILD_DIR)/release/ReportBenchmark $(BENCH_ARGS)

# Event delivery (Benchmarks/DeliveryBenchmark): 100,000 ActivityRecorded events for 30 municipalities published
# through the EventBus, then delivered from the subscribers' cursors to the real Reporting and Notifications
# subscribers, with batch size 1 and the default batch size alternately; medians of three. BENCH_ARGS="--events 20000 --runs 1".
bench-delivery: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product DeliveryBenchmark
	$(BUILD_DIR)/release/DeliveryBenchmark $(BENCH_ARGS)

# The CSV import's rows per second on a private cluster (release build). BENCH_ROWS=10000 for a quicker run.
BENCH_ROWS ?= 50000
bench-import: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product stedenband
	scripts/bench-import $(BUILD_DIR)/release/stedenband $(BENCH_ROWS)

# The dashboard (`GET /`) for a signed-in coordinator with 10 partnerships × 100 activities (each with an update):
# the server's own p50/p95/p99 from its access log under wrk, beside pgbench -S on the same cluster; writes
# bench/pages.json (docs/performance.md). BENCH_ARGS="--duration 5" for a quicker run.
bench-pages: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product stedenband
	scripts/bench-pages --binary $(BUILD_DIR)/release/stedenband $(BENCH_ARGS)

# The public showcase (Benchmarks/ShowcaseBenchmark): 300 municipalities × 10 partnerships (5 published, 3
# published lessons each) × 100 activities written into the read model, the released server with every plugin,
# wrk at 4 connections on each public page without If-None-Match; the server's own p50/p95/p99 from its access
# log, beside pgbench -S on the same cluster, medians of 3 runs; writes bench/showcase.json (docs/performance.md).
# BENCH_ARGS="--runs 1 --duration 5 --municipalities 30" for a quicker run, "--hold" to keep the seeded cluster
# for EXPLAIN ANALYZE, "--no-workers" to run serve without its job workers (the pages read no queue).
bench-showcase: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product stedenband
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product ShowcaseBenchmark
	$(BUILD_DIR)/release/ShowcaseBenchmark --binary $(BUILD_DIR)/release/stedenband $(BENCH_ARGS)

clean:
	rm -rf $(BUILD_DIR)
