"""Errors of the weather package: a weather file or table that cannot be used."""

from __future__ import annotations

__all__ = ["WeatherAlignmentError", "WeatherFileError"]


class WeatherFileError(ValueError):
    """A weather file is missing, empty or malformed; the message names the path."""


class WeatherAlignmentError(WeatherFileError):
    """The irradiance of a weather table does not follow the sun at any tried offset.

    A :class:`WeatherFileError`: a file whose clock or columns are scrambled is refused
    like any other malformed file, with its name in the message.
    """
