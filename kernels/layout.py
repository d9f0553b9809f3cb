"""Named indices of the flat arrays that cross the kernel boundary.

Kernels take long lists of physical parameters; passing them as one float64
array per kind keeps the signatures short, numba- and CUDA-friendly, and lets
a batch of scenarios stack along a leading axis. This module is the single
place where the meaning (and unit) of every slot is defined; ``twin`` fills the
arrays from a validated scenario and reads the outputs back by these names.

Arrays
------
``plant``   (N_PLANT,)           scalar plant and supply parameters
``loops``   (2, N_LOOP)          one row per cooling loop: AIR (CRAH coils) and LIQUID (CDUs)
``groups``  (G, N_GROUP)         one row per rack group
``state``   (N_STATE,)           integrator state carried across intervals
``out``     (n_steps, N_OUT)     per-step results, averaged over the step
"""

from __future__ import annotations

# --- plant (scalars) ---------------------------------------------------------
DT_S = 0  # time step [s]
GRID_IMPORT_W = 1  # import capacity of the grid connection [W]
GRID_EXPORT_W = 2  # export capacity [W]
GENSET_W = 3  # genset rated power [W]
GENSET_DELAY_S = 4  # genset start and transfer delay [s]
BESS_E_J = 5  # battery usable nameplate energy [J]
BESS_P_W = 6  # battery power limit, charge and discharge [W]
BESS_ETA_C = 7  # battery charge efficiency [-]
BESS_ETA_D = 8  # battery discharge efficiency [-]
BESS_SOC_MIN = 9  # minimum state of charge [-]
BESS_SOC_MAX = 10  # maximum state of charge [-]
UPS_E_J = 11  # UPS battery energy [J]
UPS_P_CH_W = 12  # UPS battery recharge power limit [W]
UPS_ETA = 13  # UPS efficiency at design [-]
HALL_C_J_K = 14  # one-node hall (integrator): air + IT mass, HALL_AIR_C_J_K + HALL_MASS_C_J_K [J/K]
HALL_UA_W_K = 15  # hall envelope conductance to outdoors [W/K]
T_AIR_SET_C = 16  # hall (IT inlet) air set point [°C]
LIQ_C_J_K = 17  # liquid loop water: CDU secondary (cold plates) + facility-water loop [J/K]
T_LIQ_SET_C = 18  # facility-water supply set point of the liquid loop [°C]
T_AIR_LIMIT_C = 19  # strictest allowable inlet of the air-side groups [°C]
T_LIQ_LIMIT_C = 20  # strictest allowable facility-water supply of liquid groups [°C]
IT_TEMP_COEF_PER_K = 21  # server power sensitivity to inlet temperature [1/K]
IT_TEMP_REF_C = 22  # inlet temperature above which the sensitivity applies [°C]
UPS_LOSS_TO_HALL = 23  # fraction of UPS losses released into the hall air [-]
T_TRIP_C = 24  # IT protective shutdown: air inlet or facility water above this [°C]
DISPATCH_POLICY = 25  # battery dispatch policy, one of the POLICY_* codes below
PEAK_TARGET_W = 26  # grid import target of the peak-shaving policy [W]
EXPORT_SHARE_MAX = 27  # law 82-21: cumulative export / on-site production cap [-]
UPS_P_RATED_W = 28  # UPS rating for the loss curve [W]; 0 = flat UPS_ETA
UPS_LOSS_A0 = 29  # no-load loss / rating [-]
UPS_LOSS_A1 = 30  # proportional loss / load [-]
UPS_LOSS_A2 = 31  # square-law loss at rated load / rating [-]
XFMR_S_RATED_W = 32  # grid transformer rating [VA = W at pf 1]; 0 = not modelled
XFMR_P0_FRAC = 33  # no-load loss / rating [-]
XFMR_PK_FRAC = 34  # load loss at rated power / rating [-]
HALL_AIR_C_J_K = 35  # hall air alone, rho V c_p (two-node ride-through) [J/K]
HALL_MASS_C_J_K = 36  # IT equipment and racks (two-node ride-through) [J/K]
HALL_MASS_UA_W_K = 37  # air-to-IT-mass convective conductance (two-node ride-through) [W/K]
PV_ANTI_ISLANDING = 38  # 1: PV stops when the grid is down unless the bus is formed [-]
BESS_GRID_FORMING = 39  # 1: the battery inverter forms an islanded bus [-]
UPS_CARRIES_COOLING = 40  # 1: the cooling plant is on the UPS output [-]
UPS_CARRIES_LIQ_PUMPS = 41  # 1: the liquid loop's CDU and facility-water pumps are on the UPS [-]
N_PLANT = 42

