#!/usr/bin/env bash
# Installs the Debian packages the product needs, when missing: "run" for the app itself
# (the serif font with every Vietnamese glyph that the issued PDFs embed), "test" for the
# test suite as well (Chromium for the browser tests, Xvfb for the one that opens PDFs in
# Chromium's viewer, which headless Chromium lacks, poppler's pdftotext/pdftoppm to read
# the PDFs back, SoftHSM2 for the PKCS#11 signing path). As root it installs them with
# apt-get; otherwise it says which to install and fails.
set -euo pipefail
what=${1:-run}
need=()
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] \
  || [ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
if [ "$what" = test ]; then
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
  command -v Xvfb >/dev/null || need+=(xvfb)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v softhsm2-util >/dev/null || need+=(softhsm2)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Install these Debian packages first: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
