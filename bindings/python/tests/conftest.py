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


FIT_60: Dict[str, Any] = {
    "age_years": 60,
    "sex": "male",
    "weight_kg": 80,
    "height_cm": 178,
    "ecog": 0,
    "frailty": {"charlson": 0, "katz_adl": 6, "lawton_iadl": 8},
    "organ_function": {"lvef_pct": 60, "dlco_pct": 85, "bilirubin_x_uln": 0.6, "nyha_class": 0, "peripheral_neuropathy_grade": 0},
    "labs": {
        "creatinine": {"value": 1.0, "unit": "mg/dL"},
        "albumin": {"value": 3.9, "unit": "g/dL"},
        "beta2_microglobulin": {"value": 2.8, "unit": "mg/L"},
        "ldh": {"value": 180, "unit": "U/L"},
        "ldh_upper_limit_of_normal": {"value": 250, "unit": "U/L"},
    },
    "cytogenetics": [
        {"abnormality": "del_17p", "status": "not_detected"},
        {"abnormality": "t_4_14", "status": "not_detected"},
        {"abnormality": "gain_1q", "status": "not_detected"},
    ],
}


@pytest.fixture
def fit_60() -> Dict[str, Any]:
    return json.loads(json.dumps(FIT_60))
