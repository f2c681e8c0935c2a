"""Shared fixtures: the repository, the golden cases and the Rust reference CLI (`mmpath`)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

REPO = Path(__file__).resolve().parents[3]
GOLDEN_DIR = REPO / "tests" / "golden"


def golden_files() -> List[Path]:
    return sorted(GOLDEN_DIR.glob("*.json"))


def load_case(path: Path) -> Dict[str, Any]:
    case: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return case


@pytest.fixture(scope="session")
def mmpath() -> Path:
    """The `mmpath` binary: $MMPATH if set (scripts/test-python builds it), else built here."""
    env = os.environ.get("MMPATH")
    if env:
        path = Path(env)
    else:
        subprocess.run(["cargo", "build", "-q", "-p", "mmpath"], cwd=REPO, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        if not target.is_absolute():
            target = REPO / target
        path = target / "debug" / "mmpath"
    assert path.is_file(), f"mmpath not found at {path}"
    return path


def run_mmpath(mmpath: Path, *args: str) -> str:
    out = subprocess.run([str(mmpath), *args], capture_output=True, text=True, encoding="utf-8", check=False)
    assert out.returncode == 0, f"mmpath {' '.join(args)} failed ({out.returncode}): {out.stderr}"
    # println! adds one newline; the library's JSON has none.
    assert out.stdout.endswith("\n")
    return out.stdout[:-1]


# A fit 60-year-old with newly diagnosed multiple myeloma established by IMWG 2014 (the golden
# case's record: since issue 9, a record the diagnosis cannot classify gets no treatment option).
FIT_60: Dict[str, Any] = json.loads(
    (GOLDEN_DIR / "article-fit-60-standard-risk-induction.json").read_text(encoding="utf-8")
)["patient"]


@pytest.fixture
def fit_60() -> Dict[str, Any]:
    return json.loads(json.dumps(FIT_60))
