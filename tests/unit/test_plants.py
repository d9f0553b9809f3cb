"""Plant choices (kernels/heat_rejection.py, kernels/drycooler.py, twin/sim/compile_plant.py).

Checked against the equations they implement: Chiller:Electric:EIR with the
condenser on outdoor dry bulb (EnergyPlus Engineering Reference; Trane CGAM30 of
DataSets/AirCooledChiller.idf), the dry cooler as a cross-flow ε-NTU coil (EnergyPlus
FluidCooler, Incropera & DeWitt Table 11.3), the fan laws (P ∝ speed³) and direct
evaporative cooling T = T_db − ε (T_db − T_wb) with the water evaporated equal to the
sensible cooling over h_fg, plus blowdown at concentration ratio 3.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kernels import layout as L
from kernels.chiller import chiller_plant
from kernels.drycooler import (
    DRY_COOLER_AIR_DT_K,
    H_FG_WATER_J_KG,
    cooler_coil_capacity_w,
    cooler_free_w,
    dry_cooler_design_ua_w_k,
    dry_cooler_fan_power_w,
    dry_cooler_q_w,
    dry_cooler_run,
    hx_effectiveness_crossflow_unmixed,
)
from kernels.heat_rejection import (
    free_cooling_frac,
    plant_capacity_w,
    plant_power,
)
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


def eps_cross_unmixed(ntu, cr):
    """Incropera & DeWitt Table 11.3, cross flow, both fluids unmixed (written out here)."""
    return 1.0 - math.exp(ntu**0.22 / cr * (math.exp(-cr * ntu**0.78) - 1.0))


def test_crossflow_effectiveness_and_design_ua():
    """ε of the cross-flow coil is Incropera's Table 11.3 formula, 0.46854 at NTU 1, C_r 1
    (1 − exp(e^−1 − 1) = 1 − e^−0.63212 = 1 − 0.53146); C_r → 0 gives 1 − e^−NTU. The liquid loop's
    design point (range 10 K, approach 6 K, air rise 10 K) has C_air = C_fluid = Q/10
    and ε = 10 / 16 = 0.625: the UA solved must give back exactly that ε."""
    assert hx_effectiveness_crossflow_unmixed(1.0, 1.0) == pytest.approx(0.46854, abs=1e-5)
    assert hx_effectiveness_crossflow_unmixed(2.0, 0.0) == pytest.approx(1.0 - math.exp(-2.0))
    for ntu, cr in ((0.5, 0.3), (2.0, 0.6), (4.0, 1.0)):
        eps = hx_effectiveness_crossflow_unmixed(ntu, cr)
        assert eps == pytest.approx(eps_cross_unmixed(ntu, cr), rel=1e-12)
    q = 30e6
    ua = dry_cooler_design_ua_w_k(q, 10.0, DRY_COOLER_AIR_DT_K, 6.0)
    assert eps_cross_unmixed(ua / (q / 10.0), 1.0) == pytest.approx(0.625, rel=1e-9)
    # a design point whose air would leave warmer than the fluid enters has no UA
    assert dry_cooler_design_ua_w_k(q, 6.0, DRY_COOLER_AIR_DT_K, 3.0) == math.inf


def test_dry_coolers_free_partial_mechanical():
    """Cold air: compressor-free, fans slowed; warm air below the return: partial, fans at
    full speed, the coil's ε-NTU heat; air at the return temperature: chillers only."""
    d = rows("dry_coolers")
    lp = d.loops[L.LIQUID]
    n = d.n_chillers[1]
    t_sup = lp[L.L_T_SUPPLY_C]
    t_ret = t_sup + lp[L.L_DT_K]
    q = 0.5 * lp[L.L_Q_DESIGN_W]
    q_coil = q + loop_movers(lp, q, True)[2]  # the coolers reject the pump heat too
    # cold: compressor-free, fans slowed, no water
    p_ch, p_rej, _, _, q_free, water, mode = plant_power(lp, q, t_sup - 16.0, 0.0, n)
    assert (p_ch, water, mode) == (0.0, 0.0, 2) and q_free == q_coil
    assert 0.0 < p_rej < lp[L.L_P_DC_FAN_W]
    # partial: the coil at full speed, Q = ε C_min (T_ret − T_air) with C_fluid = q_coil / ΔT
    t_db = t_sup + 1.0
    p_ch, p_rej, _, _, q_free, water, mode = plant_power(lp, q, t_db, 0.0, n)
    assert mode == 1 and water == 0.0 and p_ch > 0.0
    c_f = q_coil / lp[L.L_DT_K]
    c_a = lp[L.L_MDOT_AIR_DC_KG_S] * 1006.0
    c_min, c_max = min(c_f, c_a), max(c_f, c_a)
    eps = eps_cross_unmixed(lp[L.L_DC_UA_W_K] / c_min, c_min / c_max)
    assert q_free == pytest.approx(eps * c_min * (t_ret - t_db), rel=1e-9)
    assert p_rej == pytest.approx(lp[L.L_P_DC_FAN_W])
    # hot: chillers only, cooler fans off
    p_ch, p_rej, _, _, q_free, water, mode = plant_power(lp, q, t_ret, 0.0, n)
    assert (q_free, p_rej, water, mode) == (0.0, 0.0, 0.0, 0) and p_ch > 0.0


