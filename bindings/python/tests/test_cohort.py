"""Cohorts as columns: pandas, pyarrow and dicts of numpy arrays; bad rows give a per-row error
and never fail the batch; every row agrees with the single-patient API."""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import myeloma_pathway as mp


def _cohort() -> Dict[str, List[Any]]:
    return {
        "patient_id": ["a", "b", "c", "d", "e", "f"],
        "age_years": [60, 78, 66, 200, 72, 55],
        "sex": ["male", "female", "female", "male", "male", "robot"],
        "weight_kg": [80.0, 60.0, 70.0, 80.0, 75.0, 70.0],
        "height_cm": [178.0, 160.0, 165.0, 178.0, 175.0, 170.0],
        "ecog": [0, 1, 1, 0, 2, 0],
        "charlson": [0, 1, 0, 0, 2, 0],
        "katz_adl": [6, 6, 6, 6, 5, 6],
        "lawton_iadl": [8, 7, 8, 8, 6, 8],
        "creatinine_mg_dl": [1.0, 1.4, None, 1.0, 1.1, 1.0],
        "creatinine_umol_l": [None, None, 97.0, None, None, None],
        "albumin_g_dl": [3.9, 3.2, 3.6, 3.9, 3.0, 4.0],
        "beta2_microglobulin_mg_l": [2.8, 6.1, 4.0, 2.8, 5.5, 2.0],
        "ldh_u_l": [180.0, 400.0, None, 180.0, 200.0, 150.0],
        "ldh_uln_u_l": [250.0, 250.0, None, 250.0, 250.0, 250.0],
        "del_17p": ["not_detected", "detected", "not_detected", "not_detected", None, "not_detected"],
        "t_4_14": ["not_detected", "not_detected", "detected", "not_detected", None, "not_detected"],
        "gain_1q": ["not_detected", "not_detected", "not_detected", "not_detected", None, "not_detected"],
        "del_17p_clonal_fraction_pct": [None, 60.0, None, None, None, None],
    }


def _record(row: Dict[str, Any]) -> Dict[str, Any]:
    """The JSON record a row stands for (written out by hand, independently of the binding)."""
    r: Dict[str, Any] = {}
    for k in ("age_years", "sex", "weight_kg", "height_cm", "ecog"):
        if row.get(k) is not None:
            r[k] = row[k]
    r["frailty"] = {k: row[k] for k in ("charlson", "katz_adl", "lawton_iadl")}
    labs: Dict[str, Any] = {}
    if row.get("creatinine_mg_dl") is not None:
        labs["creatinine"] = {"value": row["creatinine_mg_dl"], "unit": "mg/dL"}
    if row.get("creatinine_umol_l") is not None:
        labs["creatinine"] = {"value": row["creatinine_umol_l"], "unit": "µmol/L"}
    labs["albumin"] = {"value": row["albumin_g_dl"], "unit": "g/dL"}
    labs["beta2_microglobulin"] = {"value": row["beta2_microglobulin_mg_l"], "unit": "mg/L"}
    if row.get("ldh_u_l") is not None:
        labs["ldh"] = {"value": row["ldh_u_l"], "unit": "U/L"}
        labs["ldh_upper_limit_of_normal"] = {"value": row["ldh_uln_u_l"], "unit": "U/L"}
    r["labs"] = labs
    cyto = []
    for a in ("del_17p", "t_4_14", "gain_1q"):
        if row.get(a) is not None:
            f: Dict[str, Any] = {"abnormality": a, "status": row[a]}
            if a == "del_17p" and row.get("del_17p_clonal_fraction_pct") is not None:
                f["clonal_fraction_pct"] = row["del_17p_clonal_fraction_pct"]
            cyto.append(f)
    if cyto:
        r["cytogenetics"] = cyto
    return r


def _rows(data: Dict[str, List[Any]]) -> List[Dict[str, Any]]:
    n = len(next(iter(data.values())))
    return [{k: v[i] for k, v in data.items()} for i in range(n)]


def _none(v: Any) -> Any:
    """pandas' empty cell (``<NA>``, NaN) as None, for comparing with the single-patient API."""
    if isinstance(v, (list, np.ndarray)):
        return v
    return None if pd.isna(v) else v


