# Rehearsal — make targets
#
#   make run        build in release and rehearse Scenarios/hotel-winback.yaml (results under Reports/)
#   make test       build and run every test (swift-testing), then the vendors' official SDKs against
#                   `rehearse serve` (scripts/sdk-tests.sh; creates .venv-sdk from PyPI when missing)
#   make bench      release benchmarks: winback-ref at 100k, 1M and 10M customers (10M/1M ratios), hotel-winback at 200k;
#                   serve mode's throughput against a bare Hummingbird server (needs wrk)
#   make fuzz       mutated scenario files into the loader, engine and reports (SECONDS=60 FUZZ_SEED=1);
#                   a crashing input is kept under Tests/Regressions/
#   make validate   check every scenario file under Scenarios/
#   make format     reformat every Swift file with swift-format (.swift-format at the root)
#   make clean      remove build products and generated reports
#
# Variables: SCENARIO=path, SEED=n, CUSTOMERS=n (for `make run`).

SWIFT ?= swift
SCENARIO ?= Scenarios/hotel-winback.yaml
RUN_ARGS = $(if $(SEED),--seed $(SEED)) $(if $(CUSTOMERS),--customers $(CUSTOMERS))
# Belt and braces: no result may depend on hash order; this makes any leak repeatable too.
export SWIFT_DETERMINISTIC_HASHING = 1

.PHONY: build release run test sdk-test bench fuzz validate format clean
SECONDS ?= 60
FUZZ_SEED ?= 1

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product rehearse

run: release
	.build/release/rehearse run $(SCENARIO) $(RUN_ARGS)

test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	./scripts/sdk-tests.sh .build/debug/rehearse

sdk-test:
	$(SWIFT) build --product rehearse
	./scripts/sdk-tests.sh .build/debug/rehearse

bench: release
	$(SWIFT) build -c release --product rehearse-bench
	./scripts/bench.sh

fuzz:
	$(SWIFT) build -c release --product rehearse-bench
	./scripts/fuzz.sh $(SECONDS) $(FUZZ_SEED)

validate: build
	.build/debug/rehearse validate $$(find Scenarios -name '*.yaml' | sort)

format:
	$(SWIFT) format -i -r -p Sources Tests Package.swift

clean:
	rm -rf .build Reports/*/
