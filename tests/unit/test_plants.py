"""Plant choices (kernels/heat_rejection.py, kernels/drycooler.py, twin/sim/compile_plant.py).

Checked against the equations they implement: Chiller:Electric:EIR with the
condenser on outdoor dry bulb (EnergyPlus Engineering Reference; Trane CGAM30 of
DataSets/AirCooledChiller.idf), the integrated-economizer split, the fan laws
(P ∝ speed³) and direct evaporative cooling T = T_db − ε (T_db − T_wb) with the
water evaporated equal to the sensible cooling over h_fg.
"""

from __future__ import annotations

import numpy as np
import pytest

from kernels import layout as L
from kernels.chiller import chiller_plant
from kernels.drycooler import H_FG_WATER_J_KG, dry_cooler_fan_frac, dry_cooler_fan_power_w
from kernels.heat_rejection import plant_capacity_w, plant_power
from kernels.water_cooled import loop_capacity_w, loop_movers, loop_power
from twin import Scenario, ScenarioError
from twin.scenario.plant_library import load_chiller
from twin.sim.compile import compile_scenario


def rows(plant, **cooling):
    sc = Scenario(cooling={"plant": plant, **cooling})
    return compile_scenario(sc)


@pytest.mark.parametrize("t_db", [5.0, 20.0, 38.0])
def test_water_cooled_is_unchanged(t_db):
    d = rows("water_cooled_chillers")
    for lp, n in zip(d.loops, d.n_chillers, strict=True):
        assert lp[L.L_PLANT] == L.PLANT_WATER_COOLED
        q = 0.6 * lp[L.L_Q_DESIGN_W]
        assert plant_power(lp, q, t_db, t_db - 6.0, n) == loop_power(lp, q, t_db, t_db - 6.0, n)
        assert plant_capacity_w(lp, t_db, t_db - 6, n) == loop_capacity_w(lp, t_db - 6, n)


def test_air_cooled_chillers_follow_eir_on_dry_bulb():
    d = rows("air_cooled_chillers")
    ch = load_chiller("trane_cgam30")
    lp = d.loops[L.AIR]
    n = d.n_chillers[0]
    q = 0.7 * lp[L.L_Q_DESIGN_W]
    q_coil = q + loop_movers(lp, q, True)[2]  # the fan and pump heat join the load
    p_prev = 0.0
    for t_db in (15.0, 25.0, 35.0, 45.0):
        p_ch, p_rej, p_pumps, _p_fans, q_free, water, mode = plant_power(lp, q, t_db, 10.0, n)
        ref = chiller_plant(
            q_coil, n, lp[L.L_T_SUPPLY_C], t_db, lp[L.L_Q_REF_W], ch["cop_ref"], ch["capft"],
            ch["eirft"], ch["eirfplr"], ch["plr_min"], ch["plr_max"], ch["min_unload"],
            *ch["t_chw_lim"], *ch["t_cond_lim"],
        )  # fmt: skip
        assert p_ch == pytest.approx(ref[0], rel=1e-12)
        assert p_ch > p_prev  # hotter air, more compressor power
        p_prev = p_ch
        # no tower, no condenser pump, no water; fans are inside the unit COP
        assert p_rej == 0.0 and water == 0.0 and q_free == 0.0 and mode == 0
        assert p_pumps > 0.0


def test_dry_coolers_free_partial_mechanical():
    d = rows("dry_coolers")
    lp = d.loops[L.LIQUID]
    n = d.n_chillers[1]
    t_sup = lp[L.L_T_SUPPLY_C]
    t_ret = t_sup + lp[L.L_DT_K]
    app = lp[L.L_DC_APPROACH_K]
    q = 0.5 * lp[L.L_Q_DESIGN_W]
    q_coil = q + loop_movers(lp, q, True)[2]  # the coolers reject the pump heat too
    # cold: compressor-free, fans slowed, no water
    p_ch, p_rej, _, _, q_free, water, mode = plant_power(lp, q, t_sup - app - 10.0, 0.0, n)
    assert (p_ch, water, mode) == (0.0, 0.0, 2) and q_free == q_coil
    assert 0.0 < p_rej < lp[L.L_P_DC_FAN_W]
    # partial: the coil precools the return to air + approach
    t_db = t_sup - app + 0.4 * lp[L.L_DT_K]
    p_ch, p_rej, _, _, q_free, water, mode = plant_power(lp, q, t_db, 0.0, n)
    assert mode == 1 and water == 0.0 and p_ch > 0.0
    assert q_free == pytest.approx(q_coil * (t_ret - (t_db + app)) / (t_ret - t_sup), rel=1e-12)
    assert p_rej == pytest.approx(lp[L.L_P_DC_FAN_W])
    # hot: chillers only, cooler fans off
    p_ch, p_rej, _, _, q_free, water, mode = plant_power(lp, q, t_ret, 0.0, n)
    assert (q_free, p_rej, water, mode) == (0.0, 0.0, 0.0, 0) and p_ch > 0.0


