#!/usr/bin/env bash
# What the legislation summary report (意见汇总 PDF) needs from Debian: a CJK TrueType font to embed
# (fonts-wqy-microhei), and poppler-utils (pdftoppm, pdffonts) with which its test looks at the page.
set -euo pipefail
missing=()
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${missing[*]} with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "the PDF report needs: apt-get install ${missing[*]}" >&2
  exit 1
fi
