#!/usr/bin/env bash
# Regenerate docs/report.png: a two-week run with chiller trips, its report, a Chromium screenshot.
# Run from the repository root with the package installed and Debian `chromium` on PATH.
set -euo pipefail
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
twin run --set simulation.days=14 --set faults.chiller_failures_per_year=20 \
    --out "$tmp/run" --report > /dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1900 \
    --screenshot="$PWD/docs/report.png" "file://$tmp/run/report.html"
