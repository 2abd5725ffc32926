#!/usr/bin/env bash
# Installs the npm packages whose browser assets the gateway serves itself (API docs, axe-core for the
# browser tests) into node_modules, from package-lock.json; reused while the lock file is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing npm with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "npm is needed for the API docs' assets: apt-get install npm" >&2
    exit 1
  fi
fi
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  # --ignore-scripts: nothing of these packages runs at install time (no telemetry, no downloads)
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
