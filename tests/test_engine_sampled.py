"""A run whose timeline does not react to the plant, integrated in one kernel call.

For the ``profile`` workload the engine samples the whole SimPy timeline first and
integrates it with :func:`kernels.segments.integrate_segments`, which makes the same calls
of :func:`kernels.span.integrate_span` in the same order as the event loop
(:func:`twin.sim.engine._advance`), so the step table must be the same bit for bit, the
event log the same entries at the same times in the same order, and the kernel calls
as many. The loop is run here beside it on scenarios with every kind of crossing: Poisson
faults over a year, a scheduled outage with the gensets failing (stores running out inside
a step, alarms, unmet load), a chiller trip that trips the IT inside a step, a battery
planned on a pre-run, and a site with its own climate and load.
"""

from __future__ import annotations

import numpy as np
import pytest

import twin
from kernels import layout as L
from twin import Scenario
from twin.sim import engine
from twin.sim.compile import compile_scenario, initial_state
from twin.sim.engine import CountingEnvironment, _advance, prerun_load_w, run_raw
from twin.sim.inputs import load_inputs
from twin.sim.signals import needs_prerun, supply_signals
from twin.sim.timeline import segment_steps, start_processes

QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}


def _sampled_run(sc: Scenario, monkeypatch: pytest.MonkeyPatch):
    """``run_raw(sc)`` with the event loop made unavailable: it must take the sampled path
    (a pre-run, which runs through ``run_raw`` too, included)."""

    def no_loop(*args, **kwargs):
        raise AssertionError("the event loop ran: the sampled run was expected")

    with monkeypatch.context() as m:
        m.setattr(engine, "_advance", no_loop)
        return run_raw(sc)


def _looped(sc: Scenario):
    """The run through the event loop: SimPy and one kernel call per segment in turn."""
    design = compile_scenario(sc)
    inp = load_inputs(sc)
    load_w = prerun_load_w(sc) if needs_prerun(sc) else None
    sig = supply_signals(sc, inp, design.plant, load_w)
    out = np.zeros((sc.n_steps, L.N_OUT))
    state = initial_state(sc)
    env = CountingEnvironment()
    st, _ = start_processes(env, sc, design)
    stats: dict[str, float] = {}
    segments: list = []
    _advance(env, st, design, inp, sc.n_steps, float(sc.dt_s), out, segments, state, stats, sig)
    return out, st.log, stats["kernel_calls"], segment_steps(segments, sc.n_steps, float(sc.dt_s))


def _outage(step: str, start: str) -> Scenario:
    ev = {"kind": "grid_outage", "start": start, "duration_min": 50, "genset_starts": False}
    return Scenario(
        simulation={"start": "2023-07-15", "days": 2, "step": step},
        faults={**QUIET, "events": [ev]},
    )


def _trip(step: str) -> Scenario:
    ev = {"kind": "chiller_trip", "start": "2023-07-15T14:10", "duration_min": 50}
    ev |= {"loop": "air", "chillers": compile_scenario(Scenario()).n_chillers[L.AIR]}
    return Scenario(
        simulation={"start": "2023-07-15", "days": 2, "step": step},
        faults={**QUIET, "events": [ev]},
    )


