"""The enums, error classes, result views and cohort columns come from the core: the generated files
are what the built core and its output schema say (drift tests), and the cohort lab columns use the
core's units."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any, Dict

import pytest

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


# ---------------------------------------------------------------------------------------------
# The result views (_views.py) are generated from docs/outputs.schema.json

VIEWS_GENERATOR = REPO / "scripts" / "gen-python-views.py"


@functools.lru_cache(maxsize=None)
def _views_generator() -> Any:
    """The views generator module, loaded once (the golden walk asks for it at every node)."""
    spec = importlib.util.spec_from_file_location("gen_python_views", VIEWS_GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_views_py_is_what_the_outputs_schema_says() -> None:
    gen = _views_generator()
    for path, text in gen.generated().items():
        current = Path(path).read_text(encoding="utf-8")
        assert current == text, f"{path} differs from docs/outputs.schema.json: run python3 scripts/gen-python-views.py"


def test_a_key_added_to_an_output_gives_its_property_and_fails_the_drift_test() -> None:
    gen = _views_generator()
    schema = json.loads(gen.SCHEMA.read_text(encoding="utf-8"))
    schema["$defs"]["MissingInput"]["properties"]["unit"] = {"description": "The unit asked for.", "type": "string"}
    text = gen.Gen(schema, gen.python_enums()).module()
    assert "def unit(self) -> Optional[str]:" in text
    assert '"""The unit asked for."""' in text
    assert text != gen.OUT.read_text(encoding="utf-8")
    # Required: the plain type.
    schema["$defs"]["MissingInput"]["required"].append("unit")
    assert "def unit(self) -> str:" in gen.Gen(schema, gen.python_enums()).module()


def test_the_generated_views_are_deterministic() -> None:
    gen = _views_generator()
    schema = json.loads(gen.SCHEMA.read_text(encoding="utf-8"))
    assert gen.Gen(schema, gen.python_enums()).module() == gen.Gen(schema, gen.python_enums()).module()


def test_every_object_of_the_outputs_schema_reachable_from_an_output_has_its_view_class() -> None:
    from myeloma_pathway import _views

    gen = _views_generator()
    g = gen.Gen(json.loads(gen.SCHEMA.read_text(encoding="utf-8")), gen.python_enums())
    names = g.reachable()
    assert "Citation" in names and "Plan" in names and "Calendar" in names and "KbSummary" in names
    for name in names:
        assert isinstance(getattr(_views, g.view_cls(name)), type), name


def _walk(node: Any, seen: Dict[str, int], path: str) -> None:
    """Read every property of a view and of every view under it; every key of its data is a
    property (under its Python name)."""
    from myeloma_pathway._views import _Node

    gen = _views_generator()
    cls = type(node)
    props = {n for c in cls.__mro__ for n, v in vars(c).items() if isinstance(v, property)}
    renames: Dict[str, set] = {}
    for (_, key), attr in gen.RENAMES.items():
        renames.setdefault(key, set()).add(attr)
    for key in node._data:
        names = {key} | renames.get(key, set())
        assert names & props, f"{path}: {cls.__name__} has no property for key {key!r}"
    seen[cls.__name__] = seen.get(cls.__name__, 0) + 1
    for name in sorted(props):
        value = getattr(node, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, _Node):
                _walk(item, seen, f"{path}.{name}[{i}]")


def test_every_property_of_every_golden_output_reads_and_every_key_is_a_property() -> None:
    from conftest import golden_files, load_case

    seen: Dict[str, int] = {}
    for f in golden_files():
        case = load_case(f)
        if case["expect"].get("error") is not None:
            continue
        for name in mp.assessment_names():
            try:
                result = mp.assess(name, case["patient"], case.get("guideline"))
            except mp.MyelomaPathwayError:
                continue
            _walk(result, seen, f"{f.name}:{name}")
    for cls in ("Plan", "Staging", "RiskResult", "RiskComparison", "EligibilityResult", "DiagnosisResult",
                "ResponseResult", "StageResult", "Citation", "PathwayState", "Basis", "RankedOption"):
        assert seen.get(cls), f"no golden output reached {cls}"


def test_a_required_key_reads_as_its_type_and_an_absent_optional_one_as_none() -> None:
    c = mp.Citation({"key": "k", "source": "s", "version": "v", "section": "§1", "evidence": "V1"})
    assert c.evidence is mp.Evidence.V1 and c.reference == ""
    f = mp.FrailtyScore({"score_name": "IMWG", "breakdown": [], "missing_inputs": [], "citation": c.to_dict()})
    assert f.points is None and f.category is None and f.missing_inputs == [] and f.citation == c
    with pytest.raises(KeyError):
        mp.MissingInput({}).field
