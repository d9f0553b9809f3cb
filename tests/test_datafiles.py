"""The repository's own data files (tests/data): each documented, intact, and the only ones read.

Truths checked: every file under ``tests/data`` has a row in ``tests/data/README.md``
(source, licence, retrieval), and the SHA-256 of each decompressed file equals the one
written there when it was added, so a changed or swapped weather file is seen; the files
are gzip (RFC 1952 magic number) written without a name or time stamp (``gzip -n``: the
header's MTIME field, bytes 4-7, is zero, RFC 1952 section 2.3.1), so recompressing them
gives the same bytes; and no test, benchmark or notebook reaches for a data folder outside
the repository.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import pytest

from tests.datafiles import DATA, EPWS, plain_name

ROOT = Path(__file__).resolve().parents[1]
README = (DATA / "README.md").read_text(encoding="utf-8")
GZ = sorted(DATA.glob("*.gz"))


def test_the_files_the_tests_name_are_there():
    assert set(EPWS) <= set(GZ)
    assert len(GZ) == 9


@pytest.mark.parametrize("path", GZ, ids=plain_name)
def test_every_file_is_documented_with_its_checksum(path):
    rows = [line for line in README.splitlines() if f"`{plain_name(path)}`" in line]
    assert rows, f"{path.name}: no row in tests/data/README.md"
    documented = re.findall(r"`([0-9a-f]{64})`", rows[0])
    digest = hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
    assert documented == [digest]


@pytest.mark.parametrize("path", GZ, ids=plain_name)
def test_files_are_gzip_without_name_or_time(path):
    head = path.read_bytes()[:10]
    assert head[:2] == b"\x1f\x8b"  # ID1, ID2
    assert head[3] & 0x08 == 0  # FLG.FNAME clear: no original file name stored
    assert head[4:8] == b"\x00\x00\x00\x00"  # MTIME = 0


def test_no_test_benchmark_or_notebook_reads_a_folder_outside_the_repository():
    needles = ("ATLAS_TWIN_SHARED", "../shared", 'parent / "shared"', 'parents[1] / "shared"')
    files = [
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("benchmarks/*.py"),
        *ROOT.glob("benchmarks/*.md"),
        *ROOT.glob("notebooks/*.ipynb"),
    ]
    here = Path(__file__).resolve()
    hits = [
        f"{p.relative_to(ROOT)}: {n}"
        for p in files
        if p.resolve() != here
        for n in needles
        if n in p.read_text(encoding="utf-8")
    ]
    assert hits == []
