"""The guide notebook (docs/python-guide.ipynb) is stored executed, with its outputs; the test
re-executes it and compares the outputs with the stored ones, so neither the code nor what it
shows can rot. After a change that alters what the guide shows, store it again with
`target/python-venv/bin/python scripts/execute-python-guide.py`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List

import nbformat
from nbclient import NotebookClient

import myeloma_pathway as mp

from conftest import REPO

NOTEBOOK = REPO / "docs" / "python-guide.ipynb"

# Volatile parts: object addresses, and the identity of the build and knowledge base (the plan's
# basis) — a new knowledge-base version must not make the guide's prose wrong, only its hash.
_VOLATILE = [
    (re.compile(r"0x[0-9a-f]{6,}"), "0x…"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b[0-9a-f]{16}…"), "<sha256>…"),
]


def _normal(text: str) -> str:
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    for ident in (mp.kb_sha256(), mp.kb_version(), mp.library_version()):
        text = text.replace(ident, "<id>")
    return text


def _outputs(nb: Any) -> List[List[Dict[str, str]]]:
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                # The kernel flushes a cell's prints in chunks that vary from run to run: join them.
                key = f"stream:{o.get('name', '')}"
                if outs and key in outs[-1]:
                    outs[-1][key] = _normal(outs[-1][key] + str(o.get("text", "")))
                else:
                    outs.append({key: _normal(str(o.get("text", "")))})
            elif o.get("output_type") == "error":
                outs.append({"error": str(o.get("ename"))})
            else:
                outs.append({k: _normal(v if isinstance(v, str) else "".join(v)) for k, v in o.get("data", {}).items()})
        cells.append(outs)
    return cells


def test_the_guide_notebook_is_stored_with_the_outputs_it_gives_when_re_executed(tmp_path: Path) -> None:
    stored = nbformat.read(str(NOTEBOOK), as_version=4)
    want = _outputs(stored)
    assert any(want), "the guide is stored executed, with its outputs"
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    got = _outputs(nb)
    assert not [o for c in got for o in c if "error" in o]
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, (
            f"code cell {i} shows something else than the stored guide; if intended, store it again with "
            "scripts/execute-python-guide.py"
        )
    html = [o["text/html"] for c in got for o in c if "text/html" in o]
    assert any("myeloma-pathway" in h for h in html), "the plan's HTML view is shown"
    svgs = [o["image/svg+xml"] for c in got for o in c if "image/svg+xml" in o]
    assert any("mp-swimmer" in s for s in svgs) and any("mp-stage-chart" in s for s in svgs)


def test_the_guides_what_would_change_the_answer_cell_prints_for_its_own_patient() -> None:
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "what_would_change(plan)" in c.source)
    text = "".join(str(o.get("text", "")) for o in cell.outputs if o.get("output_type") == "stream")
    assert "first option: d-vrd-perseus" in text
    assert "if t(4;14) were not detected: first option: Lenalidomide maintenance" in text
