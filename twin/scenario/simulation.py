"""``[simulation]`` (step, horizon, seed) and ``[faults]`` (rates of exogenous faults)."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from twin.scenario.base import Section

STEPS_S = {"1h": 3600, "15min": 900, "1min": 60}


def pd_timedelta_s(text: str) -> float:
    """Seconds in a step written like ``1h``, ``15min``, ``1s`` (ValueError otherwise)."""
    import pandas as pd

    try:
        return float(pd.Timedelta(text).total_seconds())
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(text) from exc


class SimulationConfig(Section):
    step: Literal["1h", "15min", "1min"] = Field("1h", description="Kernel time step.")
    days: int = Field(365, ge=1, le=366, description="Simulated horizon from 1 January [d].")
    seed: int = Field(42, ge=0, le=2**32 - 1, description="Seed of every random draw.")

    @model_validator(mode="before")
    @classmethod
    def _refuse_impossible_horizon(cls, data: Any) -> Any:
        """Name the memory a horizon beyond one year would need, before range checks."""
        if not isinstance(data, dict):
            return data
        days, step = data.get("days"), data.get("step", "1h")
        if isinstance(days, bool) or not isinstance(days, int | float) or not days > 366:
            return data
        from twin.scenario.limits import describe_bytes, run_bytes

        try:
            step_s = float(pd_timedelta_s(str(step)))
        except ValueError:
            step_s = 3600.0
        if not math.isfinite(days) or step_s <= 0:
            need = "an unbounded amount of memory"
        else:
            need = f"about {describe_bytes(run_bytes(days * 86400.0 / step_s))}"
        raise PydanticCustomError(
            "horizon_too_long",
            "simulation.days = {days} is outside [1, 366] d: one run covers at most a year "
            "(sweep weather years for longer studies); {days} d at {step} would need {need}",
            {"days": days, "step": step, "need": need},
        )


class FaultsConfig(Section):
    grid_outages_per_year: float = Field(
        2.0,
        ge=0,
        le=1000,
        description="Poisson rate of grid outages [1/yr] (no SAIDI/SAIFI published).",
    )
    grid_outage_mean_h: float = Field(1.0, gt=0, le=720, description="Mean outage [h].")
    chiller_failures_per_year: float = Field(
        0.5, ge=0, le=100, description="Failures per chiller [1/yr]."
    )
    chiller_repair_mean_h: float = Field(24.0, gt=0, le=8760, description="Mean repair [h].")
