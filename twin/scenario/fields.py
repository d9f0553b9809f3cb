"""What a scenario field says about itself: its sub-model, its allowed range, its unit.

Read in one place by the validation messages (:mod:`twin.scenario.messages`) and by the
generated reference (:mod:`twin.scenario.reference`), so the range an error names is the
range the reference prints. The unit is the last ``[...]`` of a field's description (the
convention of every section, :mod:`twin.scenario.base`); the range comes from the
field's ``ge/gt/le/lt`` constraints (``min_length/max_length`` for lists and strings).
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel


def submodel(annotation: Any) -> type[BaseModel] | None:
    """The scenario section an annotation holds (``X``, ``list[X]``, ``X | None``), or None."""
    for a in (annotation, *typing.get_args(annotation)):
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
    return None


def field_at(model: type[BaseModel], loc: tuple[Any, ...]):
    """The FieldInfo at a location such as ``("it", "groups", 0, "racks")``, or None."""
    info = None
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = submodel(info.annotation) or info.annotation
    return info


def _num(val: float) -> str:
    return str(val) if isinstance(val, int) else f"{val:g}"


def field_range(info) -> str:
    """The allowed range of a field, e.g. ``[0, 10000]``, ``(0, 720]``; "" when unbounded."""
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
    """The unit written as the last ``[...]`` of a description ("" when none or ``[-]``).

    A bracket holding a list or an interval (``[soc_min, soc_max]``) is text, not a unit.
    """
    for unit in reversed(re.findall(r"\[([^\[\]]*)\]", description)):
        if "," not in unit:
            return "" if unit == "-" else unit
    return ""
