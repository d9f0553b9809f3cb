"""The scenario schema as rows: every key with its type, unit, range, default and description.

One walk over the pydantic model tree of :class:`twin.Scenario` serves the HTML
report (the scenario as run, with the assumption behind each value) and the
generated reference ``docs/scenario.md`` (``python -m twin.schema``). The unit
is the last ``[...]`` of a field's description, the convention of
:mod:`twin.scenario`; the range comes from the field's ``ge/gt/le/lt``
constraints.
"""

from __future__ import annotations

import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from twin.scenario import Scenario


@dataclass(frozen=True)
class FieldRow:
    """One scenario key."""

    key: str  # dotted key as used by ``--set`` (list items as ``it.groups.N.name``)
    type: str
    unit: str
    range: str
    default: Any
    description: str


def _submodel(annotation: Any) -> type[BaseModel] | None:
    for a in (annotation, *typing.get_args(annotation)):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in typing.get_args(annotation)).replace("'", '"')
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in typing.get_args(annotation))
    if annotation is type(None):
        return "none"
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        return f"list of {_type_name(item)}"
    return getattr(annotation, "__name__", str(annotation))


def _num(val: float) -> str:
    return str(val) if isinstance(val, int) else f"{val:g}"


def _range(info) -> str:
    lo = hi = None
    lo_b, hi_b = "[", "]"
    lengths = []
    for m in getattr(info, "metadata", []):
        for attr, is_lo, bracket in (
            ("ge", 1, "["),
            ("gt", 1, "("),
            ("le", 0, "]"),
            ("lt", 0, ")"),
        ):
            val = getattr(m, attr, None)
            if val is not None:
                if is_lo:
                    lo, lo_b = val, bracket
                else:
                    hi, hi_b = val, bracket
        for attr in ("min_length", "max_length"):
            val = getattr(m, attr, None)
            if val is not None:
                lengths.append(f"{attr.replace('_', ' ')} {val}")
    if lengths:
        return ", ".join(lengths)
    if lo is None and hi is None:
        return ""
    lo_s = "-inf" if lo is None else _num(lo)
    hi_s = "inf" if hi is None else _num(hi)
    return f"{lo_b}{lo_s}, {hi_s}{hi_b}"


def unit_of(description: str) -> str:
    """The unit written as the last ``[...]`` of a description ("" when none or ``[-]``)."""
    if "[" in description and "]" in description:
        start, end = description.rindex("["), description.rindex("]")
        if start < end:
            unit = description[start + 1 : end]
            return "" if unit == "-" else unit
    return ""


def iter_fields(model: type[BaseModel] = Scenario, prefix: str = "") -> list[FieldRow]:
    """Every leaf key of *model*, depth first, in declaration order.

    A list of sub-models (``it.groups``) is described once, with ``N`` for the
    index; its default is the whole default list, shown on the list row.
    """
    rows: list[FieldRow] = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        sub = _submodel(info.annotation)
        desc = info.description or ""
        if sub is not None and typing.get_origin(info.annotation) is list:
            rows.append(
                FieldRow(
                    key, f"list of {sub.__name__}", "", _range(info), "(see below)", desc or ""
                )
            )
            rows += iter_fields(sub, prefix=f"{key}.N.")
        elif sub is not None:
            rows += iter_fields(sub, prefix=f"{key}.")
        else:
            if info.is_required():
                default: Any = "(required)"
            elif info.default_factory is not None:
                default = info.default_factory()  # type: ignore[call-arg]
            else:
                default = info.default
            rows.append(
                FieldRow(
                    key, _type_name(info.annotation), unit_of(desc), _range(info), default, desc
                )
            )
    return rows


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A scenario dict as ``{dotted.key: value}`` (list items as ``key.N.sub``)."""
    flat: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            flat.update(flatten(v, f"{key}."))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for i, item in enumerate(v):
                flat.update(flatten(item, f"{key}.{i}."))
        else:
            flat[key] = v
    return flat


def _fmt_default(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v if v.startswith("(") else f'"{v}"'
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def scenario_markdown() -> str:
    """The scenario reference (``docs/scenario.md``), generated from the schema."""
    lines = [
        "# Scenario reference",
        "",
        "<!-- generated by `python -m twin.schema docs/scenario.md` from the pydantic models in",
        "     twin/scenario.py; do not edit by hand (tests/test_docs.py checks it is current) -->",
        "",
        "Every key of a scenario, as written in a TOML file, in Python",
        '(`Scenario(pv={"capacity_mwp": 20})`) and on the command line',
        "(`twin run --set pv.capacity_mwp=20`). The unit is also in the key's name; the",
        "description says where the default comes from (a source, or *assumption*).",
        "Values outside the range are refused with a message that names the key.",
        "`it.groups.N.*` describes each rack group (`[[it.groups]]` tables in TOML; `--set",
        "it.groups.0.racks=200` on the command line). The embedded default is",
        "`examples/default.toml`.",
        "",
    ]
    section = None
    for row in iter_fields():
        top = row.key.split(".")[0] if "." in row.key else "(top level)"
        if top != section:
            section = top
            lines += ["", f"## `{section}`" if section != "(top level)" else "## top level", ""]
            lines += [
                "| key | type | unit | range | default | description / source |",
                "|---|---|---|---|---|---|",
            ]
        default = _fmt_default(row.default)
        if isinstance(row.default, list):
            default = f"{len(row.default)} items (see examples/default.toml)"
        lines.append(
            f"| `{row.key}` | {_cell(row.type)} | {_cell(row.unit)} | {_cell(row.range)} "
            f"| {_cell(default)} | {_cell(row.description)} |"
        )
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m twin.schema [PATH]``: print or write the scenario reference."""
    args = sys.argv[1:] if argv is None else argv
    text = scenario_markdown()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
