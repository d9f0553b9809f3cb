"""The job scheduler on its own (pure SimPy, no physics): queueing theory and rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy

from kernels.it_load import rack_group_power_w
from twin.scenario.workload import JobClass, SchedulerConfig
from twin.workload.jobs import checkpoint_overhead_frac, effective_power_frac, wall_work_s
from twin.workload.scheduler import CleanSignal, GroupPool, Scheduler

H = 3600.0


def erlang_c_wq_h(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/c (Erlang C), e.g. Kleinrock, Queueing Systems I, §3.5."""
    a = lam / mu
    rho = a / c
    tail = a**c / math.factorial(c) / (1.0 - rho)
    p_wait = tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)
    return p_wait / (c * mu - lam)


def _klass(**kw) -> JobClass:
    base = {
        "name": "j",
        "kind": "batch",
        "group": "g",
        "arrival_rate_per_h": 1.0,
        "size_gpus": 1,
        "duration_mean_h": 1.0,
        "power_frac": 0.7,
    }
    base.update(kw)
    return JobClass(**base)


def _pool(n: int, idle: float = 0.2, **kw) -> GroupPool:
    return GroupPool(index=0, name="g", n_gpus=n, idle_frac=idle, p_gpu_peak_w=1000.0, **kw)


def _sched(classes, pools, until_h, cfg=None, signal=None, seed=1, resolve_s=math.inf):
    env = simpy.Environment()
    u = np.zeros(len(pools))
    s = Scheduler(
        env,
        classes,
        pools,
        cfg or SchedulerConfig(),
        np.random.default_rng(seed),
        u,
        until_h * H,
        signal=signal,
        resolve_s=resolve_s,
    )
    return env, s, u


@pytest.mark.parametrize(("c", "lam", "mu"), [(4, 2.8, 1.0), (1, 0.6, 1.0), (8, 6.0, 1.0)])
def test_mmc_mean_wait_matches_erlang_c(c, lam, mu):
    """Poisson arrivals, exponential service, c GPUs, jobs of 1 GPU, FIFO: M/M/c."""
    horizon_h = 50_000.0 / lam  # ~50,000 jobs
    cls = _klass(arrival_rate_per_h=lam, duration_mean_h=1.0 / mu)
    env, s, _ = _sched([cls], [_pool(c)], horizon_h, seed=7)
    env.run(until=horizon_h * H)
    waits = np.array([(j.start_s - j.arrival_s) / H for j in s.jobs if not math.isnan(j.start_s)])
    waits = waits[1000:]  # warm-up
    batches = np.array_split(waits, 30)
    means = np.array([b.mean() for b in batches])
    se = means.std(ddof=1) / math.sqrt(len(means))
    expected = erlang_c_wq_h(c, lam, mu)
    assert se < 0.1 * expected  # the run is long enough to say something
    assert abs(waits.mean() - expected) < 3.5 * se, (waits.mean(), expected, se)


def test_mmc_utilisation_is_offered_load():
    """Time-mean busy GPUs of M/M/c = lambda / mu (Little's law on the servers)."""
    c, lam = 4, 2.8
    env, s, _ = _sched([_klass(arrival_rate_per_h=lam)], [_pool(c)], 10_000.0, seed=3)
    env.run(until=10_000.0 * H)
    s.close()
    busy_h = sum(j.size * (j.work_s - j.remaining_s) for j in s.jobs if not math.isnan(j.start_s))
    assert busy_h / H / 10_000.0 == pytest.approx(lam, rel=0.03)


def _fixed(name, size, hours, **kw):
    return _klass(name=name, size_gpus=size, duration_mean_h=hours, duration_dist="fixed", **kw)


def _submit_at(env, s, t_h, cls):
    def proc():
        yield env.timeout(t_h * H)
        s.submit(cls)

    env.process(proc())


