"""Utilisation / power traces (``it.workload = "trace"``): format, conversion, errors."""

from __future__ import annotations

import pytest

from twin import Scenario, simulate
from twin.errors import ScenarioError

GROUPS = [
    {"name": "gpu", "racks": 10, "p_rack_peak_kw": 100.0, "idle_frac": 0.2, "cooling": "liquid"},
    {"name": "cpu", "racks": 10, "p_rack_peak_kw": 10.0, "idle_frac": 0.3},
]


def _scenario(tmp_path, text: str, days: int = 1, step: str = "1h") -> Scenario:
    path = tmp_path / "trace.csv"
    path.write_text(text)
    return Scenario.from_dict(
        {
            "simulation": {"days": days, "step": step},
            "faults": {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0},
            "it": {"workload": "trace", "trace_file": "trace.csv", "groups": GROUPS},
        },
        base_dir=tmp_path,
    )


def test_trace_values_hold_until_the_next_row_and_power_maps_through_the_curve(tmp_path):
    # gpu: 1 MW peak, idle 0.2 MW; 0.6 MW -> u = (0.6 - 0.2) / 0.8 = 0.5
    text = (
        "time,gpu_p_mw,cpu_u_frac\n"
        "2023-01-01 00:00,0.6,0.25\n"
        "2023-01-01 06:00,1.0,0.25\n"
        "2023-01-01 06:30,1.0,0.25\n"  # repeats: no event
        "2023-01-01 12:00,0.2,1.0\n"
    )
    r = simulate(_scenario(tmp_path, text))
    ts = r.timeseries
    u_gpu = ts["u_gpu_frac"].to_numpy()
    assert u_gpu[:6] == pytest.approx([0.5] * 6)
    assert u_gpu[6:12] == pytest.approx([1.0] * 6)
    assert u_gpu[12:] == pytest.approx([0.0] * 12)
    assert ts["u_cpu_frac"].to_numpy()[12:] == pytest.approx([1.0] * 12)
    # IT power of the first hours: 0.6 MW GPU + 10 x 10 kW x (0.3 + 0.7 x 0.25) = 0.0475 MW,
    # the CPU (air) share raised by the warm-inlet uplift of at most a few %
    assert ts["p_it_mw"].iloc[1] == pytest.approx(0.6 + 0.0475, rel=0.01)
    assert r.meta["simpy_events"] < 40  # events follow the trace's changes, not the steps


def test_trace_at_one_minute_with_utc_offsets(tmp_path):
    # Casablanca is UTC+1 in January: 23:07Z is 00:07 local
    text = (
        "time,gpu_u_frac,cpu_u_frac\n2022-12-31T22:00Z,0.1,0.1\n2022-12-31T23:07:00+00:00,0.9,0.1\n"
    )
    r = simulate(_scenario(tmp_path, text, step="1min"))
    u = r.timeseries["u_gpu_frac"]
    assert u.iloc[:7].tolist() == [0.1] * 7 and (u.iloc[7:] == 0.9).all()


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("time,gpu_u_frac\n2023-01-01 00:00,0.5\n", ["no column for group(s) ['cpu']"]),
        (
            "time,gpu_u_frac,cpu_u_frac,tpu_u_frac\n2023-01-01 00:00,0.5,0.5,0.5\n",
            ["unknown column 'tpu_u_frac'", "gpu_u_frac | gpu_p_mw"],
        ),
        (
            "time,gpu_u_frac,cpu_u_frac\n2023-01-01 00:00,0.5,1.5\n",
            ["line 2, column cpu_u_frac: 1.5 is outside [0, 1]"],
        ),
        (
            "time,gpu_p_mw,cpu_u_frac\n2023-01-01 00:00,0.1,0.5\n",
            ["line 2, column gpu_p_mw: 0.1 is outside [0.2, 1] MW"],
        ),
        (
            "time,gpu_u_frac,cpu_u_frac\n2023-01-01 00:00,0.5,0.5\n2023-01-01 00:00,0.5,0.5\n",
            ["line 3: time must be strictly increasing"],
        ),
        (
            "time,gpu_u_frac,cpu_u_frac\n2023-01-01 00:00,0.5,x\n",
            ["line 2, column cpu_u_frac: 'x' is not a number"],
        ),
        ("time,gpu_u_frac,cpu_u_frac\nyesterday,0.5,0.5\n", ["line 2: time 'yesterday'"]),
        ("time,gpu_u_frac,cpu_u_frac\n2023-01-01 01:00,0.5,0.5\n", ["after the scenario start"]),
        ("when,gpu_u_frac,cpu_u_frac\n2023-01-01 00:00,0.5,0.5\n", ["first column must be 'time'"]),
        ("time,gpu_u_frac,cpu_u_frac\n", ["no data rows"]),
        (
            "time,gpu_u_frac,cpu_u_frac\n2023-01-01 00:00,0.5,0.5\n2023-01-01T01:00Z,0.5,0.5\n",
            ["line 3: every time needs a UTC offset, or none"],
        ),
    ],
)
def test_bad_trace_names_file_line_column_and_range(tmp_path, text, needles):
    with pytest.raises(ScenarioError) as exc:
        simulate(_scenario(tmp_path, text))
    msg = str(exc.value)
    assert msg.startswith("it.trace_file trace.csv: ")
    for needle in needles:
        assert needle in msg, (needle, msg)


def test_missing_trace_file(tmp_path):
    sc = Scenario(it={"workload": "trace", "trace_file": str(tmp_path / "none.csv")})
    with pytest.raises(ScenarioError, match=r"it\.trace_file = .*none\.csv.*file not found"):
        simulate(sc)
