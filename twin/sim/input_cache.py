"""On-disk cache of a site-year's prepared inputs: weather, PV and wind series.

A fresh ``twin run`` spends most of its time preparing inputs that depend only on
the site, the weather source and the PV or wind design: the typical year, pvlib's
solar position, transposition and PV model, the sub-hourly cloud series. They are the
same for every what-if of that site, so they are kept on disk between processes;
a run whose inputs are all cached never imports pvlib.

**Inputs only, never results.** What is cached is the weather and the per-MWp (or
per-MW) source series; every scenario is still simulated from them.

The key of an entry is the SHA-256 of

- what determines the value (site, weather source, year, seeds, warming, the PV or
  wind design, the step), with a weather *file* named by the SHA-256 of its bytes,
  not its path or time stamp;
- :func:`code_key`: the bytes of every source and data file of the :mod:`weather`
  package and of :mod:`twin.sim.inputs` (which turns them into step series), and the
  package version, so an edit or an upgrade never reads a stale entry.

Entries are ``.npz`` files (no pickle) written atomically (a temporary file renamed
into place), so a crash leaves no half-written entry; a corrupted or unreadable entry
(zip CRC, shape or type check) is recomputed and overwritten, never used. The folder
is ``$ATLAS_TWIN_CACHE/inputs`` (or ``~/.cache/atlas-twin/inputs``), capped at
``$ATLAS_TWIN_INPUT_CACHE_MB`` (default 1024 MB): the least recently used entries go
first. ``twin run --no-cache`` (or :func:`disable`) bypasses it for a process.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "cache_folder",
    "cached_array",
    "cached_frame",
    "code_key",
    "disable",
    "enabled",
    "file_digest",
]

log = logging.getLogger(__name__)

#: Bump when the layout of an entry changes.
FORMAT = 1
_DEFAULT_CAP_MB = 1024.0
_STATE = {"enabled": os.environ.get("ATLAS_TWIN_NO_INPUT_CACHE", "") == ""}


def enabled() -> bool:
    """Whether the on-disk input cache is used in this process."""
    return _STATE["enabled"]


def disable(off: bool = True) -> None:
    """Bypass the on-disk input cache in this process (``twin run --no-cache``)."""
    _STATE["enabled"] = not off


def cache_folder() -> Path:
    """``$ATLAS_TWIN_CACHE/inputs``, else ``~/.cache/atlas-twin/inputs``."""
    root = os.environ.get("ATLAS_TWIN_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "atlas-twin") / "inputs"


def _cap_bytes() -> float:
    raw = os.environ.get("ATLAS_TWIN_INPUT_CACHE_MB", "")
    try:
        mb = float(raw) if raw else _DEFAULT_CAP_MB
    except ValueError:
        mb = _DEFAULT_CAP_MB
    return max(mb, 0.0) * 1e6


@lru_cache(maxsize=1)
def code_key() -> str:
    """Hash of the package version and of every file that turns a key into inputs."""
    h = hashlib.sha256(f"format {FORMAT}\0".encode())
    try:
        h.update(metadata.version("atlas-twin").encode())
    except metadata.PackageNotFoundError:
        h.update(b"unversioned")
    weather_pkg = Path(__file__).resolve().parents[2] / "weather"
    files = [p for p in sorted(weather_pkg.rglob("*")) if p.is_file()]
    files.append(Path(__file__).resolve().parent / "inputs.py")
    for path in files:
        if "__pycache__" in path.parts:
            continue
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:20]


_DIGESTS: dict[tuple, str] = {}


def file_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (memoised per path, size and modification time)."""
    st = Path(path).stat()
    stamp = (str(Path(path).resolve()), st.st_size, st.st_mtime_ns)
    if stamp not in _DIGESTS:
        _DIGESTS[stamp] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _DIGESTS[stamp]


def _entry(kind: str, key: Any) -> Path:
    text = json.dumps([kind, code_key(), key], sort_keys=True, default=repr)
    return cache_folder() / f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:32]}.npz"