def _check_against_single_patient_api(out: pd.DataFrame, data: Dict[str, List[Any]]) -> None:
    for i, row in enumerate(_rows(data)):
        rec = _record(row)
        got = {k: _none(v) for k, v in out.iloc[i].items()}
        try:
            plan = mp.recommend(rec)
        except mp.MyelomaPathwayError as e:
            assert got["error"] == str(e)
            assert got["error_kind"] == e.kind and got["error_field"] == e.field
            assert got["iss"] is None and got["first_regimen"] is None
            continue
        assert got["error"] is None
        assert got["iss"] == plan.staging["iss"].stage
        assert got["r_iss"] == plan.staging["r_iss"].stage
        assert got["r2_iss"] == plan.staging["r2_iss"].stage
        assert got["transplant_eligibility"] == plan.transplant_eligibility.eligibility.value
        assert got["phase"] == plan.phase.value
        assert plan.diagnosis is not None and got["diagnosis"] == plan.diagnosis.diagnosis_class.value
        assert got["first_regimen"] == (plan.options[0].regimen_id if plan.options else None)
        assert list(got["first_options"]) == [o.regimen_id for o in plan.first_options]
        assert list(got["missing_inputs"]) == list(dict.fromkeys(m.field for m in plan.missing_inputs))
        assert got["risk"] == plan.risk.level.value
        cmp = mp.compare_risk(rec).by_definition()
        for d in mp.RiskDefinition:
            assert got[f"risk_{d.value}"] == cmp[d].level.value
        el = mp.eligibility(rec)
        assert got["imwg_frailty"] == (el.imwg_frailty.category.value if el.imwg_frailty.category else None)
        cc = el.creatinine_clearance
        assert (got["creatinine_clearance_ml_min"] is None if cc is None else got["creatinine_clearance_ml_min"] == cc["ml_min"])


def test_pandas_batch_agrees_row_by_row_with_the_single_patient_api() -> None:
    data = _cohort()
    df = pd.DataFrame(data)
    out = mp.assess_cohort(df, keep="patient_id")
    assert len(out) == len(df)
    assert list(out.columns) == ["patient_id", *mp.OUTPUT_COLUMNS]
    assert list(out["patient_id"]) == data["patient_id"]
    assert (out.index == df.index).all()
    _check_against_single_patient_api(out, data)


def test_bad_rows_give_an_error_in_their_row_and_the_others_are_assessed() -> None:
    out = mp.assess_cohort(pd.DataFrame(_cohort()), keep=["patient_id"])
    errors = dict(zip(out["patient_id"], out["error_kind"]))
    assert errors["d"] == "out_of_range"  # age 200
    assert errors["f"] == "invalid_json"  # sex "robot"
    assert out.loc[out["patient_id"] == "d", "error_field"].item() == "age_years"
    ok = out[out["error"].isna()]
    assert len(ok) == 4 and ok["iss"].notna().all()
    assert out.loc[out["patient_id"] == "b", "risk_article"].item() == "high"


def test_pyarrow_and_numpy_inputs_give_the_same_answers_as_pandas() -> None:
    data = _cohort()
    ref = mp.assess_cohort(pd.DataFrame(data), keep="patient_id")
    table = mp.assess_cohort(pa.table(data), keep="patient_id")
    assert isinstance(table, pa.Table)
    assert table.column_names == ["patient_id", *mp.OUTPUT_COLUMNS]
    assert table.schema.field("missing_inputs").type == pa.list_(pa.string())
    arrays = {k: np.array(v, dtype=object if isinstance(v[0], str) else float) for k, v in data.items()}
    d = mp.assess_cohort(arrays, keep="patient_id")
    assert isinstance(d, dict) and set(d) == {"patient_id", *mp.OUTPUT_COLUMNS}
    for c in mp.OUTPUT_COLUMNS:
        r = list(ref[c])
        t = table.column(c).to_pylist()
        n = list(d[c])
        for a, b, e in zip(r, t, n):
            if _none(a) is None:
                assert b is None
                assert e is None or np.isnan(e)
            elif isinstance(a, (list, np.ndarray)):
                assert list(a) == list(b) == list(e)
            else:
                assert a == b == e, (c, a, b, e)


def test_missing_columns_are_unknown_for_every_row_never_normal() -> None:
    out = mp.assess_cohort({"age_years": np.array([60, 75])})
    assert out["error"].tolist() == [None, None]
    for missing in out["missing_inputs"]:
        assert "labs.beta2_microglobulin" in missing and "cytogenetics.del_17p" in missing
    assert out["iss"].tolist() == [None, None]


