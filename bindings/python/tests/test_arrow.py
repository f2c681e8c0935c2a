"""The Arrow path (``assess_arrow``, PyCapsule in, pyarrow built in Rust out) gives the answers of
the pandas path row for row, on every golden record and on a synthetic cohort; a missing
required column fails before any row, naming it; a bad row gets its error in its row."""

from __future__ import annotations

import json
import math
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import myeloma_pathway as mp
from conftest import golden_files
from test_cohort import _cohort

_COLUMNS = mp.input_columns()


def _flatten(record: Dict[str, Any]) -> Dict[str, Any]:
    """A patient record as one cohort row, through the documented column table (what the record
    holds beyond the columns, a history say, is left out: both paths get the same row)."""
    row: Dict[str, Any] = {}
    cyto = {f.get("abnormality"): f for f in record.get("cytogenetics", []) if isinstance(f, dict)}
    for name, _kind, path in _COLUMNS:
        if path.startswith("cytogenetics["):
            ab, key = path[len("cytogenetics["):].split("].")
            v = cyto.get(ab, {}).get(key)
        elif " (unit " in path:
            p, unit = path[:-1].split(" (unit ")
            node: Any = record
            for part in p.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            v = node.get("value") if isinstance(node, dict) and node.get("unit") == unit else None
        else:
            node = record
            for part in path.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            v = node
        if v is not None and not isinstance(v, (dict, list)):
            row[name] = v
    return row


def _golden_rows() -> List[Dict[str, Any]]:
    rows = []
    for f in golden_files():
        case = json.loads(f.read_text(encoding="utf-8"))
        if isinstance(case.get("patient"), dict):
            rows.append(_flatten(case["patient"]))
    return rows


def _frame(rows: List[Dict[str, Any]]) -> pd.DataFrame:
    names = [n for n, _, _ in _COLUMNS if any(n in r for r in rows)]
    kinds = {n: k for n, k, _ in _COLUMNS}
    data: Dict[str, Any] = {}
    for n in names:
        values = [r.get(n) for r in rows]
        if kinds[n] == "string":
            data[n] = pd.Series(values, dtype=object)
        else:
            data[n] = pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    return pd.DataFrame(data)


def _cell(v: Any) -> Any:
    if isinstance(v, (list, np.ndarray)):
        return [str(x) for x in v]
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return float(v)
    return str(v)


def _same(arrow: pa.Table, frame: pd.DataFrame, columns: List[str]) -> None:
    assert arrow.num_rows == len(frame)
    for c in columns:
        got = [_cell(v) for v in arrow.column(c).to_pylist()]
        want = [_cell(v) for v in frame[c].tolist()]
        for i, (g, w) in enumerate(zip(got, want)):
            assert g == w, f"column {c}, row {i}: arrow {g!r}, pandas {w!r}"


@pytest.mark.parametrize("plan", [False, True])
def test_the_arrow_path_equals_the_pandas_path_on_every_golden_record(plan: bool) -> None:
    rows = _golden_rows()
    assert len(rows) >= 100
    frame = _frame(rows)
    want = mp.assess_cohort(frame, plan=plan, threads=1)
    got = mp.assess_arrow(pa.Table.from_pandas(frame, preserve_index=False), plan=plan, threads=2)
    assert isinstance(got, pa.Table)
    names = list(mp.OUTPUT_COLUMNS if plan else [c for c in mp.OUTPUT_COLUMNS if c not in mp.PLAN_COLUMNS])
    assert got.column_names == names
    _same(got, want, names)
    # Most golden records are valid: the comparison is not only of errors.
    assert sum(e is None for e in got.column("error").to_pylist()) > len(rows) // 2


def _synthetic(n: int) -> Dict[str, List[Any]]:
    base = _cohort()
    m = len(base["patient_id"])
    out = {k: [v[i % m] for i in range(n)] for k, v in base.items()}
    out["patient_id"] = [f"p{i}" for i in range(n)]
    rng = np.random.default_rng(7)
    out["beta2_microglobulin_mg_l"] = [None if x < 0.1 else round(float(x * 8), 2) for x in rng.random(n)]
    out["albumin_g_dl"] = [round(float(2 + 3 * x), 2) for x in rng.random(n)]
    out["age_years"] = [int(a) for a in rng.integers(30, 95, n)]
    out["age_years"][5] = 200  # a bad row
    return out


@pytest.mark.parametrize("plan", [False, True])
def test_the_arrow_path_equals_the_pandas_path_on_a_synthetic_cohort(plan: bool) -> None:
    data = _synthetic(600 if not plan else 120)
    frame = pd.DataFrame(data)
    want = mp.assess_cohort(frame, keep="patient_id", plan=plan, threads=1)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    got = mp.assess_arrow(table, keep="patient_id", plan=plan, max_rows_per_batch=50)
    names = [c for c in want.columns]
    assert got.column_names == names
    _same(got, want, names)
    # assess_cohort routes a pyarrow Table through the same Arrow path.
    via = mp.assess_cohort(table, keep="patient_id", plan=plan)
    assert via.equals(got.combine_chunks()) or via.to_pylist() == got.to_pylist()