# --- dispatch policies (plant[DISPATCH_POLICY]) --------------------------------
POLICY_SELF_CONSUMPTION = 0
POLICY_TOU_ARBITRAGE = 1
POLICY_PEAK_SHAVING = 2
POLICY_CARBON_AWARE = 3
POLICY_SCHEDULE = 4  # follow sig[:, SIG_BESS_W] (the perfect-foresight optimum)
POLICY_NAMES = ("self_consumption", "tou_arbitrage", "peak_shaving", "carbon_aware", "optimal")

# --- per-step supply signals ``sig`` (n_steps, N_SIG) ---------------------------
SIG_PRICE = 0  # grid energy price [MAD/kWh]
SIG_CARBON = 1  # grid carbon intensity [g/kWh]
SIG_CF = 2  # grid carbon-free share [-]
SIG_LO = 3  # the policy's "cheap/clean" threshold on its signal (price or carbon)
SIG_HI = 4  # the policy's "dear/dirty" threshold
SIG_BESS_W = 5  # scheduled battery power, + charge / - discharge [W] (POLICY_SCHEDULE)
SIG_WIND_W = 6  # wind farm AC power [W], added to on-site renewable supply
SIG_SOC_CEIL = 7  # highest state of charge grid charging may reach [-] (room left for PV)
SIG_TARIFF_SLOT = 8  # 3 x (month - 1) + time-of-use period (0 peak, 1 full, 2 off-peak) [-]
SIG_CARBON_MARGINAL = 9  # grid marginal emission factor [g/kWh] (consequential accounting)
N_SIG = 10

# --- cooling loops -----------------------------------------------------------
AIR = 0
LIQUID = 1
L_T_SUPPLY_C = 0  # chilled / facility water supply set point [°C]
L_DT_K = 1  # design loop temperature difference, return - supply [K]
L_N_CHILLERS = 2  # installed chillers (incl. redundancy) [-]
L_Q_REF_W = 3  # reference capacity of one chiller [W]
L_COP_REF = 4  # reference COP [-]
L_CAPFT = 5  # 6 coefficients, slots 5..10
L_EIRFT = 11  # 6 coefficients, slots 11..16
L_EIRFPLR = 17  # 3 coefficients, slots 17..19
L_PLR_MIN = 20
L_PLR_MAX = 21
L_MIN_UNLOAD = 22
L_T_CHW_LO = 23  # CAPFT/EIRFT limits on leaving chilled water [°C]
L_T_CHW_HI = 24
L_T_COND_LO = 25  # limits on entering condenser water [°C]
L_T_COND_HI = 26
L_ECONOMIZER = 27  # 1 = integrated water-side economizer installed
L_HX_APPROACH_K = 28  # economizer heat-exchanger approach [K]
L_TOWER_RANGE_K = 29  # tower design range [K]
L_Q_DESIGN_W = 30  # loop design heat load [W]
L_P_TOWER_FAN_W = 31  # tower design fan power [W]
L_VDOT_TOWER_M3_S = 32  # tower design water flow [m3/s]
L_VDOT_TOWER_AIR_M3_S = 33  # tower design air flow [m3/s], kernels.tower_water
L_DRIFT_PCT = 34  # drift loss [% of design water flow]
L_CONC_RATIO = 35  # cycles of concentration [-]
L_P_PUMP_W = 36  # design power of the loop (chilled/facility water) pumps [W]
L_P_PUMP_COND_W = 37  # design power of the condenser-water pumps [W]
L_P_FAN_W = 38  # design power of the air movers (CRAH fans; 0 for liquid) [W]
L_FAN_MIN_FRAC = 39  # minimum flow fraction of those fans [-]
L_PLANT = 40  # heat-rejection plant code, PLANT_* below
L_DC_APPROACH_K = 41  # dry / adiabatic cooler design approach, fluid out - air in [K]
L_P_DC_FAN_W = 42  # dry / adiabatic cooler design fan power [W]
L_T_SPRAY_C = 43  # adiabatic cooler spray switch (outdoor dry bulb) [°C]
L_PAD_EFF = 44  # adiabatic pad saturation effectiveness [-]
L_MDOT_AIR_DC_KG_S = 45  # dry / adiabatic cooler design air mass flow [kg/s]
L_RESET_K = 46  # supply set point reset at low load, kernels.controls.supply_reset_c [K]
L_ECON_HYST_K = 47  # economizer enable dead band, kernels.controls.hysteresis_on [K]
L_AIR_ECON = 48  # air-side economizer ahead of the loop, kernels.airecon.AIR_ECON_* (air loop)
L_T_SUP_AIR_C = 49  # supply air (IT inlet set point) of that economizer [°C]
L_AIR_DT_K = 50  # return - supply air [K]
L_AIR_EVAP_EFF = 51  # pad / wet-side effectiveness [-]
L_P_ATM_PA = 52  # site station pressure [Pa] (both loops: air economizer, tower water)
L_P_CDU_PUMP_W = 53  # design power of the CDU (rack-loop) pumps of liquid racks [W]
L_DC_UA_W_K = 54  # dry / adiabatic cooler design UA (kernels.drycooler) [W/K]
L_WATER_J_PER_M3 = 55  # electricity to produce the loop's make-up water on site [J/m3]
L_COND_VARIABLE = 56  # 1 = variable-flow condenser water (kernels.water_cooled.condenser_flow_frac)
L_COND_MIN_FRAC = 57  # minimum condenser-water flow of a variable-flow loop, share of design [-]
L_VDOT_COND_UNIT_M3_S = 58  # condenser-water design flow of one chiller [m3/s]
L_CDU_APPROACH_K = 59  # CDU design approach, TCS - facility-water supply (kernels.cdu) [K]
L_CDU_C_TCS_W_K = 60  # rack-side (CDU pump) design capacity rate of the CDU exchanger [W/K]
N_LOOP = 61

