#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers at AMQP_URI: uses it if it answers, else starts the local
# rabbitmq-server, else installs it with apt-get when running as root, else says how to provide one.
set -euo pipefail
cd "$(dirname "$0")/.."
export AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}

answers() {
  .venv/bin/python - <<'PY'
import os, sys
from kombu import Connection
try:
    with Connection(os.environ["AMQP_URI"], connect_timeout=3) as connection:
        connection.ensure_connection(max_retries=1)
except Exception:
    sys.exit(1)
PY
}

wait_for_broker() {
  for _ in $(seq 1 60); do
    answers && return 0
    sleep 2
  done
  return 1
}

answers && exit 0
echo "RabbitMQ 未响应 ${AMQP_URI%%@*}@… / broker not answering; trying the local rabbitmq-server" >&2
if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing rabbitmq-server with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
  else
    echo "没有可用的 RabbitMQ：请设置 AMQP_URI 指向一个 RabbitMQ 3.10+，或以 root 运行以安装 rabbitmq-server" >&2
    echo "No RabbitMQ available: set AMQP_URI to a RabbitMQ 3.10+ broker, or run as root to install rabbitmq-server" >&2
    exit 1
  fi
fi
PATH="$PATH:/usr/sbin" rabbitmq-server -detached >/dev/null 2>&1 || true
if wait_for_broker; then
  echo "RabbitMQ started" >&2
else
  echo "RabbitMQ did not start within 120 s; see /var/log/rabbitmq/" >&2
  exit 1
fi