@pytest.mark.parametrize("backfill", [True, False])
def test_easy_backfilling_starts_a_short_job_without_delaying_the_head(backfill):
    classes = [_fixed("a", 6, 10.0), _fixed("b", 8, 4.0), _fixed("c", 4, 5.0)]
    env, s, _ = _sched(classes, [_pool(10)], 0.0, cfg=SchedulerConfig(backfill=backfill))
    _submit_at(env, s, 0.0, 0)  # a: 6 GPUs, 0-10 h
    _submit_at(env, s, 1.0, 1)  # b: 8 GPUs, must wait for a
    _submit_at(env, s, 2.0, 2)  # c: 4 GPUs for 5 h: fits now and ends before a does
    env.run(until=100 * H)
    a, b, c = s.jobs
    assert a.start_s == 0.0 and b.start_s == pytest.approx(10 * H)  # head never delayed
    if backfill:
        assert c.start_s == pytest.approx(2 * H)
    else:
        assert c.start_s == pytest.approx(14 * H)  # FIFO: after b


def test_backfilling_refuses_a_job_that_would_delay_the_head():
    classes = [_fixed("a", 6, 10.0), _fixed("b", 8, 4.0), _fixed("c", 4, 20.0)]
    env, s, _ = _sched(classes, [_pool(10)], 0.0)
    for t, k in ((0.0, 0), (1.0, 1), (2.0, 2)):
        _submit_at(env, s, t, k)
    env.run(until=100 * H)
    _, b, c = s.jobs
    assert b.start_s == pytest.approx(10 * H)
    assert c.start_s >= b.start_s


def test_inference_is_served_before_queued_batch():
    classes = [_fixed("a", 10, 5.0), _fixed("b", 5, 1.0), _fixed("inf", 5, 1.0, kind="inference")]
    env, s, _ = _sched(classes, [_pool(10)], 0.0, cfg=SchedulerConfig(backfill=False))
    for t, k in ((0.0, 0), (1.0, 1), (1.0, 1), (2.0, 2)):
        _submit_at(env, s, t, k)
    env.run(until=100 * H)
    inf = s.jobs[3]
    assert inf.start_s == pytest.approx(5 * H)  # jumps both batch jobs that arrived first


def test_group_power_from_work_equals_the_sum_over_gpus():
    """u from the jobs, through the kernel's power curve, = running + idle GPU power."""
    n, idle, f = 10, 0.2, 0.7
    cls = _fixed("a", 5, 10.0, power_frac=f)
    env, s, u = _sched([cls], [_pool(n, idle)], 0.0)
    _submit_at(env, s, 0.0, 0)
    env.run(until=1 * H)
    p_kernel = rack_group_power_w(n, 1000.0, idle, u[0])  # one "rack" per GPU of 1 kW
    assert p_kernel == pytest.approx(5 * f * 1000.0 + 5 * idle * 1000.0)
    env.run(until=20 * H)
    assert u[0] == 0.0  # all idle after the job


def test_checkpoints_stretch_run_time_and_lower_mean_power():
    cls = _klass(power_frac=0.8, checkpoint_interval_h=1.0, checkpoint_cost_min=6.0)
    ov = checkpoint_overhead_frac(cls)
    assert ov == pytest.approx(0.1 / 1.1)
    assert wall_work_s(cls, 10 * H) == pytest.approx(11 * H)
    # 10 h of compute at 0.8 + 1 h of checkpoints at idle, averaged over 11 h
    assert effective_power_frac(cls, 0.2) == pytest.approx((10 * 0.8 + 1 * 0.2) / 11)


def test_supply_cap_slows_jobs_and_lowers_their_power():
    cfg = SchedulerConfig(supply_cap_frac=0.5, cap_hold_min=1440.0)
    cls = _fixed("a", 4, 10.0, power_frac=0.7)
    env, s, _ = _sched([cls], [_pool(4, 0.2)], 0.0, cfg=cfg)
    _submit_at(env, s, 0.0, 0)
    s.on_record(0.5 * H, "battery_empty", "")  # grid up: not a shortage, no cap
    s.on_record(0.9 * H, "grid_outage", "")
    s.on_record(1 * H, "battery_empty", "")  # in an outage: cap from 1 h
    env.run(until=50 * H)
    job = s.jobs[0]
    # 1 h at full speed, then 9 h of work at half speed = 18 h
    assert job.end_s == pytest.approx(19 * H)
    p_full = 4 * 1000.0 * 0.7
    p_cap = 4 * 1000.0 * (0.2 + 0.5 * 0.5)
    assert job.energy_j == pytest.approx(p_full * H + p_cap * 18 * H)
    assert s.cap_events == 1


