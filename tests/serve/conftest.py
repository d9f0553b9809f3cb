"""One warm server for the API and browser tests, with a data directory that holds a real
weather file, a link out of it and, beside it, a file no client may read."""

from __future__ import annotations

import shutil

import pytest

from tests.datafiles import RABAT_EPW
from tests.serve.server import Server

SECRET = "SECRET-LINE-9f3c: this file lies outside the data directory"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    data = root / "data"
    data.mkdir()
    shutil.copy(RABAT_EPW, data / "rabat.epw.gz")
    (root / "secret.epw").write_text(SECRET + "\n", encoding="utf-8")
    (data / "outside.epw").symlink_to(root / "secret.epw")
    return data


@pytest.fixture(scope="session")
def server(data_dir):
    # one simulation process and two places in the queue: 8 clients at once must see 503s
    s = Server("--data-dir", str(data_dir), "--workers", "1", "--queue", "2",
               log=data_dir.parent / "server.log")  # fmt: skip
    yield s
    s.stop()
