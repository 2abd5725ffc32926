#!/usr/bin/env bash
# Debian's Chromium and a CJK font for the browser tests (Playwright drives it with executable_path;
# no browser is downloaded). Installed with apt-get when missing and allowed.
set -euo pipefail
if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "CJK"; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium and fonts-noto-cjk with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
  echo "the browser tests need Chromium: apt-get install chromium fonts-noto-cjk" >&2
  exit 1
fi