def test_grid_restored_lifts_the_supply_cap_and_thermal_cap_hits_its_loop_only():
    cfg = SchedulerConfig(supply_cap_frac=0.5, thermal_cap_frac=0.8, cap_hold_min=1440.0)
    air = GroupPool(index=0, name="a", n_gpus=4, idle_frac=0.2, p_gpu_peak_w=1e3)
    liq = GroupPool(
        index=1, name="l", n_gpus=4, idle_frac=0.2, p_gpu_peak_w=1e3, air=False, liquid=True
    )
    classes = [_fixed("x", 4, 100.0, group="a"), _fixed("y", 4, 100.0, group="l")]
    env, s, _ = _sched(classes, [air, liq], 0.0, cfg=cfg)
    _submit_at(env, s, 0.0, 0)
    _submit_at(env, s, 0.0, 1)
    s.on_record(1 * H, "unmet_load", "")
    s.on_record(2 * H, "grid_restored", "")
    s.on_record(3 * H, "inlet_over_limit", "")
    env.run(until=1.5 * H)
    assert [j.rate for j in s.jobs] == [0.5, 0.5]
    env.run(until=2.5 * H)
    assert [j.rate for j in s.jobs] == [1.0, 1.0]
    env.run(until=3.5 * H)
    assert [j.rate for j in s.jobs] == [0.8, 1.0]


def test_clean_signal_moves_a_deferrable_start_into_pv_hours():
    dt = 3600.0
    hours = np.arange(48)
    pv = np.where((hours % 24 >= 10) & (hours % 24 < 16), 10e6, 0.0)
    sig = CleanSignal(np.full(48, 500.0), pv, 10e6, dt)
    # arriving at 18:00 with 20 h of window: start at 10:00 the next day
    assert sig.best_start_s(18 * H, 20 * H, 2 * H) == 34 * H
    # a window that ends before sunrise: nothing cleaner, start now
    assert sig.best_start_s(18 * H, 6 * H, 2 * H) == 18 * H
    # already in the sun: start now
    assert sig.best_start_s(11 * H, 20 * H, 2 * H) == 11 * H
    # a cleaner grid hour counts too (generic carbon signal)
    carbon = np.full(48, 500.0)
    carbon[3] = 100.0
    assert CleanSignal(carbon, np.zeros(48), 10e6, dt).best_start_s(0.0, 5 * H, H) == 3 * H


def test_deferral_only_for_deferrable_classes_and_within_the_window():
    dt = 3600.0
    hours = np.arange(24 * 30)
    pv = np.where((hours % 24 >= 10) & (hours % 24 < 16), 10e6, 0.0)
    sig = CleanSignal(np.full(hours.size, 500.0), pv, 10e6, dt)
    classes = [
        _klass(name="d", arrival_rate_per_h=2.0, defer_window_h=12.0, duration_dist="fixed"),
        _klass(name="n", arrival_rate_per_h=2.0),
    ]
    cfg = SchedulerConfig(deferral="clean")
    env, s, _ = _sched(classes, [_pool(1000)], 24 * 25, cfg=cfg, signal=sig)
    env.run(until=24 * 30 * H)
    d = [j for j in s.jobs if j.cls == 0]
    n = [j for j in s.jobs if j.cls == 1]
    assert all(j.release_s == j.arrival_s for j in n)
    delays = np.array([(j.release_s - j.arrival_s) / H for j in d])
    assert delays.max() <= 12.0 + 1.0  # window, plus the position inside the chosen step
    arrive_h = np.array([(j.arrival_s / H) % 24 for j in d])
    to_sun_h = (10.0 - arrive_h) % 24
    # arriving 1 to 12 h before sunrise: deferred; in the sun or too far from it: not
    assert np.all(delays[(to_sun_h >= 1.0) & (to_sun_h <= 12.0)] > 0)
    assert np.all(delays[(arrive_h >= 10.0) & (arrive_h < 16.0)] == 0)
    assert np.all(delays[(to_sun_h > 13.0) & (arrive_h >= 16.0)] == 0)
    # and every deferred job starts in the sun (the pool never fills up)
    start_h = np.array([(j.start_s / H) % 24 for j in d])
    assert np.all((start_h[delays > 0] >= 10.0) & (start_h[delays > 0] < 16.0))


