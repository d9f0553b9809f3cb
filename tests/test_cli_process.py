"""The ``twin`` command as a process (:mod:`twin.cli.process`): no BLAS probe at start-up,
a fast exit at the end, and neither changes an answer or loses an output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.test_cli import REPO, cli_env, twin_cli
from twin.cli import main


def _python(code: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_blas_probe_skipped_then_scipy_and_numba_linear_algebra_still_work():
    proc = _python(
        """
        import sys
        from twin.cli.process import skip_blas_probe
        assert skip_blas_probe()
        assert "scipy.linalg" not in sys.modules, "the probe imported SciPy"
        import numba.np.arraymath as am
        assert am._HAVE_BLAS is False
        assert not skip_blas_probe()  # once only: the module is imported now
        import numba
        import numpy as np
        import scipy.linalg  # SciPy itself is untouched
        assert scipy.linalg.det(np.eye(3) * 2.0) == 8.0

        @numba.njit
        def dot(a, b):
            return np.dot(a, b)  # numba probes its BLAS again when compiling this

        x = np.arange(4.0)
        print(dot(x, x))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "14.0"  # 0 + 1 + 4 + 9


def test_the_kernels_call_no_blas_routine():
    """What makes skipping numba's BLAS probe safe: no kernel uses a routine whose
    compilation depends on it (``np.convolve``, ``np.correlate``) or on a BLAS at all."""
    pattern = re.compile(
        r"np\.(dot|vdot|inner|outer|matmul|convolve|correlate|cov|corrcoef)\b|np\.linalg|\w\s@\s\w"
    )
    hits = [
        f"{path.name}:{i}"
        for path in sorted((REPO / "kernels").glob("*.py"))
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line.split("#")[0])
    ]
    assert hits == []


def test_fast_exit_flushes_output_and_runs_exit_handlers(tmp_path):
    marker = tmp_path / "handler.txt"
    proc = _python(
        """
        import atexit, sys, tempfile
        from pathlib import Path
        from twin.cli.process import fast_exit

        tmp = tempfile.TemporaryDirectory()  # removed by its finalizer, an exit handler
        atexit.register(lambda: Path(sys.argv[1]).write_text(tmp.name))
        sys.stdout.write("no newline at the end")  # still buffered
        fast_exit(3)
        print("never")
        """,
        str(marker),
    )
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == "no newline at the end"
    assert marker.exists()
    assert not Path(marker.read_text()).exists()  # the temporary folder was removed


def test_no_fast_exit_while_another_thread_runs():
    proc = _python(
        """
        import threading, time
        from twin.cli.process import fast_exit

        def late():
            time.sleep(0.5)
            print("thread finished", flush=True)

        threading.Thread(target=late).start()
        fast_exit(5)
        """
    )
    assert proc.returncode == 5, proc.stderr
    assert proc.stdout == "thread finished\n"  # the interpreter waited for it


def test_the_command_answers_as_main_does(tmp_path, capsys):
    """The command (no BLAS probe, fast exit) and :func:`twin.cli.main` in this process
    give the same KPIs, to the last digit."""
    args = ("run", "--json", "--set", "simulation.days=3")
    proc = twin_cli(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert main(list(args)) == 0
    here = json.loads(capsys.readouterr().out)
    there = json.loads(proc.stdout)
    here.pop("meta"), there.pop("meta")  # run facts: wall time, versions
    assert len(there) > 50
    assert there == here
    assert there["pue"] > 1.0


def test_hugepage_advice_off_in_the_command_unless_the_user_chose():
    code = """
        import numpy as np
        from twin.cli.process import no_hugepage_advice
        print(no_hugepage_advice(), np._core.multiarray._get_madvise_hugepage())
        """
    env_free = _python(code)
    assert env_free.returncode == 0, env_free.stderr
    assert env_free.stdout.split() == ["True", "False"]
    chosen = subprocess.run(  # NumPy's own switch, set by the user: left as it is
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**cli_env(), "NUMPY_MADVISE_HUGEPAGE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.split()[0] == "False"


def test_twin_serve_gets_the_hugepage_advice_back():
    """A server lives long and allocates alike for every request: the advice the command
    took away is given back (and only where the command took it)."""
    proc = _python(
        """
        import numpy as np
        from twin.cli import process
        get = np._core.multiarray._get_madvise_hugepage
        before = get()
        process.restore_hugepage_advice()  # nothing taken yet: nothing given
        untouched = get() == before
        process.no_hugepage_advice()
        off = get()
        process.restore_hugepage_advice()
        print(untouched, off, get() == before)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False", "True"]


def test_import_twin_loads_nothing_heavy_and_its_names_come_on_first_use():
    proc = _python(
        """
        import sys
        import twin
        heavy = {"numpy", "pandas", "numba", "pydantic", "kernels"} & set(sys.modules)
        assert not heavy, heavy
        from twin import Scenario, simulate, KPI_NAMES
        import twin.scenario.model, twin.results.simulate
        assert Scenario is twin.scenario.model.Scenario
        assert simulate is twin.results.simulate.simulate
        assert "pue" in KPI_NAMES and twin.KPI_UNITS["pue"][0] == "-"
        assert set(twin.__all__) <= set(dir(twin))
        try:
            twin.no_such_name
        except AttributeError as exc:
            assert "no_such_name" in str(exc)
        else:
            raise AssertionError("an unknown name resolved")
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_collector_paused_while_the_command_imports_then_back_and_frozen():
    proc = _python(
        """
        import gc
        from twin.cli.process import collector_paused
        frozen = gc.get_freeze_count()
        with collector_paused():
            assert not gc.isenabled()
            import numpy
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen + 1000  # numpy's objects left the young
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()  # a collector the caller had off stays off
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
