"""Which scenarios of a batch share the demand half of their steps (:mod:`kernels.memo`).

Scenarios whose plant rows differ only in :data:`kernels.memo.SUPPLY_ONLY` and whose
cooling loops, rack groups and weather are equal have the same demand half at every
step where their key (the node temperatures, economizer flags, powered share, step,
chillers, outdoor air and utilisation) is the same. :func:`plan` puts them in groups:
the first scenario of a group records the demand half of each step into the group's
memo, the others replay it where their key matches bit for bit. A sweep over PV,
battery, grid, tariff, wind or dispatch policy is one group; a sweep over the racks or
the cooling plant has none (each scenario computes its own steps, as before).

Memory: a memo is ``n_steps x 2 x (M_U0 + G)`` floats (two rows a step: the whole step
or its first part, and its later parts; with two rack groups, 5.3 MB an hourly year,
21 MB at 15 minutes, 320 MB at 1 minute), at most one per four scenarios of the batch (:data:`MAX_MEMO_SHARE`), so a
batch's memory stays about flat.
"""

from __future__ import annotations

import hashlib

import numpy as np

from kernels import layout as L
from kernels.memo import MEMO_OFF, MEMO_RECORD, MEMO_REPLAY, SUPPLY_ONLY, memo_width

#: At most one memo per this many scenarios of a batch (the largest groups first).
MAX_MEMO_SHARE = 4
#: False: no scenario shares (every one ``MEMO_OFF``), for the tests and benchmarks
#: that compare the two.
SHARE = True

_DEMAND = np.ones(L.N_PLANT, dtype=bool)
_DEMAND[list(SUPPLY_ONLY)] = False


def _weather_ids(t_db_c: np.ndarray, t_wb_c: np.ndarray) -> list[bytes]:
    """One digest per input row of the outdoor air: rows with the same air share it.

    The rows of a batch are mostly one weather repeated (the input series differ in PV
    or tariff, not in the air): a row equal to one already digested takes its digest
    (a comparison that stops at the first differing value), the others are hashed."""
    ids: list[bytes] = []
    seen: list[tuple[int, bytes]] = []
    for w in range(t_db_c.shape[0]):
        for u, digest in seen:
            if np.array_equal(t_db_c[w], t_db_c[u]) and np.array_equal(t_wb_c[w], t_wb_c[u]):
                ids.append(digest)
                break
        else:
            raw = t_db_c[w].tobytes() + t_wb_c[w].tobytes()
            digest = hashlib.blake2b(raw, digest_size=16).digest()
            seen.append((w, digest))
            ids.append(digest)
    return ids


class MemoStore:
    """The memos of a sweep's groups, from one batch to the next (one sweep, one process).

    A sweep in one process runs its scenarios batch after batch; a group whose demand
    side came up in an earlier batch replays that batch's memo (every scenario of the
    group, none records again) instead of recording one per batch. The batch that
    recorded a memo has finished before a later batch runs (:mod:`twin.sweeps.backends.local`
    computes one batch at a time); a row its recording did not reach is NaN and matches
    nothing. At most ``max_bytes`` of memos, the oldest dropped first.
    """

    def __init__(self, max_bytes: int = 256 * 2**20) -> None:
        self.max_bytes = max_bytes
        self._memos: dict[bytes, np.ndarray] = {}

    def get(self, key: bytes) -> np.ndarray | None:
        """The ``(1, n_steps, 2, W)`` memo recorded for the group *key*, or None."""
        return self._memos.get(key)

    def put(self, key: bytes, memo: np.ndarray) -> None:
        """Keep *memo* for the group *key* if it fits."""
        if memo.nbytes > self.max_bytes:
            return
        self._memos[key] = memo
        while sum(m.nbytes for m in self._memos.values()) > self.max_bytes:
            del self._memos[next(iter(self._memos))]


def groups_of(
    plant: np.ndarray,
    loops: np.ndarray,
    groups: np.ndarray,
    inp_idx: np.ndarray,
    weather: tuple[np.ndarray, np.ndarray],
) -> dict[bytes, list[int]]:
    """Scenarios of a batch (as :class:`kernels.batch.Batch` holds them) by demand side:
    the key of each group (its demand parameters and weather, and the shape of a memo)
    and its members; ``weather`` = (dry bulb, wet bulb) rows of the batch's input series."""
    wid = _weather_ids(*weather)
    shape = np.array([weather[0].shape[1], memo_width(groups.shape[1])], dtype=np.int64)
    by_key: dict[bytes, list[int]] = {}
    for s in range(plant.shape[0]):
        key = b"".join(
            (
                shape.tobytes(),
                plant[s, _DEMAND].tobytes(),
                loops[s].tobytes(),
                groups[s].tobytes(),
                wid[int(inp_idx[s])],
            )
        )
        by_key.setdefault(key, []).append(s)
    return by_key


def plan(
    plant: np.ndarray,
    loops: np.ndarray,
    groups: np.ndarray,
    inp_idx: np.ndarray,
    weather: tuple[np.ndarray, np.ndarray],
    store: MemoStore | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``memo``, ``memo_idx`` and ``memo_mode`` arrays of a batch (module docstring).

    A group that *store* holds a memo for replays it, whatever its size; a new group of
    two or more scenarios gets a NaN memo (a row nothing recorded matches nothing), its
    first scenario records it and *store* keeps it for the next batches. A batch with no
    group gets one empty memo and every scenario ``MEMO_OFF``.
    """
    n_sc = plant.shape[0]
    n_steps = weather[0].shape[1]
    width = memo_width(groups.shape[1])
    memo_idx = np.zeros(n_sc, dtype=np.int64)
    memo_mode = np.full(n_sc, MEMO_OFF, dtype=np.int64)
    found = groups_of(plant, loops, groups, inp_idx, weather) if SHARE else {}
    reused: list[tuple[list[int], np.ndarray]] = []
    fresh: list[tuple[bytes, list[int]]] = []
    for key, members in found.items():
        kept = store.get(key) if store is not None else None
        if kept is not None:
            reused.append((members, kept))
        elif len(members) > 1:
            fresh.append((key, members))
    fresh.sort(key=lambda kg: len(kg[1]), reverse=True)
    fresh = fresh[: max(1, n_sc // MAX_MEMO_SHARE)]
    if not reused and not fresh:
        return np.empty((1, 0, 2, width)), memo_idx, memo_mode
    parts = [m for _, m in reused] + [np.full((1, n_steps, 2, width), np.nan) for _ in fresh]
    memo = parts[0] if len(parts) == 1 else np.concatenate(parts)
    for m, (members, _) in enumerate(reused):
        memo_idx[members] = m
        memo_mode[members] = MEMO_REPLAY
    for m, (key, members) in enumerate(fresh, start=len(reused)):
        memo_idx[members] = m
        memo_mode[members] = MEMO_REPLAY
        memo_mode[members[0]] = MEMO_RECORD
        if store is not None:
            store.put(key, memo[m : m + 1])
    return memo, memo_idx, memo_mode
