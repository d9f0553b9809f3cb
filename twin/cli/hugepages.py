"""NumPy's huge-page advice in the ``twin`` command's process (:mod:`twin.cli.process`).

A leaf module (it imports nothing of the twin), so that a command (``twin serve``) can give
the advice back without importing the command line it belongs to.
"""

from __future__ import annotations

import os
from collections.abc import Callable

#: Whether :func:`no_hugepage_advice` turned NumPy's advice off (it was on before).
_ADVICE_TURNED_OFF = False


def _hugepage_switch() -> Callable[[bool], bool] | None:
    """NumPy's own switch of the advice (what ``NUMPY_MADVISE_HUGEPAGE`` sets), or None."""
    import numpy as np

    multiarray = getattr(getattr(np, "_core", None), "multiarray", None)
    return getattr(multiarray, "_set_madvise_hugepage", None)


def no_hugepage_advice() -> bool:
    """Stop NumPy marking large arrays ``MADV_HUGEPAGE`` in this process, unless the user
    chose with ``NUMPY_MADVISE_HUGEPAGE`` (:mod:`twin.cli.process`). Returns whether it did."""
    global _ADVICE_TURNED_OFF
    switch = _hugepage_switch()
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ or switch is None:
        return False
    _ADVICE_TURNED_OFF = switch(False) or _ADVICE_TURNED_OFF
    return True


def restore_hugepage_advice() -> None:
    """Give NumPy its advice back where :func:`no_hugepage_advice` took it away: for a
    command that lives long and allocates alike again and again (``twin serve``), where
    freed huge pages are reused and the advice pays off."""
    global _ADVICE_TURNED_OFF
    switch = _hugepage_switch()
    if _ADVICE_TURNED_OFF and switch is not None:
        switch(True)
        _ADVICE_TURNED_OFF = False
