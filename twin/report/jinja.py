"""The Jinja2 templates of the HTML report and of the workbench page (``twin serve``).

They live in ``twin/report/templates/`` (package data): ``base.html`` (the page, with
the one style sheet ``style.css`` inline, so that a report stays a single file),
``macros.html`` (KPI tiles and table, shared by the report and the page), ``report.html``
and ``workbench.html``. Autoescaping is on: every value is escaped once, by the template.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one template environment (built once per process)."""
    return Environment(
        loader=PackageLoader("twin.report", "templates"),
        autoescape=select_autoescape(("html",), default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(name: str, **context: Any) -> str:
    """Template *name* rendered with *context*."""
    return environment().get_template(name).render(**context)


def style_css() -> str:
    """The report's one style sheet (``templates/style.css``), for pages built elsewhere
    (the portfolio report) that keep the report's look."""
    env = environment()
    assert env.loader is not None
    return env.loader.get_source(env, "style.css")[0]
