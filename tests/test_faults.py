"""Faults at their own time (issue 18): the simulation window, scheduled faults, the
readable event log.

The hand-computed hall of these tests is one liquid-cooled group of 100 racks of 100 kW,
idle 20 %, at a constant 50 % utilisation (no spread), all its heat to the liquid loop
(so no inlet-temperature uplift, :mod:`kernels.it_load`):

    P_IT  = 100 x 100 kW x (0.2 + 0.8 x 0.5)            = 6.00 MW   (SPECpower linear model)
    P_UPS = (1 / 0.96 - 1) x 6.00 MW                      = 0.25 MW   (flat UPS, IEC 62040-3)
    load behind the UPS                                   = 6.25 MW

With no PV, no battery, no UPS autonomy and gensets that do not start, every step of an
outage leaves the whole 6.25 MW unserved: 6.25 MWh per hour of outage steps.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import twin
from twin import Scenario, ScenarioError
from twin.report.rundir import write_run
from twin.results.eventlog import readable_log
from twin.sim.compile import compile_scenario
from twin.sim.inputs import load_inputs
from twin.sim.timeline import sample_timeline

LOAD_MW = 6.0 / 0.96  # 6.25
GROUP = {
    "name": "gpu",
    "racks": 100,
    "p_rack_peak_kw": 100.0,
    "idle_frac": 0.2,
    "cooling": "liquid",
    "liquid_frac": 1.0,
    "utilisation_mean": 0.5,
    "utilisation_sd": 0.0,
}
QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}


def _hall(step: str, events: list[dict], **extra) -> Scenario:
    """The hand-computed hall (module docstring) on 15-16 July 2023, Poisson faults off."""
    return Scenario(
        simulation={"start": "2023-07-15", "days": 2, "step": step},
        it={"groups": [GROUP]},
        pv={"capacity_mwp": 0.0},
        battery={"energy_mwh": 0.0, "power_mw": 0.0, "soc_init": 0.0},
        ups={"autonomy_min": 0.0},
        faults={**QUIET, "events": events},
        **extra,
    )


def _outage(start: str, minutes: float, genset_starts: bool = False) -> dict:
    return {
        "kind": "grid_outage",
        "start": start,
        "duration_min": minutes,
        "genset_starts": genset_starts,
    }


def _down_steps(r: twin.Result) -> list[str]:
    ts = r.timeseries
    return [t.strftime("%H:%M") for t in ts.index[~ts["grid_up"].to_numpy()]]


# -- the window ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("step", "start", "hours"),
    [
        ("1h", "2023-07-15", 4680),
        ("15min", "2023-07-15", 4680),
        ("1h", "2023-04-01", 2161),
    ],
)
def test_a_window_sees_the_same_weather_and_prices_as_the_year(step, start, hours):
    """15 July 00:00 local is 31+28+31+30+31+30+14 = 195 days = 4,680 h after 1 January
    00:00 (both at UTC+1). 1 April 2023 falls in the Ramadan change (UTC+0 from 19 March to
    23 April 2023): its midnight is 90 days + 1 h = 2,161 h after 1 January. A two-day
    window is the year's series from that offset: weather, PV, price, carbon, time axis."""
    year = load_inputs(Scenario(simulation={"step": step, "days": 365}))
    window = load_inputs(Scenario(simulation={"step": step, "days": 2, "start": start}))
    per_h = 3600 // Scenario(simulation={"step": step}).dt_s
    k0, n = hours * per_h, 48 * per_h
    assert window.index[0] == pd.Timestamp(start, tz="Africa/Casablanca")
    assert (window.index == year.index[k0 : k0 + n]).all()
    for name in ("t_db_c", "t_wb_c", "p_pv_w", "price_mad_per_kwh", "carbon_g_per_kwh"):
        np.testing.assert_allclose(getattr(window, name), getattr(year, name)[k0 : k0 + n])
    if start.endswith("07-15"):
        assert window.t_db_c.max() > 20.0 > year.t_db_c[:n].max()  # summer, not January


