"""The HTTP API of ``twin serve`` against a real server on loopback: the same answer as
``twin run --json``, the CLI's messages with 422, 413, 503 with Retry-After, files only by
name inside the data directory, concurrent clients, sweeps as jobs, the token."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.serve.conftest import SECRET
from tests.serve.server import Server, _children
from tests.test_cli import twin_cli
from twin.serve.config import MAX_BODY_BYTES

WEEK = ["simulation.days=7"]


def _run(server, body, retries=200):
    """POST /api/run as a patient client: a 503 is retried after its Retry-After."""
    for _ in range(retries):
        status, headers, data = server.post("/api/run", body)
        if status != 503:
            return status, data
        time.sleep(float(headers["retry-after"]) / 10)
    raise AssertionError("still busy")


def _kpis_meta(text):
    obj = json.loads(text)
    meta = obj.pop("meta")
    meta.pop("wall_s")
    return obj, meta


def test_run_gives_the_same_json_as_twin_run(server, tmp_path):
    sets = ["pv.capacity_mwp=3", "battery.energy_mwh=4", "simulation.days=14"]
    status, data = _run(server, {"example": "rabat_colo", "set": sets})
    assert status == 200
    cli = twin_cli("run", "--example", "rabat_colo", *[f"--set={s}" for s in sets], "--json",
                   cwd=tmp_path)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    http_kpis, http_meta = _kpis_meta(data)
    cli_kpis, cli_meta = _kpis_meta(cli.stdout)
    assert list(http_kpis) == list(cli_kpis)
    for k, v in cli_kpis.items():  # bit for bit: the same float, not an approximation
        assert http_kpis[k] == v, k
    assert http_meta == cli_meta
    # and the text itself, but for the wall time
    strip = lambda t: "\n".join(x for x in t.splitlines() if '"wall_s"' not in x)  # noqa: E731
    assert strip(data.decode()) == strip(cli.stdout.strip())


def test_a_scenario_object_and_an_example_give_the_same_run(server):
    sc_status, _, sc = server.post("/api/scenario", {"example": "rabat_colo", "set": WEEK})
    assert sc_status == 200
    a = _run(server, {"scenario": json.loads(sc)})
    b = _run(server, {"example": "rabat_colo", "set": WEEK})
    assert a[0] == b[0] == 200
    assert _kpis_meta(a[1]) == _kpis_meta(b[1])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"set": ["pv.capacity_mwp=-5"]}, "pv.capacity_mwp = -5 is outside [0, 10000] MWp"),
        ({"set": ['cooling.plant="fusion"']}, "cooling.plant = 'fusion' is not one of"),
        ({"set": ["pv.nope=1"]}, "unknown key 'pv.nope'; allowed here:"),
        ({"set": ["pv.capacity_mwp"]}, "expected KEY=VALUE"),
        ({"example": "atlantis"}, "example = 'atlantis' is not one of benguerir"),
        ({"scenario": {"site": {"warming_c": 9}}}, "site.warming_c = 9 is outside [-6, 6]"),
        ({"scenario": [1, 2]}, "scenario = [1, 2]: expected an object"),
        ({"example": "dakhla", "scenario": {}}, "give scenario or example, not both"),
        ({"sets": []}, "unknown key 'sets' in the request"),
        ({"set": ["simulation.days=40000"]}, "simulation.days = 40000"),
    ],
)
def test_bad_input_is_422_with_the_cli_message(server, body, message):
    status, headers, data = server.post("/api/run", body)
    assert status == 422
    assert headers["content-type"] == "application/json"
    error = json.loads(data)["error"]
    assert message in error
    assert "\n" not in error and "Traceback" not in error


def test_the_cli_says_the_same_as_the_server(server, tmp_path):
    cli = twin_cli("run", "--set", "pv.capacity_mwp=-5", cwd=tmp_path)
    status, _, data = server.post("/api/run", {"set": ["pv.capacity_mwp=-5"]})
    assert cli.returncode == 2 and status == 422
    assert cli.stderr.strip() == "twin: error: " + json.loads(data)["error"]


def test_malformed_and_oversized_bodies(server):
    status, _, data = server.post("/api/run", raw=b'{"set": [')
    assert status == 422 and "not valid JSON" in json.loads(data)["error"]
    status, _, data = server.post("/api/run", raw=b"[1, 2]")
    assert status == 422 and "expected a JSON object" in json.loads(data)["error"]
    big = json.dumps({"set": ["pv.capacity_mwp=1"] * (MAX_BODY_BYTES // 10)}).encode()
    assert len(big) > MAX_BODY_BYTES
    status, _, data = server.post("/api/run", raw=big)
    assert status == 413 and "at most 262,144" in json.loads(data)["error"]


def test_unknown_paths_and_methods_answer_json(server):
    assert server.get("/api/nothing")[0] == 404
    status, _, data = server.get("/api/run")
    assert status == 405 and "error" in json.loads(data)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("/etc/passwd", "paths (absolute, with folders or '..') are refused"),
        ("../secret.epw", "paths (absolute, with folders or '..') are refused"),
        ("sub/../../secret.epw", "paths (absolute, with folders or '..') are refused"),
        ("~/secret.epw", "paths (absolute, with folders or '..') are refused"),
        ("outside.epw", "leads outside the server's data directory"),
        ("missing.epw", "no such file in the server's data directory"),
    ],
)
@pytest.mark.parametrize("field", ["site.weather", "it.trace_file"])
def test_files_only_by_name_inside_the_data_dir(server, data_dir, name, why, field):
    sets = [f"{field}={json.dumps(name)}"]
    if field == "it.trace_file":
        sets.append('it.workload="trace"')
    status, _, data = server.post("/api/run", {"set": sets})
    assert status == 422
    text = data.decode()
    assert why in json.loads(text)["error"]
    assert SECRET not in text and SECRET[:16] not in text and str(data_dir) not in text
    assert str(data_dir.parent) not in text


def test_a_weather_file_in_the_data_dir_runs_and_its_path_stays_private(server, data_dir):
    body = {"example": "rabat_colo", "set": [*WEEK, 'site.weather="rabat.epw.gz"']}
    status, data = _run(server, body)
    assert status == 200, data
    kpis, meta = _kpis_meta(data)
    assert meta["weather"] == "rabat.epw.gz"
    assert str(data_dir) not in data.decode()
    typical = _kpis_meta(_run(server, {"example": "rabat_colo", "set": WEEK})[1])[0]
    assert kpis["pue"] != typical["pue"]  # the file's weather, not the typical year
    for path in ("/api/scenario", "/api/scenario?format=toml", "/api/report"):
        status, _, data = server.post(path, body)
        assert status == 200 and b"rabat.epw.gz" in data
        assert str(data_dir).encode() not in data, path


def test_eight_concurrent_clients_get_their_own_answers_or_a_clean_503(server):
    bodies = [{"example": "rabat_colo", "set": [*WEEK, f"pv.capacity_mwp={i}"]} for i in range(8)]
    year_15min = [{**b, "set": ['simulation.step="15min"', f"pv.capacity_mwp={i}"]}
                  for i, b in enumerate(bodies)]  # fmt: skip
    with ThreadPoolExecutor(8) as ex:  # all at once: 1 process + 2 places, so some wait
        first = list(ex.map(lambda b: server.post("/api/run", b), year_15min))
    codes = [s for s, _, _ in first]
    assert set(codes) <= {200, 503} and 503 in codes
    for status, headers, data in first:
        if status == 503:
            assert int(headers["retry-after"]) >= 1
            assert "busy" in json.loads(data)["error"]
    with ThreadPoolExecutor(8) as ex:  # patient clients all get their own scenario
        answers = list(ex.map(lambda b: _run(server, b), bodies))
    pv = [json.loads(d)["pv_energy_mwh"] for _, d in answers]
    assert all(s == 200 for s, _ in answers)
    assert pv[0] == 0.0 and all(b > a for a, b in zip(pv, pv[1:]))  # more PV, more energy


def test_sites_examples_and_schema(server):
    sites = json.loads(server.get("/api/sites")[2])
    assert {s["id"] for s in sites} >= {"casablanca", "dakhla", "ouarzazate"}
    names = [e["name"] for e in json.loads(server.get("/api/examples")[2])]
    assert "dakhla" in names and "rabat_colo" in names
    schema = json.loads(server.get("/api/schema")[2])
    pv = schema["$defs"]["PVConfig"]["properties"]["capacity_mwp"]
    assert (pv["minimum"], pv["maximum"]) == (0, 10_000)


def test_scenario_as_toml_is_the_scenario(server):
    import tomllib

    status, _, data = server.post("/api/scenario?format=toml", {"example": "dakhla",
                                                                "set": ["pv.capacity_mwp=123"]})  # fmt: skip
    assert status == 200
    assert tomllib.loads(data.decode())["pv"]["capacity_mwp"] == 123


def test_report_of_a_run(server):
    status, headers, data = server.post("/api/report", {"example": "rabat_colo", "set": WEEK})
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = data.decode()
    assert 'data-kpi="pue"' in page and "Atlas Twin report" in page


def test_sweep_job_gives_the_run_kpis(server):
    body = {"example": "rabat_colo", "set": WEEK, "vary": ["pv.capacity_mwp=0:4:3"]}
    status, _, data = server.post("/api/sweep", body)
    assert status == 202
    job = json.loads(data)
    assert job["n_scenarios"] == 3
    deadline = time.monotonic() + 600
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(1)
        job = json.loads(server.get(f"/api/sweep/{job['id']}")[2])
    assert job["status"] == "done", job
    rows = [dict(zip(job["columns"], r)) for r in job["rows"]]
    assert [r["pv.capacity_mwp"] for r in rows] == [0, 2, 4]
    for r in rows:
        run = json.loads(_run(server, {"example": "rabat_colo",
                                       "set": [*WEEK, f"pv.capacity_mwp={r['pv.capacity_mwp']}"]})[1])  # fmt: skip
        assert r["pue"] == run["pue"] and r["water_m3"] == run["water_m3"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"vary": ["pv.capacity_mwp=0,-5"]}, "--vary pv.capacity_mwp=-5: pv.capacity_mwp = -5"),
        ({"vary": {"pv.capacity_mwp": [0, "x"]}}, '--vary pv.capacity_mwp="x"'),
        (
            {"vary": ["pv.capacity_mwp=0:10:2", "battery.energy_mwh=0:10:2000"]},
            "4,000 scenarios; at most 2,000",
        ),
        ({"vary": ['site.weather="rabat.epw.gz"']}, "a sweep job cannot vary a file"),
        ({"vary": 5}, "vary: expected"),
    ],
)
def test_bad_sweeps_are_refused_before_they_run(server, body, message):
    status, _, data = server.post("/api/sweep", body)
    assert status == 422
    assert message in json.loads(data)["error"]


def test_a_token_is_required_when_set(tmp_path):
    s = Server("--token", "t0ken", log=tmp_path / "server.log")
    try:
        assert s.get("/api/sites")[0] == 401
        assert s.get("/api/sites", headers={"Authorization": "Bearer wrong"})[0] == 401
        assert s.get("/api/sites", headers={"Authorization": "Bearer t0ken"})[0] == 200
        assert s.get("/")[0] == 200  # the page itself holds nothing; its API calls need it
    finally:
        s.stop()


def test_a_killed_server_leaves_no_simulation_process(tmp_path):
    """The simulation processes end with the server, even one killed with no chance to
    stop its pool (twin.serve.work.watch_parent)."""
    s = Server("--workers", "1", log=tmp_path / "server.log")
    try:
        kids = _children(s.proc.pid)
        assert kids  # the warm simulation process
    finally:
        s.proc.kill()
        s.proc.wait()
        s._log.close()
    deadline = time.monotonic() + 20.0
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in kids):
        time.sleep(0.2)
    assert not [p for p in kids if os.path.exists(f"/proc/{p}")]


def test_binding_beyond_loopback_needs_a_token(tmp_path):
    cli = twin_cli("serve", "--host", "0.0.0.0", cwd=tmp_path)
    assert cli.returncode == 2
    assert "needs a token (--token T or the ATLAS_TWIN_TOKEN" in cli.stderr
