"""The argument arrays of the batched kernels (:mod:`kernels.batch`), built in one place.

:func:`stack` packs prepared scenarios (:class:`twin.sweeps.prepare.Prepared`) into the
arrays of ``integrate_batch`` (a :class:`kernels.batch.Batch`); :func:`post_arrays` adds
those of the post pass (``post_batch``: invariant scan, KPI totals, ride-through), and
:func:`post_args` joins them into a :class:`kernels.batch.Post` for either kernel.
Positions are taken by name from :data:`kernels.batch.BATCH_ARRAYS` and
:data:`kernels.batch.POST_ARRAYS`. :class:`BufferPool` lets a sweep reuse the large
per-step arrays of finished batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from kernels import layout as L
from kernels.batch import BATCH_ARRAYS, POST_ARRAYS, Batch, Post
from kernels.kpisums import N_TOTALS
from kernels.moisture import N_MOIST
from twin.errors import TwinError
from twin.results.invariants import ABS_TOL_W, BALANCE_TOL, soc_limits
from twin.results.kpis import kpi_params, ppa_w
from twin.results.moisture import moisture_params
from twin.results.ridethrough import tank_energies_j
from twin.sim.compile import initial_state, without_genset
from twin.sweeps import sharing

if TYPE_CHECKING:
    from twin.sim.inputs import Inputs
    from twin.sweeps.prepare import Prepared

__all__ = ["A_INFO", "A_OUT", "A_PLANT", "A_POST", "A_SIG", "POST_OWN", "BufferPool",
           "post_args", "post_arrays", "stack"]  # fmt: skip


#: Positions in the arrays of :func:`stack` (the arguments of ``integrate_batch``).
A_PLANT, A_SIG, A_OUT, A_INFO = (BATCH_ARRAYS.index(n) for n in ("plant", "sig", "out", "info"))
#: Positions (in those arrays) of the ones that ``post_batch`` takes, in its order:
#: ``out``, ``info`` and the inputs it reads.
A_POST = tuple(BATCH_ARRAYS.index(n) for n in POST_ARRAYS if n in BATCH_ARRAYS)
#: The other arrays of ``post_batch``, made by :func:`post_arrays` in this order.
POST_OWN = tuple(n for n in POST_ARRAYS if n not in BATCH_ARRAYS)


def post_args(arrays: Sequence[Any], post: Sequence[Any]) -> Post:
    """The arguments of :func:`kernels.batch.post_batch` (or of its GPU twin), by name:
    *arrays* as :func:`stack` made them, *post* as :func:`post_arrays`."""
    named = {BATCH_ARRAYS[i]: arrays[i] for i in A_POST}
    named.update(zip(POST_OWN, post, strict=True))
    return Post(**named)


class BufferPool:
    """Reusable per-step arrays of batches (``sig`` and ``out``), by step count.

    A batch of hourly site-years holds hundreds of MB of per-step outputs; taking
    fresh memory for every batch makes the operating system zero it page by page
    (measured: a sixth of a sweep's CPU time). A sweep keeps the arrays of the
    batches in flight and hands them to the next ones. The kernel writes every
    row of ``out`` it integrates and ``sig`` is filled whole, so old contents
    never leak into a result (rows after a non-finite stop belong to a scenario
    reported as an error).

    The pool also keeps the sweep's shared demand halves (``memos``, a
    :class:`twin.sweeps.sharing.MemoStore`), so that a group records its memo once per
    sweep rather than once per batch.
    """

    #: the kind of one scenario's signals (:func:`twin.sweeps.batch.stage` takes one for
    #: :func:`twin.sweeps.prepare.prepare` to fill)
    SIG_ROW = "sig_row"

    def __init__(self) -> None:
        self._free: dict[tuple[str, int, int], list[np.ndarray]] = {}
        self.memos = sharing.MemoStore()

    def take(self, kind: str, n_sc: int, n_steps: int, width: int) -> np.ndarray:
        """An uninitialised ``(n_sc, n_steps, width)`` array, from the pool if one fits."""
        free = self._free.get((kind, n_steps, width), [])
        for i, buf in enumerate(free):
            if buf.shape[0] >= n_sc:
                return free.pop(i)[:n_sc]
        return np.empty((n_sc, n_steps, width))

    def take_row(self, kind: str, n_steps: int, width: int) -> np.ndarray:
        """An uninitialised ``(n_steps, width)`` array (one scenario's), from the pool if
        one is free; hand it back with :meth:`give`."""
        return self.take(kind, 1, n_steps, width)[0]

    def give(self, kind: str, arr: np.ndarray) -> None:
        """Return an array taken with :meth:`take` (its base, if a view)."""
        base = arr.base if isinstance(arr.base, np.ndarray) else arr
        free = self._free.setdefault((kind, base.shape[1], base.shape[2]), [])
        if not any(b is base for b in free):  # the batches of one array give it back once
            free.append(base)


def _pooled(arr: np.ndarray) -> bool:
    """Is *arr* a row taken with :meth:`BufferPool.take_row`?"""
    base = arr.base
    return isinstance(base, np.ndarray) and base.ndim == 3 and base.shape[0] == 1


def stack(
    batch: Sequence[Prepared], pool: BufferPool | None = None, sig: np.ndarray | None = None
) -> tuple[np.ndarray, ...]:
    """Pack prepared scenarios into the argument arrays of :func:`kernels.batch.integrate_batch`
    (a :class:`kernels.batch.Batch`).

    All scenarios of a batch must share the time grid; rack-group tables are
    padded with zero-rack groups (which add exactly 0.0 to every sum). With a
    *pool*, ``sig`` and ``out`` are taken from it (see :class:`BufferPool`). *sig*: the
    batch's signals already in place, ``sig[i]`` the array that scenario ``i`` was
    prepared into (:func:`twin.sweeps.batch.stage` with a pool), used as they are.
    Scenarios with the same demand side share the demand half of their steps
    (:mod:`twin.sweeps.sharing`).
    """
    n_sc = len(batch)
    n_steps = batch[0].scenario.n_steps
    if any(p.scenario.n_steps != n_steps for p in batch):
        msg = "a batch must share simulation.step and simulation.days"
        raise TwinError(msg)
    n_groups = max(p.design.groups.shape[0] for p in batch)
    n_segs = np.array([p.timeline.n_segments for p in batch], dtype=np.int64)
    seg_ptr = np.zeros(n_sc + 1, dtype=np.int64)
    np.cumsum(n_segs, out=seg_ptr[1:])
    seg_u = np.zeros((int(seg_ptr[-1]), n_groups))
    for i, p in enumerate(batch):
        seg_u[seg_ptr[i] : seg_ptr[i + 1], : p.timeline.u_groups.shape[1]] = p.timeline.u_groups
    groups = np.zeros((n_sc, n_groups, L.N_GROUP))
    for i, p in enumerate(batch):
        groups[i, : p.design.groups.shape[0]] = p.design.groups
    if sig is not None:
        if sig.shape != (n_sc, n_steps, L.N_SIG) or any(
            p.sig.base is not sig.base or p.sig.ctypes.data != sig[i].ctypes.data
            for i, p in enumerate(batch)
        ):
            msg = "stack: sig must hold the signal rows the scenarios were prepared into"
            raise TwinError(msg)
        out = (
            pool.take("out", n_sc, n_steps, L.N_OUT)
            if pool is not None
            else np.zeros((n_sc, n_steps, L.N_OUT))
        )
    elif pool is None:
        sig = np.stack([p.sig for p in batch])
        out = np.zeros((n_sc, n_steps, L.N_OUT))
    else:
        sig = pool.take("sig", n_sc, n_steps, L.N_SIG)
        for i, p in enumerate(batch):
            sig[i] = p.sig
            if _pooled(p.sig):
                pool.give(pool.SIG_ROW, p.sig)  # taken by prepare: the next scenarios reuse it
            p.sig = sig[i]  # the batch's copy: the scenario's own array can go
        out = pool.take("out", n_sc, n_steps, L.N_OUT)
    keys: dict[str, int] = {}
    series: list[Inputs] = []
    inp_idx = np.empty(n_sc, dtype=np.int64)
    for i, p in enumerate(batch):
        if p.inputs_key not in keys:
            keys[p.inputs_key] = len(series)
            series.append(p.inputs)
        inp_idx[i] = keys[p.inputs_key]
    plant = np.stack([p.design.plant for p in batch])
    loops = np.stack([p.design.loops for p in batch])
    t_db_c = np.stack([s.t_db_c for s in series])
    t_wb_c = np.stack([s.t_wb_c for s in series])
    memos = pool.memos if pool is not None else None
    memo, memo_idx, memo_mode = sharing.plan(plant, loops, groups, inp_idx, (t_db_c, t_wb_c), memos)
    return Batch(
        seg_ptr=seg_ptr,
        seg_t0_s=np.concatenate([p.timeline.t0_s for p in batch]),
        seg_grid_up=np.concatenate([p.timeline.grid_up for p in batch]),
        seg_genset_ok=np.concatenate([p.timeline.genset_ok for p in batch]),
        seg_outage_start_s=np.concatenate([p.timeline.outage_start_s for p in batch]),
        seg_n_chillers=np.concatenate([p.timeline.n_chillers for p in batch]),
        seg_u=seg_u,
        plant=plant,
        plant_ng=np.stack([without_genset(p.design.plant) for p in batch]),
        loops=loops,
        groups=groups,
        inp_idx=inp_idx,
        t_db_c=t_db_c,
        t_wb_c=t_wb_c,
        p_pv_w=np.stack([s.p_pv_w for s in series]),
        sig=sig,
        state=np.stack([initial_state(p.scenario) for p in batch]),
        out=out,
        info=np.zeros((n_sc, 2), dtype=np.int64),
        row=np.zeros((n_sc, 1, L.N_OUT)),
        memo=memo,
        memo_idx=memo_idx,
        memo_mode=memo_mode,
    )


def post_arrays(preps: Sequence[Prepared], soc_series: bool) -> tuple[np.ndarray, ...]:
    """The arrays of :func:`kernels.batch.post_batch` that the batch does not hold
    (:data:`POST_OWN`, in that order): inputs and outputs, the latter being scan results,
    KPI totals, ride-through, hall dew point and, with *soc_series* (a runner whose ``out`` stays on its
    device), the state-of-charge series."""
    n_sc, n = len(preps), preps[0].scenario.n_steps
    ppas = [ppa_w(p.inputs, n) for p in preps]
    p_ppa = np.zeros((n_sc, n if any(x.size for x in ppas) else 0))
    for j, x in enumerate(ppas):
        if x.size:
            p_ppa[j] = x
    scan_par = np.array(
        [(BALANCE_TOL, ABS_TOL_W, *soc_limits(p.design.plant)) for p in preps], dtype=np.float64
    )
    own = {
        "p_ppa_w": p_ppa,
        "n_ppa": np.array([x.size for x in ppas], dtype=np.int64),
        "kpi_par": np.stack([kpi_params(p.scenario, p.design) for p in preps]),
        "scan_par": scan_par,
        "e_tank_j": np.array([tank_energies_j(p.scenario) for p in preps], dtype=np.float64),
        "moist_par": np.stack([moisture_params(p.scenario) for p in preps]),
        "scan": np.zeros((n_sc, 4)),
        "totals": np.zeros((n_sc, N_TOTALS)),
        "ride_s": np.zeros((n_sc, 4)),
        "moist": np.zeros((n_sc, N_MOIST)),
        "soc": np.zeros((n_sc, n if soc_series else 0)),
    }
    return tuple(own[name] for name in POST_OWN)