def test_default_window_is_the_whole_year_from_1_january():
    sc = Scenario()
    assert sc.simulation.start is None and sc.start_offset_s == 0
    assert Scenario(simulation={"start": "2023-01-01T00:00"}).start_offset_s == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"simulation": {"start": "2024-01-02", "days": 1}}, r"outside the weather year"),
        ({"simulation": {"start": "2023-12-25", "days": 14}}, r"at most 7 d from that start"),
        ({"simulation": {"start": "2023-07-15T20:10", "days": 1}}, r"not on the 1h step grid"),
        ({"simulation": {"start": "2023-07-15T20:00+01:00", "days": 1}}, r"without a UTC"),
        ({"simulation": {"start": "2023-07-15T20:00:30", "days": 1}}, r"to the minute"),
        ({"simulation": {"start": "mid-July", "days": 1}}, r"YYYY-MM-DDTHH:MM"),
        # 23 April 2023: clocks go from 02:00 to 03:00 at the end of Ramadan
        ({"simulation": {"start": "2023-04-23T02:00", "days": 1}}, r"clock change"),
        (
            {
                "simulation": {"start": "2023-07-15", "days": 2},
                "faults": {"events": [_outage("2023-07-20T20:00", 30)]},
            },
            (
                r"faults\.events\.0\.start = '2023-07-20T20:00' is outside the simulated "
                r"window \[2023-07-15T00:00, 2023-07-17T00:00\)"
            ),
        ),
        (
            {"faults": {"events": [{**_outage("2023-07-20T20:00", 30), "kind": "chiller_trip"}]}},
            r"genset_starts applies to kind grid_outage only",
        ),
        (
            {"faults": {"events": [_outage("2023-07-20T20:00", 0)]}},
            r"faults\.events\.0\.duration_min = 0 is outside \(0, 527040\] min",
        ),
    ],
)
def test_a_bad_window_or_fault_is_refused_naming_the_field(overrides, message):
    with pytest.raises(ScenarioError, match=message):
        Scenario(**overrides)


def test_start_accepts_toml_local_times_and_round_trips(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(
        "[simulation]\nstart = 2023-07-08\ndays = 3\n"
        "[[faults.events]]\nkind = 'grid_outage'\nstart = 2023-07-09T20:15:00\n"
        "duration_min = 45\ngenset_starts = false\n",
        encoding="utf-8",
    )
    sc = Scenario.from_toml(path)
    assert sc.simulation.start == "2023-07-08T00:00"
    assert sc.faults.events[0].start == "2023-07-09T20:15"
    assert Scenario.from_dict(sc.to_dict()) == sc
    assert sc.with_overrides(["simulation.start=2023-07-09T01:00"]).start_offset_s == (
        sc.start_offset_s + 25 * 3600
    )


def test_the_documented_example_is_valid():
    sc = Scenario.from_toml("docs/examples/summer_outage.toml")
    assert sc.simulation.start == "2023-07-08T00:00" and sc.simulation.days == 14
    assert [e.kind for e in sc.faults.events] == ["grid_outage", "chiller_trip"]
    assert not sc.faults.events[0].genset_starts


# -- scheduled faults ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("step", "start", "minutes", "down", "unmet_mwh"),
    [
        # on the grid: 20:00-21:00 is one hourly step, four 15-min steps: 1 h x 6.25 MW
        ("1h", "2023-07-15T20:00", 60, ["20:00"], LOAD_MW),
        ("15min", "2023-07-15T20:00", 60, ["20:00", "20:15", "20:30", "20:45"], LOAD_MW),
        # 20:10-21:00 acts at its exact time at any step (twin.sim.engine):
        # 50/60 h x 6.25 MW = 5.21 MWh. A step is shown down when the grid was down for
        # most of it: 20:00-20:15 had the grid for 10 of its 15 min, so it is up
        ("15min", "2023-07-15T20:10", 50, ["20:15", "20:30", "20:45"], 50 / 60 * LOAD_MW),
        ("1h", "2023-07-15T20:10", 50, ["20:00"], 50 / 60 * LOAD_MW),
        ("1h", "2023-07-15T20:25", 20, [], 20 / 60 * LOAD_MW),
    ],
)
def test_scheduled_outage_with_a_failed_genset_hits_the_right_steps(
    step, start, minutes, down, unmet_mwh
):
    r = twin.simulate(_hall(step, [_outage(start, minutes)]))
    assert _down_steps(r) == down
    assert r.kpis["unmet_energy_mwh"] == pytest.approx(unmet_mwh, rel=1e-9)
    assert r.kpis["genset_energy_mwh"] == 0.0
    ev = r.events
    t_start = (pd.Timestamp(start) - pd.Timestamp("2023-07-15")).total_seconds()
    outage = ev[ev.kind == "grid_outage"]
    assert outage.time_s.tolist() == [t_start]  # the exact time, not the step's
    assert ev[ev.kind == "grid_restored"].time_s.tolist() == [t_start + 60.0 * minutes]
    assert "genset_start_failure" in set(ev.kind)
    assert outage.time.iloc[0] == pd.Timestamp(start, tz="Africa/Casablanca")