def test_group_pools_from_the_scenario():
    from twin import Scenario
    from twin.workload.run import group_pools

    gpu, cpu = group_pools(Scenario())
    assert gpu.n_gpus == 300 * 72 and gpu.p_gpu_peak_w == pytest.approx(120e3 / 72)
    assert gpu.liquid and gpu.air  # direct-to-chip racks still reject 15 % of heat to air
    assert cpu.n_gpus == 400 * 20 and cpu.air and not cpu.liquid


@pytest.mark.parametrize("resolve_s", [60.0, 3600.0])
def test_checkpoints_as_events_at_fine_steps_and_as_a_mean_at_coarse_ones(resolve_s):
    """10 h of compute, a 6 min checkpoint every hour: 11 h of wall time either way, the
    same energy; at a 1 min step the whole job drops to idle during each checkpoint."""
    n, idle, f = 8, 0.2, 0.8
    cls = _fixed("t", 8, 10.0, power_frac=f, checkpoint_interval_h=1.0, checkpoint_cost_min=6.0)
    env, s, u = _sched([cls], [_pool(n, idle)], 0.0, resolve_s=resolve_s)
    _submit_at(env, s, 0.0, 0)
    seen = []

    def probe():
        for t_h in (0.5, 1.05, 1.2, 2.15):
            yield env.timeout(t_h * H - env.now)
            seen.append(u[0])

    env.process(probe())
    env.run(until=50 * H)
    job = s.jobs[0]
    assert job.end_s == pytest.approx(11 * H)
    p_gpu = 1000.0
    assert job.energy_j == pytest.approx(n * p_gpu * (10 * f + 1 * idle) * H)
    if resolve_s == 60.0:
        u_run = (f - idle) / (1 - idle)
        assert seen == pytest.approx([u_run, 0.0, u_run, 0.0])  # compute, ckpt, compute, ckpt
    else:
        u_mean = (effective_power_frac(cls, idle) - idle) / (1 - idle)
        assert seen == pytest.approx([u_mean] * 4)


def test_running_jobs_iterate_in_start_order_so_runs_repeat_to_the_last_bit():
    """The utilisation is a float sum over the running jobs, and cap changes walk them in
    turn. Over a set of jobs that order follows memory addresses, which differ between
    processes, so two runs of one scenario differed in the last bit (it energy
    12395.633789382018 vs ...016 MWh). The running jobs are kept in start order."""
    cls = _klass(arrival_rate_per_h=6.0, duration_mean_h=1.0, size_gpus=2)
    pool = _pool(16)
    env, _, u = _sched([cls], [pool], 200.0, seed=3)
    seen = 0
    for t_h in range(5, 200, 5):
        env.run(until=t_h * H)
        jobs = list(pool.running)
        seen += len(jobs)
        assert [j.start_s for j in jobs] == sorted(j.start_s for j in jobs)
        dyn = 0.0
        for j in jobs:  # the same sum, left to right in start order
            dyn += j.power_w / pool.p_gpu_peak_w - j.size * pool.idle_frac
        assert u[0] == min(1.0, max(0.0, dyn / ((1.0 - pool.idle_frac) * pool.n_gpus)))
    assert seen > 50  # the queue was busy at the snapshots
