"""Defects found by the cooling audit (issue "Cooling physics, audited"), each pinned by a
test that failed on the code before its fix."""

from __future__ import annotations

import re

import pytest

import twin
from kernels.layout import (
    AIR,
    L_ECONOMIZER,
    L_HX_APPROACH_K,
    L_P_FAN_W,
    L_P_PUMP_COND_W,
    L_P_TOWER_FAN_W,
    L_Q_DESIGN_W,
    L_T_SUPPLY_C,
    L_TOWER_RANGE_K,
    LIQUID,
)
from kernels.tower import tower_leaving_water_c
from kernels.water_cooled import loop_movers, loop_power_ctl
from twin.sim.compile import compile_scenario


@pytest.fixture(scope="module")
def loops():
    return compile_scenario(twin.Scenario()).loops


@pytest.mark.parametrize("loop", [AIR, LIQUID])
def test_tower_aims_at_full_free_cooling_not_at_the_chiller_curve_floor(loops, loop):
    """A warm-water loop in full free cooling needs condenser water at ``t_sup - approach``
    (28 °C for the W32 liquid loop), not the York curve's 12.78 °C condenser floor: the
    tower fan slows down to just reach it, it does not run flat out all year."""
    lp = loops[loop]
    t_sup = lp[L_T_SUPPLY_C]
    target = t_sup - lp[L_HX_APPROACH_K]
    # a wet bulb at which the tower at full fan and design range beats the target by 4 K
    t_wb = target - 4.0
    while tower_leaving_water_c(t_wb, lp[L_TOWER_RANGE_K], 1.0, 1.0) > target - 4.0:
        t_wb -= 0.5
    q = 0.6 * lp[L_Q_DESIGN_W]
    p_ch, p_tower, _, _, q_free, _, mode = loop_power_ctl(lp, q, t_wb, 2.0, True, t_sup)
    assert mode == 2 and p_ch == 0.0 and q_free == pytest.approx(q + loop_movers(lp, q, True)[2])
    # 4 K of spare approach at 60 % of the design range: the fan runs well below full
    # speed (its power falls with the cube of the speed); before the fix it ran flat out
    assert p_tower < 0.5 * lp[L_P_TOWER_FAN_W]


PLANTS = ["water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers"]


@pytest.mark.parametrize("plant", PLANTS)
@pytest.mark.parametrize("air_economizer", ["none", "indirect"])
def test_every_loop_closes_its_first_law(plant, air_economizer):
    """What the plant rejects outdoors (tower, dry cooler, condensers, outdoor air) is the
    heat taken from the hall plus the heat of the hall fans and the pumps plus the
    chillers' power, to 1e-9 of the heat, over a grid of weather, loads and chillers in
    service (before the fix the fan and pump heat never reached the loops)."""
    from kernels.heat_rejection import plant_balance_ctl, plant_capacity_ctl_w
    from kernels.layout import L_P_CDU_PUMP_W, L_P_PUMP_W
    from kernels.movers import (
        CDU_PUMP_MOTOR_EFF,
        COND_PUMP_MOTOR_EFF,
        CW_PUMP_MOTOR_EFF,
        CW_PUMP_VSD_COEFFS,
        pump_vs_power_w,
    )

    assert CDU_PUMP_MOTOR_EFF == CW_PUMP_MOTOR_EFF  # one efficiency for both below

    sc = twin.Scenario(cooling={"plant": plant, "air_economizer": air_economizer})
    d = compile_scenario(sc)
    checked = 0
    for loop in (AIR, LIQUID):
        lp = d.loops[loop]
        n = d.n_chillers[loop]
        t_sup = lp[L_T_SUPPLY_C]
        for t_db, t_wb in ((2.0, 0.0), (18.0, 12.0), (27.0, 19.0), (35.0, 22.0), (46.0, 24.0)):
            cap = plant_capacity_ctl_w(lp, t_db, t_wb, n, True, t_sup)
            for frac in (0.1, 0.5, 0.95):
                q = frac * min(cap, lp[L_Q_DESIGN_W])
                r = plant_balance_ctl(lp, q, t_db, t_wb, n, True, t_sup)
                p_ch, _, p_pumps, p_fans, _, _, _, q_rej = r
                # the pumps' heat: the shaft power of each (no motor losses to the water);
                # the loop and CDU pumps follow the hall load, the condenser pumps the rest
                # (with an air-side economizer the loop's water-side load is unknown here:
                # then the pump heat is bounded by the two motor efficiencies)
                exact = air_economizer == "none"
                plr = q / lp[L_Q_DESIGN_W]
                p_cw = 0.0
                if p_pumps > 0.0:
                    for col in (L_P_PUMP_W, L_P_CDU_PUMP_W):
                        p_cw += pump_vs_power_w(lp[col], plr, *CW_PUMP_VSD_COEFFS)
                p_cond = p_pumps - p_cw
                rest = q_rej - (q + p_fans + p_ch)
                if exact:
                    assert p_cond >= -1e-9 * q
                    pumps = CW_PUMP_MOTOR_EFF * p_cw + COND_PUMP_MOTOR_EFF * p_cond
                    assert rest == pytest.approx(pumps, rel=1e-9, abs=1e-9 * q), (loop, t_db, frac)
                else:
                    tol = 1e-9 * q
                    assert CW_PUMP_MOTOR_EFF * p_pumps - tol <= rest, (loop, t_db, frac)
                    assert rest <= COND_PUMP_MOTOR_EFF * p_pumps + tol, (loop, t_db, frac)
                checked += 1
    assert checked == 30


