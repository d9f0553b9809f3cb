"""``--set key=value`` overrides on a scenario dict: the key must exist, the value is TOML."""

from __future__ import annotations

import tomllib
from typing import Any

from twin.errors import ScenarioError

#: old ``--set`` keys still accepted -> their new names
RENAMED_KEYS = {"battery.capacity_mwh": "battery.energy_mwh"}


# ---------------------------------------------------------------------------
def parse_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_assignment(data: dict[str, Any], item: str) -> None:
    """Apply one ``dotted.key=value`` to a scenario dict, checking the key exists."""
    if "=" not in item:
        msg = f"--set {item!r}: expected KEY=VALUE, e.g. pv.capacity_mwp=20"
        raise ScenarioError(msg)
    key, _, raw = item.partition("=")
    key = RENAMED_KEYS.get(key.strip(), key.strip())
    parts = key.split(".")
    if not key or any(not p for p in parts):
        msg = f"--set {item!r}: empty key"
        raise ScenarioError(msg)
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                msg = f"unknown key {where!r}: index must be 0..{len(node) - 1}"
                raise ScenarioError(msg)
            idx = int(part)
            if last:
                node[idx] = parse_value(raw.strip())
            node = node[idx]
        elif isinstance(node, dict):
            if part not in node:
                allowed = ", ".join(sorted(node))
                msg = f"unknown key {where!r}; allowed here: {allowed}"
                raise ScenarioError(msg)
            if last:
                node[part] = parse_value(raw.strip())
            node = node[part]
        else:
            msg = f"unknown key {where!r}: {'.'.join(parts[:depth])} has no sub-keys"
            raise ScenarioError(msg)