def test_capacity_free_share_and_fans_follow_one_coil_model():
    """Capacity, free share and fan speed come from the same coil: at the coil capacity
    the chillers (q_mech) take exactly what the coil leaves at full speed; the free share
    of :func:`free_cooling_frac` is the partial-mode free heat of :func:`plant_power`;
    the fan speed that just reaches the set point removes exactly the coil heat."""
    d = rows("adiabatic_coolers")
    lp = d.loops[L.LIQUID]
    n = d.n_chillers[1]
    t_sup = lp[L.L_T_SUPPLY_C]
    q_mech = 0.4 * lp[L.L_Q_DESIGN_W]
    for t_air in (33.0, 38.0):
        q_c = cooler_coil_capacity_w(lp, q_mech, t_air, t_sup)
        f = free_cooling_frac(lp, q_c, t_air, t_air)
        assert q_c * (1.0 - f) == pytest.approx(q_mech, rel=1e-9)
    # cooler air: the coolers and chillers could hold more than the design load, which
    # caps it (the cooler circuit is sized for it)
    q_c = cooler_coil_capacity_w(lp, q_mech, 28.0, t_sup)
    assert q_c == lp[L.L_Q_DESIGN_W]
    assert q_c * (1.0 - free_cooling_frac(lp, q_c, 28.0, 28.0)) < q_mech
    q = 0.7 * lp[L.L_Q_DESIGN_W]
    q_coil = q + loop_movers(lp, q, True)[2]
    out = plant_power(lp, q, 34.0, 20.0, n)  # pads wet above 25 °C: the coil sees 22.8 °C
    t_coil = 34.0 - 0.8 * 14.0
    assert out[6] == 2  # compressor-free at 22.8 °C
    q_free, fr, _ = cooler_free_w(lp, q_coil, t_coil, t_sup)
    assert q_free == pytest.approx(q_coil) and 0.2 < fr < 1.0
    assert out[1] == pytest.approx(dry_cooler_fan_power_w(lp[L.L_P_DC_FAN_W], fr, 0.2))
    out = plant_power(lp, q, 29.0, 29.0, n)  # saturated air: the pads cannot cool it
    f = free_cooling_frac(lp, q_coil, 29.0, 29.0)
    assert out[6] == 1 and out[4] == pytest.approx(f * q_coil, rel=1e-12)


def test_dry_cooler_fan_laws():
    """Fan power by the fan laws, P = P_d fr³; below the minimum speed the fans cycle at
    it, power linear in the mean speed; the mean speed is the one that meets the set
    point (the coil at that speed removes exactly the heat asked)."""
    fr = 0.6
    assert dry_cooler_fan_power_w(1000.0, fr, 0.2) == pytest.approx(1000.0 * fr**3)
    assert dry_cooler_fan_power_w(1000.0, 0.1, 0.2) == pytest.approx(0.5 * 1000.0 * 0.2**3)
    q_d = 10e6
    ua = dry_cooler_design_ua_w_k(q_d, 10.0, 10.0, 6.0)
    c_a = q_d / 10.0
    # design point: full speed, fluid 40 -> 30 °C with air at 24 °C, air leaves at 34 °C
    q, fr, t_out = dry_cooler_run(ua, c_a, q_d / 10.0, 40.0, 30.0, 24.0, 0.2)
    assert q == pytest.approx(q_d, rel=1e-9) and fr == pytest.approx(1.0, abs=1e-9)
    assert t_out == pytest.approx(34.0, abs=1e-6)
    # half load at 20 °C: slower fans remove exactly 5 MW
    q, fr, t_out = dry_cooler_run(ua, c_a, 0.5 * q_d / 10.0, 40.0, 30.0, 20.0, 0.2)
    assert q == pytest.approx(0.5 * q_d) and 0.2 < fr < 1.0
    assert t_out == pytest.approx(20.0 + q / (fr * c_a))


