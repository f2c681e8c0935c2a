"""Swimmer plots and cohort charts: the SVG says what the record and the core say."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pytest

import myeloma_pathway as mp
from myeloma_pathway import plots

from conftest import GOLDEN_DIR

NS = "{http://www.w3.org/2000/svg}"


def _patient(name: str) -> Dict[str, Any]:
    p: Dict[str, Any] = json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))["patient"]
    return p


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # well-formed XML, or this raises


def _texts(root: ET.Element) -> List[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def _marks(root: ET.Element, kind: str) -> List[ET.Element]:
    return [e for e in root.iter() if e.get("class") == f"mp-mark-{kind}"]


def test_the_dated_swimmer_draws_the_cores_lines_transplant_and_progression_on_their_days() -> None:
    rec = _patient("relapse-dated-first-relapse-len-refractory-eu")
    root = _svg(plots.patient_swimmer_svg(rec))
    assert root.get("data-axis") == "days"
    texts = _texts(root)
    # The core's line derivation: one line, its three drugs.
    assert any(t.startswith("line 1: bortezomib + dexamethasone + lenalidomide") for t in texts), texts
    assert "days since the first therapy" in texts
    assert any("day 0 = 2022-01-10" in t for t in texts)
    # Transplant on 2022-06-15 = day 156; progression on 2024-03-01 = day 781 = the end of the axis.
    (tx,) = _marks(root, "transplant")
    (px,) = _marks(root, "progression")
    assert "2022-06-15" in "".join(tx.itertext()) and "2024-03-01" in "".join(px.itertext())
    segs = [e for e in root.iter(f"{NS}rect") if e.get("class") == "mp-seg"]
    # The line segment and four drug exposures (VRd x3, lenalidomide continuation).
    assert len(segs) == 5
    line = segs[0]
    left, width = float(line.get("x", 0)), float(line.get("width", 0))
    first_tick = re.search(r"M([\d.]+),", tx.get("d", ""))
    assert first_tick is not None
    assert abs((float(first_tick.group(1)) - left) / width - 156 / 781) < 0.01
    assert any("lenalidomide (continuation)" in t for t in texts)


def test_the_event_swimmer_places_response_transplant_and_maintenance_by_cycles_completed() -> None:
    rec = _patient("article-fit-60-on-lenalidomide-maintenance")
    svg = plots.patient_swimmer_svg(rec)
    root = _svg(svg)
    assert root.get("data-axis") == "cycles"
    texts = _texts(root)
    assert "line 1: VRd" in texts and "maintenance: Lenalidomide maintenance" in texts
    assert "VGPR" in texts and "transplant" in texts and "ongoing" in texts
    assert "cycles completed" in texts
    # 4 induction cycles then 6 maintenance cycles: the axis runs to 10; VRd is 4/10 of the plot.
    segs = [e for e in root.iter(f"{NS}rect") if e.get("class") == "mp-seg"]
    assert len(segs) == 2
    w0, w1 = float(segs[0].get("width", 0)), float(segs[1].get("width", 0))
    assert abs(w0 / (w0 + w1) - 0.4) < 1e-6
    assert "10" in texts and "11" not in texts
    # The same through a Plan, and the plan card carries it.
    plan = mp.recommend(rec)
    assert plots.patient_swimmer_svg(plan) == svg
    assert "data-section='history'" in plan._repr_html_()


def test_a_dated_record_notes_its_undated_responses_instead_of_placing_them() -> None:
    rec = _patient("relapse-dated-first-relapse-len-refractory-eu")
    rec["history"] = [{"event": "therapy_started", "regimen": "vrd"}, {"event": "response_assessed", "response": "vgpr"}]
    try:
        svg = plots.patient_swimmer_svg(rec)
    except mp.MyelomaPathwayError:
        pytest.skip("the core refuses this combination of history and treatment_history")
    assert "1 response and 0 MRD assessment(s) in the pathway history carry no dates" in svg
    assert not _marks(_svg(svg), "response")
    events = plots.patient_swimmer_svg(rec, source="events")
    assert _marks(_svg(events), "response")


def test_bad_swimmer_arguments_are_refused_with_the_reason(fit_60: Dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="no pathway history and no treatment_history"):
        plots.patient_swimmer_svg(fit_60)
    with pytest.raises(ValueError, match="source must be one of auto, dated, events"):
        plots.patient_swimmer_svg(_patient("article-fit-60-on-lenalidomide-maintenance"), source="dates")
    with pytest.raises(ValueError, match="no treatment_history"):
        plots.patient_swimmer_svg(_patient("article-fit-60-on-lenalidomide-maintenance"), source="dated")
    with pytest.raises(ValueError, match="width"):
        plots.patient_swimmer_svg(_patient("article-fit-60-on-lenalidomide-maintenance"), width=100)
    with pytest.raises(TypeError, match="a Plan already has them"):
        plots.patient_swimmer_svg(mp.recommend(fit_60), {"profile": "quadruplet_first"})
    with pytest.raises(mp.OutOfRangeError):
        plots.patient_swimmer_svg({"age_years": 250, "history": [{"event": "therapy_started", "regimen": "vrd"}]})


def test_the_cohort_swimmer_draws_one_lane_per_patient_longest_first_on_one_axis() -> None:
    long = _patient("relapse-on-lenalidomide-maintenance")
    short = _patient("article-fit-60-mid-induction")
    root = _svg(plots.cohort_swimmer_svg({"short": short, "long": long}))
    lanes = [g.get("data-label") for g in root.iter(f"{NS}g") if g.get("class") == "mp-lane"]
    assert lanes == ["long", "short"]
    assert _marks(root, "progression")
    unsorted = _svg(plots.cohort_swimmer_svg({"short": short, "long": long}, sort=False))
    assert [g.get("data-label") for g in unsorted.iter(f"{NS}g") if g.get("class") == "mp-lane"] == ["short", "long"]
    assert "Treatment histories, 2 patients" in _texts(_svg(plots.cohort_swimmer_svg([short, long])))
    with pytest.raises(ValueError, match="cannot share one time axis"):
        plots.cohort_swimmer_svg({"a": short, "b": _patient("relapse-dated-first-relapse-len-refractory-eu")})
    with pytest.raises(ValueError, match="no patients"):
        plots.cohort_swimmer_svg({})
    with pytest.raises(TypeError):
        plots.cohort_swimmer_svg(short)  # type: ignore[arg-type]


def _results() -> pd.DataFrame:
    data = {
        "age_years": np.array([60.0, 70.0, 250.0, 65.0]),
        "albumin_g_dl": np.array([4.0, 3.0, 4.0, np.nan]),
        "beta2_microglobulin_mg_l": np.array([2.0, 6.0, 2.0, 2.0]),
        "del_17p": np.array(["not_detected", "detected", "not_detected", None], dtype=object),
    }
    return mp.assess_cohort(pd.DataFrame(data), plan=False)


def _bars(root: ET.Element) -> Dict[tuple, int]:
    return {(e.get("data-group"), e.get("data-category")): int(e.get("data-count", -1))
            for e in root.iter(f"{NS}rect") if e.get("class") == "mp-bar"}


def test_the_stage_chart_counts_every_row_including_not_computable_and_refused() -> None:
    res = _results()
    bars = _bars(_svg(plots.stage_distribution_svg(res)))
    for group, col in (("ISS", "iss"), ("R-ISS", "r_iss"), ("R2-ISS", "r2_iss")):
        counts = {k[1]: v for k, v in bars.items() if k[0] == group}
        assert sum(counts.values()) == 4, (group, counts)
        assert counts["row refused"] == 1
        good = res[res["error"].isna()][col]
        assert counts["not computable"] == int(good.isna().sum())
        for stage, n in good.value_counts().items():
            assert counts[str(stage)] == n
    assert bars[("ISS", "I")] == 1 and bars[("ISS", "III")] == 1 and bars[("ISS", "not computable")] == 1
    # The same from the dict and arrow forms.
    assert _bars(_svg(plots.stage_distribution_svg({c: res[c].astype(object).tolist() for c in res.columns}))) == bars
    with pytest.raises(ValueError, match="no column `iss`"):
        plots.stage_distribution_svg(pd.DataFrame({"error": [None]}))
    with pytest.raises(TypeError):
        plots.stage_distribution_svg([1, 2])


def test_the_risk_chart_shows_each_definition_side_by_side_with_the_cohorts_counts() -> None:
    res = _results()
    root = _svg(plots.risk_by_definition_svg(res))
    bars = _bars(root)
    for d in mp.RiskDefinition:
        col = res[f"risk_{d.value}"][res["error"].isna()]
        for level in ("standard", "high", "undetermined"):
            assert bars.get((d.value, level), 0) == int((col == level).sum()), (d, level)
        assert bars[(d.value, "row refused")] == 1
    assert [t for t in _texts(root) if t in {d.value for d in mp.RiskDefinition}] == [d.value for d in mp.RiskDefinition]
