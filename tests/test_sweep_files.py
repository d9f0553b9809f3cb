"""A sweep's Datasets and NetCDF files without dask: same files, same answers.

:mod:`twin.sweeps.dataset` gives xarray a lazy record of the dask module and
:func:`twin.sweeps.store.write_netcdf` writes through xarray's scipy store with a
lock of its own; neither may change a byte of what xarray writes, nor miss a dask
array once dask is in use.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from twin.results.kpis import KPI_NAMES
from twin.sweeps.batch import Outcome
from twin.sweeps.dataset import to_dataset
from twin.sweeps.store import _outcomes, write_netcdf


def _chunk() -> xr.Dataset:
    rng = np.random.default_rng(7)
    outcomes = [Outcome({k: float(rng.normal()) for k in KPI_NAMES}, "", 3 + i) for i in range(5)]
    outcomes.append(Outcome(None, "ScenarioError: battery.energy_mwh = -1: must be >= 0"))
    rows = [{"pv.capacity_mwp": 10.0 * i, "site.id": f"s{i}"} for i in range(6)]
    return to_dataset(list(range(10, 16)), rows, outcomes)


def test_chunk_file_is_the_bytes_xarray_writes(tmp_path):
    ds = _chunk()
    write_netcdf(ds, tmp_path / "ours.nc")
    ds.to_netcdf(tmp_path / "xarray.nc", engine="scipy")
    assert (tmp_path / "ours.nc").read_bytes() == (tmp_path / "xarray.nc").read_bytes()


def test_outcomes_read_back_exactly(tmp_path):
    ds = _chunk()
    write_netcdf(ds, tmp_path / "c.nc")
    with xr.open_dataset(tmp_path / "c.nc", engine="scipy") as back:
        got = _outcomes(back.load())
    assert [o.error for o in got] == [str(e) for e in ds["error"].values]
    for j, o in enumerate(got[:5]):
        assert o.kpis == {k: float(ds[k].values[j]) for k in KPI_NAMES}
    assert got[5].kpis is None


def test_a_dask_array_is_still_recognised_once_dask_is_used():
    da = pytest.importorskip("dask.array")
    from xarray.namedarray.pycompat import array_type

    assert array_type("dask") == (da.Array,)
    v = xr.DataArray(da.zeros(4, chunks=2))
    assert v.chunks == ((2, 2),)
    assert float(v.sum().compute()) == 0.0


def test_a_sweep_chunk_does_not_import_dask(tmp_path):
    pytest.importorskip("dask.array")
    code = (
        "import sys; from pathlib import Path\n"
        "from tests.test_sweep_files import _chunk\n"
        "from twin.sweeps.store import write_netcdf\n"
        f"write_netcdf(_chunk(), Path({str(tmp_path / 'c.nc')!r}))\n"
        "print('dask' in sys.modules, 'dask.array' in sys.modules, 'distributed' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]