@pytest.mark.parametrize(
    ("t_air_c", "load"), [(20.0, 0.5), (18.0, 0.6), (22.0, 0.9), (5.0, 0.8), (23.0, 0.95)]
)
def test_dry_cooler_fan_speed_solves_the_coil_to_1e_9(t_air_c, load):
    """The fan speed the solver returns makes the coil pass exactly the heat asked (the
    ε-NTU heat at that speed, recomputed here), and equals a plain 60-step bisection of the
    same monotone equation to 1e-9 (the solver is a faster route to the same root)."""
    q_d = 10e6
    ua = dry_cooler_design_ua_w_k(q_d, 10.0, 10.0, 6.0)
    c_a, c_f = q_d / 10.0, load * q_d / 10.0
    q, fr, _ = dry_cooler_run(ua, c_a, c_f, 40.0, 30.0, t_air_c, 0.2)
    assert 0.2 < fr < 1.0
    assert dry_cooler_q_w(ua, c_a, fr, c_f, 40.0, t_air_c) == pytest.approx(q, rel=1e-9)
    lo, hi = 0.2, 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if dry_cooler_q_w(ua, c_a, mid, c_f, 40.0, t_air_c) < q:
            lo = mid
        else:
            hi = mid
    assert fr == pytest.approx(0.5 * (lo + hi), abs=1e-9)


def test_adiabatic_sprays_only_above_switch():
    """Above the switch the coil sees T_db − ε (T_db − T_wb); the pads' make-up water is the
    evaporation of all the air the fans move, ṁ c_p ΔT / h_fg, plus blowdown at
    concentration ratio 3: evaporation / (3 − 1), so 1.5 × the evaporation."""
    d = rows("adiabatic_coolers", spray_switch_c=25.0, pad_effectiveness=0.8)
    lp = d.loops[L.LIQUID]
    n = d.n_chillers[1]
    q = 0.8 * lp[L.L_Q_DESIGN_W]
    dry = rows("dry_coolers").loops[L.LIQUID]
    # below the switch: the same as a dry cooler, no water
    assert plant_power(lp, q, 24.0, 15.0, n) == plant_power(dry, q, 24.0, 15.0, n)
    t_db, t_wb = 36.0, 18.0
    out = plant_power(lp, q, t_db, t_wb, n)
    out_dry = plant_power(dry, q, t_db, t_wb, n)
    assert out[0] < out_dry[0]  # less compressor work than a dry cooler
    t_coil = t_db - 0.8 * (t_db - t_wb)
    t_sup = lp[L.L_T_SUPPLY_C]
    q_coil = q + loop_movers(lp, q, True)[2]
    _, fr, _ = cooler_free_w(lp, q_coil, t_coil, t_sup)
    evap_kg_s = fr * lp[L.L_MDOT_AIR_DC_KG_S] * 1006.0 * (t_db - t_coil) / H_FG_WATER_J_KG
    assert out[5] * 997.05 == pytest.approx(1.5 * evap_kg_s, rel=1e-9)
    assert out[6] == 2  # 21.6 °C air on a 40 -> 30 °C coil: compressor-free


def test_a_dry_cooler_design_against_the_second_law_is_refused():
    """Approach 3 K + air-loop range 6 K = 9 K: the 10 K design air rise would need air
    leaving warmer than the fluid entering; refused with the fields named."""
    with pytest.raises(ScenarioError, match=r"cooling\.dry_cooler_approach_k \+ cooling\.air"):
        Scenario(cooling={"plant": "dry_coolers", "dry_cooler_approach_k": 3.0})
    Scenario(cooling={"plant": "water_cooled_chillers", "dry_cooler_approach_k": 3.0})


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
