"""EnergyPlus reference plants of the validation envelope, built from the twin's loop row.

One case is a plant type, a constant IT heat (a share of the design) and a weather file.
The equipment is read from the twin's own loop row (``twin.sim.compile._loop_row`` and
``twin.sim.compile_plant.apply_plant``), so both engines see the same chillers, pumps,
tower and heat exchanger; the IDF is written field by field from the EnergyPlus 25.2
Input Output Reference (nothing is copied from EnergyPlus example files).

Arrangement and controls, chosen to be the twin's (each is a choice, named here):

* chilled-water loop: a variable-speed pump (flow follows the load at the design
  range), a ``LoadProfile:Plant`` constant heat, a fixed 18 °C supply. No bypass branch
  on either loop's supply side: with one, EnergyPlus sent the chilled water around the
  idle chillers and never dispatched them while the series exchanger ran partly loaded
  (chilled water up to 25 °C in 31 % of the hours at 25 % load), and the twin's plant
  has none (its condenser water all crosses the tower);
* chillers: N + 1 identical ``Chiller:Electric:EIR`` on parallel branches, PlantLoop load
  distribution ``SequentialUniformPLR`` (the twin's ``kernels.chiller.chiller_plant``:
  the fewest chillers, uniform part-load ratio), minimum PLR and cycling as the data set;
* chiller curves: the published set read the twin's way at the fixed supply
  temperature. The 18 °C supply is above the sets' chilled-water range; the twin reads
  it at equal lift with a Carnot factor on the EIR (``kernels.chiller.curve_point``, a
  marked assumption). For a constant set point that reading is itself a biquadratic in
  the condenser temperature, so it is written out as an EnergyPlus curve
  (:func:`equal_lift_curves`): both engines then evaluate the same function, and the
  comparison tests the plant, not the extrapolation rule;
* water-cooled: the economizer heat exchanger (``HeatExchanger:FluidToFluid``,
  counter-flow, ``CoolingSetpointModulated``) in series on the chilled-water supply
  inlet branch, upstream of the chillers (EnergyPlus's integrated arrangement), with
  its own condenser branch and design flow: a condenser pump sized for the chillers' and
  the exchanger's design flows together, so neither is starved (``PlantCase`` of
  ``eplus_plant`` shares one design flow between them instead), variable-speed with the
  twin's default ``condenser_flow = "variable"`` (the flow the running chillers'
  ``ConstantFlow`` condensers and the modulating exchanger request, the "VSD No Reset"
  curve, ``kernels.condenser.condenser_flow_frac``), constant-speed with ``"constant"``; the
  exchanger's UA is the twin's (``kernels.economizer.wse_design_ua_w_k``);
  tower ``CoolingTower:VariableSpeed`` (YorkCalc), held at the twin's set point for this
  load (the water that just gives full free cooling; without economizer the chillers'
  curve floor);
* air-cooled: the chillers' condensers on an ``OutdoorAir:Node`` (outdoor dry bulb), no
  condenser loop, no water, condenser fan power ratio 0 (the data sets' COP includes the
  fans, as the twin).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from eplus_plant import _branch, _obj, _pipe

from kernels import layout as L
from kernels.movers import (
    COND_MIN_FLOW_FRAC,
    COND_PUMP_HEAD_PA,
    COND_PUMP_MOTOR_EFF,
    COND_PUMP_VSD_COEFFS,
    CW_PUMP_HEAD_PA,
    CW_PUMP_MOTOR_EFF,
    CW_PUMP_VSD_COEFFS,
)
from kernels.tower import (
    TOWER_FR_AIR_MIN,
    TOWER_FRAC_FREE_CONV,
    WATER_CP_J_KG_K,
    WATER_DENSITY_KG_M3,
)
from kernels.tower_water import TOWER_BLOWDOWN_CONC_RATIO, TOWER_DRIFT_PCT
from twin.scenario.plant_library import load_chiller, load_tower_fan_curve

#: Plants EnergyPlus models with equivalent objects, and their chiller data sets.
PLANTS = {
    "water_cooled_chillers": "york_yt_1125_vsd",
    "air_cooled_chillers": "trane_cgam30",
}


@dataclass(frozen=True)
class EnvelopeCase:
    """One point of the envelope: a plant, an IT heat share and a weather file's name."""

    plant: str
    load_frac: float  # IT heat / design IT heat [-]
    weather: str  # EPW file name (tests/data), for labels and the cache key
    q_it_design_w: float = 3.0e6  # design IT heat [W]
    margin: float = 0.10  # loop design heat = (1 + margin) x design IT heat (twin.sim.compile)
    chiller_unit_kw: float = 1200.0  # one chiller [kW]
    redundancy: int = 1  # N + 1
    t_supply_c: float = 18.0  # chilled-water supply [°C]
    dt_k: float = 6.0  # design return - supply [K]
    hx_approach_k: float = 2.0  # economizer design approach [K]
    tower_range_k: float = 5.6  # tower design range [K]
    condenser_flow: str = "variable"  # the twin's cooling.<loop>.condenser_flow

    @property
    def q_it_w(self) -> float:
        return self.load_frac * self.q_it_design_w

    @property
    def q_design_w(self) -> float:
        return (1.0 + self.margin) * self.q_it_design_w

    @property
    def label(self) -> str:
        site = self.weather.split("_")[2].split(".")[0].split("-")[0]
        short = {"water_cooled_chillers": "water-cooled", "air_cooled_chillers": "air-cooled"}
        return f"{short.get(self.plant, self.plant)} {site} {round(100 * self.load_frac)}%"