def test_dry_cooler_fan_laws():
    # fan speed that just holds the set point: approach·plr / fr^0.8 = T_set − T_air
    fr = dry_cooler_fan_frac(0.5, 30.0, 20.0, 6.0, 0.2)
    assert 6.0 * 0.5 / fr**0.8 == pytest.approx(10.0)
    assert dry_cooler_fan_power_w(1000.0, fr, 0.2) == pytest.approx(1000.0 * fr**3)
    assert dry_cooler_fan_frac(1.0, 30.0, 25.0, 6.0, 0.2) == 1.0
    # below the minimum speed the fans cycle: power linear in the mean speed
    assert dry_cooler_fan_power_w(1000.0, 0.1, 0.2) == pytest.approx(0.5 * 1000.0 * 0.2**3)


def test_adiabatic_sprays_only_above_switch():
    d = rows("adiabatic_coolers", spray_switch_c=25.0, pad_effectiveness=0.8)
    lp = d.loops[L.LIQUID]
    n = d.n_chillers[1]
    q = 0.8 * lp[L.L_Q_DESIGN_W]
    dry = rows("dry_coolers").loops[L.LIQUID]
    # below the switch: the same as a dry cooler, no water
    assert plant_power(lp, q, 24.0, 15.0, n) == plant_power(dry, q, 24.0, 15.0, n)
    # above: the coil sees T_db − ε (T_db − T_wb), water = ṁ c_p ΔT / h_fg
    t_db, t_wb = 36.0, 18.0
    out = plant_power(lp, q, t_db, t_wb, n)
    out_dry = plant_power(dry, q, t_db, t_wb, n)
    assert out[0] < out_dry[0]  # less compressor work than a dry cooler
    t_coil = t_db - 0.8 * (t_db - t_wb)
    t_sup = lp[L.L_T_SUPPLY_C]
    app = lp[L.L_DC_APPROACH_K]
    q_coil = q + loop_movers(lp, q, True)[2]
    fr = dry_cooler_fan_frac(q_coil / lp[L.L_Q_DESIGN_W], t_sup, t_coil, app, 0.2)
    expected_kg_s = fr * lp[L.L_MDOT_AIR_DC_KG_S] * 1006.0 * (t_db - t_coil) / H_FG_WATER_J_KG
    assert out[5] * 997.05 == pytest.approx(expected_kg_s, rel=1e-9)
    assert out[6] == 2  # 22 °C + 6 K approach is below the 30 °C supply: compressor-free


@pytest.mark.parametrize(
    "plant", ["water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers"]
)
def test_every_plant_runs_with_a_closed_balance(plant):
    from twin.results.simulate import simulate

    r = simulate(
        Scenario(site={"id": "ouarzazate"}, simulation={"days": 14}, cooling={"plant": plant})
    )
    k = r.kpis
    assert np.isfinite(k["pue"]) and 1.0 < k["pue"] < 1.6
    assert k["water_m3"] >= 0.0
    if plant in ("air_cooled_chillers", "dry_coolers"):
        assert k["water_m3"] == 0.0 and k["wue_l_per_kwh"] == 0.0


def test_plant_keys_are_validated():
    with pytest.raises(ScenarioError, match=r"cooling\.plant"):
        Scenario(cooling={"plant": "ice_storage"})
    with pytest.raises(ScenarioError, match=r"cooling\.air_cooled_chiller"):
        Scenario(cooling={"air_cooled_chiller": "york_yt_1125_vsd"})
    with pytest.raises(ScenarioError, match=r"cooling\.air\.chiller"):
        Scenario(cooling={"air": {"t_supply_c": 18.0, "chiller": "nope"}})
