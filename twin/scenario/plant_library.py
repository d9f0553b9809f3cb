"""Reference plant data: chiller curve sets and cooling-tower coefficients.

Reads ``kernels/data/chillers.toml`` and ``kernels/data/towers.toml`` and returns
plain dicts of floats and tuples, ready to pass to the numba kernels in
:mod:`kernels.chiller` and :mod:`kernels.tower` (kernels do no I/O). Each data
file carries a ``[fields]`` table with the unit and description of every key
(PyPSA ``component_attrs`` style) and a ``source`` per entry.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "list_chillers",
    "list_tower_fan_curves",
    "list_yorkcalc",
    "load_chiller",
    "load_tower_fan_curve",
    "load_yorkcalc",
]

_CHILLER_FLOATS = (
    "q_ref_w",
    "cop_ref",
    "t_chw_ref_c",
    "t_cond_ref_c",
    "plr_min",
    "plr_max",
    "plr_opt",
    "min_unload",
)
_CHILLER_TUPLES = {
    "capft": 6,
    "eirft": 6,
    "eirfplr": 3,
    "t_chw_lim": 2,
    "t_cond_lim": 2,
    "plr_lim": 2,
    "capft_out_lim": 2,
    "eirft_out_lim": 2,
}
_CHILLER_OPTIONAL = ("plr_lim", "capft_out_lim", "eirft_out_lim")


@cache
def _read(filename: str) -> dict[str, Any]:
    text = resources.files("kernels").joinpath("data", filename).read_text("utf-8")
    return tomllib.loads(text)


def _floats(values: list[float], n: int, what: str) -> tuple[float, ...]:
    if len(values) != n:
        msg = f"{what} has {len(values)} values, expected {n}"
        raise ValueError(msg)
    return tuple(float(v) for v in values)


def _lookup(table: dict[str, Any], name: str, kind: str) -> dict[str, Any]:
    try:
        return table[name]
    except KeyError:
        msg = f"unknown {kind} {name!r}; choose one of {sorted(table)}"
        raise KeyError(msg) from None


def list_chillers() -> list[str]:
    """Names of the chiller coefficient sets in ``kernels/data/chillers.toml``."""
    return sorted(_read("chillers.toml")["chillers"])


def load_chiller(name: str) -> dict[str, Any]:
    """Return one Chiller:Electric:EIR coefficient set as plain Python values.

    Parameters
    ----------
    name : str
        Key from :func:`list_chillers`, e.g. ``"york_yt_1125_vsd"``.

    Returns
    -------
    dict
        ``q_ref_w`` [W], ``cop_ref`` [-], ``t_chw_ref_c`` [°C], ``t_cond_ref_c``
        [°C], ``capft`` (6-tuple), ``eirft`` (6-tuple), ``eirfplr`` (3-tuple),
        ``plr_min``, ``plr_max``, ``plr_opt``, ``min_unload`` [-], ``t_chw_lim``
        and ``t_cond_lim`` ((lo, hi) [°C]), ``plr_lim`` ((lo, hi) [-]),
        ``capft_out_lim`` / ``eirft_out_lim`` ((lo, hi) or ``None``),
        ``condenser`` (``"water"`` or ``"air"``), ``name``, ``description``,
        ``source``.

    Raises
    ------
    KeyError
        If *name* is not in the data file (the message lists the choices).
    """
    return dict(_chiller(name))  # a copy: the caller may change it


@cache
def _chiller(name: str) -> dict[str, Any]:
    """:func:`load_chiller`, built once per name (its values are immutable; an error is
    not kept): every scenario of a sweep compiles and checks its plant's chillers."""
    raw = _lookup(_read("chillers.toml")["chillers"], name, "chiller")
    out: dict[str, Any] = {k: float(raw[k]) for k in _CHILLER_FLOATS}
    for key, n in _CHILLER_TUPLES.items():
        if key in raw:
            out[key] = _floats(raw[key], n, f"chiller {name!r} field {key!r}")
        elif key in _CHILLER_OPTIONAL:
            out[key] = None
        else:
            msg = f"chiller {name!r} lacks field {key!r}"
            raise ValueError(msg)
    condenser = str(raw["condenser"])
    if condenser not in ("water", "air"):
        msg = f"chiller {name!r}: condenser = {condenser!r}, expected 'water' or 'air'"
        raise ValueError(msg)
    out["condenser"] = condenser
    for key in ("name", "description", "source"):
        out[key] = str(raw[key])
    return out


def list_yorkcalc() -> list[str]:
    """Names of the YorkCalc coefficient sets in ``kernels/data/towers.toml``."""
    return sorted(_read("towers.toml")["yorkcalc"])


def load_yorkcalc(name: str = "default") -> dict[str, Any]:
    """Return one YorkCalc cooling-tower coefficient set.

    Parameters
    ----------
    name : str, default "default"
        Key from :func:`list_yorkcalc`.

    Returns
    -------
    dict
        ``coeffs`` (27-tuple), ``t_wb_lim`` [°C], ``range_lim`` [K],
        ``approach_lim`` [K], ``fr_water_lim`` [-] (each (lo, hi)), ``lg_max``
        [-], ``name``, ``description``, ``source``.
    """
    raw = _lookup(_read("towers.toml")["yorkcalc"], name, "YorkCalc set")
    what = f"YorkCalc {name!r}"
    out: dict[str, Any] = {"coeffs": _floats(raw["coeffs"], 27, what)}
    for key in ("t_wb_lim", "range_lim", "approach_lim", "fr_water_lim"):
        out[key] = _floats(raw[key], 2, f"{what} field {key!r}")
    out["lg_max"] = float(raw["lg_max"])
    for key in ("name", "description", "source"):
        out[key] = str(raw[key])
    return out


def list_tower_fan_curves() -> list[str]:
    """Names of the tower fan-power curves in ``kernels/data/towers.toml``."""
    return sorted(_read("towers.toml")["fan_curves"])


def load_tower_fan_curve(name: str = "twozone_tower_fan_ratio") -> dict[str, Any]:
    """Return a tower fan-power-ratio cubic: ``cubic`` (4-tuple), ``x_lim``, ``source``.

    Parameters
    ----------
    name : str, default "twozone_tower_fan_ratio"
        Key from :func:`list_tower_fan_curves`.
    """
    raw = _lookup(_read("towers.toml")["fan_curves"], name, "fan curve")
    return {
        "cubic": _floats(raw["cubic"], 4, f"fan curve {name!r}"),
        "x_lim": _floats(raw["x_lim"], 2, f"fan curve {name!r} x_lim"),
        "name": str(raw["name"]),
        "description": str(raw["description"]),
        "source": str(raw["source"]),
    }
