"""Argument types shared by the commands: a ``--set``/``--vary`` item must be one
``KEY=VALUE`` argument; ``--set key value`` (a space for the ``=``) gets a message that
says so, from argparse, with exit status 2."""

from __future__ import annotations

import argparse


def assignment(flag: str, example: str):
    """An argparse ``type`` that accepts ``KEY=VALUE`` and explains a missing ``=``."""

    def check(text: str) -> str:
        if "=" not in text:
            msg = (
                f"{text!r} has no '=': write {flag} {text}=VALUE as one argument, "
                f"without spaces (e.g. {flag} {example})"
            )
            raise argparse.ArgumentTypeError(msg)
        return text

    check.__name__ = "KEY=VALUE"
    return check
