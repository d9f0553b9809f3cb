"""Sphinx configuration of the API reference (built from the docstrings, numpydoc style).

Build it with ``python -m sphinx -W -b html docs/api docs/api/_build`` from the
repository root; ``tests/test_docs.py`` builds it the same way, warnings as errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from twin.provenance import package_version  # noqa: E402

project = "Atlas Twin"
author = "The Atlas Twin contributors"
copyright = "2026, The Atlas Twin contributors"
release = package_version()
version = release

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = f"Atlas Twin {release} API"
