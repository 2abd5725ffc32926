.PHONY: run test test-unit bench install broker reset-data fault-test rotate-pii-keys dead-letters

install:
	@scripts/ensure-venv.sh
	@scripts/ensure-web-assets.sh
	@scripts/ensure-report-tools.sh

broker: install
	@scripts/ensure-rabbitmq.sh

## the whole platform on this machine, embedded store, gateway on http://127.0.0.1:$${PORT:-8000}
run: broker
	.venv/bin/python -m devtools.run

## the whole suite: unit, service, integration (real RabbitMQ), end to end, deployment manifests
test: broker
	@scripts/ensure-chromium.sh
	@scripts/ensure-checkov.sh
	.venv/bin/ruff check contracts infra services gateway devtools bench tests
	.venv/bin/ruff format --check contracts infra services gateway devtools bench tests
	.venv/bin/python -m pytest

## the fast tiers only: pure domain and nameko service tests
test-unit: install
	.venv/bin/python -m pytest tests/unit tests/service

## the fault test at length: 1,000 submissions at 50 a second through kill -9 of intake, routing and the broker
fault-test: broker
	FAULT_SUBMISSIONS=1000 FAULT_PER_SECOND=50 .venv/bin/python -m pytest tests/integration/test_fault_tolerance.py -v

## load figures as JSON, measured with wrk (installed with apt-get when missing); then the embedded store's cost per call
bench: broker
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
	.venv/bin/python -m bench.intake_load
	.venv/bin/python -m bench.embedded_store
	.venv/bin/python -m bench.intake_import
	.venv/bin/python -m bench.intake_grouping
	.venv/bin/python -m bench.routing_cases
	.venv/bin/python -m bench.routing_pipeline
	.venv/bin/python -m bench.legislation_comments
	.venv/bin/python -m bench.supervision_statistics
	.venv/bin/python -m bench.notify_delivery
	.venv/bin/python -m bench.supervision_watch

## deletes the embedded store's files ($${DATA_DIR:-.data}) after listing them; refuses while `make run` uses them
reset-data: install
	.venv/bin/python -m devtools.reset_data "$${DATA_DIR:-.data}"

## re-encrypts stored contacts under the first key of PII_KEYS, once the services run with it (see README)
rotate-pii-keys: install
	.venv/bin/python -m devtools.rotate_pii_keys

## lists the messages parked in the dead-letter queue; REPLAY=1 sends each back to the queue it failed in
dead-letters: install
	REPLAY=$${REPLAY:-0} .venv/bin/python -m devtools.dead_letters
