"""The workbench page in a real headless Chromium (the system's, driven by Playwright):
it loads with no console error, and the KPIs it shows after a change are the API's
answer for the scenario it sent."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.test_report import chromium_binary

TILES = ("pue", "wue_l_per_kwh", "renewable_fraction", "cfe_score", "water_m3")


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = chromium_binary()
    if exe is None:
        pytest.skip("no chromium binary on PATH (install Debian `chromium`; .ci/run does it)")
    exe = shutil.which(exe) or exe
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        pg = browser.new_page(viewport={"width": 1400, "height": 1100})
        pg.problems = []
        pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
        pg.on("pageerror", lambda e: pg.problems.append(str(e)))
        pg.goto(server.url + "/")
        yield pg
        browser.close()


def _settled(pg, after: int = 0) -> int:
    """Wait until the page has the answer of its newest request; its number."""
    pg.wait_for_function(
        "n => { const s = document.getElementById('status');"
        " return s.dataset.done && Number(s.dataset.done) > n && !s.className; }",
        arg=after,
        timeout=300_000,
    )
    return int(pg.get_attribute("#status", "data-done"))


def _shown(pg) -> dict[str, float]:
    return {k: float(pg.get_attribute(f'[data-tile="{k}"]', "data-value")) for k in TILES}


def _api(server, body) -> dict:
    status, _, data = server.post("/api/run", body)
    assert status == 200, data
    return json.loads(data)


def test_page_loads_without_console_errors_and_shows_the_api_kpis(page, server):
    n = _settled(page)
    assert page.problems == []
    body = json.loads(page.get_attribute("#status", "data-request"))
    assert body == {"example": "casablanca_nouaceur", "set": []}
    run = _api(server, body)
    assert _shown(page) == {k: run[k] for k in TILES}
    # the plots are drawn: a polygon per supply source, 12 water bars, a 12 x 24 heat map
    assert page.locator("#week polygon").count() >= 1
    assert page.locator("#water rect").count() == 12
    assert page.locator("#pue rect").count() == 12 * 24
    assert n >= 1


def test_changing_a_field_shows_the_kpis_of_the_api(page, server):
    n = _settled(page)
    before = _shown(page)
    page.fill("#pv", "90")
    page.select_option("#plant", "dry_coolers")
    n = _settled(page, n)
    body = json.loads(page.get_attribute("#status", "data-request"))
    assert "pv.capacity_mwp=90" in body["set"]
    assert 'cooling.plant="dry_coolers"' in body["set"]
    shown = _shown(page)
    assert shown == {k: _api(server, body)[k] for k in TILES}
    assert shown["water_m3"] < before["water_m3"]  # dry coolers evaporate no water
    assert shown["renewable_fraction"] > before["renewable_fraction"]
    page.fill("#it_mw", "20")  # IT power scales the racks of every group
    n = _settled(page, n)
    body = json.loads(page.get_attribute("#status", "data-request"))
    run = _api(server, body)
    assert _shown(page) == {k: run[k] for k in TILES}
    assert run["meta"]["p_it_peak_mw"] == pytest.approx(20, rel=0.01)
    page.click("#keep")
    assert page.locator("#kept tbody tr").count() == 1
    assert page.locator("#scatter circle").count() == 1
    assert page.problems == []


def test_a_refused_value_shows_the_message(page):
    n = _settled(page)
    page.fill("#warming_c", "9")
    page.wait_for_function(
        "n => Number(document.getElementById('status').dataset.done) > n", arg=n, timeout=60_000
    )
    assert "site.warming_c = 9 is outside [-6, 6] K" in page.inner_text("#status")
    page.fill("#warming_c", "0")
    _settled(page, n + 1)