@pytest.mark.parametrize("t_supply_c", [27.0, 40.0])
def test_air_loop_chilled_water_at_or_above_the_inlet_set_point_is_refused(t_supply_c):
    """A coil cannot hold 27 °C air with 27 °C (or 40 °C) water: refused with the field,
    the value and the limit, where it used to run with a better PUE."""
    with pytest.raises(twin.ScenarioError, match=r"cooling\.air\.t_supply_c = .* must be below"):
        twin.Scenario().with_overrides([f"cooling.air.t_supply_c={t_supply_c}"])


def test_the_cli_refuses_it_with_exit_2(tmp_path):
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "twin.cli", "run", "--set", "cooling.air.t_supply_c=40"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2
    assert "cooling.air.t_supply_c = 40.0 °C must be below" in r.stderr
    assert "Traceback" not in r.stderr


def test_hall_fans_follow_the_variable_speed_law(loops):
    """Hall fans on variable-speed drives: ASHRAE 90.1-2019 Appendix G, Table G3.1.3.15
    Method 2 (0.41 of design power at 60 % flow), not the inlet-vane curve of the
    EnergyPlus example (0.53)."""
    lp = loops[AIR]
    for plr in (0.3, 0.6, 0.9, 1.0):
        _, p_fans, _ = loop_movers(lp, plr * lp[L_Q_DESIGN_W], True)
        expected = 0.0013 + 0.1470 * plr + 0.9506 * plr**2 - 0.0998 * plr**3
        assert p_fans / lp[L_P_FAN_W] == pytest.approx(expected, rel=1e-12)
    assert loop_movers(lp, 0.6 * lp[L_Q_DESIGN_W], True)[1] / lp[L_P_FAN_W] == pytest.approx(
        0.41016, abs=1e-5
    )


@pytest.mark.parametrize("dt_k", [8.0, 12.0, 20.0])
def test_design_air_flow_carries_the_design_heat_across_the_hot_aisle_rise(dt_k):
    """Design fan power = V̇ Δp / η with V̇ = Q / (ρ c_p ΔT_hot-aisle): the hall's air rise
    is the scenario's ``hot_aisle_dt_k`` (it was a fixed 1e-4 m³/s per W, an 8.3 K rise,
    whatever the scenario said)."""
    from kernels.movers import VAV_FAN_DP_PA, VAV_FAN_ETA_TOTAL
    from kernels.psychro import AIR_CP_J_KG_K, AIR_DENSITY_KG_M3

    lp = compile_scenario(twin.Scenario(cooling={"hot_aisle_dt_k": dt_k})).loops[AIR]
    vdot = lp[L_Q_DESIGN_W] / (AIR_DENSITY_KG_M3 * AIR_CP_J_KG_K * dt_k)
    assert lp[L_P_FAN_W] == pytest.approx(vdot * VAV_FAN_DP_PA / VAV_FAN_ETA_TOTAL, rel=1e-12)