def test_empty_cells_in_every_form_are_unknown() -> None:
    df = pd.DataFrame(
        {
            "age_years": pd.array([60, None], dtype="Int64"),
            "albumin_g_dl": [3.9, np.nan],
            "beta2_microglobulin_mg_l": [2.0, None],
            "del_17p": pd.array(["not_detected", pd.NA], dtype="string"),
        }
    )
    out = mp.assess_cohort(df)
    assert [_none(x) for x in out["error"]] == [None, None]
    assert [_none(x) for x in out["iss"]] == ["I", None]
    assert "age_years" in out["missing_inputs"][1] and "cytogenetics.del_17p" in out["missing_inputs"][1]


def test_an_unknown_column_is_refused_not_ignored() -> None:
    with pytest.raises(mp.ColumnError, match="creatinine_mgdl"):
        mp.assess_cohort({"age_years": np.array([60]), "creatinine_mgdl": np.array([1.0])})
    with pytest.raises(mp.ColumnError):
        mp.assess_cohort({"age_years": np.array([60])}, keep="patient_id")


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(mp.ColumnError):
        mp.assess_cohort({"age_years": np.array([60, 70]), "ecog": np.array([0])})


def test_wrong_dtypes_give_row_errors_or_a_column_error() -> None:
    # Text in a numeric column: that row is refused with the core's own message, the rest pass.
    out = mp.assess_cohort({"age_years": np.array([60, "sixty", 70.5, True], dtype=object)})
    assert out["error_kind"].tolist() == [None, "invalid_json", "invalid_json", "invalid_json"]
    assert out["error_field"].tolist()[1:] == ["age_years"] * 3
    assert "sixty" in out["error"][1]
    # A number in a cytogenetic column is refused in its row.
    out = mp.assess_cohort({"del_17p": np.array(["detected", 1], dtype=object)})
    assert out["error_kind"].tolist() == [None, "invalid_json"]
    # Dates are not numbers: the whole column is refused.
    with pytest.raises(mp.ColumnError):
        mp.assess_cohort({"age_years": np.array(["2020-01-01"], dtype="datetime64[D]")})
    # Integers in float columns are read exactly; a fraction in an integer field is refused.
    out = mp.assess_cohort({"ecog": np.array([1.0, 1.5])})
    assert out["error_kind"].tolist() == [None, "invalid_json"]


def test_a_lab_given_in_two_units_in_one_row_is_inconsistent() -> None:
    out = mp.assess_cohort({"creatinine_mg_dl": np.array([1.0, np.nan]), "creatinine_umol_l": np.array([88.4, 88.4])})
    assert out["error_kind"].tolist() == ["inconsistent", None]
    assert out["error_field"][0] == "labs.creatinine"


def test_same_lab_in_either_unit_gives_the_same_answers() -> None:
    a = mp.assess_cohort({"age_years": np.array([70]), "weight_kg": np.array([70.0]), "sex": np.array(["male"]),
                          "creatinine_mg_dl": np.array([2.0]), "albumin_g_dl": np.array([3.5]), "beta2_microglobulin_mg_l": np.array([3.5])})
    b = mp.assess_cohort({"age_years": np.array([70]), "weight_kg": np.array([70.0]), "sex": np.array(["male"]),
                          "creatinine_umol_l": np.array([176.8]), "albumin_g_l": np.array([35.0]), "beta2_microglobulin_mg_l": np.array([3.5])})
    for c in ("iss", "creatinine_clearance_ml_min", "first_regimen", "transplant_eligibility"):
        assert a[c].tolist() == b[c].tolist()


def test_guideline_applies_to_the_batch() -> None:
    data = {"del_17p": np.array(["not_detected"]), "t_4_14": np.array(["not_detected"]), "gain_1q": np.array(["not_detected"]),
            "t_14_16": np.array(["detected"])}
    art = mp.assess_cohort(data)
    imwg = mp.assess_cohort(data, mp.Guideline(risk_definition="imwg2016"))
    assert art["risk"][0] == art["risk_article"][0]
    assert imwg["risk"][0] == imwg["risk_imwg2016"][0] == "high"


def test_every_documented_column_is_read() -> None:
    cols = mp.input_columns()
    names = [c[0] for c in cols]
    assert len(names) == len(set(names))
    data: Dict[str, Any] = {}
    for name, kind, _path in cols:
        data[name] = np.array([None], dtype=object) if kind == "string" else np.array([np.nan])
    out = mp.assess_cohort(data)
    assert out["error"].tolist() == [None]


