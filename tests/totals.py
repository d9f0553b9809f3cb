"""Parameter vectors of :func:`kernels.kpisums.run_totals` for the kernel's unit tests."""

from __future__ import annotations

import numpy as np

from kernels.kpisums import (
    N_PAR,
    P_DT_S,
    P_GENSET_F0,
    P_GENSET_F1,
    P_GENSET_MIN_LOAD,
    P_GENSET_UNIT_KW,
    P_HAS_AIR,
    P_STEPS_PER_HOUR,
    P_T_AIR_LIMIT_C,
    P_T_AIR_MIN_C,
    P_T_LIQ_LIMIT_C,
    P_T_REC_HI_C,
    P_T_REC_LO_C,
)

GENSET = (2000.0, 0.3, 0.08, 0.25)  # 2 MW units, HOMER-style intercept and slope


def par_vector(dt_s, steps_per_hour, has_air, t_air_min_c=15.0):
    """run_totals parameters: limits 32 / 45 degC, lower t_air_min_c, recommended 18-27
    degC (ASHRAE), genset fuel curve GENSET."""
    par = np.zeros(N_PAR)
    par[P_DT_S], par[P_STEPS_PER_HOUR] = dt_s, steps_per_hour
    par[P_T_AIR_LIMIT_C], par[P_T_LIQ_LIMIT_C], par[P_T_AIR_MIN_C] = 32.0, 45.0, t_air_min_c
    par[P_HAS_AIR] = float(has_air)
    par[P_T_REC_LO_C], par[P_T_REC_HI_C] = 18.0, 27.0
    par[[P_GENSET_UNIT_KW, P_GENSET_MIN_LOAD, P_GENSET_F0, P_GENSET_F1]] = GENSET
    return par
