"""Graceful shedding and real islanding (issue 18, item 4).

The hand-computed halls are liquid-cooled groups (all heat to the liquid loop, so no
inlet-temperature uplift, :mod:`kernels.it_load`) at a constant 50 % utilisation with
20 % idle power, so a rack of 100 kW draws 100 x (0.2 + 0.8 x 0.5) = 60 kW (SPECpower
linear model), behind a flat UPS of 96 % (IEC 62040-3 efficiency = output / input: losses
P (1/0.96 - 1) = 4.17 % of the IT power). The
UPS has no autonomy and the gensets do not start, so during an outage only the battery
(and PV, behind a grid-forming battery) carries load; the cooling plant is shed first
and IT is shed by priority, lowest first, only as much as the supply falls short
(:mod:`kernels.shedding`). One-minute steps, so every outage minute is a whole step.
"""

from __future__ import annotations

import pytest

import twin
from kernels.layout import LIQUID
from kernels.water_cooled import loop_movers
from twin import Scenario
from twin.sim.compile import compile_scenario

QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}
UPS_LOSS = 1.0 / 0.96 - 1.0  # flat UPS, it.ups_efficiency = 0.96 (loss P (1/eta - 1))
UPS_IN = 1.0 + UPS_LOSS  # input per unit of IT power


def _group(name: str, racks: int, priority: int) -> dict:
    return {
        "name": name,
        "racks": racks,
        "p_rack_peak_kw": 100.0,
        "idle_frac": 0.2,
        "cooling": "liquid",
        "liquid_frac": 1.0,
        "utilisation_mean": 0.5,
        "utilisation_sd": 0.0,
        "priority": priority,
    }


def _hall(groups: list[dict], start: str, minutes: float, pv_mwp: float, **extra) -> twin.Result:
    """Groups on 15 July 2023 at 1 min, one outage with gensets that do not start, a
    battery of 1 MW (100 MWh, 90 % charged: self-consumption discharges it all day and it
    still holds charge at night; grid-forming unless *extra* says)."""
    battery = {"energy_mwh": 100.0, "power_mw": 1.0, "soc_init": 0.9, "soc_min": 0.1}
    battery.update(extra.pop("battery", {}))
    outage = {"kind": "grid_outage", "start": start, "duration_min": minutes}
    outage["genset_starts"] = extra.pop("genset_starts", False)
    sc = Scenario(
        simulation={"start": "2023-07-15", "days": 1, "step": "1min"},
        it={"groups": groups},
        pv={"capacity_mwp": pv_mwp, **extra.pop("pv", {})},
        battery=battery,
        ups={"autonomy_min": 0.0, **extra.pop("ups", {})},
        faults={**QUIET, "events": [outage]},
        **extra,
    )
    return twin.simulate(sc)


def _minutes(r: twin.Result, start: str, n: int):
    return r.timeseries.loc[start:].iloc[:n]


def test_battery_and_pv_carry_part_of_the_it_load_during_an_outage():
    """Noon outage of 5 min. IT: 'train' 50 racks (3.0 MW, priority 0) and 'infer' 20 racks
    (1.2 MW, priority 2); with the UPS losses 4.2 / 0.96 = 4.375 MW. Supply: the battery's
    1 MW and the PV the plant gives that minute (behind the grid-forming battery). By hand,
    every outage minute: served IT = (PV + 1 MW) x 0.96, all of 'infer' and the rest of
    'train'; shed (all 'train') = 4.2 - served; unmet = 4.375 - PV - 1 (UPS losses of the
    shed IT included); no cooling (shed first)."""
    groups = [_group("train", 50, 0), _group("infer", 20, 2)]
    r = _hall(groups, "2023-07-15T12:00", 5, pv_mwp=2.0)
    ts = _minutes(r, "2023-07-15 12:00", 5)
    assert (~ts["grid_up"]).all()
    pv = ts["p_pv_mw"].to_numpy()
    assert (pv > 0.5).all()  # noon in July: the PV is producing behind the battery
    # the PV available that minute: the same as in a run without the outage
    ref = _minutes(_hall(groups, "2023-07-15T23:00", 5, pv_mwp=2.0), "2023-07-15 12:00", 5)
    assert pv == pytest.approx(ref["p_pv_mw"].to_numpy(), rel=1e-12)
    served_it = (pv + 1.0) / (1.0 + UPS_LOSS)
    assert ts["p_bess_discharge_mw"].to_numpy() == pytest.approx(1.0, rel=1e-9)
    assert ts["p_it_mw"].to_numpy() == pytest.approx(served_it, rel=1e-9)
    assert ts["p_shed_p0_mw"].to_numpy() == pytest.approx(4.2 - served_it, rel=1e-9)
    assert (ts[["p_shed_p1_mw", "p_shed_p2_mw", "p_shed_p3_mw"]] == 0.0).all().all()
    assert ts["p_unmet_mw"].to_numpy() == pytest.approx(4.2 * UPS_IN - pv - 1.0, rel=1e-9)
    assert (ts["p_cooling_mw"] == 0.0).all() and (~ts["cooling_on"]).all()
    # before and after the outage nothing is shed
    assert r.timeseries.loc["2023-07-15 11:00":"2023-07-15 11:59", "p_unmet_mw"].max() == 0.0