def test_an_event_acts_at_its_exact_time_at_one_hour():
    """20:10 is 20 h 10 min = 72,600 s after the window's start, whatever the step. At 1 h
    the 20:00 step is integrated in two parts, 10 min with the grid and 50 min without:
    50/60 h x 6.25 MW = 5.21 MWh unmet, and the step's row holds the time-weighted
    average: 5/6 x 6.25 MW = 5.21 MW unmet, grid up 1/6 of the step."""
    r = twin.simulate(_hall("1h", [_outage("2023-07-15T20:10", 50)]))
    assert r.events[r.events.kind == "grid_outage"].time_s.tolist() == [72600.0]
    row = r.event_log().iloc[0]
    assert (row.time, row.end) == ("2023-07-15 20:10", "2023-07-15 21:00")
    assert row.unmet_mwh == pytest.approx(50 / 60 * LOAD_MW, rel=1e-9)
    assert row.consequence.startswith("unmet 5.21 MWh")
    step = r.timeseries.loc["2023-07-15 20:00"]
    assert step["p_unmet_mw"] == pytest.approx(50 / 60 * LOAD_MW, rel=1e-9)
    assert step["p_it_mw"] == pytest.approx(10 / 60 * 6.0, rel=1e-9)


def test_a_started_genset_carries_an_outage_after_its_start_delay_at_any_step():
    """The genset starts: the load goes unserved only for the 10 s start and transfer
    delay (NFPA 110 level 1; no UPS autonomy, no battery in this hall), 6.24 MW x 10 s
    = 0.01733 MWh, at 1 h as at 1 min; the cooling plant is off for those 10 s, not for
    the step (the step is cut where the genset comes on line), so the facility water
    stays at its 30 C set point."""
    unmet, gen = {}, {}
    for step in ("1h", "15min", "1min"):
        r = twin.simulate(_hall(step, [_outage("2023-07-15T20:10", 50, genset_starts=True)]))
        unmet[step], gen[step] = r.kpis["unmet_energy_mwh"], r.kpis["genset_energy_mwh"]
        assert unmet[step] == pytest.approx(LOAD_MW * 10.0 / 3600.0, rel=1e-9)
        assert r.timeseries["t_liquid_supply_c"].max() == pytest.approx(30.0, abs=0.05)
    # IT and UPS for 50 min less 10 s, plus the cooling plant
    assert gen["1min"] > LOAD_MW * (50 / 60 - 10 / 3600)
    assert gen["1h"] == pytest.approx(gen["1min"], rel=1e-3)
    assert gen["15min"] == pytest.approx(gen["1min"], rel=1e-3)


def test_gensets_out_of_service_fail_an_outage_inside_their_window_only():
    """Gensets out of service 19:00-21:00: the 20:00 outage (1 h) is unserved, 6.25 MWh;
    the 23:00 outage, after the window, runs exactly as it does with no window at all
    (its genset starts)."""
    late = _outage("2023-07-15T23:00", 60, genset_starts=True)
    events = [
        {"kind": "genset_start_failure", "start": "2023-07-15T19:00", "duration_min": 120},
        _outage("2023-07-15T20:00", 60, genset_starts=True),
        late,
    ]
    ts = twin.simulate(_hall("15min", events)).timeseries
    alone = twin.simulate(_hall("15min", [late])).timeseries
    first = ts.loc["2023-07-15 20:00":"2023-07-15 20:45"]
    assert first["p_unmet_mw"].sum() * 0.25 == pytest.approx(LOAD_MW, rel=1e-9)
    assert first["p_genset_mw"].max() == 0.0
    second = slice("2023-07-15 23:00", "2023-07-15 23:45")
    assert ts.loc[second, "p_genset_mw"].min() > 0.0
    for col in ("p_unmet_mw", "p_genset_mw", "t_liquid_supply_c"):
        np.testing.assert_allclose(ts.loc[second, col], alone.loc[second, col], rtol=1e-9)


