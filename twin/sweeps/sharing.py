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
    """One digest per input row of the outdoor air: rows with the same air share it."""
    return [
        hashlib.blake2b(t_db_c[w].tobytes() + t_wb_c[w].tobytes(), digest_size=16).digest()
        for w in range(t_db_c.shape[0])
    ]


def groups_of(
    plant: np.ndarray,
    loops: np.ndarray,
    groups: np.ndarray,
    inp_idx: np.ndarray,
    weather: tuple[np.ndarray, np.ndarray],
) -> list[list[int]]:
    """Scenarios of a batch (as :class:`kernels.batch.Batch` holds them) with the same
    demand side, in groups of two or more, the largest first; ``weather`` = (dry bulb,
    wet bulb) rows of the batch's input series."""
    wid = _weather_ids(*weather)
    by_key: dict[bytes, list[int]] = {}
    for s in range(plant.shape[0]):
        key = b"".join(
            (
                plant[s, _DEMAND].tobytes(),
                loops[s].tobytes(),
                groups[s].tobytes(),
                wid[int(inp_idx[s])],
            )
        )
        by_key.setdefault(key, []).append(s)
    found = [g for g in by_key.values() if len(g) > 1]
    found.sort(key=len, reverse=True)
    return found


def plan(
    plant: np.ndarray,
    loops: np.ndarray,
    groups: np.ndarray,
    inp_idx: np.ndarray,
    weather: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``memo``, ``memo_idx`` and ``memo_mode`` arrays of a batch (module docstring).

    ``memo`` is NaN (a row nothing recorded matches nothing); a batch with no group gets
    one empty memo and every scenario ``MEMO_OFF``.
    """
    n_sc = plant.shape[0]
    n_steps = weather[0].shape[1]
    found = groups_of(plant, loops, groups, inp_idx, weather) if SHARE else []
    found = found[: max(1, n_sc // MAX_MEMO_SHARE)]
    memo_idx = np.zeros(n_sc, dtype=np.int64)
    memo_mode = np.full(n_sc, MEMO_OFF, dtype=np.int64)
    width = memo_width(groups.shape[1])
    if not found:
        return np.empty((1, 0, 2, width)), memo_idx, memo_mode
    memo = np.full((len(found), n_steps, 2, width), np.nan)
    for m, members in enumerate(found):
        memo_idx[members] = m
        memo_mode[members] = MEMO_REPLAY
        memo_mode[members[0]] = MEMO_RECORD
    return memo, memo_idx, memo_mode
