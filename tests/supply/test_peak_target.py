"""The automatic target of ``peak_shaving`` (:mod:`kernels.peak_target`) against hand
calculations of the energy a battery can shave, and against the rule played step by step."""

from __future__ import annotations

import numpy as np
import pytest

from kernels.peak_target import BISECTIONS, lowest_peak_target_w, peak_target_holds
from twin.scenario.model import Scenario
from twin.sim import signals

H = 3600.0
E_J = 50.0 * 3.6e9  # 50 MWh
ETA_C, ETA_D = 0.95, 0.98


def _target(net_w, dt_s=H, p_w=1e9, soc0=0.9, soc_min=0.1, soc_max=1.0):
    return lowest_peak_target_w(net_w, E_J, p_w, dt_s, soc0, soc_min, soc_max, ETA_C, ETA_D)


@pytest.mark.parametrize("dt_s", [60.0, 900.0, H])
def test_one_early_peak_is_shaved_by_the_energy_stored(dt_s):
    """A 4-hour block 30 MW above a 20 MW base, before any chance to recharge: the target
    T shaves (base + 30 MW − T) for 4 h with what the battery delivers,
    (soc0 − soc_min) E η_d = 0.8 × 50 MWh × 0.98 = 39.2 MWh, so T = 50 − 39.2 / 4 = 40.2 MW."""
    n_h = 48
    per_h = int(H / dt_s)
    net = np.full(n_h * per_h, 20e6)
    net[: 4 * per_h] = 50e6
    t = _target(net, dt_s)
    assert t == pytest.approx(50e6 - 0.8 * E_J * ETA_D / (4 * H), abs=1.0)
    assert t >= 50e6 - 0.8 * E_J * ETA_D / (4 * H)  # the upper end of the bracket: it holds


def test_the_power_rating_bounds_the_shave():
    """With a 5 MW rating the same block can only be shaved by 5 MW: T = 45 MW, however
    much energy is stored."""
    net = np.full(48, 20e6)
    net[:4] = 50e6
    assert _target(net, p_w=5e6) == pytest.approx(45e6, abs=1.0)


def test_recharge_below_the_target_lets_a_second_peak_be_shaved():
    """Two equal blocks a day apart, the battery starting at its floor: it must charge
    below the target first. Between the blocks it refills to full, so both are shaved to
    the same level, set by a full battery: 0.9 × 50 MWh × 0.98 over 4 h."""
    net = np.full(72, 20e6)
    net[24:28] = 50e6
    net[48:52] = 50e6
    t = _target(net, soc0=0.1)
    assert t == pytest.approx(50e6 - 0.9 * E_J * ETA_D / (4 * H), abs=1.0)


def test_no_battery_energy_leaves_the_peak():
    net = np.array([10e6, 30e6, 20e6])
    assert _target(net, soc0=0.1, soc_max=0.1) == pytest.approx(30e6, abs=30e6 / 2**BISECTIONS)


def _holds_reference(target_w, net_w, dt_s, soc, soc_min, soc_max):
    """The rule written out step by step in plain Python (the reference)."""
    for net in net_w:
        if net > target_w:
            need = net - target_w
            avail = min(1e9, max(soc - soc_min, 0.0) * E_J * ETA_D / dt_s)
            if need > avail * (1 + 1e-9) + 1e-6:
                return False
            soc -= need / ETA_D * dt_s / E_J
        else:
            room = min(1e9, target_w - net, max(soc_max - soc, 0.0) * E_J / (ETA_C * dt_s))
            soc += ETA_C * room * dt_s / E_J
    return True


def test_the_target_holds_and_a_watt_less_does_not_on_a_noisy_year():
    rng = np.random.default_rng(4)
    n = 8760
    net = 40e6 + 5e6 * np.sin(np.arange(n) * 2 * np.pi / 24) + rng.normal(0, 1e6, n)
    t = _target(net, soc0=0.5)
    args = (net, E_J, 1e9, H, 0.5, 0.1, 1.0, ETA_C, ETA_D)
    assert peak_target_holds(t, *args)
    assert _holds_reference(t, net, H, 0.5, 0.1, 1.0)
    assert not peak_target_holds(t - 1.0, *args)
    assert not _holds_reference(t - 1.0, net, H, 0.5, 0.1, 1.0)
    assert 35e6 < t < net.max()


def test_scenario_wrapper_reads_the_battery_and_step():
    sc = Scenario.from_dict({}).with_overrides(
        ["simulation.step=15min", "battery.energy_mwh=50", "battery.power_mw=1000"]
    )
    b = sc.battery
    net = np.full(4 * 48, 20e6)
    net[:16] = 50e6
    usable_j = (b.soc_init - b.soc_min) * 50 * 3.6e9 * b.eta_discharge
    assert signals.lowest_peak_target_w(sc, net) == pytest.approx(50e6 - usable_j / (4 * H), abs=1)
    no_battery = sc.with_overrides(["battery.energy_mwh=0"])
    assert signals.lowest_peak_target_w(no_battery, net) == 50e6
