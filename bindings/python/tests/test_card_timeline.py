"""The plan card says what the text plan says, in the clinician's order; timelines draw the whole
course the core counts, or say what they leave out; bad arguments raise clear errors (issue 15)."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any, Dict, List

import pytest

import myeloma_pathway as mp
from conftest import FIT_60

SVG = "{http://www.w3.org/2000/svg}"


def _titles(svg: str) -> List[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}title")]


def _maintenance(regimen: str, cycles: int) -> Dict[str, Any]:
    history: List[Dict[str, Any]] = [{"event": "therapy_started", "regimen": "vrd"}]
    history += [{"event": "cycle_completed"}] * 4
    history += [{"event": "response_assessed", "response": "vgpr"}, {"event": "transplant_done"},
                {"event": "maintenance_started", "regimen": regimen}]
    history += [{"event": "cycle_completed"}] * cycles
    return dict(FIT_60, history=history)


def test_the_card_carries_every_section_of_the_text_plan_in_the_clinicians_order() -> None:
    for rec in (FIT_60, {"age_years": 60}):
        plan = mp.recommend(rec)
        h = plan._repr_html_()
        order = ["<b>Position</b>", "<b>Diagnosis</b>", "<b>Transplant eligibility</b>", "<b>Cytogenetic risk</b>",
                 "<b>Staging</b>", ">Options now", "<b>Next decision</b>", "Basis: myeloma-pathway"]
        at = [h.index(s) for s in order]
        assert at == sorted(at), order
        for w in plan.warnings:
            assert h.index(html.escape(w.message, quote=True)) < h.index("<b>Transplant eligibility</b>")
        for o in plan.options:
            for text in [*o.rationale, *o.notes, *o.schedule]:
                assert html.escape(text, quote=True) in h, text
            for c in o.citations:
                assert html.escape(c.source, quote=True) in h
        for m in plan.missing_inputs:
            assert html.escape(m.test, quote=True) in h
        for c in plan.counterfactuals:
            assert html.escape(c.effect, quote=True) in h
        assert "if if" not in h
        assert plan.basis.kb_sha256 in h


def test_the_card_says_why_a_stage_is_missing_and_warns_before_the_options() -> None:
    h = mp.recommend({"age_years": 60})._repr_html_()
    assert "R-ISS <b>not computable</b>: needs" in h
    assert h.index("diagnosis_not_established") < h.index(">Options now")
    # The option notes carry the prescribing caveat (FIT_60's options have unchecked day lists).
    notes = [n for o in mp.recommend(FIT_60).options for n in o.notes]
    if any("confirm days and doses" in n for n in notes):
        assert "confirm days and doses against the protocol or label before prescribing" in mp.recommend(FIT_60)._repr_html_()


def test_24_months_of_ixazomib_is_drawn_as_the_26_cycles_the_core_counts() -> None:
    kb = mp.KnowledgeBase.embedded()
    assert kb.course_cycles("ixazomib-maintenance") == 26
    svg = mp.regimen_timeline_svg("ixazomib-maintenance")
    doses = [t for t in _titles(svg) if t.startswith("ixazomib")]
    assert len(doses) == 3 * 26
    assert any("C26 D15" in t for t in doses) and not any("C27" in t for t in doses)
    assert "24 months = 26 cycles of 28 days" in svg


def test_the_calendar_is_the_engines_fixed_duration_reached_after_26_cycles_not_before() -> None:
    codes_25 = [w.code for w in mp.recommend(_maintenance("ixazomib-maintenance", 25)).warnings]
    codes_26 = [w.code for w in mp.recommend(_maintenance("ixazomib-maintenance", 26)).warnings]
    assert "fixed_duration_reached" not in codes_25
    assert "fixed_duration_reached" in codes_26


def test_an_open_ended_course_says_it_draws_only_its_first_cycles() -> None:
    assert mp.KnowledgeBase.embedded().course_cycles("len-maintenance") is None
    svg = mp.regimen_timeline_svg("len-maintenance")
    assert "until progression" in svg and "first" in svg
    svg = mp.regimen_timeline_svg("len-maintenance", cycles=60)
    assert "first 60 cycles drawn" in svg
    assert any("C60" in t for t in _titles(svg))


def test_fewer_cycles_than_the_course_are_labelled_as_a_truncation() -> None:
    svg = mp.regimen_timeline_svg("vrd", cycles=3)
    assert "first 3 of 8 drawn" in svg
    assert not any("C4 " in t for t in _titles(svg))


@pytest.mark.parametrize("bad", [0, -1, 8.5, True, 1000])
def test_bad_cycle_counts_raise_value_error(bad: Any) -> None:
    with pytest.raises(ValueError):
        mp.regimen_timeline_svg("len-maintenance", cycles=bad)


def test_more_cycles_than_a_fixed_course_has_is_refused_not_drawn_short() -> None:
    with pytest.raises(ValueError, match="has 8 cycles"):
        mp.regimen_timeline_svg("vrd", cycles=60)


def test_an_option_index_past_the_end_says_how_many_there_are() -> None:
    plan = mp.recommend(FIT_60)
    with pytest.raises(IndexError, match=f"this plan has {len(plan.options)} options"):
        plan.timeline_svg(10)
    with pytest.raises(KeyError):
        plan.timeline_svg("no-such-regimen")
    with pytest.raises(KeyError):
        mp.regimen_timeline_svg("no-such-regimen")


def test_a_plan_draws_the_course_its_option_was_offered_with() -> None:
    plan = mp.recommend(FIT_60)
    first = plan.options[0]
    reg = mp.regimen(first.regimen_id)
    assert reg is not None
    course = next((c for c in reg.get("courses", []) if c["description"] in first.course), None)
    if course is None:  # pragma: no cover - the KB gives this regimen one course everywhere
        pytest.skip("no setting-specific course for the first option")
    total = mp.KnowledgeBase.embedded().course_cycles(first.regimen_id, course["setting"])
    svg = plan.timeline_svg()
    labels = {t.split(", C")[-1].split(" ")[0] for t in _titles(svg) if ", C" in t}
    assert f"{total}" in {lab for lab in labels}, (total, sorted(labels))
    assert not any(lab == str((total or 0) + 1) for lab in labels)


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(mp.UnknownIdentifierError):
        mp.KnowledgeBase.embedded().course_cycles("vrd", "Transplant_Eligible")


def test_each_options_timeline_marks_the_response_assessment_where_the_cores_next_decision_puts_it() -> None:
    # The core: "after cycle 3 of induction (VRd; D-VRd (PERSEUS): after cycle 4; ...)" under the
    # article's profile. The marker and its label follow it for each option, not the guideline's 4.
    plan = mp.recommend(FIT_60, {"profile": "article"})
    when = plan.next_decision.when
    assert when.startswith("after cycle 3 of induction (VRd;") and "D-VRd (PERSEUS): after cycle 4" in when
    vrd = plan.timeline_svg("vrd")
    assert "after cycle 3: assess response" in vrd and "beyond the" not in vrd
    dvrd = plan.timeline_svg("d-vrd-perseus")
    assert "after cycle 4: assess response" in dvrd
    from myeloma_pathway.timeline import _decision_cycle

    assert _decision_cycle("after cycle 4 of induction", "X") == 4
    assert _decision_cycle("after cycle 4 of induction (A; B: after cycle 2)", "B") == 2
    assert _decision_cycle("after cycle 4 of induction (A; B: after cycle 2)", "A") == 4
    assert _decision_cycle("at each response assessment", "A") is None
