"""The guide notebook (docs/python-guide.ipynb) runs from top to bottom, so it cannot rot."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from conftest import REPO

NOTEBOOK = REPO / "docs" / "python-guide.ipynb"


def test_the_guide_notebook_executes_without_errors(tmp_path: Path) -> None:
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert any("myeloma-pathway" in o["data"]["text/html"] for o in html), "the plan's HTML view is shown"
    svgs = [o for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert svgs, "the timeline SVG is shown"
