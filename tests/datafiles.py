"""The real data files the tests read, all inside the repository (``tests/data/``).

Each file's source, licence, retrieval and checksum are in ``tests/data/README.md``.
They are stored gzip-compressed; the weather readers take them as they are
(:mod:`weather.compressed`). :func:`unpacked` writes a plain copy for the few uses that
need one (EnergyPlus reads only a plain EPW; some tests edit the text of a file).
"""

from __future__ import annotations

import gzip
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

#: Rabat-Salé airport, climate.onebuilding.org TMYx, period of record 2009-2023.
RABAT_2009_2023_EPW = DATA / "MAR_RK_Rabat-Sale.AP.601350_TMYx.2009-2023.epw.gz"
#: Rabat-Salé airport, TMYx over the long period of record (1943-2025).
RABAT_EPW = DATA / "MAR_RK_Rabat-Sale.AP.601350_TMYx.epw.gz"
#: Agadir Al-Massira airport, TMYx 1992-2023.
AGADIR_EPW = DATA / "MAR_SS_Agadir-Massira.Intl.AP.602520_TMYx.epw.gz"
#: Tiznit, TMYx 1988-2006 (no design-condition block in its header).
TIZNIT_EPW = DATA / "MAR_SS_Tiznit.602700_TMYx.epw.gz"
#: Ouarzazate (Noor area), PVGIS 5.3 hourly series, SARAH-3, 2023, plane of array only.
OUARZAZATE_PVGIS_CSV = DATA / "Timeseries_30.937_-6.906_SA3_32deg_-4deg_2023_2023.csv.gz"
#: Ouarzazate, NASA POWER daily T2M and PRECTOTCORR, 2005-2025.
NASA_POWER_OUARZAZATE_CSV = DATA / "donnees_meteo_ouarzazate_propre.csv.gz"
#: A recorded PVGIS TMY response (CSV) written from the Rabat 2009-2023 EPW.
RABAT_PVGIS_TMY_CSV = DATA / "pvgis_tmy_rabat.csv.gz"
#: EnergyPlus test-suite example ``2ZoneDataCenterHVAC_wEconomizer.idf`` (input version 24.1).
IDF_2ZONE = DATA / "2ZoneDataCenterHVAC_wEconomizer.idf.gz"
#: The JSON Schema of the Citation File Format 1.2.0 (``CITATION.cff`` is checked against it).
CFF_SCHEMA = DATA / "citation-file-format-1.2.0.schema.json.gz"

#: The four EPW files, in the order the validation tests list them.
EPWS = (RABAT_2009_2023_EPW, RABAT_EPW, AGADIR_EPW, TIZNIT_EPW)


def plain_name(path: Path) -> str:
    """The file's name without its ``.gz`` ending (``x.epw.gz`` -> ``x.epw``)."""
    return path.name.removesuffix(".gz")


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The decompressed text of a data file."""
    with gzip.open(path, "rt", encoding=encoding) as f:
        return f.read()


def unpacked(path: Path, folder: Path) -> Path:
    """A plain copy of the data file *path* in *folder* (created if needed), byte for byte."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / plain_name(path)
    with gzip.open(path, "rb") as f:
        out.write_bytes(f.read())
    return out
