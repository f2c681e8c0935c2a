"""The exception hierarchy: one base class, one subclass per core error kind, attributes that
name the field, unit and accepted range; and no input, however malformed, raises a panic."""

from __future__ import annotations

import json
import random
from typing import Any, Callable, Dict, List

import pytest

import myeloma_pathway as mp

KINDS = {
    "invalid_json": (mp.InvalidJsonError, 10),
    "missing_field": (mp.MissingFieldError, 11),
    "out_of_range": (mp.OutOfRangeError, 12),
    "unsupported_unit": (mp.UnsupportedUnitError, 13),
    "inconsistent": (mp.InconsistentError, 14),
    "limit_exceeded": (mp.LimitExceededError, 15),
    "unknown_identifier": (mp.UnknownIdentifierError, 16),
    "transition_refused": (mp.TransitionRefusedError, 20),
}


def test_every_error_class_derives_from_the_one_base() -> None:
    for cls, _ in KINDS.values():
        assert issubclass(cls, mp.MyelomaPathwayError)
    assert issubclass(mp.ColumnError, mp.MyelomaPathwayError)
    assert issubclass(mp.MyelomaPathwayError, Exception)


def _raises(f: Callable[[], Any]) -> mp.MyelomaPathwayError:
    with pytest.raises(mp.MyelomaPathwayError) as info:
        f()
    return info.value


def test_out_of_range_names_field_unit_and_range() -> None:
    e = _raises(lambda: mp.Patient(labs={"creatinine": {"value": 5000, "unit": "µmol/L"}}))
    assert type(e) is mp.OutOfRangeError and isinstance(e, ValueError)
    assert (e.kind, e.code) == ("out_of_range", 12)
    assert e.field == "labs.creatinine.value"
    assert e.unit == "µmol/L"
    assert e.accepted_range == "8.84..=2210 µmol/L"
    assert "labs.creatinine.value" in str(e)
    assert json.loads(e.to_json())["error"]["field"] == e.field


def test_unsupported_unit_lists_the_accepted_units() -> None:
    e = _raises(lambda: mp.Patient(labs={"albumin": {"value": 3.5, "unit": "mg/dL"}}))
    assert type(e) is mp.UnsupportedUnitError
    assert (e.field, e.unit, e.accepted_range) == ("labs.albumin.unit", "mg/dL", "g/dL, g/L")


def test_a_misspelt_key_is_refused_not_ignored() -> None:
    e = _raises(lambda: mp.Patient({"labs": {"creatinin": {"value": 1, "unit": "mg/dL"}}}))
    assert type(e) is mp.InvalidJsonError and e.field == "labs.creatinin"


def test_ldh_without_its_upper_limit_is_a_missing_field() -> None:
    e = _raises(lambda: mp.Patient(labs={"ldh": {"value": 300, "unit": "U/L"}}))
    assert type(e) is mp.MissingFieldError and e.field == "labs.ldh_upper_limit_of_normal"


def test_a_duplicate_finding_is_inconsistent() -> None:
    f = {"abnormality": "t_4_14", "status": "detected"}
    e = _raises(lambda: mp.Patient(cytogenetics=[f, f]))
    assert type(e) is mp.InconsistentError and e.field == "cytogenetics[1].abnormality"


def test_oversized_and_too_deep_input_exceed_the_limits() -> None:
    e = _raises(lambda: mp.Patient.from_json(" " * (1 << 20) + "{}"))
    assert type(e) is mp.LimitExceededError and e.field is None
    deep: Any = 1
    for _ in range(40):
        deep = [deep]
    e = _raises(lambda: mp.Patient({"history": deep}))
    assert type(e) is mp.LimitExceededError


def test_an_unknown_regimen_in_the_history_is_refused() -> None:
    e = _raises(lambda: mp.recommend({"history": [{"event": "therapy_started", "regimen": "vrd-typo"}]}))
    assert type(e) is mp.TransitionRefusedError and e.field == "history[0]"


def test_guideline_errors_name_the_key() -> None:
    e = _raises(lambda: mp.Guideline(transplant_age_limit_years=30))
    assert type(e) is mp.OutOfRangeError and e.field == "guideline.transplant_age_limit_years"
    e = _raises(lambda: mp.Guideline(risk_definition="imwg2017"))
    assert type(e) is mp.InvalidJsonError


def test_nan_is_missing_and_infinity_is_refused_naming_the_field() -> None:
    assert mp.Patient(weight_kg=float("nan")).to_dict().get("weight_kg") is None
    for v in (float("inf"), float("-inf")):
        e = _raises(lambda: mp.Patient(weight_kg=v))
        assert type(e) is mp.InvalidJsonError
        assert e.field == "weight_kg"


