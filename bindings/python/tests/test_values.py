"""Python values as pandas and numpy give them: read as numbers or as missing, and every refusal
names its field in the record's words (issue 15)."""

from __future__ import annotations

import re
from typing import Any

import pytest

import myeloma_pathway as mp
from conftest import FIT_60

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

RUST_NAMES = re.compile(r"\b(u8|u16|u32|u64|usize|i8|i16|i32|i64|f32|f64|struct [A-Z]\w*|enum [A-Z]\w*)\b")


def _err(f: Any) -> mp.MyelomaPathwayError:
    with pytest.raises(mp.MyelomaPathwayError) as e:
        f()
    return e.value


def test_numpy_scalars_read_as_the_numbers_they_hold() -> None:
    rec = dict(FIT_60, age_years=np.int64(60), weight_kg=np.float32(80.0), ecog=np.int32(0))
    rec["labs"] = dict(FIT_60["labs"], creatinine={"value": np.float64(1.0), "unit": np.str_("mg/dL")})
    assert mp.recommend(rec).to_json() == mp.recommend(FIT_60).to_json()


def test_nan_and_pandas_na_read_as_missing_not_as_an_error() -> None:
    for missing in (float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT):
        p = mp.Patient(age_years=60, weight_kg=missing)
        assert p.to_dict().get("weight_kg") is None


def test_a_value_json_cannot_hold_is_refused_naming_its_field_path() -> None:
    import datetime

    e = _err(lambda: mp.Patient(labs={"creatinine": {"value": datetime.date(2026, 1, 1), "unit": "mg/dL"}}))
    assert type(e) is mp.InvalidJsonError
    assert e.field == "labs.creatinine.value"
    assert "not JSON serializable" not in str(e)
    e = _err(lambda: mp.Patient(cytogenetics=[{"abnormality": "del_17p", "status": {1, 2}}]))
    assert e.field == "cytogenetics[0].status"
    e = _err(lambda: mp.Patient(weight_kg=np.float64("inf")))
    assert e.field == "weight_kg"


def test_messages_name_no_rust_type() -> None:
    for bad in ({"age_years": 60.5}, {"ecog": -1}, {"ecog": "zero"}, {"weight_kg": "heavy"},
                {"frailty": 3}, {"sex": 1}, {"labs": {"creatinine": {"value": "x", "unit": "mg/dL"}}}):
        e = _err(lambda: mp.Patient(bad))
        assert not RUST_NAMES.search(str(e)), str(e)
        assert e.field not in (None, "."), (bad, e.field)


def test_a_fractional_age_says_whole_number() -> None:
    e = _err(lambda: mp.Patient(age_years=60.5))
    assert e.field == "age_years"
    assert "whole number" in str(e)


def test_identifiers_are_case_sensitive_and_the_message_says_so() -> None:
    e = _err(lambda: mp.Patient(sex="Male"))
    assert e.field == "sex"
    assert "lower case" in str(e)
    # Units are case-insensitive, everywhere.
    mp.Patient(labs={"albumin": {"value": 3.9, "unit": "G/DL"}})


def test_a_bad_row_lists_all_its_errors() -> None:
    df = pd.DataFrame({"age_years": [60, 12], "ecog": [0, 9], "sex": ["male", "Male"], "weight_kg": [80.0, 1.0]})
    out = mp.assess_cohort(df, plan=False)
    assert pd.isna(out["error"].iloc[0])
    assert out["error_fields"].iloc[0] is None
    fields = list(out["error_fields"].iloc[1])
    assert sorted(fields) == ["age_years", "ecog", "sex", "weight_kg"], fields
    assert out["error_field"].iloc[1] == fields[0]
    assert out["error"].iloc[1].count("; ") == 3
    assert not RUST_NAMES.search(out["error"].iloc[1])


def test_one_bad_value_gives_one_error_as_a_json_record_would() -> None:
    out = mp.assess_cohort({"age_years": np.array([12.0])}, plan=False)
    with pytest.raises(mp.OutOfRangeError) as e:
        mp.Patient(age_years=12)
    assert list(out["error_fields"][0]) == ["age_years"]
    assert out["error"][0] == str(e.value)
