#!/usr/bin/env bash
# Regenerate the notebook screenshots of docs/notebooks.md: execute each notebook with
# nbconvert (its figures inline, as in Jupyter), render it to HTML, screenshot the HTML with
# headless Chromium. Run from the repository root with the package and nbconvert installed
# (pip install ".[notebooks]") and Debian `chromium` on PATH.
#   docs/make_notebook_png.sh                      # the notebooks shown in docs/notebooks.md
#   docs/make_notebook_png.sh 05_sweep             # one of them
set -euo pipefail
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    names=(02_eight_sites 04_chiller_trip_and_outage 05_sweep)
fi
for name in "${names[@]}"; do
    python -m nbconvert --to html --execute --ExecutePreprocessor.timeout=900 \
        --output-dir "$tmp" "notebooks/$name.ipynb"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --force-device-scale-factor=1 --window-size=1100,3400 \
        --screenshot="$PWD/docs/notebook_$name.png" "file://$tmp/$name.html"
done