def _fuzz_values(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(9 if depth < 4 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, -1, 1, 60, 2**63, -(2**64), 10**30])
    if choice == 3:
        return rng.choice([0.0, -0.0, 1e308, -1e-308, 3.5, 1e-9])
    if choice == 4:
        return rng.choice(["", "mg/dL", "µmol/L", "\u0000", "detected", "x" * 1000, "\ud7ff", "del_17p"])
    if choice == 5:
        return rng.choice(["age_years", "labs", "cytogenetics", "history"])
    if choice == 6:
        return [_fuzz_values(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["age_years", "labs", "creatinine", "value", "unit", "cytogenetics", "abnormality", "status",
            "history", "event", "regimen", "frailty", "sex", "ecog", "mrd", "date", "response_assessments"]
    return {rng.choice(keys): _fuzz_values(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_no_malformed_input_raises_anything_but_our_errors() -> None:
    """PanicException derives from BaseException: catching BaseException shows none escapes."""
    rng = random.Random(20261127)
    texts: List[str] = ["", "{", "[]", "null", "1", '"x"', "{" * 10000, "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]
    for _ in range(600):
        texts.append(json.dumps(_fuzz_values(rng)))
    for t in texts:
        for f in (lambda: mp.Patient.from_json(t), lambda: mp.recommend(t), lambda: mp.Guideline.from_json(t),
                  lambda: mp.transition(t, t), lambda: mp.compare_risk(t), lambda: mp.response(t)):
            try:
                f()
            except mp.MyelomaPathwayError:
                pass
            except BaseException as e:  # noqa: BLE001 - the point of the test
                raise AssertionError(f"{type(e).__name__} for input {t[:80]!r}: {e}") from None


def test_non_json_python_values_raise_our_error_or_type_error() -> None:
    for bad in ({"age_years": object()}, {"labs": {1, 2}}, {"sex": b"male"}):
        with pytest.raises((mp.MyelomaPathwayError, TypeError)):
            mp.Patient(bad)
    with pytest.raises(TypeError):
        mp.recommend(42)  # type: ignore[arg-type]


def test_error_json_is_the_core_error_json(tmp_path: Any, mmpath: Any) -> None:
    from conftest import run_mmpath

    case = {"patient": {"age_years": 12}, "expect": {}}
    f = tmp_path / "case.json"
    f.write_text(json.dumps(case), encoding="utf-8")
    e = _raises(lambda: mp.recommend(case["patient"]))
    assert e.to_json() == run_mmpath(mmpath, "case", str(f))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_maps_to_its_class_and_code(kind: str) -> None:
    cls, code = KINDS[kind]
    payload = json.dumps({"error": {"kind": kind, "code": code, "field": "f", "unit": None, "accepted_range": None, "message": "m"}})
    e = cls("m", payload)
    assert (e.kind, e.code, e.field) == (kind, code, "f")


def test_text_that_is_not_utf8_is_invalid_json() -> None:
    for bad in (b"\xff{}", '{"sex": "\udcff"}'):
        e = _raises(lambda: mp.Patient.from_json(bad))
        assert type(e) is mp.InvalidJsonError
    e = _raises(lambda: mp.Patient(sex="\udcff"))
    assert type(e) is mp.InvalidJsonError
    e = _raises(lambda: mp.transition("\udcff", "{}"))
    assert type(e) is mp.InvalidJsonError


def test_self_referencing_or_absurdly_deep_python_data_is_refused() -> None:
    loop: Dict[str, Any] = {}
    loop["labs"] = loop
    assert type(_raises(lambda: mp.Patient(loop))) is mp.InvalidJsonError
    deep: Any = []
    for _ in range(100000):
        deep = [deep]
    assert isinstance(_raises(lambda: mp.Patient({"history": deep})), mp.MyelomaPathwayError)


def test_python_raised_errors_carry_their_kind_and_code() -> None:
    e = mp.ColumnError("unknown column `x`")
    assert (e.kind, e.code) == ("column", 2)
    assert json.loads(e.to_json())["error"]["message"] == "unknown column `x`"


def test_a_panic_in_the_core_reaches_python_as_our_error_not_a_panic_exception() -> None:
    from myeloma_pathway import _native

    try:
        _native._boundary_self_test()
    except mp.MyelomaPathwayError as e:
        assert (e.kind, e.code) == ("internal", 1)
    except BaseException as e:  # noqa: BLE001 - the point of the test
        raise AssertionError(f"{type(e).__name__} escaped the boundary") from None
    else:
        raise AssertionError("the self-test did not raise")
