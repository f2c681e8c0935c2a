"""The Pythonic API mirrors the core: patients, enums, assessments, results, pathway."""

from __future__ import annotations

import json
import pickle
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict

import pytest

import myeloma_pathway as mp
from myeloma_pathway import _native

from conftest import REPO, run_mmpath


def test_a_patient_from_kwargs_dict_and_json_is_the_same_record(fit_60: Dict[str, Any]) -> None:
    a = mp.Patient(**fit_60)
    b = mp.Patient(fit_60)
    c = mp.Patient.from_json(json.dumps(fit_60))
    assert a == b == c
    assert a.age_years == 60
    assert a.history is None  # absent = unknown, never a default


def test_patient_accepts_enums_quantities_and_findings() -> None:
    p = mp.Patient(
        age_years=70,
        sex=mp.Sex.FEMALE,
        labs={"creatinine": mp.Quantity(176.8, "µmol/L")},
        cytogenetics=[mp.Finding(mp.Abnormality.DEL_17P, mp.FindingStatus.DETECTED, clonal_fraction_pct=55)],
    )
    d = p.to_dict()
    assert d["sex"] == "female"
    assert d["cytogenetics"][0] == {"abnormality": "del_17p", "status": "detected", "clonal_fraction_pct": 55.0}
    assert mp.risk(p).level is mp.RiskLevel.HIGH