def test_overlapping_outages_keep_the_grid_down_until_the_last_ends():
    """20:00-21:00 and 20:30-22:00: the grid is down 20:00-22:00, 2 h x 6.25 MW."""
    events = [_outage("2023-07-15T20:00", 60), _outage("2023-07-15T20:30", 90)]
    r = twin.simulate(_hall("15min", events))
    down = _down_steps(r)
    assert down[0] == "20:00" and down[-1] == "21:45" and len(down) == 8
    assert r.kpis["unmet_energy_mwh"] == pytest.approx(2.0 * LOAD_MW, rel=1e-9)


def test_a_scheduled_chiller_trip_takes_its_chillers_out_for_its_duration():
    trip = {
        "kind": "chiller_trip",
        "start": "2023-07-16T09:00",
        "duration_min": 90,
        "loop": "liquid",
        "chillers": 2,
    }
    sc = _hall("15min", [trip])
    n = compile_scenario(sc).n_chillers[1]
    ts = twin.simulate(sc).timeseries
    out = ts.index[ts["n_chillers_liquid"].to_numpy() == n - 2]
    assert out[0] == pd.Timestamp("2023-07-16 09:00", tz="Africa/Casablanca")
    assert len(out) == 6  # 90 min of 15-min steps
    assert (ts["n_chillers_liquid"].drop(out) == n).all()
    with pytest.raises(ScenarioError, match=rf"chillers = {n + 1} is outside \[1, {n}\]"):
        twin.simulate(_hall("15min", [{**trip, "chillers": n + 1}]))


def test_the_sampled_timeline_of_a_sweep_has_the_scheduled_outage():
    sc = _hall("15min", [_outage("2023-07-15T20:10", 50)])
    tl = sample_timeline(sc, compile_scenario(sc))
    i = int(np.flatnonzero(tl.t0_s == 72600.0)[0])  # 20:10, exact
    assert not tl.grid_up[i] and not tl.genset_ok[i]
    assert tl.outage_start_s[i] == 72600.0
    assert tl.t0_s[i + 1] == 75600.0 and tl.grid_up[i + 1] and tl.genset_ok[i + 1]


# -- the readable event log ----------------------------------------------------------------
def test_event_log_gives_each_fault_its_consequence():
    r = twin.simulate(_hall("15min", [_outage("2023-07-15T20:10", 50)]))
    log = r.event_log()
    row = log[log.event == "grid_outage"].iloc[0]
    assert (row.time, row.end) == ("2023-07-15 20:10", "2023-07-15 21:00")
    assert "genset did not start" in row.detail
    assert row.unmet_mwh == pytest.approx(50 / 60 * LOAD_MW, rel=1e-9)
    assert row.peak_liquid_c == pytest.approx(r.timeseries["t_liquid_supply_peak_c"].max())
    assert "unmet 5.21 MWh" in row.consequence
    assert "genset_start_failure" not in set(log.event)  # folded into the outage