def equal_lift_curves(ch: dict, t_sup_c: float) -> tuple[list, list, tuple, tuple]:
    """CAPFT and EIRFT of a chiller set as the twin reads them at a fixed supply ``t_sup_c``.

    Above the set's chilled-water limit ``t_hi`` the twin evaluates the curves at
    ``x = t_hi``, ``y = t_cond - d`` (``d = t_sup - t_hi``, y clamped to the condenser
    limits) and scales EIR by ``s = (t_hi + 273.15) / (t_sup + 273.15)``
    (``kernels.chiller.curve_point``). Expanding ``c0 + c1 x + c2 x² + c3 y + c4 y² + c5 x y``
    in ``t_cond`` gives a biquadratic with no chilled-water terms whose condenser limits
    are the set's shifted by ``d``. Returns CAPFT and EIRFT coefficients (6 each) and the
    chilled-water and condenser limits to write with them. Inside the range: the set.
    """
    lo_w, hi_w = ch["t_chw_lim"]
    lo_c, hi_c = ch["t_cond_lim"]
    if t_sup_c <= hi_w:
        return list(ch["capft"]), list(ch["eirft"]), (lo_w, hi_w), (lo_c, hi_c)
    d = t_sup_c - hi_w
    s = (hi_w + 273.15) / (t_sup_c + 273.15)

    def expand(c, scale):
        a0 = c[0] + c[1] * hi_w + c[2] * hi_w**2 - c[3] * d + c[4] * d * d - c[5] * hi_w * d
        a1 = c[3] - 2.0 * c[4] * d + c[5] * hi_w
        return [scale * a0, 0.0, 0.0, scale * a1, scale * c[4], 0.0]

    t_chw = (t_sup_c - 5.0, t_sup_c + 5.0)
    return expand(ch["capft"], 1.0), expand(ch["eirft"], s), t_chw, (lo_c + d, hi_c + d)


def _header(o: list[str], epw_header: list[str], case: EnvelopeCase, t_cond_set_c: float):
    lat, lon, tz, elev = (float(v) for v in epw_header[6:10])
    add = o.append
    add(_obj("Version", "25.2"))
    add(_obj("SimulationControl", "No", "No", "No", "No", "Yes", "No", 1))
    add(_obj("Building", "Plant only", 0, "City", 0.04, 0.4, "FullExterior", 25, 6))
    add(_obj("Timestep", 4))
    add(_obj("GlobalGeometryRules", "UpperLeftCorner", "Counterclockwise", "Relative"))
    add(_obj("Site:Location", epw_header[1], lat, lon, tz, elev))
    add(_obj("RunPeriod", "Year", 1, 1, None, 12, 31, None, None, "Yes", "Yes", "No", "Yes",
             "Yes", "No"))  # fmt: skip
    add(_obj("ScheduleTypeLimits", "Any Number"))
    add(_obj("Schedule:Constant", "Always On", "Any Number", 1))
    add(_obj("Schedule:Constant", "IT Load", "Any Number", -case.q_it_w))  # < 0: heat in
    add(_obj("Schedule:Constant", "CHW Temp", "Any Number", case.t_supply_c))
    add(_obj("Schedule:Constant", "CW Temp", "Any Number", t_cond_set_c))


