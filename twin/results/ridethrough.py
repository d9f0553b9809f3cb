"""Ride-through KPIs and plot: minutes until an inlet crosses its allowable limit.

After a run, every step is taken as the moment of a failure and the closed-form
time to the allowable limit is computed (:mod:`kernels.ridethrough`) for

* a **chiller trip** (all chillers lost; pumps, fans, the compressor-free share
  and the chilled-water tank keep working): KPI ``ride_through_min``;
* a **plant power loss** (no cooling at all; only the hall air, IT mass and the
  coolant inventory absorb the heat): KPI ``ride_through_power_loss_min``.

Each KPI is the worst (shortest) case over the run and over the air node (hall
inlet vs. the strictest air class of the groups) and the liquid node (facility
water vs. the strictest W class), capped at one day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from kernels import layout as L
from kernels.ridethrough import (
    TANK_FIGURE_OF_MERIT,
    rc_curve_c,
    ride_through_min_s,
    ride_through_s,
    tank_energy_j,
)

if TYPE_CHECKING:
    from twin.scenario.model import Scenario

__all__ = ["plot_ride_through", "ride_through_kpis", "ride_through_series", "tank_energies_j"]


def tank_energies_j(sc: Scenario) -> tuple[float, float]:
    """Usable cooling stored in the air and liquid loops' chilled-water tanks [J]."""
    c = sc.cooling
    return (
        tank_energy_j(c.air.storage_m3, c.air.dt_k, TANK_FIGURE_OF_MERIT),
        tank_energy_j(c.liquid.storage_m3, c.liquid.dt_k, TANK_FIGURE_OF_MERIT),
    )


def _kernel_args(sc: Scenario, out: np.ndarray, inp: Any, design: Any) -> tuple:
    """Plant, loops, outputs, outdoor dry and wet bulb and the tanks' cooling [J]."""
    n = out.shape[0]
    e_air, e_liq = tank_energies_j(sc)
    t_db = np.ascontiguousarray(inp.t_db_c[:n], dtype=float)
    t_wb = np.ascontiguousarray(inp.t_wb_c[:n], dtype=float)
    return design.plant, design.loops, out, t_db, t_wb, e_air, e_liq


def ride_through_series(
    sc: Scenario, out: np.ndarray, inp: Any, design: Any, power_loss: bool
) -> np.ndarray:
    """Ride-through of the air and liquid nodes at every step [s], shape (n, 2)."""
    rt = np.empty((out.shape[0], 2))
    ride_through_s(*_kernel_args(sc, out, inp, design), power_loss, rt)
    return rt


def ride_through_kpis(sc: Scenario, out: np.ndarray, inp: Any, design: Any) -> dict[str, float]:
    """``ride_through_min`` (chiller trip) and ``ride_through_power_loss_min`` [min]."""
    trip_s, loss_s = ride_through_min_s(*_kernel_args(sc, out, inp, design))
    return {"ride_through_min": trip_s / 60.0, "ride_through_power_loss_min": loss_s / 60.0}


def plot_ride_through(raw: Any, power_loss: bool = False, minutes: float = 30.0):
    """Hall inlet and facility-water temperature after a failure at the worst step.

    Parameters
    ----------
    raw : twin.sim.engine.RawRun
        A finished run, from :func:`twin.sim.engine.run_raw`.
    power_loss : bool
        False: chiller trip; True: loss of power to the whole plant.
    minutes : float
        Time span of the plot [min].

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    sc, out, inp, design = raw.scenario, raw.out, raw.inputs, raw.design
    rt = ride_through_series(sc, out, inp, design, power_loss)
    k = int(np.argmin(rt.min(axis=1)))
    t_s = np.linspace(0.0, minutes * 60.0, 301)
    e_air, e_liq = tank_energies_j(sc)
    fig, ax = plt.subplots(figsize=(7, 4))
    for node, label, t_col, q_col, lim, c, ua, e in (
        (L.AIR, "hall inlet (air)", L.O_T_AIR_C, L.O_Q_AIR_W, design.t_air_limit_c,
         design.plant[L.HALL_C_J_K], design.plant[L.HALL_UA_W_K], e_air),
        (L.LIQUID, "facility water (liquid)", L.O_T_LIQ_C, L.O_Q_LIQ_W, design.t_liq_limit_c,
         design.plant[L.LIQ_C_J_K], 0.0, e_liq),
    ):  # fmt: skip
        if out[k, q_col] <= 0.0:
            continue
        f_free = 0.0 if power_loss else _free(design, node, inp, k, out[k, q_col])
        q_net = out[k, q_col] * (1.0 - f_free)
        temps = np.array(
            [
                rc_curve_c(out[k, t_col], q_net, inp.t_db_c[k], c, ua, t, 0.0 if power_loss else e)
                for t in t_s
            ]
        )
        line = ax.plot(t_s / 60.0, temps, label=f"{label}: {rt[k, node] / 60.0:.1f} min")
        ax.axhline(lim, ls="--", color=line[0].get_color(), lw=0.8)
    event = "plant power loss" if power_loss else "chiller trip"
    ax.set_xlabel(f"minutes after a {event} (worst step of the run)")
    ax.set_ylabel("temperature [°C]")
    ax.legend()
    ax.set_title(f"Ride-through: {sc.name}")
    return fig


def _free(design: Any, node: int, inp: Any, k: int, q_w: float) -> float:
    from kernels.heat_rejection import free_cooling_frac

    return float(free_cooling_frac(design.loops[node], q_w, inp.t_db_c[k], inp.t_wb_c[k]))
