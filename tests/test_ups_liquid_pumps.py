"""The UPS carrying the liquid loop's pumps (issue 18, item 4: "options for the UPS to carry
the CDU / liquid-loop pumps and, separately, the cooling plant").

A liquid-cooled hall (70 racks of 100 kW at 50 %, 20 % idle: 4.2 MW of IT, SPECpower
linear model) behind a flat UPS of 96 % (IEC 62040-3: input = output / 0.96) with 2 min of
autonomy at the 7 MW design IT power, no battery, no PV, and a 50-minute outage at 20:10
whose gensets do not start, at 1-minute steps. The chillers stop with the grid
(``ups.carries_cooling`` false). With ``ups.carries_liquid_pumps`` (the default) the CDU and
facility-water pumps stay on the UPS: the loop keeps flowing, its water takes up the IT heat
(``C dT/dt = q``, lumped capacitance), and the UPS carries IT and pumps. Without it the
coolant stops, the cold plates remove no heat and the liquid-cooled IT trips at once
(:mod:`kernels.outage`).
"""

from __future__ import annotations

import pytest

import twin
from kernels.layout import LIQ_C_J_K, LIQUID
from kernels.water_cooled import loop_movers
from twin import Scenario
from twin.sim.compile import compile_scenario

QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}
UPS_IN = 1.0 / 0.96
P_IT_W = 70 * 100e3 * (0.2 + 0.8 * 0.5)
START = "2023-07-15T20:10"


def _scenario(pumps: bool, step: str = "1min") -> Scenario:
    group = {
        "name": "gpu",
        "racks": 70,
        "p_rack_peak_kw": 100.0,
        "idle_frac": 0.2,
        "cooling": "liquid",
        "liquid_frac": 1.0,
        "utilisation_mean": 0.5,
        "utilisation_sd": 0.0,
    }
    outage = {"kind": "grid_outage", "start": START, "duration_min": 50, "genset_starts": False}
    return Scenario(
        simulation={"start": "2023-07-15", "days": 1, "step": step},
        it={"groups": [group]},
        pv={"capacity_mwp": 0.0},
        battery={"energy_mwh": 0.0},
        ups={"autonomy_min": 2.0, "carries_liquid_pumps": pumps},
        faults={**QUIET, "events": [outage]},
    )


def test_the_liquid_loop_keeps_flowing_on_the_ups_and_the_ups_carries_the_pumps():
    """By hand: the pumps at the flow the 4.2 MW need (kernels.water_cooled.loop_movers);
    the UPS delivers (IT + pumps) / 0.96; the loop's water (C from the scenario's loop
    volume) warms at (IT heat + the pumps' shaft heat) / C per second with no chiller; the
    UPS energy, 2 min x 7 MW, lasts 192 s x IT / (IT + pumps): shorter than the 192 s of
    IT alone by the ratio of the loads."""
    sc = _scenario(pumps=True)
    d = compile_scenario(sc)
    p_pumps_w, _, q_pumps_w = loop_movers(d.loops[LIQUID], P_IT_W, False)
    assert 0.0 < p_pumps_w < 0.05 * P_IT_W
    r = twin.simulate(sc)
    ts = r.timeseries.loc[START:]
    first = ts.iloc[0]
    assert not first["grid_up"] and first["p_chiller_mw"] == 0.0
    assert first["p_it_mw"] == pytest.approx(P_IT_W / 1e6, rel=1e-12)
    assert first["p_ups_discharge_mw"] * 1e6 == pytest.approx(
        (P_IT_W + p_pumps_w) * UPS_IN, rel=1e-9
    )
    rise_k = (P_IT_W + q_pumps_w) * 60.0 / d.plant[LIQ_C_J_K]
    assert first["t_liquid_supply_c"] - 30.0 == pytest.approx(rise_k, rel=1e-9)
    ev = r.events
    t_empty_s = float(ev.loc[ev["kind"] == "ups_empty", "time_s"].iloc[0]) - 20 * 3600 - 600
    assert t_empty_s == pytest.approx(192.0 * P_IT_W / (P_IT_W + p_pumps_w), rel=1e-6)
    e_ups_mwh = r.timeseries["p_ups_discharge_mw"].sum() / 60.0
    assert e_ups_mwh == pytest.approx(2.0 / 60.0 * 7.0, rel=1e-6)  # the UPS gave it all


def test_without_the_pumps_on_the_ups_the_liquid_cooled_it_trips_at_once():
    """No coolant flow: no heat reaches the loop (its temperature stays at the 30 degC
    supply set point), the liquid-cooled IT is unserved from the outage's first second,
    4.2 MW / 0.96 for 50 min = 3.646 MWh, the UPS has nothing to carry, and the
    ride-through after a plant power loss is 0."""
    r = twin.simulate(_scenario(pumps=False))
    ts = r.timeseries.loc[START:].iloc[:50]
    assert (~ts["grid_up"]).all()
    assert (ts["p_it_mw"] == 0.0).all() and (ts["p_ups_discharge_mw"] == 0.0).all()
    assert ts["t_liquid_supply_c"].to_numpy() == pytest.approx(30.0, abs=1e-9)
    assert r.kpis["unmet_energy_mwh"] == pytest.approx(P_IT_W * UPS_IN * 50 / 60 / 1e6, rel=1e-9)
    assert "ups_empty" not in set(r.events["kind"])
    assert r.kpis["ride_through_power_loss_it_trip_min"] == 0.0
    flowing = twin.simulate(_scenario(pumps=True))
    assert flowing.kpis["ride_through_power_loss_it_trip_min"] > 0.0
    assert flowing.kpis["unmet_energy_mwh"] < r.kpis["unmet_energy_mwh"]


def test_the_event_log_tells_when_the_ups_ran_out_at_any_step():
    """At 1-hour steps the UPS still runs out 3.2 min (less the pumps' share) into the
    20:10 outage, inside the 20:00 step: ``events.csv`` has ``ups_empty`` at that second,
    and the outage's row of the readable log, at 20:10 local time, says so in its
    consequence ("UPS battery empty after 3 min")."""
    r = twin.simulate(_scenario(pumps=True, step="1h"))
    ev = r.events
    t_s = float(ev.loc[ev["kind"] == "ups_empty", "time_s"].iloc[0]) - (20 * 3600 + 600)
    assert 180.0 < t_s < 192.0
    row = r.event_log().iloc[0]
    assert (row.event, row.time, row.end) == ("grid_outage", "2023-07-15 20:10", "2023-07-15 21:00")
    assert "UPS battery empty after 3 min" in row.consequence
