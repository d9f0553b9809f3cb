"""Gzip-compressed weather files (weather/compressed.py): read as their plain text.

Truths checked: a ``.gz`` file and its decompressed copy give the same table and the
same metadata, byte for byte, for every reader that parses text through pvlib (EPW,
PVGIS hourly CSV, PVGIS TMY CSV, which pvlib parses as bytes, and TMY3); a file is
recognised by the gzip magic number 1f 8b of RFC 1952 section 2.3.1, not by its name;
a corrupt, truncated, empty or oversized gzip stream is a WeatherFileError naming the
file.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pvlib
import pytest

import weather.compressed as compressed
from tests.datafiles import (
    OUARZAZATE_PVGIS_CSV,
    RABAT_2009_2023_EPW,
    RABAT_PVGIS_TMY_CSV,
    unpacked,
)
from weather.epw import WeatherFileError, read_epw
from weather.files import read_weather_file, sniff_format

TMY3 = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"  # Greensboro NC, NREL TMY3


def _same(a: tuple[pd.DataFrame, dict], b: tuple[pd.DataFrame, dict]) -> None:
    pd.testing.assert_frame_equal(a[0], b[0])
    assert {k: v for k, v in a[1].items() if k not in ("source", "name")} == {
        k: v for k, v in b[1].items() if k not in ("source", "name")
    }


@pytest.mark.parametrize(
    ("gz", "fmt"),
    [
        (RABAT_2009_2023_EPW, "epw"),
        (OUARZAZATE_PVGIS_CSV, "pvgis_hourly"),
        (RABAT_PVGIS_TMY_CSV, "pvgis_tmy"),
    ],
    ids=["epw", "pvgis_hourly", "pvgis_tmy"],
)
def test_gzip_file_reads_like_its_plain_copy(tmp_path, gz, fmt):
    plain = unpacked(gz, tmp_path)
    assert compressed.is_gzip(gz) and not compressed.is_gzip(plain)
    assert sniff_format(gz) == sniff_format(plain) == fmt
    _same(read_weather_file(gz), read_weather_file(plain))


def test_tmy3_gzip_reads_like_plain(tmp_path):
    gz = tmp_path / "tmy3.csv.gz"
    gz.write_bytes(gzip.compress(TMY3.read_bytes()))
    _same(read_weather_file(gz), read_weather_file(TMY3))


def test_gzip_is_told_by_content_not_name(tmp_path):
    """A gzip EPW named plain ``.epw`` still reads; the name is not trusted."""
    disguised = tmp_path / "rabat.epw"
    disguised.write_bytes(RABAT_2009_2023_EPW.read_bytes())
    data, meta = read_epw(disguised)
    assert len(data) == 8760 and meta["lat"] == pytest.approx(34.051)


def test_truncated_gzip_is_a_weather_file_error(tmp_path):
    cut = tmp_path / "cut.epw.gz"
    cut.write_bytes(RABAT_2009_2023_EPW.read_bytes()[:5000])
    with pytest.raises(WeatherFileError, match="cannot decompress") as err:
        read_weather_file(cut)
    assert str(cut) in str(err.value)


def test_corrupt_and_empty_gzip_are_weather_file_errors(tmp_path):
    bad = tmp_path / "bad.epw.gz"
    bad.write_bytes(compressed.GZIP_MAGIC + b"\x08\x00not a deflate stream at all")
    with pytest.raises(WeatherFileError, match=str(bad.name)):
        read_epw(bad)
    empty = tmp_path / "empty.epw.gz"
    empty.write_bytes(gzip.compress(b""))
    with pytest.raises(WeatherFileError, match="empty"):
        read_epw(empty)


def test_oversized_content_is_refused(tmp_path, monkeypatch):
    """The cap bounds what a small file may expand to (here lowered to 1 kB)."""
    monkeypatch.setattr(compressed, "MAX_TEXT_BYTES", 1000)
    with pytest.raises(WeatherFileError, match="expands beyond"):
        read_epw(RABAT_2009_2023_EPW)
