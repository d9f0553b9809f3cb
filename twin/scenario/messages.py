"""One line per validation problem: the field, the value, and what is allowed."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from twin.scenario.fields import field_at, field_range, submodel, unit_of


def format_validation_error(exc: ValidationError, model: type[BaseModel]) -> str:
    """One line per problem: field, value, and what is allowed."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "scenario"
        value = err.get("input")
        kind = err["type"]
        info = field_at(model, loc)
        if kind == "extra_forbidden":
            parent = field_at(model, loc[:-1]) if len(loc) > 1 else None
            sub = model if parent is None else submodel(parent.annotation)
            allowed = ", ".join(sorted(sub.model_fields)) if sub else ""
            lines.append(f"unknown key {field!r}; allowed here: {allowed}")
        elif (
            kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal") and info
        ):
            unit = unit_of(info.description or "")
            lines.append(
                f"{field} = {value!r} is outside {field_range(info)}{' ' + unit if unit else ''}"
            )
        elif kind == "literal_error":
            lines.append(f"{field} = {value!r} is not one of {err['ctx']['expected']}")
        elif kind == "value_error":
            lines.append(f"{field} = {value!r}: {err.get('ctx', {}).get('error', err['msg'])}")
        elif kind == "horizon_too_long":
            lines.append(err["msg"])
        elif kind == "missing":
            lines.append(f"{field} is required")
        else:
            lines.append(f"{field} = {value!r}: {err['msg']}")
    return "; ".join(lines)