def _loop(o, kind, name, fluid_loop, vdot, pref, scheme):
    o.append(_obj(kind, name, "Water", None, f"{pref} Op", f"{pref} Supply Outlet",
                  98 if kind == "PlantLoop" else 80, 1, vdot, 0, "Autocalculate",
                  f"{pref} Supply Inlet", f"{pref} Supply Outlet", f"{pref} Supply Branches",
                  f"{pref} Supply Connectors", f"{pref} Demand Inlet", f"{pref} Demand Outlet",
                  f"{pref} Demand Branches", f"{pref} Demand Connectors", scheme))  # fmt: skip


def _side(o, pref: str, side: str, inlet: tuple, parallel: list[tuple], out_node: str,
          bypass: bool = True):  # fmt: skip
    """An inlet branch, parallel branches (plus a bypass) and an outlet pipe."""
    add = o.append
    names = [f"{pref} {side} Inlet Branch"]
    add(_branch(names[0], *inlet))
    par = []
    for bname, comps in parallel:
        add(_branch(bname, *comps))
        par.append(bname)
    if bypass:
        by = f"{pref} {side} Bypass Branch"
        add(_branch(by, _pipe(f"{pref} {side} Bypass", f"{pref} {side} BP In",
                              f"{pref} {side} BP Out")))  # fmt: skip
        par.append(by)
    outb = f"{pref} {side} Outlet Branch"
    add(_branch(outb, _pipe(f"{pref} {side} Out Pipe", f"{pref} {side} OP In", out_node)))
    add(_obj("BranchList", f"{pref} {side} Branches", names[0], *par, outb))
    add(_obj("Connector:Splitter", f"{pref} {side} Splitter", names[0], *par))
    add(_obj("Connector:Mixer", f"{pref} {side} Mixer", outb, *par))
    add(_obj("ConnectorList", f"{pref} {side} Connectors", "Connector:Splitter",
             f"{pref} {side} Splitter", "Connector:Mixer", f"{pref} {side} Mixer"))  # fmt: skip


