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
    # trailing white cropped, 256 colours (Pillow, which matplotlib installs)
    python - "$PWD/docs/notebook_$name.png" <<'PY'
import sys

import numpy as np
from PIL import Image

path = sys.argv[1]
im = Image.open(path).convert("RGB")
a = np.asarray(im)
rows = np.where((a < 250).any(axis=(1, 2)))[0]
bottom = min(a.shape[0], int(rows[-1]) + 20) if rows.size else a.shape[0]
im.crop((0, 0, a.shape[1], bottom)).quantize(256).save(path, optimize=True)
PY
done
