"""Ride-through KPIs and plot: minutes until a limit is crossed after cooling is lost.

After a run, every step is taken as the moment of a failure and the closed-form
time to a limit is computed (:mod:`kernels.ridethrough`: a two-node hall, air
and IT mass, and the liquid loop's water) for

* a **chiller trip** (all chillers lost; pumps, fans, the compressor-free share
  and the chilled-water tank keep working);
* a **plant power loss** (no heat rejection at all; only the hall air, IT mass
  and the liquid loop's water absorb the heat),

and for two limits: the **class excursion** (hall inlet above the strictest air
class of the groups, or facility water above the strictest W class: ASHRAE
TC 9.9, 2021) and the **IT trip** (either above the protective shutdown
temperature, :data:`twin.sim.compile.IT_TRIP_C`). Each KPI is the worst
(shortest) case over the run and over both nodes, capped at one day:

============================================  ==============  ===========
KPI                                           event           limit
============================================  ==============  ===========
``ride_through_min``                          chiller trip    class
``ride_through_power_loss_min``               power loss      class
``ride_through_it_trip_min``                  chiller trip    IT trip
``ride_through_power_loss_it_trip_min``       power loss      IT trip
============================================  ==============  ===========
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from kernels import layout as L
from kernels.ridethrough import (
    TANK_FIGURE_OF_MERIT,
    air_curve_c,
    rc_curve_c,
    ride_through_min_s,
    ride_through_s,
    tank_energy_j,
)

if TYPE_CHECKING:
    from twin.scenario.model import Scenario

__all__ = [
    "RIDE_THROUGH_KPIS",
    "plot_ride_through",
    "ride_through_kpis",
    "ride_through_minutes",
    "ride_through_series",
    "tank_energies_j",
]

#: KPI names in the order of :func:`kernels.ridethrough.ride_through_min_s`.
RIDE_THROUGH_KPIS = (
    "ride_through_min",
    "ride_through_power_loss_min",
    "ride_through_it_trip_min",
    "ride_through_power_loss_it_trip_min",
)


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
    """Ride-through at every step [s], shape (n, 4): air and liquid node to the
    class limit (columns 0, 1), then to the IT trip (columns 2, 3)."""
    rt = np.empty((out.shape[0], 4))
    ride_through_s(*_kernel_args(sc, out, inp, design), power_loss, rt)
    return rt


def ride_through_minutes(ride_s: Any) -> dict[str, float]:
    """The four ride-through KPIs [min] from :func:`kernels.ridethrough.ride_through_min_s` [s]."""
    return {name: float(v) / 60.0 for name, v in zip(RIDE_THROUGH_KPIS, ride_s, strict=True)}


def ride_through_kpis(sc: Scenario, out: np.ndarray, inp: Any, design: Any) -> dict[str, float]:
    """The four ride-through KPIs of a run [min] (:data:`RIDE_THROUGH_KPIS`)."""
    return ride_through_minutes(ride_through_min_s(*_kernel_args(sc, out, inp, design)))


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
    k = int(np.argmin(rt[:, :2].min(axis=1)))
    t_s = np.linspace(0.0, minutes * 60.0, 301)
    e_air, e_liq = tank_energies_j(sc)
    fig, ax = plt.subplots(figsize=(7, 4))
    for node, label, t_col, q_col, lim, e in (
        (L.AIR, "hall inlet (air)", L.O_T_AIR_C, L.O_Q_AIR_W, design.t_air_limit_c, e_air),
        (L.LIQUID, "facility water (liquid)", L.O_T_LIQ_C, L.O_Q_LIQ_W, design.t_liq_limit_c,
         e_liq),
    ):  # fmt: skip
        if out[k, q_col] <= 0.0:
            continue
        f_free = 0.0 if power_loss else _free(design, node, inp, k, out[k, q_col])
        q_net = out[k, q_col] * (1.0 - f_free)
        e_tank = 0.0 if power_loss else e
        temps = np.array([_curve_c(design.plant, node, out[k, t_col], q_net, inp.t_db_c[k], t,
                                   e_tank) for t in t_s])  # fmt: skip
        text = (
            f"{label}: {rt[k, node] / 60.0:.1f} min to class, {rt[k, node + 2] / 60.0:.1f} to trip"
        )
        line = ax.plot(t_s / 60.0, temps, label=text)
        ax.axhline(lim, ls="--", color=line[0].get_color(), lw=0.8)
    ax.axhline(design.plant[L.T_TRIP_C], ls=":", color="0.3", lw=0.8, label="IT trip")
    event = "plant power loss" if power_loss else "chiller trip"
    ax.set_xlabel(f"minutes after a {event} (worst step of the run)")
    ax.set_ylabel("temperature [°C]")
    ax.legend()
    ax.set_title(f"Ride-through: {sc.name}")
    return fig


def _curve_c(plant, node: int, t0_c, q_net_w, t_out_c, t_s, e_tank_j) -> float:
    """Temperature of a node ``t_s`` after the failure: two-node air, lumped liquid [°C]."""
    if node == L.AIR:
        return float(air_curve_c(plant, t0_c, q_net_w, t_out_c, t_s, e_tank_j))
    return float(rc_curve_c(t0_c, q_net_w, t_out_c, plant[L.LIQ_C_J_K], 0.0, t_s, e_tank_j))


def _free(design: Any, node: int, inp: Any, k: int, q_w: float) -> float:
    from kernels.heat_rejection import free_cooling_frac

    return float(free_cooling_frac(design.loops[node], q_w, inp.t_db_c[k], inp.t_wb_c[k]))
