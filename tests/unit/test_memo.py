"""The demand half of a step (kernels.memo): what it reads, and its memo rows.

A scenario replays another's demand half only where the key of its own step is the
recorded one bit for bit, and only inside a group whose plant rows differ in
``SUPPLY_ONLY``. These tests check the two facts that make a replay exact: the demand
half does not read the ``SUPPLY_ONLY`` parameters, and a memo row gives back exactly what
was stored and matches exactly its own key.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from kernels import layout as L
from kernels.integrate import demand_step
from kernels.memo import M_U0, SUPPLY_ONLY, memo_hit, memo_load, memo_store, memo_width
from twin.scenario.model import Scenario
from twin.sim.compile import compile_scenario, initial_state

# hall states around the operating point, above the trip and with the economizers on,
# and powered shares of a normal step, the genset's first step and a plant without power
STATES = [(24.0, 30.0, 0.0, 0.0), (27.5, 33.0, 1.0, 1.0), (46.0, 50.0, 1.0, 0.0)]
F_ON = (1.0, 0.6, 0.0)
AIRS = [(31.0, 21.0), (12.0, 8.0)]


def _halves(design, u):
    plant, loops, groups = design.plant, design.loops, design.groups
    lps = (loops[L.AIR], loops[L.LIQUID])
    rc = (
        plant[L.T_AIR_SET_C], plant[L.HALL_C_J_K], plant[L.HALL_UA_W_K],
        plant[L.T_LIQ_SET_C], plant[L.LIQ_C_J_K], plant[L.DT_S],
    )  # fmt: skip
    found = []
    for t_air, t_liq, econ_air, econ_liq in STATES:
        state = np.zeros(L.N_STATE)
        state[L.S_T_AIR_C], state[L.S_T_LIQ_C] = t_air, t_liq
        state[L.S_ECON_AIR], state[L.S_ECON_LIQ] = econ_air, econ_liq
        for t_db, t_wb in AIRS:
            for f_on in F_ON:
                air = (t_db, t_wb, 2.0, 2.0)
                found.append(demand_step(plant, loops, lps, rc, groups, u, state, air, f_on))
    return found


@pytest.fixture(scope="module")
def design():
    return compile_scenario(Scenario())


def test_the_demand_half_does_not_read_the_supply_only_parameters(design):
    u = np.array([0.8, 0.5])[: design.groups.shape[0]]
    ref = _halves(design, u)
    assert any(h[0][2] > 0.0 for h in ref) and any(h[3][4] > 0.0 for h in ref)  # IT, chillers
    for idx in SUPPLY_ONLY:
        plant = design.plant.copy()
        plant[idx] = plant[idx] * 1.37 + 0.91  # any other value
        assert _halves(dataclasses.replace(design, plant=plant), u) == ref, idx


def test_a_demand_parameter_changes_the_demand_half(design):
    """The check above can fail: a parameter the demand half reads changes it."""
    u = np.array([0.8, 0.5])[: design.groups.shape[0]]
    ref = _halves(design, u)
    for idx in (L.T_AIR_SET_C, L.IT_TEMP_COEF_PER_K, L.UPS_ETA, L.HALL_UA_W_K):
        plant = design.plant.copy()
        plant[idx] = plant[idx] * 1.37 + 0.91
        assert _halves(dataclasses.replace(design, plant=plant), u) != ref, idx


def test_a_memo_row_gives_back_what_was_stored_and_matches_only_its_key(design):
    u = np.array([0.8, 0.5])[: design.groups.shape[0]]
    state = initial_state(Scenario())
    half = _halves(design, u)[4]
    row = np.full(memo_width(u.shape[0]), np.nan)
    key = (state, 0.6, 3600.0, 2.0, 2.0, 31.0, 21.0, u)
    assert not memo_hit(row, *key)  # a row nothing recorded matches nothing
    memo_store(row, key, half)
    assert memo_load(row) == half
    assert memo_hit(row, *key)
    for j in range(len(key) - 1):  # one ulp off in any one value of the key
        if j == 0:
            other = state.copy()
            other[L.S_T_AIR_C] = np.nextafter(other[L.S_T_AIR_C], np.inf)
            assert not memo_hit(row, other, *key[1:])
            continue
        moved = list(key)
        moved[j] = np.nextafter(key[j], np.inf)
        assert not memo_hit(row, *moved), j
    u2 = u.copy()
    u2[-1] = np.nextafter(u2[-1], 0.0)
    assert not memo_hit(row, *key[:-1], u2)
    assert row.shape[0] == M_U0 + u.shape[0]
