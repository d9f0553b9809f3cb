"""Accounting limits: transformer losses inside the import limit, and the invariant scan
of the grid and battery flows against their ratings (kernels/electrical.py,
kernels/checks.py, twin/results/invariants.py)."""

from __future__ import annotations

import numpy as np
import pytest

from kernels import layout as L
from kernels.electrical import bus_import_limit_w, transformer_loss_w
from tests.supply.test_components import QUIET
from twin.errors import EnergyBalanceError
from twin.results.invariants import check_run
from twin.results.simulate import simulate
from twin.scenario.model import Scenario


def test_bus_limit_by_hand():
    """40 MW at the meter through a 50 MVA transformer, no-load 0.05 %, load loss 0.4 %:
    room = 40e6 - 25e3 = 39.975e6 W, a = 0.004 / 50e6 = 8e-11 1/W,
    x = 2 room / (1 + sqrt(1 + 4 a room)) = 79.95e6 / 2.0063757 = 39.848e6 W, whose
    losses 25e3 + 200e3 (x / 50e6)^2 = 152.0e3 W bring the meter back to 40 MW."""
    x = bus_import_limit_w(40e6, 50e6, 0.0005, 0.004)
    assert x == pytest.approx(39.848e6, rel=1e-4)
    assert x + transformer_loss_w(x, 50e6, 0.0005, 0.004) == pytest.approx(40e6, rel=1e-12)
    assert bus_import_limit_w(40e6, 0.0, 0.0005, 0.004) == 40e6  # no transformer
    assert bus_import_limit_w(10e3, 50e6, 0.0005, 0.004) == 0.0  # no-load loss alone exceeds


def test_metered_import_never_exceeds_the_limit():
    """A 10 MW connection through a 12 MVA transformer feeding a larger load: the
    metered import, losses included, never exceeds the limit (the scan of the run
    checks every step, kernels/checks.py); the rest of the load goes unmet."""
    sc = Scenario(
        simulation={"days": 1},
        pv={"capacity_mwp": 0.0},
        battery={"energy_mwh": 0.0},
        grid={"import_limit_mw": 10.0, "transformer_mva": 12.0},
        faults=QUIET,
    )
    k = simulate(sc).kpis
    assert k["peak_import_mw"] <= 10.0 * (1 + 1e-12)
    assert k["unmet_energy_mwh"] > 0.0


def _plant():
    plant = np.zeros(L.N_PLANT)
    plant[L.DT_S] = 3600.0
    plant[L.GRID_IMPORT_W], plant[L.GRID_EXPORT_W] = 10e6, 2e6
    plant[L.BESS_E_J], plant[L.BESS_P_W] = 3.6e10, 5e6  # 10 MWh, 5 MW
    plant[L.BESS_ETA_C], plant[L.BESS_ETA_D] = 0.9, 0.98
    plant[L.BESS_SOC_MIN], plant[L.BESS_SOC_MAX] = 0.0, 1.0
    return plant


def _rows():
    """Two balanced hours: 8 MW imported for 6 MW of IT and 2 MW into the battery
    (0.9 x 2 MWh / 10 MWh = +0.18 state of charge), then 4 MW from the battery and
    2 MW imported for 6 MW of IT (-4 / 0.98 / 10 = -0.408163...)."""
    out = np.zeros((2, L.N_OUT))
    out[:, L.O_P_IT_W] = 6e6
    out[0, L.O_P_GRID_IMPORT_W], out[0, L.O_P_BESS_CHARGE_W] = 8e6, 2e6
    out[1, L.O_P_GRID_IMPORT_W], out[1, L.O_P_BESS_DISCHARGE_W] = 2e6, 4e6
    out[0, L.O_SOC_BESS] = 0.68
    out[1, L.O_SOC_BESS] = 0.68 - 0.4 / 0.98
    return out


def test_consistent_flows_pass():
    check_run(_rows(), _plant())


@pytest.mark.parametrize(
    ("column", "value", "what"),
    [
        (L.O_P_GRID_IMPORT_W, 11e6, "grid import"),
        (L.O_P_GRID_EXPORT_W, 3e6, "grid export"),
        (L.O_P_BESS_DISCHARGE_W, 6e6, "battery charge and discharge"),
    ],
)
def test_flow_above_its_rating_is_caught(column, value, what):
    out = _rows()
    extra = value - out[1, column]
    out[1, column] = value
    # keep the bus balanced so that only the limit breaks
    if column == L.O_P_GRID_EXPORT_W:
        out[1, L.O_P_GRID_IMPORT_W] += extra
    else:
        out[1, L.O_P_IT_W] += extra
    if column == L.O_P_BESS_DISCHARGE_W:
        out[1, L.O_SOC_BESS] = 0.68 - 0.6 / 0.98
    with pytest.raises(EnergyBalanceError, match=what):
        check_run(out, _plant())


def test_state_of_charge_off_its_flows_is_caught():
    out = _rows()
    out[1, L.O_SOC_BESS] += 1e-6
    with pytest.raises(EnergyBalanceError, match="consistent with its flows"):
        check_run(out, _plant())
