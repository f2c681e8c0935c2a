"""FHIR in: `Patient.from_fhir` reads a Bundle through the FHIR crate (translation only)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, Dict

import pytest

import myeloma_pathway as mp

from conftest import FIT_60, REPO, golden_files, load_case, run_mmpath

BUNDLE = REPO / "tests" / "fhir" / "golden-fit-60-round-trip.json"
RX = "http://www.nlm.nih.gov/research/umls/rxnorm"


def test_the_golden_round_trip_bundle_gives_the_golden_record_and_the_clis_plan(mmpath: Path) -> None:
    imported = mp.Patient.from_fhir(BUNDLE.read_text(encoding="utf-8"), "2026-06-15")
    assert isinstance(imported, mp.FhirImport)
    patient, report = imported
    # Everything but the record's schema version (FHIR carries none); findings in any order.
    def canonical(d: Dict[str, Any]) -> Dict[str, Any]:
        d = {k: v for k, v in d.items() if k != "schema_version"}
        d["cytogenetics"] = sorted(d["cytogenetics"], key=lambda f: str(f["abnormality"]))
        return d

    assert canonical(patient.to_dict()) == canonical(mp.Patient(FIT_60).to_dict())
    assert report["ignored"] == []
    assert report["reference_date"] == "2026-06-15"
    assert {u["field"] for u in report["used"]} >= {"age_years", "labs.creatinine"}
    cli = run_mmpath(mmpath, "plan", "--fhir", str(BUNDLE), "--reference-date", "2026-06-15", "--json")
    assert mp.recommend(patient).to_json() == cli


def test_the_reference_date_may_be_a_date_and_age_follows_it() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    assert mp.Patient.from_fhir(text.encode("utf-8"), datetime.date(2027, 6, 15)).patient.age_years == 61
    assert mp.Patient.from_fhir(text, datetime.date(2027, 6, 14)).patient.age_years == 60


def test_a_bad_reference_date_is_refused_naming_it() -> None:
    with pytest.raises(mp.InvalidJsonError) as e:
        mp.Patient.from_fhir(BUNDLE.read_text(encoding="utf-8"), "2026-06")
    assert e.value.field == "reference_date"


def test_a_known_code_with_an_unknown_unit_raises_the_unit_error_naming_the_resource() -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    for entry in bundle["entry"]:
        r = entry["resource"]
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "2160-0":
            r["valueQuantity"]["code"] = "mmol/L"
            name = f"Observation/{r['id']}"
    with pytest.raises(mp.UnsupportedUnitError) as e:
        mp.Patient.from_fhir(json.dumps(bundle), "2026-06-15")
    assert e.value.field is not None and e.value.field.startswith(name)


def test_treatment_history_resources_are_read_and_unknown_drugs_listed_as_ignored() -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    for i, day in enumerate(["2022-01-10", "2022-01-13"]):
        bundle["entry"].append({"resource": {
            "resourceType": "MedicationAdministration", "id": f"bor-{i}", "status": "completed",
            "medicationCodeableConcept": {"coding": [{"system": RX, "code": "358258"}]},
            "effectiveDateTime": day}})
    bundle["entry"].append({"resource": {
        "resourceType": "MedicationAdministration", "id": "asa", "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": RX, "code": "1191"}]},
        "effectiveDateTime": "2022-01-10"}})
    patient, report = mp.Patient.from_fhir(json.dumps(bundle), "2026-06-15")
    therapies = patient.to_dict()["treatment_history"]["therapies"]
    assert [(t["drug"], t["start"]) for t in therapies] == [("bortezomib", "2022-01-10"), ("bortezomib", "2022-01-13")]
    assert [(x["resource_type"], x["id"]) for x in report["ignored"]] == [("MedicationAdministration", "asa")]


def test_not_a_bundle_raises_invalid_json() -> None:
    with pytest.raises(mp.InvalidJsonError):
        mp.Patient.from_fhir('{"resourceType": "Patient"}')


# FHIR out: every golden case whose record is accepted, against the command line's bytes.
ACCEPTED = [p for p in golden_files() if "error" not in load_case(p)["expect"]]


@pytest.mark.parametrize("path", ACCEPTED, ids=[p.stem for p in ACCEPTED])
def test_plan_to_fhir_json_equals_mmpath_plan_fhir_out(path: Path, mmpath: Path, tmp_path: Path) -> None:
    case = load_case(path)
    record = tmp_path / "record.json"
    record.write_text(json.dumps(case["patient"]), encoding="utf-8")
    guideline = tmp_path / "guideline.json"
    guideline.write_text(json.dumps(case.get("guideline") or {}), encoding="utf-8")
    cli = run_mmpath(mmpath, "plan", "--fhir-out", "--guideline", str(guideline), str(record))
    plan = mp.recommend(case["patient"], case.get("guideline"))
    assert plan.to_fhir_json() == cli
    bundle = plan.to_fhir()
    assert bundle["resourceType"] == "Bundle"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert "RequestGroup" in kinds and "GuidanceResponse" in kinds


def test_the_plans_fhir_names_its_knowledge_base_version_and_hash() -> None:
    plan = mp.recommend(FIT_60)
    bundle = plan.to_fhir()
    guidance = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "GuidanceResponse")
    values = {i.get("value") for i in guidance.get("identifier", [])}
    assert {plan.basis.kb_sha256, plan.basis.kb_version, plan.basis.library_version} <= values


def test_a_plan_json_that_is_not_a_plan_is_refused_naming_what_is_missing() -> None:
    from myeloma_pathway import _native

    with pytest.raises(mp.InvalidJsonError) as e:
        _native.plan_fhir_json("{}")
    assert e.value.field == "plan.basis"


def test_the_knowledge_base_as_fhir_equals_mmpath_kb_fhir(mmpath: Path) -> None:
    cli = run_mmpath(mmpath, "kb", "--fhir")
    assert mp.KnowledgeBase.embedded().to_fhir_json() == cli
    loaded = mp.KnowledgeBase.from_file(REPO / "crates" / "myeloma-pathway" / "kb" / "knowledge-base.json")
    assert loaded.to_fhir_json() == cli
    bundle = json.loads(cli)
    assert any(e["resource"]["resourceType"] == "PlanDefinition" for e in bundle["entry"])
