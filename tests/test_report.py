"""The HTML report: content from the run directory, warnings, and rendering in headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tests.test_cli import _assert_clean_error, twin_cli
from twin.report.html import format_kpi, warnings_for, write_report

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# After the page has loaded, write what the browser sees of each <img> into the DOM,
# so that --dump-dom returns it: how many images, and which did not decode.
PROBE = """<script>
window.addEventListener('load', () => {
  const imgs = Array.from(document.images);
  document.body.setAttribute('data-probe', JSON.stringify({
    n: imgs.length,
    broken: imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt),
    widths: imgs.map(i => i.naturalWidth)}));
});
</script>"""


def chromium_binary() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(*args: str) -> subprocess.CompletedProcess:
    exe = chromium_binary()
    if exe is None:
        pytest.skip(
            "no chromium binary on PATH (install Debian `chromium`; .ci/run does it with apt-get)"
        )
    return subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",  # CI runs as root in a container
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class _DomReader(HTMLParser):
    """Collects KPI cells, images and the probe attribute from a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.kpis: dict[str, tuple[str, str]] = {}
        self.images: list[dict[str, str | None]] = []
        self.probe: str | None = None
        self.sections: list[str] = []
        self._cell: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-kpi" in a:
            self._cell = a["data-kpi"]
            self._value = a["data-value"]
            self._text = []
        elif tag == "img":
            self.images.append(a)
        elif tag == "body" and "data-probe" in a:
            self.probe = a["data-probe"]
        elif tag == "section":
            self.sections.append(a.get("id") or "")

    def handle_data(self, data):
        if self._cell is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.kpis[self._cell] = (self._value, "".join(self._text).strip())
            self._cell = None


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    cwd = tmp_path_factory.mktemp("report")
    proc = twin_cli(
        "run",
        "--set",
        "simulation.days=3",
        "--set",
        "faults.chiller_failures_per_year=100",
        "--out",
        "run",
        "--report",
        cwd=cwd,
    )
    assert proc.returncode == 0, proc.stderr
    return cwd / "run"


def test_run_report_writes_one_self_contained_file(run_dir):
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    # nothing is fetched from outside the file: no http(s) or file resource, no relative src
    for needle in (
        'src="http',
        "src='http",
        'href="http',
        "url(",
        'src="file',
        '<link rel="stylesheet"',
    ):
        assert needle not in text, needle
    srcs = [part.split('"', 1)[0] for part in text.split('<img alt="')[1:]]
    assert srcs, "no image in the report"
    assert text.count('src="data:image/png;base64,') == text.count("<img ")
    # every PNG of the run directory is embedded
    for png in run_dir.glob("*.png"):
        assert png.stem.replace("_", " ") in text, png.name
    # the run directory holds only what write_run writes, plus the report, no temporary file
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".")]


def test_report_warnings_come_first_and_name_the_events(run_dir):
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    events = pd.read_csv(run_dir / "events.csv")
    n_trips = int((events["kind"] == "chiller_trip").sum())
    assert n_trips > 0  # 100 failures per chiller-year over 3 days
    warn = text.index('id="warnings"')
    assert warn < text.index('id="summary"') < text.index('id="plots"')
    assert f"{n_trips} chiller trip(s)" in text[warn : text.index('id="summary"')]


def test_warnings_for_thermal_unmet_and_balance():
    ok = {"energy_balance_error": 1e-9, "unmet_energy_mwh": 0.0, "thermal_violation_h": 0.0}
    empty = pd.DataFrame(columns=["time", "time_s", "kind", "detail"])
    assert warnings_for(ok, empty) == []
    bad = {
        "energy_balance_error": 2e-3,
        "unmet_energy_mwh": 12.5,
        "thermal_violation_h": 3.0,
        "max_inlet_c": 41.2,
    }
    texts = [t for sev, t in warnings_for(bad, empty) if sev == "bad"]
    assert any("Energy balance" in t and "0.002" in t for t in texts)
    assert any("Unmet energy: 12.5 MWh" in t for t in texts)
    assert any("3 h" in t and "41.2 °C" in t for t in texts)
    assert warnings_for({"pue": float("nan")}, empty)[0][0] == "bad"


def test_report_of_a_missing_or_foreign_directory_is_a_clean_error(tmp_path):
    proc = twin_cli("report", "nope", cwd=tmp_path)
    _assert_clean_error(proc, "nope", "does not exist")
    (tmp_path / "empty").mkdir()
    proc = twin_cli("report", "empty", cwd=tmp_path)
    _assert_clean_error(proc, "empty", "kpis.json")
    assert [p.name for p in (tmp_path / "empty").iterdir()] == []


def test_run_report_without_out_is_refused(tmp_path):
    proc = twin_cli("run", "--report", "--set", "simulation.days=2", cwd=tmp_path)
    _assert_clean_error(proc, "--report", "--out")


def test_twin_report_rewrites_the_report_of_a_run_dir(run_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    (copy / "report.html").unlink()
    proc = twin_cli("report", "copy", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (copy / "report.html").is_file()
    assert "report.html" in proc.stdout


def test_report_renders_in_headless_chromium_with_every_image_and_the_kpis(run_dir, tmp_path):
    report = run_dir / "report.html"
    probe = tmp_path / "probe.html"
    probe.write_text(
        report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    proc = chromium("--dump-dom", probe.resolve().as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = _DomReader()
    dom.feed(proc.stdout)
    # the page rendered: its sections are in the DOM, warnings first
    assert dom.sections[:3] == ["warnings", "summary", "plots"], dom.sections
    # every image decoded in the browser
    assert dom.probe is not None, "the load event never fired"
    probe_data = json.loads(dom.probe)
    assert probe_data["n"] == len(dom.images) >= 3
    assert probe_data["broken"] == [], probe_data
    assert all(w > 100 for w in probe_data["widths"]), probe_data
    # the KPIs shown equal kpis.json, value by value
    on_disk = json.loads((run_dir / "kpis.json").read_text(encoding="utf-8"))
    on_disk.pop("meta")
    assert set(dom.kpis) == set(on_disk)
    for name, value in on_disk.items():
        raw, shown = dom.kpis[name]
        assert float(raw) == value, name
        assert shown == format_kpi(value), (name, shown)


def test_report_screenshot(run_dir, tmp_path):
    shot = tmp_path / "shot.png"
    proc = chromium(
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        (run_dir / "report.html").resolve().as_uri(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.image as mpimg

    img = mpimg.imread(shot)
    assert img.shape[0] == 1600 and img.shape[1] == 1200
    # not a blank page: the screenshot has both light background and dark text pixels
    grey = img[..., :3].mean(axis=2)
    assert grey.max() > 0.9 and grey.min() < 0.3


def test_write_report_to_another_file(run_dir, tmp_path):
    out = write_report(run_dir, tmp_path / "r.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