CASES = {
    "default year, Poisson faults, 1 h": lambda: Scenario(faults={"grid_outages_per_year": 12}),
    "outage, gensets failing, 1 h": lambda: _outage("1h", "2023-07-15T20:10"),
    "outage, gensets failing, 1 min": lambda: _outage("1min", "2023-07-15T20:25"),
    "chiller trip, IT trips inside a step, 15 min": lambda: _trip("15min"),
    "battery on a pre-run (carbon_aware), 15 min, 30 days": lambda: Scenario(
        simulation={"step": "15min", "days": 30},
        battery={"energy_mwh": 100.0, "power_mw": 25.0},
        power={"dispatch": "carbon_aware"},
        faults={"grid_outages_per_year": 20},
    ),
    "Tetouan example, 1 h": lambda: twin.Scenario.from_toml("examples/tetouan.toml"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_sampled_run_is_the_event_loop_bit_for_bit(name, monkeypatch):
    sc = CASES[name]()
    assert sc.it.workload == "profile"
    raw = _sampled_run(sc, monkeypatch)
    out, log, calls, (u_steps, chillers_steps) = _looped(sc)
    assert np.array_equal(raw.out, out, equal_nan=False)
    # the step table's utilisation and chillers, from the timeline's arrays
    assert np.array_equal(raw.u_steps, u_steps)
    assert np.array_equal(raw.n_chillers_steps, chillers_steps)
    kinds = {k for _, k, _ in raw.events}
    assert raw.events == log
    assert raw.stats["kernel_calls"] == calls
    assert raw.stats["kernel_calls"] > 1
    if "outage" in name or "trip" in name:  # crossings were found and logged
        assert kinds & {"unmet_load", "inlet_over_limit", "liquid_over_limit"}


def test_a_trace_workload_is_sampled_and_is_the_event_loop_bit_for_bit(tmp_path, monkeypatch):
    """A trace's player only replays its file: the run samples it with the rest of the
    timeline, and gives the event loop's step table, log and kernel calls (the loop run
    here with the trace player started as ``twin.workload.run.start_workload`` does)."""
    from twin.workload.trace import load_trace, play_trace

    rows = ["time,gpu_u_frac,cpu_u_frac"]
    rows += [f"2023-07-15T{h:02d}:{m:02d},{0.2 + 0.03 * ((7 * h + m) % 25)},{0.4}"
             for h in range(24) for m in (0, 31, 52)]  # fmt: skip
    (tmp_path / "trace.csv").write_text("\n".join(rows) + "\n")
    ev = {"kind": "grid_outage", "start": "2023-07-15T20:10", "duration_min": 50}
    groups = [
        {
            "name": "gpu",
            "racks": 200,
            "p_rack_peak_kw": 100.0,
            "idle_frac": 0.2,
            "cooling": "liquid",
        },
        {"name": "cpu", "racks": 100, "p_rack_peak_kw": 10.0, "idle_frac": 0.3},
    ]
    sc = Scenario.from_dict(
        {
            "simulation": {"start": "2023-07-15", "days": 1, "step": "15min"},
            "it": {"workload": "trace", "trace_file": "trace.csv", "groups": groups},
            "faults": {**QUIET, "events": [ev | {"genset_starts": False}]},
        },
        base_dir=tmp_path,
    )
    raw = _sampled_run(sc, monkeypatch)
    design = compile_scenario(sc)
    inp = load_inputs(sc)
    sig = supply_signals(sc, inp, design.plant, None)
    out = np.zeros((sc.n_steps, L.N_OUT))
    env = CountingEnvironment()
    st, _ = start_processes(env, sc, design)
    env.process(play_trace(env, st.u_groups, *load_trace(sc, inp.index)))
    stats: dict[str, float] = {}
    state = initial_state(sc)
    _advance(env, st, design, inp, sc.n_steps, float(sc.dt_s), out, [], state, stats, sig)
    assert np.array_equal(raw.out, out)
    assert raw.events == st.log
    assert raw.stats["kernel_calls"] == stats["kernel_calls"] > 24 * 3
    assert {k for _, k, _ in raw.events} & {"unmet_load", "inlet_over_limit", "liquid_over_limit"}


def test_a_profile_timeline_is_sampled_once_per_key_and_reused_as_it_was():
    """A what-if that changes only the plant or the supply has the same timeline key: the
    second run takes the timeline the first sampled (no SimPy), and gives what a fresh
    sample gives: the same step table, events and counts as a run that sampled its own.
    The run neither writes into the kept arrays nor shares its event list with them."""
    from twin.sim import timeline

    base = Scenario(simulation={"days": 30, "seed": 11},
                    faults={"grid_outages_per_year": 60.0, "chiller_failures_per_year": 20.0})  # fmt: skip
    what_if = base.with_overrides(["pv.capacity_mwp=60", "battery.energy_mwh=80"])
    timeline._SAMPLED.items.clear()
    first = run_raw(base)
    ((tl, log0),) = timeline._SAMPLED.items.values()
    kept = {f: getattr(tl, f).copy() for f in ("t0_s", "grid_up", "u_groups", "n_chillers")}
    n_events = len(log0)
    first.events.append((0.0, "added by a reader", ""))
    first.segments[1][:] = -1.0  # a reader changing the run's utilisation
    calls = []
    real = timeline.sample
    try:
        timeline.sample = lambda *a, **k: calls.append(a) or real(*a, **k)
        second = run_raw(what_if)
        again = run_raw(base)
    finally:
        timeline.sample = real
    assert calls == []  # both came from the kept timeline
    for f, arr in kept.items():
        assert np.array_equal(getattr(tl, f), arr), f
    assert len(timeline._SAMPLED.items[timeline.timeline_key(base, first.design)][1]) == n_events
    fresh_tl, fresh_st = real(what_if, second.design)
    assert np.array_equal(fresh_tl.t0_s, tl.t0_s) and np.array_equal(fresh_tl.u_groups, tl.u_groups)
    assert list(fresh_st.log) == list(log0)
    assert np.array_equal(again.out, first.out)
    assert again.events == first.events[:-1]
    assert again.stats["simpy_events"] == first.stats["simpy_events"]
    # another seed is another timeline
    run_raw(base.with_overrides(["simulation.seed=12"]))
    assert len(timeline._SAMPLED.items) == 2