def test_empty_cohort() -> None:
    out = mp.assess_cohort(pd.DataFrame({"age_years": pd.Series([], dtype="float64")}))
    assert len(out) == 0 and list(out.columns) == list(mp.OUTPUT_COLUMNS)


def test_the_gil_is_released_during_the_rust_work() -> None:
    n = 3000
    data = {"age_years": np.full(n, 65.0), "albumin_g_dl": np.full(n, 3.8), "beta2_microglobulin_mg_l": np.full(n, 3.0),
            "del_17p": np.array(["not_detected"] * n, dtype=object)}
    ticks = 0
    done = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    t = threading.Thread(target=spin)
    t.start()
    try:
        t0 = time.perf_counter()
        before = ticks
        mp.assess_cohort(data)
        elapsed = time.perf_counter() - t0
        during = ticks - before
    finally:
        done.set()
        t.join()
    # With the GIL held for the whole batch the other thread could run only at the switch
    # interval before and after it; released, it keeps running throughout.
    assert elapsed > 0
    assert during > 100, (during, elapsed)


def test_the_answer_does_not_depend_on_the_number_of_threads() -> None:
    data = _cohort()
    big = {k: v * 40 for k, v in data.items()}  # 240 rows, bad rows included
    one = mp.assess_cohort(pd.DataFrame(big), keep="patient_id", threads=1)
    many = mp.assess_cohort(pd.DataFrame(big), keep="patient_id", threads=3)
    assert len(one) == len(many) == 240
    for c in one.columns:
        a, b = one[c].tolist(), many[c].tolist()
        assert [None if isinstance(x, float) and np.isnan(x) else x for x in a] == [
            None if isinstance(x, float) and np.isnan(x) else x for x in b
        ], c
    with pytest.raises(ValueError):
        mp.assess_cohort(pd.DataFrame(data), keep="patient_id", threads=0)


def test_no_cell_value_fails_the_batch_or_panics() -> None:
    """Random junk in every documented column: one output row per input row, every row either
    assessed or refused in its row; nothing escapes as another exception (PanicException is a
    BaseException)."""
    import random

    rng = random.Random(11)
    junk: List[Any] = [None, np.nan, np.inf, -np.inf, -1, 0, 1, 2, 3.5, 1e300, -1e-300, 10**30, True, False,
                       "", "x", "detected", "not_detected", "not_tested", "male", "µmol/L", "\u0000", "1e3", "NaN"]
    n = 300
    data = {name: np.array([rng.choice(junk) for _ in range(n)], dtype=object) for name, _k, _p in mp.input_columns()}
    try:
        out = mp.assess_cohort(data)
    except BaseException as e:  # noqa: BLE001 - the point of the test
        raise AssertionError(f"{type(e).__name__}: {e}") from None
    assert len(out["error"]) == n
    for i in range(n):
        assert (out["error"][i] is None) == (out["phase"][i] is not None)
        if out["error"][i] is not None:
            assert out["error_kind"][i] in {"invalid_json", "out_of_range", "unsupported_unit", "inconsistent",
                                            "missing_field", "limit_exceeded"}


def test_a_clonal_fraction_without_its_status_names_the_missing_status_column() -> None:
    out = mp.assess_cohort({"del_17p": np.array([None, "detected"], dtype=object), "del_17p_clonal_fraction_pct": np.array([40.0, 40.0])})
    assert out["error_kind"].tolist() == ["missing_field", None]
    assert out["error_field"][0] == "cytogenetics.del_17p.status"
    assert "`del_17p_clonal_fraction_pct`" in out["error"][0]


def test_a_bad_cytogenetic_cell_is_named_by_its_abnormality() -> None:
    out = mp.assess_cohort({"t_4_14": np.array(["detected", "detected"], dtype=object),
                            "gain_1q": np.array(["not_detected", "positive"], dtype=object)})
    assert out["error_kind"].tolist() == [None, "invalid_json"]
    assert out["error_field"][1] == "cytogenetics.gain_1q.status"
    assert out["error"][1].startswith("cytogenetics.gain_1q.status: ")