def test_priorities_are_shed_in_order_and_only_as_much_as_needed():
    """Night outage (no PV) of 5 min, a battery of 2 MW. Groups: 'a'
    10 racks (0.6 MW, priority 0), 'b' 20 racks (1.2 MW, priority 1), 'c' 30 racks
    (1.8 MW, priority 3): 3.6 MW of IT. Served IT = 2 x 0.96 = 1.92 MW, so shed
    3.6 - 1.92 = 1.68 MW: all of 'a' (0.6), 1.08 MW of 'b' (part of it), none of 'c'."""
    groups = [_group("a", 10, 0), _group("b", 20, 1), _group("c", 30, 3)]
    r = _hall(groups, "2023-07-15T23:00", 5, pv_mwp=0.0, battery={"power_mw": 2.0})
    ts = _minutes(r, "2023-07-15 23:00", 5)
    served = 2.0 / (1.0 + UPS_LOSS)
    assert ts["p_it_mw"].to_numpy() == pytest.approx(served, rel=1e-9)
    assert ts["p_shed_p0_mw"].to_numpy() == pytest.approx(0.6, rel=1e-9)
    assert ts["p_shed_p1_mw"].to_numpy() == pytest.approx(3.6 - served - 0.6, rel=1e-9)
    assert 0.0 < ts["p_shed_p1_mw"].iloc[0] < 1.2  # part of the group, not all of it
    assert (ts["p_shed_p2_mw"] == 0.0).all() and (ts["p_shed_p3_mw"] == 0.0).all()


def test_pv_stops_in_an_island_that_nothing_forms():
    """Anti-islanding (IEEE 1547-2018 §8.1, IEC 62116): the same noon outage with a battery
    whose inverter does not form the bus and gensets that do not start: neither PV nor the
    grid-following battery may energise the island, so for the 5 minutes nothing serves
    IT (the UPS has no autonomy here) and the whole 4.375 MW is unmet; with PV that may
    island (anti-islanding off) PV feeds it; behind a genset that starts after 10 s, PV
    is back for 50 s of the first minute and the whole of the next."""
    groups = [_group("train", 50, 0), _group("infer", 20, 2)]
    off = {"battery": {"grid_forming": False}}
    r = _hall(groups, "2023-07-15T12:00", 5, pv_mwp=2.0, **off)
    ts = _minutes(r, "2023-07-15 12:00", 5)
    assert (ts["p_pv_mw"] == 0.0).all() and (ts["p_bess_discharge_mw"] == 0.0).all()
    assert (ts["p_it_mw"] == 0.0).all()
    assert ts["p_unmet_mw"].to_numpy() == pytest.approx(4.2 * UPS_IN, rel=1e-9)
    before = r.timeseries.loc["2023-07-15 11:59", "p_pv_mw"]
    assert before > 0.5  # the grid was up: PV ran
    free = _hall(groups, "2023-07-15T12:00", 5, pv_mwp=2.0, pv={"anti_islanding": False}, **off)
    pv_free = _minutes(free, "2023-07-15 12:00", 5)["p_pv_mw"]
    assert (pv_free > 0.5).all()
    gen = _hall(groups, "2023-07-15T12:00", 5, pv_mwp=2.0, genset_starts=True, **off)
    pv_gen = _minutes(gen, "2023-07-15 12:00", 5)["p_pv_mw"].to_numpy()
    assert pv_gen[0] == pytest.approx(50.0 / 60.0 * pv_free.iloc[0], rel=1e-9)
    assert pv_gen[1:] == pytest.approx(pv_free.to_numpy()[1:], rel=1e-12)


def test_a_ups_that_carries_the_cooling_keeps_it_running_through_the_genset_start():
    """A genset that starts after its 10 s delay, no battery: with the plant off the UPS
    the cooling stops for 10 s of the outage's first minute; on the UPS it runs through
    them, drawn from the UPS battery (autonomy 5 min), and the UPS delivers the plant's
    power for those 10 s on top of the IT's."""
    groups = [_group("train", 50, 2)]
    kw = {"pv_mwp": 0.0, "battery": {"energy_mwh": 0.0, "power_mw": 0.0}, "genset_starts": True}
    plain = _hall(groups, "2023-07-15T23:00", 30, ups={"autonomy_min": 5.0}, **kw)
    carried = _hall(
        groups, "2023-07-15T23:00", 30, ups={"autonomy_min": 5.0, "carries_cooling": True}, **kw
    )
    a = plain.timeseries.loc["2023-07-15 23:00"]
    b = carried.timeseries.loc["2023-07-15 23:00"]
    # UPS energy over the first minute: IT, the liquid loop's pumps (ups.carries_liquid_pumps)
    # and their UPS losses for 10 s, plus the rest of the plant's in b
    loops = compile_scenario(plain.scenario).loops
    p_pumps_mw = loop_movers(loops[LIQUID], 3.0e6, False)[0] / 1e6
    assert p_pumps_mw > 0.0
    assert a["p_ups_discharge_mw"] == pytest.approx(
        (3.0 + p_pumps_mw) * UPS_IN * 10.0 / 60.0, rel=1e-6
    )
    assert b["p_ups_discharge_mw"] > a["p_ups_discharge_mw"] + 1e-3
    # the plant that stops for 10 s lets the liquid loop warm and then works harder to
    # bring it back within the minute (so its minute's cooling energy need not be lower);
    # the plant on the UPS holds the supply at its set point throughout
    assert b["t_liquid_supply_peak_c"] == pytest.approx(b["t_liquid_supply_c"], abs=1e-9)
    assert a["t_liquid_supply_peak_c"] > b["t_liquid_supply_peak_c"] + 0.1
    assert plain.kpis["unmet_energy_mwh"] == carried.kpis["unmet_energy_mwh"] == 0.0
