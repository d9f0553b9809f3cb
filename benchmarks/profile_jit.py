"""Where the batched kernel's time goes, by compiled function, with Linux ``perf``.

``perf`` samples numba's compiled code but cannot name it: the code lives in memory that
no file describes. This script runs a batch of the default hall (one scenario recording
the shared demand half, eight replaying it, :mod:`kernels.memo`) for ``--seconds``, in
``replay`` mode (the replaying scenarios, the sweep's common case) or ``compute`` mode
(every scenario computes its whole step, as a single run does), one thread, then writes
``/tmp/perf-PID.map``: the address and size of every function in the code library of
``kernels.batch.integrate_phase``, the file ``perf report`` reads to name JIT code.

Only freshly compiled code can be listed (a library loaded from numba's on-disk cache
does not expose its functions), so point ``NUMBA_CACHE_DIR`` at an empty folder::

    NUMBA_CACHE_DIR=$(mktemp -d) NUMBA_NUM_THREADS=1 perf record -F 2000 -o perf.data -- \\
        python benchmarks/profile_jit.py --step 1h --mode replay --seconds 20
    perf report -i perf.data --no-children --sort dso,sym --stdio | grep JIT

The compile (about a minute) is sampled too, outside the JIT code. Sizes are the gaps
between function starts (an upper bound for the last function of a block).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this tree


def _functions(library, seen: set[int]) -> list[tuple[int, str]]:
    """(address, name) of the functions defined in *library* and the libraries it links."""
    if id(library) in seen:
        return []
    seen.add(id(library))
    found = []
    for fn in library.get_defined_functions():
        try:
            addr = library.get_pointer_to_function(fn.name)
        except Exception:  # a declaration numba resolved elsewhere
            addr = 0
        if addr:
            found.append((int(addr), fn.name))
    for sub in getattr(library, "_linking_libraries", ()):
        found += _functions(sub, seen)
    return found


def write_perf_map(dispatcher, path: Path) -> int:
    """Write the perf map of every compiled overload of *dispatcher*; return its lines."""
    entries: list[tuple[int, str]] = []
    seen: set[int] = set()
    for cres in dispatcher.overloads.values():
        entries += _functions(cres.library, seen)
    entries = sorted(set(entries))
    with path.open("w") as fh:
        for i, (addr, name) in enumerate(entries):
            size = entries[i + 1][0] - addr if i + 1 < len(entries) else 4096
            fh.write(f"{addr:x} {size:x} {name}\n")
    return len(entries)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--step", default="1h")
    ap.add_argument("--mode", choices=("replay", "compute"), default="replay")
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()

    import twin
    from kernels.batch import integrate_phase
    from kernels.memo import MEMO_OFF
    from twin.sweeps.batch import stage
    from twin.sweeps.chunks import scenarios

    base = twin.Scenario().with_overrides([f"simulation.step={args.step}"])
    rows = [{"pv.capacity_mwp": 0.0, "battery.energy_mwh": 0.0}]
    rows += [{"pv.capacity_mwp": 40.0, "battery.energy_mwh": 100.0}] * 8
    _, b, _ = stage(scenarios(base, rows)).parts[0]
    state0 = b.state.copy()
    integrate_phase(False, *b)  # compiles; the first scenario records the memo
    replaying = args.mode == "replay"
    if not replaying:
        b.memo_mode[:] = MEMO_OFF
    passes = 0
    t_end = time.perf_counter() + args.seconds
    while time.perf_counter() < t_end:
        b.state[:] = state0
        integrate_phase(replaying, *b)
        passes += 1
    path = Path(f"/tmp/perf-{os.getpid()}.map")
    n = write_perf_map(integrate_phase, path)
    print(f"{passes} passes of {len(rows) - 1 if replaying else len(rows)} scenarios; "
          f"{n} functions mapped in {path}")  # fmt: skip


if __name__ == "__main__":
    main()
