#!/usr/bin/env python3
"""Execute docs/python-guide.ipynb with nbclient and store it with its outputs.

Run with the Python that has myeloma_pathway installed (target/python-venv/bin/python). The
test (bindings/python/tests/test_notebook.py) re-executes the notebook and compares its outputs
with the stored ones, so re-run this after a change that alters what the guide shows.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "python-guide.ipynb"


def execute(path: Path) -> "nbformat.NotebookNode":
    nb = nbformat.read(str(path), as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp}}).execute()
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)  # timestamps
    nb.metadata.pop("widgets", None)
    return nb


if __name__ == "__main__":
    nb = execute(NOTEBOOK)
    nbformat.write(nb, str(NOTEBOOK))
    print(f"stored {NOTEBOOK} with its outputs", file=sys.stderr)
