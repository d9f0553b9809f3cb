"""Argument types shared by the commands: a ``--set``/``--vary`` item must be one
``KEY=VALUE`` argument; ``--set key value`` (a space for the ``=``) gets a one-line
message that says so, with exit status 2.

The check runs while argparse reads the option, before the stray ``value`` is taken for
another argument (the scenario file, or "unrecognized arguments"); it raises
:class:`~twin.errors.TwinError`, which argparse lets through and :func:`twin.cli.main`
prints as every other user error.
"""

from __future__ import annotations

from twin.errors import TwinError


def assignment(flag: str, example: str, form: str = "KEY=VALUE"):
    """An argparse ``type`` that accepts *form* (``KEY=VALUE``) and explains a missing ``=``."""

    def check(text: str) -> str:
        if "=" not in text:
            msg = (
                f"{flag} {text!r} has no '=': {flag} takes {form} as one argument, "
                f"without spaces: {flag} {text}=VALUE (e.g. {flag} {example})"
            )
            raise TwinError(msg)
        return text

    check.__name__ = "KEY=VALUE"
    return check
