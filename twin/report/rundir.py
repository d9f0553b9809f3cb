"""Writing a run to disk: atomically, under the output directory only."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from twin.errors import TwinError


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    msg = f"cannot write {type(v).__name__} to TOML"
    raise TypeError(msg)


def to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Serialise a scenario dict (tables, arrays of tables, scalars) as TOML."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, Any]]] = []
    arrays: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            arrays.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables:
        name = f"{prefix}{key}"
        lines += ["", f"[{name}]", to_toml(table, prefix=f"{name}.").strip("\n")]
    for key, items in arrays:
        name = f"{prefix}{key}"
        for item in items:
            lines += ["", f"[[{name}]]", to_toml(item, prefix=f"{name}.").strip("\n")]
    return "\n".join(x for x in lines if x is not None) + "\n"


@contextmanager
def atomic_folder(out_dir: str | Path, force: bool = False) -> Iterator[Path]:
    """A temporary sibling of *out_dir* to write into, renamed to *out_dir* only when the
    block ends without an error (then an existing *out_dir* is replaced, which needs
    *force*); on an error it is removed, so a failure leaves no half-written output.
    :class:`TwinError` (exit 2) when *out_dir* exists without *force* or cannot be made."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not force:
        msg = f"output directory {out_dir} already exists (use --force to replace it)"
        raise TwinError(msg)
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as exc:
        msg = f"cannot create output directory {out_dir}: {exc}"
        raise TwinError(msg) from None
    try:
        yield tmp
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_run(
    result,
    out_dir: str | Path,
    force: bool = False,
    report: bool = False,
    week_start: str | None = None,
) -> Path:
    """Write time series, KPIs, scenario, events and plots into *out_dir*.

    ``events.csv`` holds every recorded event at its exact time (``time_s`` from the
    start); ``event_log.csv`` is the same for a person: faults with their consequences,
    routine alarms summarised (:mod:`twin.results.eventlog`).

    With ``report``, also the self-contained ``report.html`` (:mod:`twin.report.html`).
    Every figure is drawn once, here; the report embeds the PNGs. *week_start* (local
    date) chooses the week of the supply plot (default: where something happens).

    Everything goes to a temporary sibling directory that is renamed into place
    only once complete, so a failure leaves no half-written output. An existing
    *out_dir* is replaced only with ``force``.
    """
    with atomic_folder(out_dir, force) as tmp:
        result.to_parquet(tmp / "timeseries.parquet")
        (tmp / "kpis.json").write_text(result.to_json() + "\n", encoding="utf-8")
        (tmp / "scenario.toml").write_text(to_toml(result.scenario.to_dict()), encoding="utf-8")
        result.events.to_csv(tmp / "events.csv", index=False)
        if hasattr(result, "event_log"):
            result.event_log().to_csv(tmp / "event_log.csv", index=False)
        if getattr(result, "jobs", None) is not None:
            result.jobs.to_csv(tmp / "jobs.csv", index=False)
        result.plot.save_all(tmp, week_start=week_start)
        if report:
            from twin.report.html import write_report

            write_report(tmp)
    return Path(out_dir)
