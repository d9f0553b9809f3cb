"""Hypothesis strategies: random *valid* scenarios, small enough to run in milliseconds.

Every draw is a plain dict of scenario sections (the TOML shape), so the same
strategies feed :class:`twin.Scenario` and the fuzzers that corrupt them.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from weather.sites import SITES

SITE_IDS = sorted(SITES)

finite = {"allow_nan": False, "allow_infinity": False}


@st.composite
def rack_groups(draw) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 3))
    groups = []
    for i in range(n):
        cooling = draw(st.sampled_from(["air", "liquid"]))
        groups.append(
            {
                "name": f"g{i}",
                "racks": draw(st.integers(0, 300)),
                "p_rack_peak_kw": draw(st.floats(2.0, 140.0, **finite)),
                "idle_frac": draw(st.floats(0.0, 0.5, **finite)),
                "cooling": cooling,
                "liquid_frac": draw(st.floats(0.5, 0.95, **finite)),
                "utilisation_mean": draw(st.floats(0.05, 1.0, **finite)),
                "utilisation_sd": draw(st.floats(0.0, 0.2, **finite)),
                "job_mean_h": draw(st.floats(0.5, 48.0, **finite)),
            }
        )
    return groups


@st.composite
def scenarios(draw, days: tuple[int, int] = (2, 6), faults: bool = True) -> dict[str, Any]:
    """A random valid scenario as a dict (1 h step, a few days)."""
    soc_min = draw(st.floats(0.0, 0.3, **finite))
    soc_max = draw(st.floats(0.7, 1.0, **finite))
    data: dict[str, Any] = {
        "site": {"id": draw(st.sampled_from(SITE_IDS))},
        "simulation": {
            "step": "1h",
            "days": draw(st.integers(*days)),
            "seed": draw(st.integers(0, 2**32 - 1)),
        },
        "it": {"groups": draw(rack_groups())},
        "pv": {
            "capacity_mwp": draw(st.floats(0.0, 150.0, **finite)),
            "tilt_deg": draw(st.floats(0.0, 45.0, **finite)),
        },
        "battery": {
            "energy_mwh": draw(st.one_of(st.just(0.0), st.floats(0.01, 150.0, **finite))),
            "power_mw": draw(st.one_of(st.just(0.0), st.floats(0.01, 60.0, **finite))),
            "soc_min": soc_min,
            "soc_max": soc_max,
            "soc_init": draw(st.floats(soc_min, soc_max, **finite)),
        },
        "grid": {"import_limit_mw": draw(st.floats(5.0, 120.0, **finite))},
        "power": {
            "dispatch": draw(
                st.sampled_from(
                    ["self_consumption", "tou_arbitrage", "peak_shaving", "carbon_aware", "optimal"]
                )
            )
        },
        "genset": {"capacity_mw": draw(st.floats(0.0, 60.0, **finite))},
    }
    if faults:
        data["faults"] = {
            "grid_outages_per_year": draw(st.floats(0.0, 200.0, **finite)),
            "grid_outage_mean_h": draw(st.floats(0.1, 12.0, **finite)),
            "chiller_failures_per_year": draw(st.floats(0.0, 30.0, **finite)),
            "chiller_repair_mean_h": draw(st.floats(1.0, 72.0, **finite)),
        }
    else:
        data["faults"] = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}
    if not any(g["racks"] for g in data["it"]["groups"]):
        data["it"]["groups"][0]["racks"] = 1  # a hall with no IT is refused (ScenarioError)
    return data