def test_record_and_keywords_naming_the_same_key_are_refused(fit_60: Dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        mp.Patient(fit_60, age_years=61)


def test_python_enums_match_the_core_lists() -> None:
    assert [p.value for p in mp.Phase] == _native.enum_ids("phase")
    assert [d.value for d in mp.RiskDefinition] == _native.enum_ids("risk_definition")
    assert [a.value for a in mp.Abnormality] == _native.enum_ids("abnormality")


def test_every_guideline_enum_value_is_accepted_by_the_core() -> None:
    for key, enum in (
        ("profile", mp.Profile),
        ("risk_definition", mp.RiskDefinition),
        ("del17p_cutoff", mp.Del17pCutoff),
        ("jurisdiction", mp.Jurisdiction),
        ("crcl_weight", mp.WeightBasis),
    ):
        for member in enum:
            assert mp.Guideline(**{key: member}).to_dict()[key] == member.value


def test_every_finding_status_method_and_sex_is_accepted_by_the_core() -> None:
    for status in mp.FindingStatus:
        for method in mp.FishMethod:
            mp.Patient(cytogenetics=[mp.Finding(mp.Abnormality.T_4_14, status, method=method)])
    for sex in mp.Sex:
        mp.Patient(sex=sex)


def test_every_event_kind_and_response_category_is_read_by_the_core() -> None:
    state = mp.PathwayState.new(mp.Eligibility.ELIGIBLE)
    events = [
        mp.Event.therapy_started("vrd"),
        mp.Event.cycle_completed(),
        mp.Event.transplant_eligibility_assessed(True),
        mp.Event.consolidation_started(mp.ConsolidationRoute.TRANSPLANT),
        mp.Event.transplant_done(),
        mp.Event.maintenance_started("len-maintenance"),
        mp.Event.maintenance_stopped(),
        mp.Event.progression(),
        mp.Event.intolerance("bortezomib"),
        mp.Event.mrd_assessed(mp.MrdStatus.NEGATIVE),
    ] + [mp.Event.response_assessed(r) for r in mp.ResponseCategory]
    assert {e.kind for e in events} == {k.value for k in mp.EventKind}
    for e in events:
        try:
            mp.transition(state, e)
        except mp.TransitionRefusedError:
            pass  # a typed refusal is an answer; an unknown event kind would be InvalidJsonError


def test_every_assessment_of_the_core_is_reachable(fit_60: Dict[str, Any]) -> None:
    for name in mp.assessment_names():
        result = mp.assess(name, fit_60)
        assert isinstance(result.to_dict(), dict)
        assert result.basis.kb_sha256 == mp.kb_sha256()
    assert mp.assess("plan", fit_60).to_text() == mp.recommend(fit_60).to_text()


def test_assessments_give_the_rust_bytes(fit_60: Dict[str, Any], mmpath: Path, tmp_path: Path) -> None:
    f = tmp_path / "p.json"
    f.write_text(json.dumps(fit_60), encoding="utf-8")
    for name in mp.assessment_names():
        assert mp.assess(name, fit_60).to_json() == run_mmpath(mmpath, name, str(f), "--json")
    g = mp.Guideline(risk_definition="imwg2016", profile="quadruplet_first")
    ref = run_mmpath(mmpath, "plan", str(f), "--json", "--risk-definition", "imwg2016", "--profile", "quadruplet_first")
    assert mp.recommend(fit_60, g).to_json() == ref


def test_kb_identity_matches_rust(mmpath: Path) -> None:
    kb = json.loads(run_mmpath(mmpath, "kb"))
    assert mp.kb_version() == kb["version"]
    assert mp.kb_sha256() == kb["sha256"]
    assert mp.library_version() == kb["library_version"] == mp.__version__


def test_plan_attributes_are_typed(fit_60: Dict[str, Any]) -> None:
    plan = mp.recommend(mp.Patient(fit_60))
    assert plan.phase is mp.Phase.WORK_UP
    assert plan.line == 1
    first = plan.options[0]
    # The default profile (guideline_2026: NCCN V.1.2025, ASCO-Ontario Health 2026) puts D-VRd first.
    assert first.rank == 1 and first.regimen_id == "d-vrd-perseus"
    assert first.course and "28-day" in first.course
    assert all(isinstance(c, mp.Citation) and c.key for o in plan.options for c in o.citations)
    assert all(o.citations for o in plan.options)
    assert isinstance(plan.transplant_eligibility.eligibility, mp.Eligibility)
    assert isinstance(plan.risk.level, mp.RiskLevel)
    assert plan.staging["iss"].stage == "I"
    assert plan.basis.kb_sha256 == mp.kb_sha256()
    assert plan.basis.guideline == mp.Guideline()
    assert plan.basis.inputs is not None and plan.basis.inputs["age_years"] == 60
    assert json.loads(plan.to_json()) == plan.to_dict()
    # to_dict is a copy: changing it does not change the plan.
    d = plan.to_dict()
    d["options"].clear()
    assert plan.options


def test_missing_inputs_name_the_test_that_would_decide() -> None:
    plan = mp.recommend({"age_years": 60})
    fields = {m.field for m in plan.missing_inputs}
    assert "labs.beta2_microglobulin" in fields
    assert all(m.test and m.needed_for for m in plan.missing_inputs)


def test_stage_risk_compare_and_eligibility_results(fit_60: Dict[str, Any]) -> None:
    s = mp.stage(fit_60)
    assert s.iss.stage == "I"
    assert s.r_iss.stage is None or s.r_iss.stage == "I"
    assert s.iss.citation.key
    cmp = mp.compare_risk(fit_60)
    assert {a.definition for a in cmp.assessments} == set(mp.RiskDefinition)
    assert set(cmp.by_definition()) == set(mp.RiskDefinition)
    e = mp.eligibility(fit_60)
    assert e.eligibility is mp.Eligibility.ELIGIBLE
    assert e.imwg_frailty.category is mp.FrailtyCategory.FIT
    assert e.creatinine_clearance is not None
    r = mp.risk(fit_60, mp.Guideline(risk_definition=mp.RiskDefinition.IMS2025))
    assert r.definition is mp.RiskDefinition.IMS2025


def test_html_reprs_render_and_escape(fit_60: Dict[str, Any]) -> None:
    plan = mp.recommend(fit_60)
    h = plan._repr_html_()
    assert "VRd" in h and "<svg" in h and "not a medical device" in h
    for r in (mp.stage(fit_60), mp.compare_risk(fit_60), mp.eligibility(fit_60), mp.risk(fit_60), mp.diagnose(fit_60), mp.response(fit_60)):
        assert r._repr_html_().startswith("<div")
    assert "<script>" not in mp._model._dl_html("x", {"a": "<script>"})


def test_timeline_svg_is_well_formed_and_follows_the_calendar(fit_60: Dict[str, Any]) -> None:
    # The article's profile puts VRd first (the default guideline_2026 profile puts D-VRd first).
    plan = mp.recommend(fit_60, {"profile": "article"})
    svg = plan.timeline_svg()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    reg = mp.regimen("vrd")
    assert reg is not None
    # VRd as offered before transplant: the knowledge base's transplant-eligible course, in
    # 21-day cycles; bortezomib on 4 days per cycle, lenalidomide one bar.
    n = mp.KnowledgeBase.embedded().course_cycles("vrd", "transplant_eligible")
    assert n is not None
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    bortezomib = [t for t in titles if t.startswith("bortezomib")]
    assert len(bortezomib) == 4 * n
    assert any(t.startswith("lenalidomide") and f"C{n} D1–14" in t for t in titles)
    assert "response" in svg  # the next decision is marked
    for o in plan.options:
        ET.fromstring(plan.timeline_svg(o.regimen_id))
    for rid in _native.regimen_ids():
        ET.fromstring(mp.regimen_timeline_svg(rid))


def test_transition_walks_the_pathway_and_refuses_with_a_typed_reason() -> None:
    s = mp.PathwayState.new(mp.Eligibility.INELIGIBLE)
    s = mp.transition(s, mp.Event.therapy_started("vrd"))
    assert s.phase is mp.Phase.INDUCTION
    s = mp.transition(s, mp.Event.response_assessed(mp.ResponseCategory.VGPR))
    with pytest.raises(mp.TransitionRefusedError) as info:
        mp.transition(s, mp.Event.consolidation_started("transplant"))
    assert info.value.reason == "transplant_ineligible"
    assert info.value.code == 20
    s2 = mp.transition(s.to_json(), {"event": "consolidation_started", "route": "extended_induction"})
    assert s2.phase is mp.Phase.CONSOLIDATION_EXTENDED_INDUCTION


def test_transition_is_total_over_states_and_events() -> None:
    """Every (state, event) pair gives a state or a typed refusal, never anything else."""
    events = [
        {"event": "therapy_started", "regimen": "vrd"},
        {"event": "therapy_started", "regimen": "dpd"},
        {"event": "therapy_started", "regimen": "no-such-regimen"},
        {"event": "cycle_completed"},
        {"event": "response_assessed", "response": "vgpr"},
        {"event": "response_assessed", "response": "pd"},
        {"event": "transplant_eligibility_assessed", "eligible": False},
        {"event": "consolidation_started", "route": "transplant"},
        {"event": "consolidation_started", "route": "extended_induction"},
        {"event": "transplant_done"},
        {"event": "maintenance_started", "regimen": "len-maintenance"},
        {"event": "maintenance_stopped"},
        {"event": "progression"},
        {"event": "intolerance", "drug": "lenalidomide"},
        {"event": "mrd_assessed", "status": "negative"},
    ]
    seen = {mp.PathwayState.new(e).to_json() for e in mp.Eligibility}
    frontier = list(seen)
    for _ in range(7):
        nxt = []
        for st in frontier:
            for ev in events:
                try:
                    out = mp.transition(st, ev).to_json()
                except mp.TransitionRefusedError as e:
                    assert e.refusal is not None and e.reason
                    continue
                if out not in seen:
                    seen.add(out)
                    nxt.append(out)
        frontier = nxt[:300]
    assert len(seen) > 20
    assert {json.loads(s)["phase"] for s in seen} == {p.value for p in mp.Phase}


def test_results_and_errors_pickle(fit_60: Dict[str, Any]) -> None:
    e = pytest.raises(mp.OutOfRangeError, mp.Patient, age_years=200).value
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is mp.OutOfRangeError and e2.field == "age_years" and e2.to_json() == e.to_json()


def test_the_readme_example_runs() -> None:
    text = (REPO / "bindings" / "python" / "README.md").read_text(encoding="utf-8")
    code = text.split("```python", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})


