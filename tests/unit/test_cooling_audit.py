"""Defects found by the cooling audit (issue "Cooling physics, audited"), each pinned by a
test that failed on the code before its fix."""

from __future__ import annotations

import pytest

import twin
from kernels.layout import (
    AIR,
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
    p_ch, p_tower, _, _, q_free, _, mode = loop_power_ctl(lp, q, t_wb + 3.0, t_wb, 2.0, True, t_sup)
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
    from kernels.movers import (
        COND_PUMP_MOTOR_EFF,
        CW_PUMP_MOTOR_EFF,
        PUMP_PLR_COEFFS,
        pump_vs_power_w,
    )

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
                # condenser pumps run at constant flow with towers, with the water-side
                # load otherwise (which an air-side economizer makes unknown here: then
                # the pump heat is bounded by the two motor efficiencies)
                exact = plant == "water_cooled_chillers" or air_economizer == "none"
                p_cond = 0.0
                if p_pumps > 0.0 and plant == "water_cooled_chillers":
                    p_cond = lp[L_P_PUMP_COND_W]
                elif p_pumps > 0.0:
                    plr = q / lp[L_Q_DESIGN_W]
                    p_cond = pump_vs_power_w(lp[L_P_PUMP_COND_W], plr, *PUMP_PLR_COEFFS)
                p_cw = p_pumps - p_cond
                rest = q_rej - (q + p_fans + p_ch)
                if exact:
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
