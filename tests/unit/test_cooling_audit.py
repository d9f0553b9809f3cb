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


def _fan_speed(p_w, p_design_w):
    """Mean fan speed from fan power: P = P_d fr³, or P_d 0.2² fr when cycling below 0.2."""
    if p_w >= p_design_w * 0.2**3:
        return (p_w / p_design_w) ** (1.0 / 3.0)
    return p_w / (p_design_w * 0.2**2)


@pytest.mark.parametrize("loop", [AIR, LIQUID])
def test_dry_coolers_obey_the_second_law(loop):
    """Over air at −5…45 °C and loads of 10…100 %, the air leaving the dry coolers is never
    warmer than the fluid entering them (t_sup + ΔT), the fluid never leaves colder than
    the air enters, heat lost by the fluid = heat gained by the air, and the plant's
    capacity never rises with the air temperature.

    The air-out temperature is read from the plant's outputs: the mean fan speed from the
    fan power (fan laws), ``T_air,out = T_air + Q_free / (fr ṁ_air,design c_p)`` (with the
    fans cycling at the minimum speed the air leaves at the same temperature while they
    run). Before the fix, at 15 °C and 60 % load on the liquid loop (40 → 30 °C), the
    approach law gave fr = (6 K × 0.6 / 15 K)^1.25 = 0.168 and the air left at
    15 + 0.6 × 10 K / 0.168 ≈ 50.7 °C, 10.7 K above the 40 °C fluid entering.
    """
    from kernels.heat_rejection import plant_capacity_w, plant_power
    from kernels.layout import L_DT_K, L_MDOT_AIR_DC_KG_S, L_P_DC_FAN_W

    d = compile_scenario(twin.Scenario(cooling={"plant": "dry_coolers"}))
    lp, n = d.loops[loop], d.n_chillers[loop]
    t_sup, dt_k, q_d = lp[L_T_SUPPLY_C], lp[L_DT_K], lp[L_Q_DESIGN_W]
    t_in = t_sup + dt_k
    c_air_d = lp[L_MDOT_AIR_DC_KG_S] * 1006.0
    cap_prev = float("inf")
    for t_air in range(-5, 46, 5):
        cap = plant_capacity_w(lp, t_air, t_air - 5.0, n)
        assert cap <= cap_prev * (1.0 + 1e-12), t_air
        cap_prev = cap
        for load in (0.1, 0.3, 0.6, 0.8, 1.0):
            q = load * q_d
            out = plant_power(lp, q, t_air, t_air - 5.0, n)
            q_free = out[4]
            if q_free <= 0.0:
                continue
            fr = _fan_speed(out[1], lp[L_P_DC_FAN_W])
            t_air_out = t_air + q_free / (fr * c_air_d)
            assert t_air_out <= t_in + 1e-9, (t_air, load, t_air_out)
            q_coil = q + loop_movers(lp, q, True)[2]
            t_fluid_out = t_in - q_free / (q_coil / dt_k)
            assert t_fluid_out >= t_air - 1e-9, (t_air, load)


@pytest.mark.parametrize("loop", [AIR, LIQUID])
def test_dry_cooler_coil_closes_its_energy_balance(loop):
    """The coil's heat is the fluid's loss, ``C_fluid (T_in − T_out)``, and the air's gain,
    ``fr ṁ_air c_p (T_air,out − T_air)`` (time-averaged when the fans cycle at the 0.2
    minimum speed), to 1e-6, over the same grid; the air never leaves above T_in."""
    from kernels.drycooler import cooler_free_w
    from kernels.layout import L_DT_K, L_MDOT_AIR_DC_KG_S

    lp = compile_scenario(twin.Scenario(cooling={"plant": "dry_coolers"})).loops[loop]
    t_sup, dt_k, q_d = lp[L_T_SUPPLY_C], lp[L_DT_K], lp[L_Q_DESIGN_W]
    c_air_d = lp[L_MDOT_AIR_DC_KG_S] * 1006.0
    for t_air in range(-5, 46, 5):
        for load in (0.1, 0.3, 0.6, 0.8, 1.0):
            q_coil = load * q_d
            q_c, fr, t_out = cooler_free_w(lp, q_coil, t_air, t_sup)
            if q_c <= 0.0:
                assert t_air >= t_sup + dt_k
                continue
            t_fluid_out = t_sup + dt_k - q_c / (q_coil / dt_k)
            assert t_fluid_out >= t_sup - 1e-9 and t_fluid_out >= t_air
            on = min(fr / 0.2, 1.0)  # share of the time the fans run
            q_air = on * max(fr, 0.2) * c_air_d * (t_out - t_air)
            assert q_air == pytest.approx(q_c, rel=1e-6), (t_air, load)
            assert t_out <= t_sup + dt_k