def build_envelope_idf(
    case: EnvelopeCase, row: np.ndarray, n_chillers: int, epw_header: list[str],
    t_cond_set_c: float, hx_ua_w_k: float, vdot_hx_cond_m3_s: float,
) -> str:  # fmt: skip
    """IDF text of one envelope case from the twin's loop row *row* (``kernels.layout``)."""
    ch = load_chiller(PLANTS[case.plant])
    water = case.plant == "water_cooled_chillers"
    rc = WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K  # the twin's water, for the design flows
    vdot_chw = case.q_design_w / (rc * case.dt_k)
    vdot_load = case.q_it_w / (rc * case.dt_k)
    # the twin's condenser flow carries the chillers' and the exchanger's design flows
    vdot_ch_cond = float(row[L.L_VDOT_TOWER_M3_S]) - vdot_hx_cond_m3_s
    n_duty = n_chillers - case.redundancy
    o: list[str] = []
    add = o.append
    _header(o, epw_header, case, t_cond_set_c)
    capft, eirft, t_chw_lim, t_cond_lim = equal_lift_curves(ch, case.t_supply_c)
    add(_obj("Curve:Biquadratic", "CAPFT", *capft, *t_chw_lim, *t_cond_lim))
    add(_obj("Curve:Biquadratic", "EIRFT", *eirft, *t_chw_lim, *t_cond_lim))
    plr_lim = ch["plr_lim"] or (ch["min_unload"], ch["plr_max"])
    add(_obj("Curve:Quadratic", "EIRFPLR", *ch["eirfplr"], *plr_lim))
    # --- chilled-water loop ---------------------------------------------------------
    _loop(o, "PlantLoop", "CHW Loop", "Water", vdot_chw, "CHW", "SequentialUniformPLR")
    add(_obj("Pump:VariableSpeed", "CHW Pump", "CHW Supply Inlet", "CHW Pump Outlet", vdot_chw,
             CW_PUMP_HEAD_PA, "Autosize", CW_PUMP_MOTOR_EFF, 0.0, *CW_PUMP_VSD_COEFFS, 0,
             "Intermittent"))  # fmt: skip
    inlet: tuple = (("Pump:VariableSpeed", "CHW Pump", "CHW Supply Inlet", "CHW Pump Outlet"),)
    if water:
        add(_obj("HeatExchanger:FluidToFluid", "WSE", "Always On", "CW HX Inlet",
                 "CW HX Outlet", vdot_hx_cond_m3_s, "CHW Pump Outlet", "CHW HX Outlet",
                 vdot_chw, "CounterFlow", hx_ua_w_k, "CoolingSetpointModulated",
                 "CHW HX Outlet", 0.01, "FreeCooling"))  # fmt: skip
        inlet += (("HeatExchanger:FluidToFluid", "WSE", "CHW Pump Outlet", "CHW HX Outlet"),)
    q_unit = float(row[L.L_Q_REF_W])
    chw_par, cw_par, names = [], [], []
    for i in range(n_chillers):
        nm = f"Chiller {i + 1}"
        names += ["Chiller:Electric:EIR", nm]
        cond = (f"{nm} CW Inlet", f"{nm} CW Outlet") if water else (f"{nm} OA", f"{nm} OA Out")
        if not water:
            add(_obj("OutdoorAir:Node", f"{nm} OA", -1))
        add(_obj("Chiller:Electric:EIR", nm, q_unit, ch["cop_ref"], ch["t_chw_ref_c"],
                 ch["t_cond_ref_c"], vdot_chw / n_duty,
                 vdot_ch_cond / n_duty if water else "Autosize", "CAPFT", "EIRFT", "EIRFPLR",
                 ch["plr_min"], ch["plr_max"], ch["plr_opt"], ch["min_unload"],
                 f"{nm} CHW Inlet", f"{nm} CHW Outlet", *cond,
                 "WaterCooled" if water else "AirCooled", 0.0, 1.0, 2.0,
                 "LeavingSetpointModulated"))  # fmt: skip
        chw_par.append((f"CHW {nm} Branch",
                        [("Chiller:Electric:EIR", nm, f"{nm} CHW Inlet", f"{nm} CHW Outlet")]))  # fmt: skip
        cw_par.append((f"CW {nm} Branch",
                       [("Chiller:Electric:EIR", nm, f"{nm} CW Inlet", f"{nm} CW Outlet")]))  # fmt: skip
    _side(o, "CHW", "Supply", inlet, chw_par, "CHW Supply Outlet",
          bypass=False)  # fmt: skip
    add(_obj("LoadProfile:Plant", "IT Heat", "Load Inlet", "Load Outlet", "IT Load",
             vdot_load, "Always On"))  # fmt: skip
    _side(o, "CHW", "Demand", (_pipe("Dem In Pipe", "CHW Demand Inlet", "Dem In Outlet"),),
          [("Demand Load Branch", [("LoadProfile:Plant", "IT Heat", "Load Inlet",
                                    "Load Outlet")])], "CHW Demand Outlet")  # fmt: skip
    add(_obj("PlantEquipmentOperationSchemes", "CHW Op", "PlantEquipmentOperation:CoolingLoad",
             "CHW Cooling", "Always On"))  # fmt: skip
    add(_obj("PlantEquipmentOperation:CoolingLoad", "CHW Cooling", 0, 1e9, "CHW Equipment"))
    add(_obj("PlantEquipmentList", "CHW Equipment", *names))
    add(_obj("SetpointManager:Scheduled", "CHW SPM", "Temperature", "CHW Temp", "CHW Setpoints"))
    add(_obj("NodeList", "CHW Setpoints", "CHW Supply Outlet", *(
        ["CHW HX Outlet"] if water else []), *(f"Chiller {i + 1} CHW Outlet"
                                              for i in range(n_chillers))))  # fmt: skip
    if water:
        _condenser_loop(o, case, row, cw_par, vdot_hx_cond_m3_s, epw_header)
    _outputs(o)
    return "".join(o)