def test_docs_list_every_cohort_column_and_output() -> None:
    text = (REPO / "docs" / "python.md").read_text(encoding="utf-8")
    for name, kind, path in mp.input_columns():
        assert f"| `{name}` | {kind} | `{path}` |" in text, name
    for name in mp.OUTPUT_COLUMNS:
        assert f"`{name}`" in text, name


def test_timeline_draws_step_up_before_cycle_one_and_lymphodepletion_before_day_one() -> None:
    tec = mp.regimen("teclistamab")
    assert tec is not None and tec["step_up"]
    step = tec["step_up"][0]
    svg = mp.regimen_timeline_svg("teclistamab", step_up=step)
    root = ET.fromstring(svg)
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert sum(t.startswith("day ") for t in titles) == len(step["doses"])
    car_t = ET.fromstring(mp.regimen_timeline_svg("cilta-cel"))
    rects = [r for r in car_t.iter("{http://www.w3.org/2000/svg}rect") if r.find("{http://www.w3.org/2000/svg}title") is not None]
    # Every dose lies inside the drawing (negative protocol days included).
    assert rects and all(float(r.get("x", "0")) >= 170 for r in rects)


def test_plan_text_is_the_core_text(fit_60: Dict[str, Any], mmpath: Path, tmp_path: Path) -> None:
    f = tmp_path / "p.json"
    f.write_text(json.dumps(fit_60), encoding="utf-8")
    assert mp.recommend(fit_60).to_text() == run_mmpath(mmpath, "plan", str(f))
    assert "<dl>" in mp.Patient(fit_60)._repr_html_()


