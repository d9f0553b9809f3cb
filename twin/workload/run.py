"""Hooking the workload into a run, and summarising it afterwards.

:func:`start_workload` is called by :func:`twin.sim.engine.run_raw` for
``it.workload = "jobs"`` or ``"trace"``; it starts the SimPy processes that
write ``RunState.u_groups`` and returns the object the results are read from.
:func:`summarise` turns a finished :class:`~twin.workload.scheduler.Scheduler`
into the per-job table (``Result.jobs``) and the per-class figures
(``meta.job_classes``, ``meta.jobs_completed``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import simpy

from twin.workload.jobs import DAY_S, H_S
from twin.workload.scheduler import CleanSignal, GroupPool, Scheduler


def group_pools(sc) -> list[GroupPool]:
    """One GPU pool per rack group: ``racks x gpus_per_rack`` slots."""
    pools = []
    for i, g in enumerate(sc.it.groups):
        lf = g.liquid_frac if g.cooling == "liquid" else 0.0
        pools.append(
            GroupPool(
                index=i,
                name=g.name,
                n_gpus=g.racks * g.gpus_per_rack,
                idle_frac=g.idle_frac,
                p_gpu_peak_w=g.p_rack_peak_kw * 1e3 / g.gpus_per_rack,
                air=lf < 1.0,
                liquid=lf > 0.0,
            )
        )
    return pools


def start_workload(env: simpy.Environment, st, sc, design, inp, rng: np.random.Generator) -> Any:
    """Start the job model or the trace player on ``env``; ``None`` for the profile."""
    until_s = float(sc.n_steps * sc.dt_s)
    if sc.it.workload == "jobs":
        signal = CleanSignal(inp.carbon_g_per_kwh, inp.p_pv_w, design.p_it_peak_w, sc.dt_s)
        sched = Scheduler(
            env,
            list(sc.it.job_classes),
            group_pools(sc),
            sc.it.scheduler,
            rng,
            st.u_groups,
            until_s,
            signal=signal,
            log=st.record,
            resolve_s=float(sc.dt_s),
        )
        st.listeners.append(sched.on_record)
        return sched
    if sc.it.workload == "trace":
        from twin.workload.trace import load_trace, play_trace

        times_s, u = load_trace(sc, inp.index)
        env.process(play_trace(env, st.u_groups, times_s, u))
        return None
    return None


def jobs_frame(sched: Scheduler, t0: pd.Timestamp) -> pd.DataFrame:
    """One row per job that arrived in the run."""
    cls = sched.classes
    rows = []
    for j in sched.jobs:
        c = cls[j.cls]
        done_s = j.work_s - j.remaining_s if not math.isnan(j.start_s) else 0.0
        rows.append(
            (
                j.id,
                c.name,
                c.kind,
                c.group,
                j.size,
                j.arrival_s,
                j.release_s,
                j.start_s,
                j.end_s,
                j.work_s / H_S,
                j.size * done_s / H_S,
                j.energy_j / 3.6e6,
            )
        )
    df = pd.DataFrame(
        rows,
        columns=[
            "job_id",
            "job_class",
            "kind",
            "group",
            "size_gpus",
            "arrival_s",
            "release_s",
            "start_s",
            "end_s",
            "work_h",
            "gpu_h_done",
            "energy_kwh",
        ],
    )
    df["deferred_h"] = (df["release_s"] - df["arrival_s"]) / H_S
    df["wait_h"] = (df["start_s"] - df["release_s"]) / H_S
    df["completed"] = df["end_s"].notna()
    for col in ("arrival", "start", "end"):
        df[col] = t0 + pd.to_timedelta(df[f"{col}_s"], unit="s")
    return df


def class_summary(sched: Scheduler, df: pd.DataFrame, horizon_s: float) -> dict[str, dict]:
    """Per class: throughput, waiting, latency objective, energy per job, deferred work."""
    out: dict[str, dict] = {}
    days = horizon_s / DAY_S
    for c in sched.classes:
        d = df[df["job_class"] == c.name]
        done = d[d["completed"]]
        started = d[d["start_s"].notna()]
        deferred = d[d["deferred_h"] > 0]
        row: dict[str, Any] = {
            "kind": c.kind,
            "jobs_arrived": len(d),
            "jobs_completed": len(done),
            "throughput_per_day": len(done) / days if days > 0 else 0.0,
            "mean_wait_h": float(started["wait_h"].mean()) if len(started) else 0.0,
            "p95_wait_h": float(started["wait_h"].quantile(0.95)) if len(started) else 0.0,
            "energy_per_job_kwh": float(done["energy_kwh"].mean()) if len(done) else 0.0,
            "energy_mwh": float(d["energy_kwh"].sum() / 1e3),
            "gpu_h_done": float(d["gpu_h_done"].sum()),
            "jobs_deferred": len(deferred),
            "deferred_gpu_h": float((deferred["size_gpus"] * deferred["work_h"]).sum()),
            "mean_deferral_h": float(deferred["deferred_h"].mean()) if len(deferred) else 0.0,
        }
        if c.kind == "inference" and c.latency_objective_s > 0:
            # a job not started by the end counts as missed once it waited past the objective
            lat_s = np.where(
                d["start_s"].notna(), d["start_s"] - d["arrival_s"], horizon_s - d["arrival_s"]
            )
            judged = d["start_s"].notna() | (lat_s > c.latency_objective_s)
            met = (lat_s <= c.latency_objective_s) & judged
            row["latency_objective_s"] = c.latency_objective_s
            row["latency_met_frac"] = float(met.sum() / judged.sum()) if judged.sum() else 1.0
        out[c.name] = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()}
    return out


def summarise(sched: Scheduler, t0: pd.Timestamp, horizon_s: float):
    """``(jobs DataFrame, meta additions)`` of a finished job-model run."""
    sched.close()
    df = jobs_frame(sched, t0)
    classes = class_summary(sched, df, horizon_s)
    meta = {
        "jobs_arrived": len(df),
        "jobs_completed": int(df["completed"].sum()),
        "gpu_h_done": round(float(df["gpu_h_done"].sum()), 3),
        "cap_events": sched.cap_events,
        "job_classes": classes,
    }
    return df, meta


def job_table(meta: dict) -> str:
    """Lines for ``twin run``'s table: one per job class."""
    classes = meta.get("job_classes")
    if not classes:
        return ""
    head = (
        f"  jobs: {meta['jobs_completed']} of {meta['jobs_arrived']} completed, "
        f"{meta['gpu_h_done']:.4g} GPU-h, {meta['cap_events']} caps"
    )
    cols = (
        f"    {'class':<12} {'done/day':>9} {'wait h':>8} {'p95 h':>8} {'kWh/job':>10} "
        f"{'deferred':>8} {'SLO met':>8}"
    )
    lines = [head, cols]
    for name, r in classes.items():
        slo = f"{r['latency_met_frac']:.1%}" if "latency_met_frac" in r else "-"
        lines.append(
            f"    {name:<12} {r['throughput_per_day']:>9.3g} {r['mean_wait_h']:>8.3g} "
            f"{r['p95_wait_h']:>8.3g} {r['energy_per_job_kwh']:>10.4g} "
            f"{r['jobs_deferred']:>8d} {slo:>8}"
        )
    return "\n".join(lines)