def _condenser_loop(o, case, row, cw_par, vdot_hx_cond_m3_s, epw_header):
    """Tower, condenser pump (variable- or constant-speed, the case's ``condenser_flow``),
    the chillers' condensers and the exchanger in parallel."""
    add = o.append
    vdot_cw = float(row[L.L_VDOT_TOWER_M3_S])  # chillers' + exchanger's design flows
    fan = load_tower_fan_curve()
    add(_obj("Curve:Cubic", "Tower Fan Ratio", *fan["cubic"], *fan["x_lim"]))
    _loop(o, "CondenserLoop", "CW Loop", "Water", vdot_cw, "CW", "SequentialLoad")
    pump = "Pump:VariableSpeed" if case.condenser_flow == "variable" else "Pump:ConstantSpeed"
    if pump == "Pump:VariableSpeed":
        # the flow the running chillers (ConstantFlow condensers) and the exchanger
        # (modulated) request, at least the twin's minimum (kernels.condenser)
        add(_obj(pump, "CW Pump", "CW Supply Inlet", "CW Pump Outlet", vdot_cw,
                 COND_PUMP_HEAD_PA, "Autosize", COND_PUMP_MOTOR_EFF, 0.0,
                 *COND_PUMP_VSD_COEFFS, COND_MIN_FLOW_FRAC * vdot_cw,
                 "Intermittent"))  # fmt: skip
    else:
        add(_obj(pump, "CW Pump", "CW Supply Inlet", "CW Pump Outlet", vdot_cw,
                 COND_PUMP_HEAD_PA, "Autosize", COND_PUMP_MOTOR_EFF, 0.0,
                 "Continuous"))  # fmt: skip
    p_fan = float(row[L.L_P_TOWER_FAN_W])
    add(_obj("CoolingTower:VariableSpeed", "Tower", "Tower Inlet", "Tower Outlet", "YorkCalc",
             None, 25.6, 3.9, case.tower_range_k, vdot_cw,
             float(row[L.L_VDOT_TOWER_AIR_M3_S]), p_fan, "Tower Fan Ratio", TOWER_FR_AIR_MIN,
             TOWER_FRAC_FREE_CONV, 0, None, None, "SaturatedExit", None, TOWER_DRIFT_PCT,
             "ConcentrationRatio", TOWER_BLOWDOWN_CONC_RATIO))  # fmt: skip
    supply = [("CW Tower Branch", [("CoolingTower:VariableSpeed", "Tower", "Tower Inlet",
                                    "Tower Outlet")])]  # fmt: skip
    _side(o, "CW", "Supply",
          ((pump, "CW Pump", "CW Supply Inlet", "CW Pump Outlet"),), supply,
          "CW Supply Outlet", bypass=False)  # fmt: skip
    demand = [*cw_par, ("CWD HX Branch", [("HeatExchanger:FluidToFluid", "WSE", "CW HX Inlet",
                                           "CW HX Outlet")])]  # fmt: skip
    _side(o, "CW", "Demand", (_pipe("CWD In Pipe", "CW Demand Inlet", "CWD In Outlet"),),
          demand, "CW Demand Outlet")  # fmt: skip
    add(_obj("CondenserEquipmentOperationSchemes", "CW Op",
             "PlantEquipmentOperation:CoolingLoad", "CW Cooling", "Always On"))  # fmt: skip
    add(_obj("PlantEquipmentOperation:CoolingLoad", "CW Cooling", 0, 1e9, "CW Equipment"))
    add(_obj("CondenserEquipmentList", "CW Equipment", "CoolingTower:VariableSpeed", "Tower"))
    add(_obj("SetpointManager:Scheduled", "CW SPM", "Temperature", "CW Temp", "CW Supply Outlet"))


def _outputs(o):
    for var in (
        "Chiller Electricity Rate",
        "Cooling Tower Fan Electricity Rate",
        "Cooling Tower Make Up Water Volume",
        "Pump Electricity Rate",
        "Fluid Heat Exchanger Heat Transfer Rate",
        "Site Outdoor Air Wetbulb Temperature",
        "Site Outdoor Air Drybulb Temperature",
        "Plant Supply Side Outlet Temperature",
        "Cooling Tower Outlet Temperature",
    ):
        o.append(_obj("Output:Variable", "*", var, "Hourly"))
    o.append(_obj("Output:SQLite", "SimpleAndTabular"))