def test_partial_free_cooling_reaches_a_closer_approach_at_part_load():
    """The liquid loop's coolers meet their design point exactly (design heat, fans at full
    speed, 24 °C air: fluid 40 → 30 °C, the 6 K design approach). At 60 % load and 33 °C
    air the fans run flat out and the same coil, with 60 % of the fluid flow, brings the
    fluid closer to the air than 6 K: the free share is more than the design-approach
    rule's (40 − (33 + 6)) / 10 = 10 % (before the fix: exactly 10 %)."""
    from kernels.heat_rejection import plant_power

    d = compile_scenario(twin.Scenario(cooling={"plant": "dry_coolers"}))
    lp, n = d.loops[LIQUID], d.n_chillers[LIQUID]
    q = 0.6 * lp[L_Q_DESIGN_W]
    q_coil = q + loop_movers(lp, q, True)[2]
    _, p_fan, _, _, q_free, _, mode = plant_power(lp, q, 33.0, 20.0, n)
    assert mode == 1 and p_fan > 0.0
    approach_k = (40.0 - q_free / q_coil * 10.0) - 33.0
    assert approach_k < 6.0 - 1.0
    assert q_free / q_coil > 0.2


def test_indirect_air_economizer_is_a_finite_heat_exchanger():
    """EnergyPlus EvaporativeCooler:Indirect:ResearchSpecial, dry operation below the 27 °C
    set point: t_out = t_ret − ε (t_ret − T_db) = 39 − 0.7 (39 − 24) = 28.5 °C at 24/18 °C,
    so the free share is (39 − 28.5) / 12 = 87.5 %, no water. Before the fix the exchanger
    was perfect (hall air cooled to the 24 °C outdoor air): 100 %."""
    from kernels.airecon import AIR_ECON_INDIRECT, air_econ_split

    q, water, mode = air_econ_split(AIR_ECON_INDIRECT, 1e6, 24.0, 18.0, 101325.0, 27.0, 12.0, 0.7)
    assert q == pytest.approx(0.875e6, rel=1e-12) and mode == 1 and water == 0.0


def test_direct_air_economizer_wets_all_the_air_that_crosses_its_pads():
    """36/19 °C, pads ε = 0.5: all the supply air is outdoor air cooled to 36 − 0.5 × 17 =
    27.5 °C, the coils trim it to 27 °C (free share (39 − 27.5) / 12 = 95.8 %). Water:
    ṁ c_p (36 − 27.5) / h_fg for the whole air flow ṁ = 1 MW / (1006 × 12) = 82.84 kg/s,
    0.2901 kg/s, + blowdown at concentration ratio 3 (× 1.5) = 0.4351 kg/s. Before the fix
    the water was scaled by the free share and had no blowdown (0.2780 kg/s)."""
    from kernels.airecon import AIR_ECON_DIRECT, air_econ_split
    from kernels.drycooler import H_FG_WATER_J_KG

    q, water, mode = air_econ_split(AIR_ECON_DIRECT, 1e6, 36.0, 19.0, 101325.0, 27.0, 12.0, 0.5)
    assert mode == 1 and q == pytest.approx(1e6 * 11.5 / 12.0, rel=1e-12)
    evap = 1e6 / (1006.0 * 12.0) * 1006.0 * 8.5 / H_FG_WATER_J_KG
    assert water == pytest.approx(1.5 * evap, rel=1e-12)
    assert water == pytest.approx(0.4351, abs=1e-4)


def test_adiabatic_cooler_pad_blowdown_is_counted():
    """An adiabatic cooler's pads need make-up for evaporation and for the blowdown that
    holds the sump at concentration ratio 3 (EnergyPlus ResearchSpecial evaporative
    coolers: blowdown = evaporation / (3 − 1)): 1.5 × the evaporation of all the air the
    fans move, ṁ_air c_p (T_db − T_coil) / h_fg (before the fix: 1.0 ×)."""
    from kernels.drycooler import H_FG_WATER_J_KG
    from kernels.heat_rejection import plant_power
    from kernels.layout import L_MDOT_AIR_DC_KG_S, L_P_DC_FAN_W
    from kernels.tower import WATER_DENSITY_KG_M3

    d = compile_scenario(twin.Scenario(cooling={"plant": "adiabatic_coolers"}))
    lp, n = d.loops[LIQUID], d.n_chillers[LIQUID]
    q = 0.9 * lp[L_Q_DESIGN_W]
    t_db, t_wb = 40.0, 21.0
    t_coil = t_db - 0.8 * (t_db - t_wb)  # 24.8 °C
    out = plant_power(lp, q, t_db, t_wb, n)
    fr = _fan_speed(out[1], lp[L_P_DC_FAN_W])  # the mean fan speed, from the fan power
    evap = fr * lp[L_MDOT_AIR_DC_KG_S] * 1006.0 * (t_db - t_coil) / H_FG_WATER_J_KG
    assert out[5] * WATER_DENSITY_KG_M3 == pytest.approx(1.5 * evap, rel=1e-9)
