"""IDF text: objects and branches written field by field.

The EnergyPlus 25.2 Input Output Reference gives each object's fields in order; these
functions only join them (``None`` is an empty field). The plants of the validation
envelope are written with them by :mod:`eplus_envelope`.
"""

from __future__ import annotations


def _obj(kind: str, *fields: object) -> str:
    body = ",\n    ".join("" if f is None else str(f) for f in fields)
    return f"{kind},\n    {body};\n"


def _branch(name: str, *components: tuple[str, str, str, str]) -> str:
    flat: list[object] = [name, None]
    pipes = ""
    for kind, cname, n_in, n_out in components:
        flat += [kind, cname, n_in, n_out]
        if kind == "Pipe:Adiabatic":
            pipes += _obj(kind, cname, n_in, n_out)
    return _obj("Branch", *flat) + pipes


def _pipe(name: str, n_in: str, n_out: str) -> tuple[str, str, str, str]:
    return ("Pipe:Adiabatic", name, n_in, n_out)
