#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers at AMQP_URI: uses it if it answers, else starts the local
# rabbitmq-server, else installs it with apt-get when running as root, else says how to provide one.
# A local node unfit for the tests is restarted (as root): one that may open too few files (see
# BROKER_FILES), whose rabbitmqctl hangs, or that no longer answers AMQP.
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

# The local rabbitmqctl adds and deletes a virtual host within RABBITMQCTL_TIMEOUT seconds (30) each.
# True where there is no local rabbitmqctl: a remote broker is the operator's to manage.
manageable() {
  command -v rabbitmqctl >/dev/null || return 0
  local probe="ensure-probe-$$" limit=${RABBITMQCTL_TIMEOUT:-30}
  timeout "$limit" rabbitmqctl -q add_vhost "$probe" >/dev/null 2>&1 &&
    timeout "$limit" rabbitmqctl -q delete_vhost "$probe" >/dev/null 2>&1
}

# How many files the local node may open, as it says itself; empty where it cannot say.
broker_file_limit() {
  command -v rabbitmqctl >/dev/null || return 0
  timeout "${RABBITMQCTL_TIMEOUT:-30}" rabbitmqctl -q eval 'file_handle_cache:ulimit().' 2>/dev/null | tr -dc 0-9 || true
}

# RabbitMQ 3.10 counts every connection and every queue's open files against this limit and, once it
# is used up, makes new connections and new virtual hosts wait without an error. Debian starts the
# node with 1,024, which the test suite's platforms use up within minutes.
BROKER_FILES=${BROKER_FILES:-65536}

# What to raise the limit to when starting the node: BROKER_FILES, or the hard limit if lower.
files_for_broker() {
  local hard
  hard=$(ulimit -Hn)
  if [ "$hard" = unlimited ] || [ "$hard" -ge "$BROKER_FILES" ]; then
    printf '%s' "$BROKER_FILES"
  else
    printf '%s' "$hard"
  fi
}

# Why the local node must be restarted, or nothing when it is fit for the tests.
unfit_because() {
  local files
  files=$(broker_file_limit)
  if [ -n "$files" ] && [ "$files" -lt "$(files_for_broker)" ]; then
    printf '%s' "它只能打开 ${files} 个文件 / it may open only ${files} files"
  elif ! manageable; then
    printf '%s' "rabbitmqctl ${RABBITMQCTL_TIMEOUT:-30} 秒内没有完成 / rabbitmqctl hangs"
  fi
}

# A node of this machine is running (however stuck): it answers to its name, or its VM is there.
local_node_running() {
  command -v rabbitmqctl >/dev/null || return 1
  timeout "${RABBITMQCTL_TIMEOUT:-30}" rabbitmqctl -q eval 'ok.' >/dev/null 2>&1 ||
    pgrep -f 'beam.smp.*-s rabbit boot' >/dev/null 2>&1
}

# Stops the local node however stuck it is: the command-line tools' hung Erlang VMs first (each holds
# one of the few distribution ports the next rabbitmqctl needs), then the node, politely then not.
stop_local_broker() {
  pkill -9 -f 'escript/rabbitmq' 2>/dev/null || true
  if ! timeout 60 rabbitmqctl stop >/dev/null 2>&1; then
    pkill -9 -f 'escript/rabbitmq' 2>/dev/null || true
    pkill -9 -f 'beam.smp.*-s rabbit boot' 2>/dev/null || true
  fi
  sleep 2
}

# Debian's rabbitmq-server, run by root, switches to the rabbitmq user (RABBITMQ_USER) through su,
# whose PAM session sets the file limit back to 1,024: as root the limit is raised inside that user's
# own shell.
start_local_broker() {
  local files user=${RABBITMQ_USER:-rabbitmq}
  files=$(files_for_broker)
  if [ "$(id -u)" = 0 ] && id -u "$user" >/dev/null 2>&1; then
    su "$user" -s /bin/sh -c "ulimit -n $files; cd $(getent passwd "$user" | cut -d: -f6) && PATH=\$PATH:/usr/sbin rabbitmq-server -detached" \
      >/dev/null 2>&1 || true
  else
    (ulimit -n "$files" 2>/dev/null; PATH="$PATH:/usr/sbin" rabbitmq-server -detached >/dev/null 2>&1) || true
  fi
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
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  export AMQP_URI=${AMQP_URI:-amqp://guest:guest@127.0.0.1:5672/}

  local why=""
  if answers; then
    why=$(unfit_because)
    [ -z "$why" ] && exit 0
  elif local_node_running; then
    why="AMQP 无应答 / it does not answer AMQP"
  fi
  if [ -n "$why" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "本机 RabbitMQ 不适合测试（${why}），需以 root 运行才能重启它 / the local broker is unfit for the tests (${why}); run as root to restart it" >&2
      exit 1
    fi
    echo "本机 RabbitMQ 不适合测试（${why}），正在重启 / the local broker is unfit for the tests (${why}); restarting it" >&2
    stop_local_broker
    start_local_broker
    if wait_for_broker && [ -z "$(unfit_because)" ]; then
      echo "RabbitMQ 已重启 / RabbitMQ restarted" >&2
      exit 0
    fi
    echo "RabbitMQ 重启后仍不可用，请查看 /var/log/rabbitmq/ / the broker is still unfit after a restart; see /var/log/rabbitmq/" >&2
    exit 1
  fi
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
  start_local_broker
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
