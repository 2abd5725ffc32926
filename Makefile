.PHONY: run test test-unit bench install broker

install:
	@scripts/ensure-venv.sh

broker: install
	@scripts/ensure-rabbitmq.sh

## the whole platform on this machine, embedded store, gateway on http://127.0.0.1:$${PORT:-8000}
run: broker
	.venv/bin/python -m devtools.run

## the whole suite: unit, service, integration (real RabbitMQ), end to end, deployment manifests
test: broker
	.venv/bin/python -m pytest

## the fast tiers only: pure domain and nameko service tests
test-unit: install
	.venv/bin/python -m pytest tests/unit tests/service

## load figures as JSON (see bench/README.md)
bench: broker
	.venv/bin/python -m bench.intake_load