def test_guideline_and_patient_choices_read_back_as_enums() -> None:
    g = mp.Guideline(profile="quadruplet_first", jurisdiction=mp.Jurisdiction.EU)
    assert g.profile is mp.Profile.QUADRUPLET_FIRST and g.jurisdiction is mp.Jurisdiction.EU
    assert g.risk_definition is mp.RiskDefinition.ARTICLE  # the core's default, shown
    assert g.del17p_cutoff in set(mp.Del17pCutoff) and g.crcl_weight in set(mp.WeightBasis)
    assert g.transplant_age_limit_years == 70
    assert mp.Patient(sex="female").sex is mp.Sex.FEMALE and mp.Patient().sex is None


def test_star_import_shadows_no_builtin() -> None:
    import builtins

    assert not [n for n in mp.__all__ if hasattr(builtins, n)]


def test_package_docstring_examples_run() -> None:
    import doctest

    failures, tried = doctest.testmod(mp, verbose=False)
    assert tried > 0 and failures == 0


def test_calendar_rows_follow_the_transplant_eligible_course_and_match_the_cli(fit_60: Dict[str, Any], mmpath: Path, tmp_path: Path) -> None:
    import datetime

    rows = mp.calendar(fit_60, "vrd", start=datetime.date(2026, 12, 7))
    assert rows and list(rows[0]) == list(mp.CALENDAR_COLUMNS)
    # Transplant-eligible: VRd's course before the transplant is 3 cycles (DETERMINATION), not 8.
    assert max(r["cycle"] for r in rows) == 3
    first = rows[0]
    assert (first["cycle"], first["day"], first["date"]) == (1, 1, "2026-12-07")
    assert any(r["drug"] == "bortezomib" and r["dose"].endswith(" mg") for r in rows)
    # The same calendar as `mmpath calendar --json`, row for row.
    f = tmp_path / "p.json"
    f.write_text(json.dumps(fit_60), encoding="utf-8")
    cli = json.loads(run_mmpath(mmpath, "calendar", str(f), "--start", "2026-12-07", "--regimen", "vrd", "--json"))
    assert [{c: a.get(c, "") for c in mp.CALENDAR_COLUMNS} for a in cli["administrations"]] == rows
    assert mp.calendar(fit_60, "vrd", start="2026-12-07", cycles=2)[-1]["cycle"] == 2


def test_calendar_refuses_a_regimen_the_plan_excludes_with_the_reason_and_citation() -> None:
    from conftest import GOLDEN_DIR

    case = json.loads((GOLDEN_DIR / "pregnancy-prevention-no-contraception-excludes-lenalidomide-us.json").read_text(encoding="utf-8"))
    with pytest.raises(mp.InconsistentError) as e:
        mp.calendar(case["patient"], "vrd", start="2026-12-07", guideline=case["guideline"])
    assert "`vrd` (VRd) is excluded for this patient" in str(e.value)
    assert "Lenalidomide REMS (US)" in str(e.value) and "len-rems (" in str(e.value)
    # Just past it: contraception in place, the calendar is laid out.
    case["patient"]["pregnancy_prevention"]["reliable_contraception"] = True
    assert mp.calendar(case["patient"], "vrd", start="2026-12-07", guideline=case["guideline"])


def test_calendar_as_a_dataframe_and_its_refusals(fit_60: Dict[str, Any]) -> None:
    pd = pytest.importorskip("pandas")
    df = mp.calendar(fit_60, "vrd", start="2026-12-07", frame=True)
    assert isinstance(df, pd.DataFrame) and list(df.columns) == list(mp.CALENDAR_COLUMNS)
    with pytest.raises(mp.MyelomaPathwayError):
        mp.calendar(fit_60, "rd", start="2026-12-07")  # not offered at diagnosis of a fit 60-year-old
    with pytest.raises(mp.MyelomaPathwayError):
        mp.calendar(fit_60, "vrd", start="2026-13-07")
    with pytest.raises(mp.MyelomaPathwayError):
        mp.calendar(fit_60, "vrd", start="2026-12-07", cycles=0)
