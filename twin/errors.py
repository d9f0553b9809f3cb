"""The one exception hierarchy of Atlas Twin.

Every error a user can cause (a typo in a scenario, a bad weather file, an
unknown site) is a :class:`TwinError` whose message names the field or file,
the value, and what is allowed. The CLI turns any of them into one line on
stderr and exit code 2.
"""

from __future__ import annotations


class TwinError(Exception):
    """Base class of every error the twin raises on purpose."""


class ScenarioError(TwinError, ValueError):
    """A scenario field is missing, unknown, or outside its allowed range."""


class WeatherError(TwinError, ValueError):
    """A weather file is missing or malformed, or a site is unknown."""


class EnergyBalanceError(TwinError, RuntimeError):
    """A run violated an invariant: energy balance, finiteness, non-negativity."""


class BackendUnavailableError(TwinError, RuntimeError):
    """The requested compute backend (e.g. CUDA) is not available here."""


class ReportError(TwinError, ValueError):
    """A run directory to report on is missing or incomplete."""