def _read(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays of an entry, or ``None`` when it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {name: z[name] for name in z.files}  # reads and CRC-checks each
        os.utime(path)  # most recently used
        return arrays
    except Exception as exc:
        log.info("input cache entry %s unreadable (%s): recomputed", path.name, exc)
        return None


def _write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an entry atomically, then trim the folder to its cap (oldest first)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.savez(buf, **arrays)  # type: ignore[arg-type]  # names, not the allow_pickle flag
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        with os.fdopen(fd, "wb") as fh:
            fh.write(buf.getbuffer())
        os.replace(tmp, path)
        _trim(path.parent, _cap_bytes())
    except OSError as exc:  # a read-only or full disk costs speed, never a run
        log.info("input cache not written (%s)", exc)


def _trim(folder: Path, cap: float) -> None:
    entries = []
    for p in folder.glob("*.npz"):
        try:
            st = p.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, st.st_size, p))
    total = sum(size for _, size, _ in entries)
    for _, size, p in sorted(entries, key=lambda e: e[0]):
        if total <= cap:
            break
        p.unlink(missing_ok=True)
        total -= size


def cached_array(kind: str, key: Any, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """A float array from the cache, else ``compute()`` stored for next time."""
    if not enabled():
        return np.asarray(compute(), dtype=float)
    path = _entry(kind, key)
    got = _read(path)
    if got is not None and set(got) == {"value"} and got["value"].dtype == np.float64:
        return got["value"]
    value = np.ascontiguousarray(compute(), dtype=float)
    _write(path, {"value": value})
    return value


def cached_frame(
    kind: str, key: Any, compute: Callable[[], tuple[pd.DataFrame, dict]]
) -> tuple[pd.DataFrame, dict]:
    """A weather table with a time index and a JSON-able meta dict, cached like
    :func:`cached_array` (the table's float columns, its index in UTC in its own unit and
    time zone, the meta as JSON; a table or meta that does not fit is not cached)."""
    if not enabled():
        return compute()
    path = _entry(kind, key)
    got = _read(path)
    if got is not None:
        frame = _decode_frame(got)
        if frame is not None:
            return frame
    data, meta = compute()
    arrays = _encode_frame(data, meta)
    if arrays is not None:
        _write(path, arrays)
    return data, meta


def _encode_frame(data: pd.DataFrame, meta: dict) -> dict[str, np.ndarray] | None:
    index = data.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        return None
    if not all(np.issubdtype(t, np.floating) for t in data.dtypes):
        return None
    try:
        meta_json = json.dumps(meta, allow_nan=True)
    except (TypeError, ValueError):
        return None
    arrays = {f"col:{name}": data[name].to_numpy(dtype=float) for name in data.columns}
    arrays["index_utc"] = index.tz_convert("UTC").asi8  # in the index's own unit
    arrays["unit"] = np.array(index.unit)
    arrays["index_name"] = np.array("" if index.name is None else str(index.name))
    arrays["tz"] = np.array(str(index.tz))
    arrays["freq"] = np.array(index.freqstr or "")
    arrays["meta"] = np.array(meta_json)
    arrays["columns"] = np.array([str(c) for c in data.columns])
    return arrays


def _decode_frame(z: dict[str, np.ndarray]) -> tuple[pd.DataFrame, dict] | None:
    try:
        columns = [str(c) for c in z["columns"]]
        stamps = z["index_utc"].astype(f"datetime64[{z['unit']}]")
        index = pd.DatetimeIndex(stamps).tz_localize("UTC").tz_convert(str(z["tz"]))
        index.name = str(z["index_name"]) or None
        freq = str(z["freq"])
        if freq:
            index.freq = freq
        data = pd.DataFrame({c: z[f"col:{c}"] for c in columns}, index=index)
        meta = json.loads(str(z["meta"]))
    except Exception:
        return None
    if any(len(z[f"col:{c}"]) != len(index) for c in columns) or not isinstance(meta, dict):
        return None
    return data, meta
