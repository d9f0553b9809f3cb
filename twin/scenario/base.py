"""The one base of every scenario section: strict, frozen, extra keys forbidden.

Conventions of every section (see ``docs/architecture.md``): units in names and as the
last ``[...]`` of the description, an allowed range (``ge/gt/le/lt``), a default, and
where the default comes from (or "assumed").
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A scenario table: validated strictly, immutable, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)