def test_a_record_batch_in_gives_a_record_batch_out_and_a_stream_is_read_batch_by_batch() -> None:
    table = pa.Table.from_pandas(pd.DataFrame(_synthetic(90)), preserve_index=False)
    batch = table.to_batches()[0]
    out = mp.assess_arrow(batch, keep="patient_id", plan=False)
    assert isinstance(out, pa.RecordBatch) and out.num_rows == batch.num_rows
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=25))
    streamed = mp.assess_arrow(reader, keep="patient_id", plan=False)
    assert isinstance(streamed, pa.Table) and [b.num_rows for b in streamed.to_batches()] == [25, 25, 25, 15]
    assert streamed.to_pylist() == pa.Table.from_batches([out]).to_pylist()


def test_result_types_are_arrow_types_built_in_rust() -> None:
    out = mp.assess_arrow(pa.table({"age_years": [60, 70]}), plan=True, plan_json=True, basis=True)
    schema = out.schema
    assert schema.field("iss").type == pa.string()
    assert schema.field("r2_iss_points").type == pa.float64()
    assert schema.field("missing_inputs").type == pa.list_(pa.string())
    assert schema.field("basis").type == pa.struct([(f, pa.string()) for f in ("library_version", "kb_version", "kb_sha256", "guideline")])
    plan = json.loads(out.column("plan_json")[0].as_py())
    assert plan["basis"]["knowledge_base"]["sha256"] == mp.KnowledgeBase.embedded().sha256
    assert out.column("basis")[0].as_py()["kb_sha256"] == mp.KnowledgeBase.embedded().sha256


def test_a_missing_required_column_fails_before_any_row_naming_it() -> None:
    t = pa.table({"age_years": [60.0], "sex": ["male"]})
    with pytest.raises(mp.ColumnError, match="required column\\(s\\) missing: `beta2_microglobulin_mg_l`"):
        mp.assess_arrow(t, require=["age_years", "beta2_microglobulin_mg_l"])
    consumed: List[int] = []

    def gen() -> Any:
        consumed.append(1)
        yield t.to_batches()[0]

    reader = pa.RecordBatchReader.from_batches(t.schema, gen())
    with pytest.raises(mp.ColumnError, match="beta2_microglobulin_mg_l"):
        mp.assess_arrow(reader, require=["beta2_microglobulin_mg_l"])
    assert consumed == []  # refused from the schema, before any batch was read
    with pytest.raises(mp.ColumnError, match="`Age_Years`"):
        mp.assess_arrow(pa.table({"Age_Years": [60]}))
    with pytest.raises(mp.ColumnError, match="age_years"):
        mp.assess_arrow(pa.table({"age_years": pa.array([1], type=pa.date32())}))


def test_a_bad_row_gets_its_error_in_its_row_and_the_others_are_assessed() -> None:
    t = pa.table({
        "age_years": [60.0, 200.0, 70.0],
        "sex": ["male", "male", "robot"],
        "beta2_microglobulin_mg_l": [2.0, 2.0, 2.0],
        "albumin_g_dl": [4.0, 4.0, 4.0],
    })
    out = mp.assess_arrow(t, plan=False).to_pydict()
    assert out["error"][0] is None and out["iss"][0] == "I"
    assert out["error_field"][1] == "age_years" and out["error_kind"][1] == "out_of_range" and out["iss"][1] is None
    assert out["error_field"][2] == "sex" and out["error_fields"][2] == ["sex"]


def test_polars_and_duckdb_results_go_in_through_the_pycapsule_interface() -> None:
    frame = pd.DataFrame(_synthetic(200))
    want = mp.assess_arrow(pa.Table.from_pandas(frame, preserve_index=False), keep="patient_id", plan=False)
    pl = pytest.importorskip("polars")
    got = mp.assess_arrow(pl.from_pandas(frame), keep="patient_id", plan=False)
    assert pl.from_arrow(got).shape == (200, got.num_columns)
    cols = [c for c in want.column_names if c != "patient_id"]
    assert got.select(cols).to_pylist() == want.select(cols).to_pylist()
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    con.register("cohort", pa.Table.from_pandas(frame, preserve_index=False))
    res = con.sql("SELECT * FROM cohort").to_arrow_reader(64)
    got = mp.assess_arrow(res, keep="patient_id", plan=False)
    assert got.select(cols).to_pylist() == want.select(cols).to_pylist()


def test_spark_assess_batches_runs_the_arrow_path_with_the_basis() -> None:
    from myeloma_pathway.spark import assess_batches

    table = pa.Table.from_pandas(pd.DataFrame(_synthetic(100)), preserve_index=False)
    out = pa.Table.from_batches(list(assess_batches(table.to_batches(max_chunksize=30), keep="patient_id")))
    want = mp.assess_arrow(table, keep="patient_id", plan=False)
    cols = want.column_names
    assert out.select(cols).to_pylist() == want.select(cols).to_pylist()
    assert out.column("basis")[0].as_py()["kb_sha256"] == mp.KnowledgeBase.embedded().sha256