def test_event_log_summarises_routine_alarms_and_folds_alarms_into_faults():
    """A day at 15 min: a battery that empties every evening at 19:00-19:49 local time
    for a year (365 events, across the Ramadan clock change) is one row; an outage 02:00-03:00 with 6 MW unserved on its 4 steps
    (6 MW x 1 h = 6 MWh) and the liquid over its limit at 02:30 (ride-through 30 min)."""
    idx = pd.date_range("2023-07-15", periods=96, freq="15min", tz="Africa/Casablanca")
    ts = pd.DataFrame({"p_unmet_mw": 0.0, "t_inlet_c": 27.0, "t_liquid_supply_c": 30.0}, index=idx)
    ts.iloc[8:12, 0] = 6.0
    ts.iloc[10, 2] = 41.5
    # whole steps here: the peak of each step is its value (kernels.span)
    ts["t_inlet_peak_c"] = ts["t_inlet_c"]
    ts["t_liquid_supply_peak_c"] = ts["t_liquid_supply_c"]
    days = pd.Timestamp("2023-07-15 19:00") + pd.to_timedelta(np.arange(365), unit="D")
    evenings = days.tz_localize("Africa/Casablanca")  # 19:00 wall-clock time every day
    starts = (evenings - idx[0]).total_seconds() + 60.0 * (np.arange(365) % 50)
    rows = [(t, "battery_empty", "") for t in starts]
    rows += [
        (7200.0, "grid_outage", "scheduled, 60 min"),
        (7200.0, "genset_start_failure", "scheduled"),
        (9000.0, "liquid_over_limit", "step 9"),
        (10800.0, "grid_restored", ""),
        (50000.0, "inlet_over_limit", "step 55"),
    ]
    events = pd.DataFrame(rows, columns=["time_s", "kind", "detail"]).sort_values("time_s")
    log = readable_log(events, ts, 900.0)
    assert log.event.tolist() == ["grid_outage", "inlet_over_limit", "battery_empty"]
    outage = log.iloc[0]
    assert (outage.time, outage.end) == ("2023-07-15 02:00", "2023-07-15 03:00")
    assert outage.unmet_mwh == pytest.approx(6.0)
    assert outage.peak_liquid_c == 41.5 and outage.ride_through_min == 30.0
    assert "facility water over its limit after 30 min" in outage.consequence
    routine = log.iloc[2]
    assert routine.time == "2023-07-15 19:00" and routine.end.startswith("2024-07-13")
    assert "365 times, most often between 19:00 and 20:00 (365 of 365)" in routine.detail
    assert log.iloc[1].time == "2023-07-15 13:53"  # 50,000 s = 13 h 53 min 20 s
    assert math.isnan(log.iloc[1].unmet_mwh)
    # a person reads what the crossing means, not the engine's step number
    assert log.iloc[1].detail == "hall inlet above the strictest allowable limit of its IT"


def test_run_directory_and_report_carry_the_event_log(tmp_path):
    r = twin.simulate(_hall("15min", [_outage("2023-07-15T20:10", 50)]))
    out = write_run(r, tmp_path / "run", report=True)
    log = pd.read_csv(out / "event_log.csv", keep_default_na=False)
    assert log.loc[0, "time"] == "2023-07-15 20:10"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "genset did not start" in html and "unmet 5.21 MWh" in html


def test_a_sweep_runs_a_window_with_scheduled_faults_as_a_single_run_does():
    """Window, scheduled outage and chiller trip reach the batched kernel through the
    sampled timeline and the shared inputs: same table, bit for bit."""
    from twin.sweeps.batch import run_batch
    from twin.sweeps.prepare import InputCache

    events = [
        _outage("2023-07-15T20:10", 50),
        {"kind": "chiller_trip", "start": "2023-07-16T09:00", "duration_min": 90},
    ]
    sc = _hall("15min", events)
    alone = twin.simulate(sc)
    (outcome,) = run_batch([sc], cache=InputCache(), timeseries=True)
    assert outcome.error == ""
    pd.testing.assert_frame_equal(outcome.series, alone.timeseries, check_exact=True)
    assert outcome.kpis["unmet_energy_mwh"] == alone.kpis["unmet_energy_mwh"] > 0.0


def test_cli_runs_a_window_and_refuses_a_bad_start_in_one_line(tmp_path):
    from tests.test_cli import _assert_clean_error, twin_cli

    ok = twin_cli("run", "--start", "2023-07-08", "--days", "1", "--json", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["meta"]["steps"] == 24
    bad = twin_cli("run", "--start", "2023-07-15T20:10", "--days", "1", cwd=tmp_path)
    _assert_clean_error(bad, "simulation.start = '2023-07-15T20:10' is not on the 1h step grid")
