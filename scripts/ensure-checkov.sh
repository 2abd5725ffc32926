#!/usr/bin/env bash
# checkov (the Kubernetes policy checks of tests/deploy/test_policy.py) in a venv of its own: its
# pinned dependencies would fight the project's.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=3.3.30
if [ ! -x .venv-checkov/bin/checkov ] || ! grep -qx "$VERSION" .venv-checkov/.installed 2>/dev/null; then
  rm -rf .venv-checkov
  "${PYTHON:-python3}" -m venv .venv-checkov
  .venv-checkov/bin/python -m pip install -q "checkov==$VERSION"
  echo "$VERSION" > .venv-checkov/.installed
fi
