"""Gzip-compressed weather files (``.epw.gz``, ``.csv.gz``, ``.json.gz``), read as their text.

Every reader of :mod:`weather.epw` and :mod:`weather.files` accepts a gzip file in place
of the plain one: a file is gzip when its first two bytes are the gzip magic number
``1f 8b`` (RFC 1952, "GZIP file format specification version 4.3", section 2.3.1),
whatever its name, and its decompressed content is then parsed from memory. A plain file
is still passed to pvlib by its path, exactly as before.

The decompressed content is capped at :data:`MAX_TEXT_BYTES` so that a small hostile
file cannot expand without bound; a corrupt or truncated gzip stream, an empty content or
one over the cap raises :class:`weather.errors.WeatherFileError` naming the file.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

from weather.errors import WeatherFileError

__all__ = ["GZIP_MAGIC", "MAX_TEXT_BYTES", "is_gzip", "open_text", "pvlib_source"]

#: First two bytes of every gzip member (RFC 1952, section 2.3.1: ID1 = 31, ID2 = 139).
GZIP_MAGIC = b"\x1f\x8b"
#: Largest decompressed weather file accepted [bytes]. Assumed: 64 MiB is about 40 times
#: an hourly year in the largest supported format (an EPW year is about 1.6 MB, a PVGIS
#: JSON hourly year a few MB), so no real file is refused.
MAX_TEXT_BYTES = 64 * 2**20


def is_gzip(path: str | Path) -> bool:
    """Whether *path* is a readable file starting with the gzip magic number."""
    try:
        with Path(path).open("rb") as f:
            return f.read(2) == GZIP_MAGIC
    except OSError:
        return False


def _decompressed(path: Path) -> bytes:
    """The whole decompressed content of the gzip file *path* (capped)."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read(MAX_TEXT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        msg = f"cannot decompress gzip weather file {path}: {type(exc).__name__}: {exc}"
        raise WeatherFileError(msg) from exc
    if len(raw) > MAX_TEXT_BYTES:
        msg = (
            f"gzip weather file {path} expands beyond {MAX_TEXT_BYTES:,} bytes; "
            "an hourly year is a few MB"
        )
        raise WeatherFileError(msg)
    if not raw:
        msg = f"weather file is empty: {path}"
        raise WeatherFileError(msg)
    return raw


def open_text(path: str | Path, encoding: str = "utf-8", errors: str = "replace") -> io.TextIOBase:
    """A text stream over *path*, decompressed when it is gzip (use it in a ``with``)."""
    p = Path(path)
    if is_gzip(p):
        return io.StringIO(_decompressed(p).decode(encoding, errors=errors))
    return p.open("r", encoding=encoding, errors=errors)


def pvlib_source(path: str | Path, binary: bool = False) -> str | io.StringIO | io.BytesIO:
    """What a ``pvlib.iotools`` reader is given for *path*.

    The path as a string for a plain file (pvlib opens it); for a gzip file an in-memory
    buffer of its decompressed content: bytes when *binary* (pvlib's PVGIS TMY CSV parser
    reads bytes), else UTF-8 text (EPW, TMY3, PVGIS hourly CSV and JSON).
    """
    p = Path(path)
    if not is_gzip(p):
        return str(p)
    raw = _decompressed(p)
    if binary:
        return io.BytesIO(raw)
    try:
        return io.StringIO(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        msg = f"gzip weather file {p} is not UTF-8 text: {exc}"
        raise WeatherFileError(msg) from exc
