"""The kernel cache is keyed by the whole ``kernels`` source: an edit of a module that a
cached kernel only *imports* is compiled anew, never run stale (numba alone would reuse
the old machine code, since the defining file did not change)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kernels import _jit

KERNELS = Path(_jit.__file__).resolve().parent

PROBE = textwrap.dedent(
    """
    from kernels._jit import njit
    from kernels._probe_const import value


    @njit
    def probe():
        return value() * 2.0
    """
)


def _const(x: float) -> str:
    return textwrap.dedent(
        f"""
        from kernels._jit import njit


        @njit
        def value():
            return {x!r}
        """
    )


def _run(root: Path, cache: Path) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(root), ATLAS_TWIN_CACHE=str(cache))
    env.pop("NUMBA_CACHE_DIR", None)
    env.pop("NUMBA_DISABLE_JIT", None)
    code = (
        "from kernels._probe import probe; from kernels._jit import cache_dir; "
        "print(probe(), cache_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), out[1]


@pytest.fixture
def package(tmp_path) -> Path:
    """A copy of the kernels package (sources only) with a probe kernel and its import."""
    root = tmp_path / "src"
    shutil.copytree(KERNELS, root / "kernels", ignore=shutil.ignore_patterns("__pycache__", "data"))
    (root / "kernels" / "_probe.py").write_text(PROBE)
    (root / "kernels" / "_probe_const.py").write_text(_const(1.5))
    return root


def test_an_edit_of_an_imported_module_recompiles_the_kernel(package, tmp_path):
    cache = tmp_path / "cache"
    first, dir1 = _run(package, cache)
    again, dir2 = _run(package, cache)
    assert (first, again) == (3.0, 3.0)
    assert dir1 == dir2 and any(Path(dir1).rglob("*.nbi")), "the kernel was not cached"
    # edit only the imported module, keeping its size and the probe's file untouched
    (package / "kernels" / "_probe_const.py").write_text(_const(2.5))
    edited, dir3 = _run(package, cache)
    assert edited == 5.0
    assert dir3 != dir1


def test_the_key_covers_every_source_file_and_nothing_else(package):
    key = _jit.source_key(package / "kernels")
    (package / "kernels" / "notes.txt").write_text("not a source")
    assert _jit.source_key(package / "kernels") == key
    (package / "kernels" / "_probe_const.py").write_text(_const(1.5) + "\n# comment\n")
    assert _jit.source_key(package / "kernels") != key


def test_old_keys_are_pruned(tmp_path):
    base = tmp_path / "numba"
    for i in range(_jit.KEEP_KEYS + 3):
        d = base / f"old{i}"
        d.mkdir(parents=True)
        os.utime(d, (1_000_000 + i, 1_000_000 + i))
    assert _jit._prepare(base / "current") == str(base / "current")
    kept = sorted(p.name for p in base.iterdir())
    newest = [f"old{i}" for i in range(3, _jit.KEEP_KEYS + 3)]
    assert kept == sorted(["current", *newest])


def _twice(x):
    return 2.0 * x


def _thrice(x):
    return 3.0 * x


def test_kernels_are_located_in_the_keyed_folder_probed_once(monkeypatch):
    """Every kernel's cache lives under :func:`kernels._jit.cache_dir`; the folder is tested
    for writing (a probe file) once per process, not once per kernel as numba's own
    locator does (~350 probes at import)."""
    import tempfile

    assert _jit._CACHE_DIR is not None, "the test machine has a writable cache folder"
    assert _jit._CACHE_CLASS is not None, "numba's cache classes were not found"
    probes = []
    real = tempfile.TemporaryFile

    def counting(*args, **kwargs):
        probes.append(kwargs.get("dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", counting)
    kernels = [_jit.njit(f) for f in (_twice, _thrice)]  # defined here: this test's file
    cached = [k._cache._cache_path for k in kernels]
    assert all(Path(p).parent == Path(_jit.cache_dir()) for p in cached)
    assert len(probes) <= 1  # this test folder's first kernel in this process, then none
    assert [k(2.0) for k in kernels] == [4.0, 6.0]
    assert kernels[0].stats.cache_misses or kernels[0].stats.cache_hits  # the cache served