# --- heat-rejection plant codes (loops[:, L_PLANT]) ---------------------------
PLANT_WATER_COOLED = 0  # water-cooled chillers + towers + water-side economizer
PLANT_AIR_COOLED = 1  # air-cooled chillers, condenser on outdoor dry bulb
PLANT_DRY_COOLERS = 2  # dry coolers first, air-cooled trim chillers for the rest
PLANT_ADIABATIC = 3  # as dry coolers, pads wetted above the spray switch
PLANT_NAMES = ("water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers")

# --- rack groups -------------------------------------------------------------
G_N_RACKS = 0
G_P_PEAK_W = 1  # peak power of one rack [W]
G_IDLE_FRAC = 2  # idle power as a fraction of peak [-]
G_LIQUID_FRAC = 3  # share of the group's heat removed by liquid [-]
G_PRIORITY = 4  # shedding priority level, 0 … N_PRIORITY - 1 (lowest shed first) [-]
N_GROUP = 5

# --- state -------------------------------------------------------------------
S_T_AIR_C = 0
S_T_LIQ_C = 1
S_SOC_BESS = 2  # [-] of BESS_E_J
S_SOC_UPS = 3  # [-] of UPS_E_J
S_UNMET = 4  # 1 if the previous step had unmet load
S_ECON_AIR = 5  # 1 if the air loop's economizer was enabled in the previous step
S_ECON_LIQ = 6  # same, liquid loop
S_BESS_RE_FRAC = 7  # share of the stored energy that came from on-site renewables [-]
S_BESS_CFE_FRAC = 8  # share of the stored energy that is carbon-free (RE + grid clean share) [-]
S_E_RE_J = 9  # cumulative on-site renewable production [J] (law 82-21 export cap)
S_E_EXPORT_J = 10  # cumulative export [J]
#: time left in the current step at the start of a part of it [s]; 0 for a whole step
#: (set by kernels.span before each part)
S_STEP_LEFT_S = 11
#: scheduled battery energy of the current step not yet delivered [J], + charge
#: (POLICY_SCHEDULE in a step split by an event; kernels.policy.schedule_band_w)
S_SCHED_LEFT_J = 12
#: time from the start of a step (or part) at which a store reaches its floor [s]
#: (set by kernels.integrate with the internal status ST_SPLIT, read by kernels.span)
S_SPLIT_S = 13
#: how long before the end of the last step (or part) integrated the hall air crossed its
#: limit upwards [s], -1 when it did not (the RC node's exact solution; set by
#: kernels.integrate when it stops with a status, read by twin.sim.engine)
S_AIR_BACK_S = 14
#: the same for the liquid loop's limit [s]
S_LIQ_BACK_S = 15
#: the same for unmet load beginning [s]: the part's length when it was unmet from its
#: start, 0 when IT tripped inside it (then stamped at its end)
S_UNMET_BACK_S = 16
N_STATE = 17

