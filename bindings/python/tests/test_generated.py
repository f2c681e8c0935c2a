"""The enums, error classes and cohort columns come from the core: the generated files are what
the built core says (drift test), and the cohort lab columns use the core's units."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import myeloma_pathway as mp
from myeloma_pathway import _native
from conftest import REPO

GENERATOR = REPO / "scripts" / "gen-python-tables.py"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_python_tables", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_enums_py_and_errors_py_are_what_the_core_says() -> None:
    gen = _generator()
    for path, text in gen.generated().items():
        current = Path(path).read_text(encoding="utf-8")
        assert current == text, f"{path} differs from the core's tables: run python3 scripts/gen-python-tables.py"


def test_every_python_enum_has_the_core_members_in_order() -> None:
    tables = _native.enum_tables()
    assert len(tables) == 23
    for name, _doc, ids in tables:
        cls = getattr(mp, name)
        assert [m.value for m in cls] == list(ids), name


def test_every_core_error_kind_has_its_class_and_code() -> None:
    for kind, code, summary in _native.error_kinds():
        cls = getattr(mp, _generator().class_name(kind))
        assert issubclass(cls, mp.MyelomaPathwayError)
        assert cls._KIND == kind and cls._CODE == code
        assert cls.__doc__ is not None and cls.__doc__.startswith(summary)
        assert mp.ERROR_CODES[kind] == code
        e = cls("m")
        assert (e.kind, e.code) == (kind, code)


def test_a_drift_is_detected() -> None:
    gen = _generator()
    text = gen.enums_py([("Sex", "Sex.", ["female", "male", "other"])])
    assert 'OTHER = "other"' in text
    assert text != Path(gen.PACKAGE / "enums.py").read_text(encoding="utf-8")


def test_cohort_lab_columns_carry_the_units_the_core_accepts() -> None:
    cols = {name: path for name, _kind, path in mp.input_columns()}
    # The core's creatinine accepts mg/dL and µmol/L; β2-microglobulin mg/L only.
    assert cols["creatinine_mg_dl"] == "labs.creatinine (unit mg/dL)"
    assert cols["creatinine_umol_l"] == "labs.creatinine (unit µmol/L)"
    assert "beta2_microglobulin_mg_l" in cols
    assert not any(n.startswith("beta2_microglobulin_") and n != "beta2_microglobulin_mg_l" for n in cols)
    assert cols["bone_marrow_plasma_cells_pct"] == "labs.bone_marrow_plasma_cells (unit %)"
    # Every lab column's unit is one the core accepts for that field: a record in that unit is valid.
    for name, path in cols.items():
        if "(unit " not in path:
            continue
        field, unit = path.split(" (unit ")
        unit = unit.rstrip(")")
        analyte = field.split(".")[1]
        rec: dict = {"labs": {analyte: {"value": 1.0, "unit": unit}}}
        try:
            mp.Patient(rec)
        except mp.UnsupportedUnitError as e:  # pragma: no cover - the point of the test
            raise AssertionError(f"{name}: the core does not accept {unit}") from e
        except mp.MyelomaPathwayError:
            pass  # a range or missing-companion error is fine: the unit was accepted
