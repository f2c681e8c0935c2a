"""Every shared golden case (tests/golden/*.json) through the Python API.

Two checks per case: the hand-written expectations hold for the typed Python objects, and the
full output is byte-identical to the Rust reference (`mmpath case FILE`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import myeloma_pathway as mp
from myeloma_pathway import _native

from conftest import GOLDEN_DIR, golden_files, load_case, run_mmpath

KNOWN_TOP = {"description", "source", "guideline", "patient", "expect"}
KNOWN_EXPECT = {
    "phase",
    "line",
    "first_options",
    "options_include",
    "options_exclude",
    "excluded_include",
    "eligibility",
    "risk",
    "iss",
    "r_iss",
    "r2_iss",
    "missing_inputs_include",
    "missing_inputs_exclude",
    "max_warnings",
    "counterfactuals_include",
    "doses_include",
    "smm_risk_group",
    "mgus_risk_stratum",
    "option_labels",
    "next_decision_contains",
    "warnings_include",
    "warnings_exclude",
    "car_t_course",
    "error",
}
KNOWN_CAR_T = {"regimen", "stage", "steps", "next", "dates"}
KNOWN_DOSE = {"regimen", "drug", "dose", "adjustment"}
KNOWN_ERROR = {"kind", "field", "unit", "accepted_range"}

FILES = golden_files()


def test_there_are_golden_cases() -> None:
    assert FILES, f"no golden cases under {GOLDEN_DIR}"


def _ids(paths: List[Path]) -> List[str]:
    return [p.stem for p in paths]


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_golden_output_is_byte_identical_to_rust(path: Path, mmpath: Path) -> None:
    case = load_case(path)
    reference = run_mmpath(mmpath, "case", str(path))
    guideline = case.get("guideline")
    patient_json = json.dumps(case.get("patient"))
    guideline_json = None if guideline is None else json.dumps(guideline)
    ok, out = _native.run_or_error_json("plan", patient_json, guideline_json)
    assert out == reference
    # The public API gives the same bytes: a plan's to_json(), or the exception's to_json().
    if ok:
        assert mp.recommend(case["patient"], guideline).to_json() == reference
    else:
        with pytest.raises(mp.MyelomaPathwayError) as info:
            mp.recommend(case["patient"], guideline)
        assert info.value.to_json() == reference


def _check_expectations(case: Dict[str, Any]) -> None:
    unknown_top = set(case) - KNOWN_TOP
    assert not unknown_top, f"unknown case keys {unknown_top}"
    expect: Dict[str, Any] = case["expect"]
    unknown = set(expect) - KNOWN_EXPECT
    assert not unknown, f"unknown expectation keys {unknown}"
    guideline = case.get("guideline")
    if "error" in expect:
        assert set(expect) == {"error"}, "an error case expects nothing else"
        unknown_err = set(expect["error"]) - KNOWN_ERROR
        assert not unknown_err, f"unknown error expectation keys {unknown_err}"
        with pytest.raises(mp.MyelomaPathwayError) as info:
            mp.recommend(mp.Patient(case["patient"]), guideline)
        e = info.value
        for k, want in expect["error"].items():
            assert getattr(e, k) == want, f"error {k}: expected {want!r}, got {getattr(e, k)!r} ({e})"
        return
    plan = mp.recommend(mp.Patient(case["patient"]), None if guideline is None else mp.Guideline(guideline))
    offered = {o.regimen_id for o in plan.options}
    excluded = {x.regimen_id for x in plan.excluded}
    missing = {m.field for m in plan.missing_inputs}
    for key, want in expect.items():
        if key == "phase":
            assert plan.phase == mp.Phase(want)
        elif key == "line":
            assert plan.line == want
        elif key == "first_options":
            assert {o.regimen_id for o in plan.first_options} == set(want)
        elif key == "options_include":
            assert set(want) <= offered, f"not offered: {set(want) - offered}"
        elif key == "options_exclude":
            assert not (set(want) & offered), f"unexpectedly offered: {set(want) & offered}"
        elif key == "excluded_include":
            assert set(want) <= excluded, f"not in excluded: {set(want) - excluded}"
        elif key == "eligibility":
            assert plan.transplant_eligibility.eligibility == mp.Eligibility(want)
        elif key == "risk":
            assert plan.risk.level == mp.RiskLevel(want)
        elif key in ("iss", "r_iss", "r2_iss"):
            assert plan.staging[key].stage == want, f"{key}: {plan.staging[key].stage!r}"
        elif key == "missing_inputs_include":
            assert set(want) <= missing, f"not reported missing: {set(want) - missing}"
        elif key == "missing_inputs_exclude":
            assert not (set(want) & missing), f"reported missing: {set(want) & missing}"
        elif key == "max_warnings":
            assert len(plan.warnings) <= want, [w.code for w in plan.warnings]
        elif key == "counterfactuals_include":
            changes = [c.change for c in plan.counterfactuals]
            for c in want:
                assert c in changes, f"{c!r} not in {changes}"
        elif key == "doses_include":
            out = json.loads(plan.to_json())
            for d in want:
                _check_dose(out, d)
        elif key == "smm_risk_group":
            got = (plan.to_dict()["diagnosis"].get("smm_risk") or {}).get("group")
            assert got == want, f"smm_risk_group: {got!r}"
        elif key == "mgus_risk_stratum":
            got = (plan.to_dict()["diagnosis"].get("mgus_risk") or {}).get("stratum")
            assert got == want, f"mgus_risk_stratum: {got!r}"
        elif key == "option_labels":
            by_id = {o["regimen_id"]: o for o in plan.to_dict()["options"]}
            for rid, j in want.items():
                assert rid in by_id, f"option_labels: {rid} not offered"
                got = (by_id[rid].get("label") or {}).get("jurisdiction")
                assert got == j, f"option_labels: {rid} expected {j!r}, got {got!r}"
        elif key == "next_decision_contains":
            nd = plan.to_dict()["next_decision"]
            text = f"{nd['when']} — {nd['action']}"
            for s in want:
                assert s in text, f"{s!r} not in {text!r}"
        elif key in ("warnings_include", "warnings_exclude"):
            codes = {w["code"] for w in plan.to_dict()["warnings"]}
            for c in want:
                assert (c in codes) == (key == "warnings_include"), f"{key}: {c!r} vs {sorted(codes)}"
        elif key == "car_t_course":
            assert not set(want) - KNOWN_CAR_T, f"unknown car_t_course keys {set(want) - KNOWN_CAR_T}"
            out = plan.to_dict()
            if want.get("regimen") is None:
                course = out.get("car_t_course")
            else:
                course = next(o for o in out["options"] if o["regimen_id"] == want["regimen"]).get("car_t_course")
            assert course is not None, f"no CAR-T course for {want.get('regimen')}"
            if "stage" in want:
                assert course["stage"] == want["stage"], course["stage"]
            if "steps" in want:
                assert [s["step"] for s in course["steps"]] == want["steps"]
            if "next" in want:
                nxt = next((s["step"] for s in course["steps"] if s["status"] in ("next", "current")), None)
                assert nxt == want["next"], nxt
            for step, dates in want.get("dates", {}).items():
                got = next((s.get("dates") for s in course["steps"] if s["step"] == step), None)
                assert got == dates, f"{step}: {got!r} != {dates!r}"
        else:  # pragma: no cover - guarded by KNOWN_EXPECT above
            raise AssertionError(f"unhandled expectation {key}")
    for o in plan.options:
        assert o.citations, f"option {o.regimen_id} carries no citation"
    # Every enum the plan carries reads as a Python enum (a core value Python does not know fails).
    assert plan.diagnosis is None or isinstance(plan.diagnosis.diagnosis_class, mp.DiagnosisClass)
    assert isinstance(plan.risk.definition, mp.RiskDefinition)
    assert all(isinstance(c.state, mp.CriterionState) for c in plan.risk.criteria)
    assert all(isinstance(c.evidence, mp.Evidence) for o in plan.options for c in o.citations)
    assert isinstance(plan.position.state.transplant_eligibility, mp.Eligibility)


def _check_dose(plan: Dict[str, Any], want: Dict[str, Any]) -> None:
    """One `doses_include` entry (tests/golden/README.md): option `regimen` has a dose of `drug`
    whose dose for this patient is `dose` ({amount, unit}, or None = not computed) after the
    label adjustment `adjustment` (its code; None = no adjustment at all)."""
    unknown = set(want) - KNOWN_DOSE
    assert not unknown, f"unknown dose expectation keys {unknown}"
    options = [o for o in plan["options"] if o["regimen_id"] == want["regimen"]]
    assert options, f"doses_include: {want['regimen']} is not offered"
    doses = [d for d in options[0]["doses"] if d["drug"] == want["drug"]]
    assert doses, f"doses_include: {want['regimen']} has no {want['drug']} dose"
    seen = []
    for d in doses:
        if want["adjustment"] is None:
            if d["adjustments"]:
                seen.append(d["adjustments"])
                continue
            got = None if d.get("amount") is None else (d["amount"], d["unit"])
        else:
            found = [a for a in d["adjustments"] if a["code"] == want["adjustment"]]
            if not found:
                seen.append(d["adjustments"])
                continue
            got = None if found[0].get("amount_mg") is None else (found[0]["amount_mg"], "mg")
        exp = want["dose"]
        if (exp is None and got is None) or (
            exp is not None and got is not None and abs(exp["amount"] - got[0]) < 1e-9 and exp["unit"] == got[1]
        ):
            return
        seen.append(got)
    raise AssertionError(f"doses_include: {want} not found; got {seen}")


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_golden_expectations_hold_in_python(path: Path) -> None:
    _check_expectations(load_case(path))


def test_runner_fails_on_an_unknown_expectation_key() -> None:
    case = {"description": "", "source": "", "patient": {}, "expect": {"phase": "work_up", "phse": "work_up"}}
    with pytest.raises(AssertionError, match="unknown expectation keys"):
        _check_expectations(case)


def test_runner_fails_on_an_unknown_error_expectation_key() -> None:
    case = {"description": "", "source": "", "patient": {"age": 1}, "expect": {"error": {"kind": "invalid_json", "feild": "age"}}}
    with pytest.raises(AssertionError, match="unknown error expectation keys"):
        _check_expectations(case)


def test_runner_fails_on_an_unknown_dose_expectation_key() -> None:
    with pytest.raises(AssertionError, match="unknown dose expectation keys"):
        _check_dose({"options": []}, {"regimen": "vrd", "drug": "lenalidomide", "dose": None, "adjustmen": None})


def test_runner_fails_on_another_dose() -> None:
    case = load_case(GOLDEN_DIR / "renal-impairment-lenalidomide-dose.json")
    # CrCl 31.5 mL/min: the label's 10 mg, not the 25 mg as written.
    case["expect"] = {"doses_include": [{"regimen": "vrd", "drug": "lenalidomide", "dose": {"amount": 25, "unit": "mg"}, "adjustment": None}]}
    with pytest.raises(AssertionError, match="doses_include"):
        _check_expectations(case)
    case["expect"] = {"doses_include": [{"regimen": "vrd", "drug": "lenalidomide", "dose": {"amount": 10, "unit": "mg"}, "adjustment": "lenalidomide_renal"}]}
    _check_expectations(case)