# --- per-step outputs (step averages, W unless named otherwise) ----------------
O_P_IT_W = 0
O_P_UPS_LOSS_W = 1
O_P_COOLING_W = 2
O_P_CHILLER_W = 3
O_P_TOWER_FAN_W = 4
O_P_PUMPS_W = 5
O_P_AIR_FANS_W = 6
O_Q_AIR_W = 7  # heat removed from the hall air by the air loop
O_Q_LIQ_W = 8  # heat removed by the liquid loop
O_Q_FREE_W = 9  # share of both handled by the economizers
O_T_AIR_C = 10  # hall air = IT inlet at the end of the step
O_T_LIQ_C = 11  # liquid-loop supply at the end of the step
O_P_PV_W = 12  # PV AC available
O_P_RE_CURTAILED_W = 13  # on-site renewables (PV + wind) curtailed; split by kernels.sources
O_P_PV_CURTAILED_W = O_P_RE_CURTAILED_W  # former name of the same slot
O_P_BESS_CHARGE_W = 14
O_P_BESS_DISCHARGE_W = 15
O_SOC_BESS = 16  # end of step
O_P_GRID_IMPORT_W = 17
O_P_GRID_EXPORT_W = 18
O_P_GENSET_W = 19
O_P_UPS_DISCHARGE_W = 20
O_P_UPS_CHARGE_W = 21
O_P_UNMET_W = 22
O_VDOT_WATER_M3_S = 23
O_ECON_MODE = 24  # air loop economizer: 0 mechanical, 1 partial, 2 free
O_GRID_UP = 25
O_P_RE_TO_LOAD_W = 26  # on-site renewables (PV + wind) to the load; split by kernels.sources
O_P_PV_TO_LOAD_W = O_P_RE_TO_LOAD_W  # former name of the same slot
O_Q_IT_HEAT_W = 27  # heat released by IT and UPS (air + liquid)
O_BALANCE_W = 28  # supply - demand residual of the electrical bus
O_COOLING_ON = 29  # 1 if the plant was powered
O_P_WIND_W = 30  # wind AC available (O_P_RE_TO_LOAD_W, O_P_RE_CURTAILED_W cover PV + wind)
O_P_BESS_CHARGE_GRID_W = 31  # part of O_P_BESS_CHARGE_W drawn from the grid
O_P_BESS_DIS_RE_W = 32  # part of O_P_BESS_DISCHARGE_W that is on-site renewable energy
O_P_BESS_DIS_CFE_W = 33  # part of O_P_BESS_DISCHARGE_W that is carbon-free
O_P_XFMR_LOSS_W = 34  # grid transformer losses, included in O_P_GRID_IMPORT_W
#: the highest hall air / liquid supply temperature at the end of any part of the step
#: (an event inside a step: kernels.span); O_T_AIR_C / O_T_LIQ_C hold the step's end
O_T_AIR_PEAK_C = 35
O_T_LIQ_PEAK_C = 36
#: IT demand shed for lack of supply, by priority level (0 shed first … N_PRIORITY - 1)
#: [W]; the UPS losses of the shed IT and a thermal trip are in O_P_UNMET_W only
O_P_SHED_W = 37
N_PRIORITY = 4
#: rack coolant (TCS) supply behind the CDUs, one CDU approach above O_T_LIQ_C
#: (kernels.cdu), at the end of the step and its highest at the end of any part [°C]
O_T_TCS_C = O_P_SHED_W + N_PRIORITY
O_T_TCS_PEAK_C = O_T_TCS_C + 1
N_OUT = O_T_TCS_PEAK_C + 1

# --- integrator status codes ------------------------------------------------------
ST_DONE = 0  # reached the end of the interval
ST_INLET_HIGH = 1  # hall air crossed T_AIR_LIMIT_C upwards
ST_LIQUID_HIGH = 2  # liquid loop crossed T_LIQ_LIMIT_C upwards
ST_BESS_EMPTY = 3  # battery reached its minimum state of charge
ST_UNMET = 4  # load started to go unserved
ST_UPS_EMPTY = 5  # the UPS battery ran out while discharging
STATUS_NAMES = (
    "done",
    "inlet_over_limit",
    "liquid_over_limit",
    "battery_empty",
    "unmet_load",
    "ups_empty",
)
#: internal to kernels.span, never returned by it: a store (battery or UPS) reaches its
#: floor inside the step at state[S_SPLIT_S]; the step was not integrated, split it there
ST_SPLIT = 6