def test_without_the_plan_the_assessments_are_the_same_and_the_plan_columns_are_left_out() -> None:
    data = _cohort()
    full = mp.assess_cohort(pd.DataFrame(data), keep="patient_id")
    fast = mp.assess_cohort(pd.DataFrame(data), keep="patient_id", plan=False)
    assert list(fast.columns) == ["patient_id", *[c for c in mp.OUTPUT_COLUMNS if c not in mp.PLAN_COLUMNS]]
    for c in fast.columns:
        if c == "missing_inputs":
            continue
        a = [None if isinstance(x, float) and np.isnan(x) else x for x in full[c]]
        b = [None if isinstance(x, float) and np.isnan(x) else x for x in fast[c]]
        assert a == b, c
    for i, row in enumerate(_rows(data)):
        if not pd.isna(fast["error"][i]):
            continue
        rec = _record(row)
        s, e = mp.stage(rec), mp.eligibility(rec)
        expected = {m.field for r in (s.iss, s.r_iss, s.r2_iss) for m in r.missing_inputs}
        expected |= {m.field for m in mp.risk(rec).missing_inputs} | {m.field for m in e.transplant_eligibility.missing_inputs}
        expected |= {m.field for m in mp.diagnose(rec).missing_inputs}
        assert set(fast["missing_inputs"][i]) == expected


def test_pandas_results_have_ordered_stages_categoricals_and_nullable_dtypes() -> None:
    data = _cohort()
    df = pd.DataFrame(data, index=pd.Index([f"pt-{i}" for i in range(len(data["age_years"]))], name="mrn"))
    out = mp.assess_cohort(df, keep="patient_id")
    # The input index, name included, is the output's.
    assert out.index.equals(df.index) and out.index.name == "mrn"
    assert out["iss"].dtype == pd.CategoricalDtype(["I", "II", "III"], ordered=True)
    assert out["r_iss"].dtype == pd.CategoricalDtype(["I", "II", "III"], ordered=True)
    assert out["r2_iss"].dtype == pd.CategoricalDtype(["I", "II", "III", "IV"], ordered=True)
    # Ordered: a comparison and max() work on stages (I < II < III).
    staged = out["iss"].dropna()
    assert len(staged) >= 2 and (staged <= "III").all() and not (staged > "III").any()
    assert out["iss"].cat.categories.tolist() == ["I", "II", "III"]
    for c in ("risk", "risk_article", "risk_imwg2016", "risk_msmart3", "risk_ims2025"):
        assert isinstance(out[c].dtype, pd.CategoricalDtype) and not out[c].dtype.ordered, c
        assert set(out[c].cat.categories) == {x.value for x in mp.RiskLevel}, c
    assert set(out["transplant_eligibility"].cat.categories) == {x.value for x in mp.Eligibility}
    assert set(out["diagnosis"].cat.categories) == {x.value for x in mp.DiagnosisClass}
    assert set(out["phase"].cat.categories) == {x.value for x in mp.Phase}
    assert out["n_warnings"].dtype == "Int64" and out["imwg_frailty_points"].dtype == "Int64"
    assert out["creatinine_clearance_ml_min"].dtype == "Float64" and out["r2_iss_points"].dtype == "Float64"
    for c in ("error", "error_kind", "error_field", "first_regimen"):
        assert out[c].dtype == "string", c
    # A bad row: every result empty (<NA>), never a default; a good row's count is a whole number.
    bad = out["error"].notna()
    assert bad.any() and (~bad).any()
    assert out.loc[bad, "n_warnings"].isna().all() and out.loc[bad, "iss"].isna().all()
    assert out.loc[~bad, "n_warnings"].notna().all()
    # Categories come from the core's enums: the same values as the single-patient API.
    assert set(mp.CATEGORIES) <= set(mp.OUTPUT_COLUMNS)


def test_a_value_the_enums_do_not_list_is_an_error_not_a_silent_nan() -> None:
    from myeloma_pathway import cohort

    raw = {c: [None] for c in mp.OUTPUT_COLUMNS}
    raw["iss"] = ["IV"]  # ISS has no stage IV
    with pytest.raises(AssertionError, match="iss"):
        cohort._pack("pandas", raw, {}, pd.RangeIndex(1), 1, mp.OUTPUT_COLUMNS)
    raw["iss"] = ["III"]
    out = cohort._pack("pandas", raw, {}, pd.RangeIndex(1), 1, mp.OUTPUT_COLUMNS)
    assert out["iss"].tolist() == ["III"]