def test_cdu_pumps_of_the_liquid_racks_by_hand():
    """CDU pumps move the rack loop at 1.5 L/min per kW of liquid design heat against
    365 kPa: V̇ = 1.5e-3/60 m³/s per kW, P = V̇ H / (0.87 · 0.78) = 13.44 W per kW, 1.3 %
    of the liquid IT heat (the audit's 0.5-1.5 %); the air loop has none. Before the
    audit no CDU pump existed."""
    from kernels.layout import L_P_CDU_PUMP_W

    d = compile_scenario(twin.Scenario())
    q_liq = d.loops[LIQUID][L_Q_DESIGN_W]
    hand_w_per_w = 1.5e-3 / 60.0 * 365e3 / (0.87 * 0.78) / 1e3
    assert hand_w_per_w == pytest.approx(0.01344, rel=1e-3)
    assert d.loops[LIQUID][L_P_CDU_PUMP_W] == pytest.approx(hand_w_per_w * q_liq, rel=1e-12)
    assert d.loops[AIR][L_P_CDU_PUMP_W] == 0.0
    # the scenario fields reach the design: half the head, half the power
    half = compile_scenario(twin.Scenario(cooling={"cdu_pump_head_kpa": 182.5}))
    assert half.loops[LIQUID][L_P_CDU_PUMP_W] == pytest.approx(0.5 * hand_w_per_w * q_liq)


def test_variable_speed_pumps_ride_a_system_curve():
    """At 50 % flow a variable-speed chilled-water pump with pressure reset draws
    0.0205·0.5 + 0.4101·0.25 + 0.5753·0.125 = 18.47 % of design power, and a condenser
    pump without reset 0.5726·0.5 − 0.301·0.25 + 0.7347·0.125 = 30.29 % (ASHRAE 90.1
    §6.5.4.2 asks for ≤ 30 %, met to rounding); the pumps were linear (50 %) before."""
    from kernels.layout import L_P_PUMP_W
    from kernels.water_cooled import condenser_pump_w, loop_movers

    lp = compile_scenario(twin.Scenario()).loops[AIR]
    p_pump, _, _ = loop_movers(lp, 0.5 * lp[L_Q_DESIGN_W], False)
    assert p_pump / lp[L_P_PUMP_W] == pytest.approx(0.1846875, rel=1e-12)
    p_full, _, _ = loop_movers(lp, lp[L_Q_DESIGN_W], False)
    # the published coefficients sum to 1.0059 at design flow (used as published)
    assert p_full == pytest.approx(1.0059 * lp[L_P_PUMP_W], rel=1e-12)
    assert condenser_pump_w(lp, 0.5) / lp[L_P_PUMP_COND_W] == pytest.approx(0.3028875)


@pytest.mark.parametrize(
    ("plant", "setting", "field"),
    [
        ("air_cooled_chillers", "true", "cooling.air.economizer = true"),
        ("dry_coolers", "false", "cooling.liquid.economizer = false"),
        ("adiabatic_coolers", "false", "cooling.liquid.economizer = false"),
    ],
)
def test_a_free_cooling_setting_the_plant_cannot_honour_is_refused(plant, setting, field):
    """Air-cooled chillers have no free-cooling stage, dry coolers are one: an
    ``economizer`` that says otherwise was silently ignored; now it is refused, naming the
    field, and left unset it takes the plant's own."""
    key = "air" if plant == "air_cooled_chillers" else "liquid"
    with pytest.raises(twin.ScenarioError, match=re.escape(field)):
        twin.Scenario().with_overrides(
            [f"cooling.plant={plant!r}".replace("'", '"'), f"cooling.{key}.economizer={setting}"]
        )
    # unset, each plant takes its own: the towers' water-side economizer is on
    d = compile_scenario(twin.Scenario())
    assert d.loops[AIR][L_ECONOMIZER] == d.loops[LIQUID][L_ECONOMIZER] == 1.0
    d = compile_scenario(twin.Scenario().with_overrides(["cooling.air.economizer=false"]))
    assert d.loops[AIR][L_ECONOMIZER] == 0.0
    d = compile_scenario(twin.Scenario(cooling={"plant": "air_cooled_chillers"}))
    assert d.loops[AIR][L_ECONOMIZER] == d.loops[LIQUID][L_ECONOMIZER] == 0.0
