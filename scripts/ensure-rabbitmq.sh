#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers at AMQP_URI: uses it if it answers, else starts the local
# rabbitmq-server, else installs it with apt-get when running as root, else says how to provide one.
# Sourced (the tests do), it only defines its functions.

# Where AMQP_URI points, without the user and password: everything after the last "@".
broker_address() {
  local rest=${1#*://}
  printf '%s' "${rest##*@}"
}

say_not_answering() {
  echo "RabbitMQ 未响应：$(broker_address "$1")，尝试启动本机的 rabbitmq-server / broker not answering at $(broker_address "$1"); trying the local rabbitmq-server" >&2
}

# The broker this script started outlives make: how to stop it, as it was started.
how_to_stop() {
  if command -v systemctl >/dev/null && systemctl is-active --quiet rabbitmq-server 2>/dev/null; then
    printf '%s' "systemctl stop rabbitmq-server"
  else
    printf '%s' "rabbitmqctl stop"
  fi
}

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

main() {
  set -euo pipefail
  cd "$(dirname "$0")/.."
  export AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}

  answers && exit 0
  say_not_answering "$AMQP_URI"
  if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "正在用 apt-get 安装 rabbitmq-server / installing rabbitmq-server with apt-get" >&2
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
    local stop
    stop=$(how_to_stop)
    echo "RabbitMQ 已启动，make 结束后仍在运行；停止它：${stop} / RabbitMQ started; it keeps running after make ends (stop it: ${stop})" >&2
  else
    echo "RabbitMQ 在 120 秒内未启动，请查看 /var/log/rabbitmq/ / RabbitMQ did not start within 120 s; see /var/log/rabbitmq/" >&2
    exit 1
  fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
