"""Cohorts on Apache Spark: the columnar path inside ``DataFrame.mapInArrow``.

:func:`assess` takes a Spark DataFrame with the documented cohort columns
(:func:`myeloma_pathway.input_columns`) and returns one with the assessment columns
(:data:`myeloma_pathway.OUTPUT_COLUMNS`) and a ``basis`` column. Each Arrow batch goes to
the Rust Arrow path (:func:`myeloma_pathway.assess_arrow`, through the Arrow C data interface:
no row is ever a Python object), the same answers as :func:`myeloma_pathway.assess_cohort`, so a
row gets exactly the answer (or the error) it gets there, whatever the partitioning.

* The columns are checked on the driver, before any job: an unknown column, a column of a type
  that can never hold a valid value, a column named in ``require`` that is absent, a bad
  guideline or knowledge base raise at once, naming it.
* A bad row never fails the job: its result columns are empty and ``error`` says why.
* The guideline and the knowledge base travel to the executors as JSON text; each executor
  process parses the knowledge base once.
* The executors need this package installed (the same wheel as the driver); see docs/scale.md.

Importing :mod:`myeloma_pathway` never imports pyspark; importing this module does not either:
pyspark is imported when :func:`assess` is called. :func:`assess_batches` needs only pyarrow and
serves any Arrow stream (DuckDB, polars, Arrow IPC files).
"""

from __future__ import annotations

import hashlib
import importlib
import os
from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ._model import Guideline, GuidelineLike, KnowledgeBase, library_version
from .cohort import OUTPUT_COLUMNS, PLAN_COLUMNS, _FLOAT_OUTPUTS, _LIST_OUTPUTS, input_columns
from .errors import ColumnError

__all__ = ["assess", "assess_batches", "result_columns", "BASIS_FIELDS"]

#: Fields of the ``basis`` struct column, the same for every row of one call.
BASIS_FIELDS: Tuple[str, ...] = ("library_version", "kb_version", "kb_sha256", "guideline")

# Spark SQL type names (DataType.typeName()) each input kind accepts. Anything else is refused
# on the driver: a date, a decimal, a binary or nested column can never hold a valid value, and
# text in a number column (a CSV read without a schema) would make every row an error.
_NUMERIC_TYPES = frozenset({"byte", "short", "integer", "long", "float", "double", "void"})
_ACCEPTED_TYPES: Dict[str, FrozenSet[str]] = {
    "number": _NUMERIC_TYPES,
    "integer": _NUMERIC_TYPES,
    "bool": _NUMERIC_TYPES | {"boolean"},
    "string": frozenset({"string", "void"}),
}

# Knowledge bases parsed in this process, by SHA-256 of their JSON text (executors reuse them
# across batches and tasks).
_KB_CACHE: Dict[str, KnowledgeBase] = {}


def result_columns(plan: bool = False) -> List[Tuple[str, str]]:
    """The result columns in order, as ``(name, kind)`` with kind ``string``, ``double`` or
    ``list`` (a list of strings); ``basis`` (a struct of :data:`BASIS_FIELDS`) comes last."""
    names = OUTPUT_COLUMNS if plan else tuple(c for c in OUTPUT_COLUMNS if c not in PLAN_COLUMNS)
    return [(c, "double" if c in _FLOAT_OUTPUTS else "list" if c in _LIST_OUTPUTS else "string") for c in names]


def _kb_text(kb: Union[None, str, "os.PathLike[str]", KnowledgeBase]) -> Optional[str]:
    if kb is None:
        return None
    if isinstance(kb, KnowledgeBase):
        raise TypeError(
            "spark.assess takes the knowledge base as JSON text or a path to its file (it is sent to "
            "the executors as text), not a KnowledgeBase object"
        )
    if isinstance(kb, os.PathLike):
        with open(kb, encoding="utf-8") as f:
            return f.read()
    if isinstance(kb, str):
        return kb
    raise TypeError(f"kb must be JSON text or a path, not {type(kb).__name__}")


def _load_kb(text: Optional[str]) -> Optional[KnowledgeBase]:
    if text is None:
        return None
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    kb = _KB_CACHE.get(key)
    if kb is None:
        kb = _KB_CACHE[key] = KnowledgeBase.from_json(text)
    return kb


def _guideline_text(guideline: GuidelineLike) -> str:
    if guideline is None:
        return Guideline().to_json()
    if isinstance(guideline, Guideline):
        return guideline.to_json()
    return Guideline(guideline).to_json()


def _basis(guideline_json: str, kb_json: Optional[str]) -> Dict[str, str]:
    kb = _load_kb(kb_json) or KnowledgeBase.embedded()
    return {
        "library_version": library_version(),
        "kb_version": kb.version,
        "kb_sha256": kb.sha256,
        "guideline": guideline_json,
    }


def _arrow_result_types() -> Dict[str, Any]:
    import pyarrow as pa

    return {"string": pa.string(), "double": pa.float64(), "list": pa.list_(pa.string())}


def _check_columns(names: Sequence[str], keep: Sequence[str], require: Sequence[str]) -> List[str]:
    """The input columns of ``names``; raises :class:`ColumnError` naming what is wrong."""
    spec = {c[0]: c[1] for c in input_columns()}
    seen = set()
    for name in names:
        if name in seen:
            raise ColumnError(f"column `{name}` appears more than once")
        seen.add(name)
    for k in keep:
        if k not in seen:
            raise ColumnError(f"`keep` column `{k}` is not in the data")
        if k in spec:
            raise ColumnError(f"`keep` column `{k}` is an input column; it cannot be both")
    for r in require:
        if r not in spec:
            raise ColumnError(f"`require` names `{r}`, which is not an input column (see myeloma_pathway.input_columns())")
    absent = [r for r in require if r not in seen]
    if absent:
        raise ColumnError("required column(s) missing: " + ", ".join(f"`{a}`" for a in absent))
    reserved = {c for c, _ in result_columns(True)} | {"basis"}
    clash = [k for k in keep if k in reserved]
    if clash:
        raise ColumnError("`keep` column(s) clash with result columns: " + ", ".join(f"`{c}`" for c in clash))
    unknown = [n for n in names if n not in spec and n not in keep]
    if unknown:
        raise ColumnError(
            "unknown column(s): " + ", ".join(f"`{u}`" for u in unknown)
            + " (see myeloma_pathway.input_columns(); pass identifiers with keep=[...])"
        )
    return [n for n in names if n in spec]


def assess_batches(
    batches: Iterable[Any],
    guideline: GuidelineLike = None,
    kb: Union[None, str, "os.PathLike[str]"] = None,
    plan: bool = False,
    *,
    keep: Union[str, Sequence[str]] = (),
    threads: Optional[int] = 1,
) -> Iterator[Any]:
    """Assess a stream of pyarrow ``RecordBatch``es; yields one result batch per input batch.

    The function :func:`assess` runs on every Spark executor, usable on any Arrow stream (a
    DuckDB ``to_arrow_reader``, a polars ``to_arrow().to_batches()``, an Arrow IPC reader).
    Result batches have the ``keep`` columns (unchanged), then :func:`result_columns`, then
    ``basis``. Column problems raise :class:`ColumnError` at the first batch.
    """
    keep_names = [keep] if isinstance(keep, str) else list(keep)
    g = _guideline_text(guideline)
    k = _kb_text(kb)
    _load_kb(k)
    it = iter(batches)
    yield from _map_batches(it, g, k, bool(plan), keep_names, threads, None)


def _map_batches(
    batches: Iterator[Any],
    guideline_json: str,
    kb_json: Optional[str],
    plan: bool,
    keep: List[str],
    threads: Optional[int],
    checked_inputs: Optional[List[str]],
) -> Iterator[Any]:
    """The executor side: each Arrow batch through the Rust Arrow path
    (:func:`myeloma_pathway.assess_arrow`): the batch goes to Rust through the Arrow C data
    interface and the result batch, ``basis`` included, is built there; no cell is a Python
    object."""
    import pyarrow as pa

    from . import _native
    from ._model import _kb_arg

    kb = _load_kb(kb_json)
    inputs = checked_inputs
    for batch in batches:
        if inputs is None:
            inputs = _check_columns(batch.schema.names, keep, ())
        if batch.num_rows == 0:
            continue
        names = list(keep) + list(inputs)
        if list(batch.schema.names) != names:
            batch = pa.RecordBatch.from_arrays([batch.column(n) for n in names], names=names)
        out = _native.assess_arrow(batch, guideline_json, _kb_arg(kb), plan, False, list(keep), [], threads, True, 0)
        yield out


class _Mapper:
    """The function mapInArrow ships to the executors: plain values only (JSON text, names)."""

    def __init__(self, guideline_json: str, kb_json: Optional[str], plan: bool, keep: List[str], inputs: List[str], threads: Optional[int]) -> None:
        self.guideline_json = guideline_json
        self.kb_json = kb_json
        self.plan = plan
        self.keep = keep
        self.inputs = inputs
        self.threads = threads

    def __call__(self, batches: Iterator[Any]) -> Iterator[Any]:
        return _map_batches(batches, self.guideline_json, self.kb_json, self.plan, self.keep, self.threads, self.inputs)


def _spark_type_name(dt: Any) -> str:
    return str(dt.typeName())


def assess(
    df: Any,
    guideline: GuidelineLike = None,
    kb: Union[None, str, "os.PathLike[str]"] = None,
    plan: bool = False,
    *,
    keep: Union[str, Sequence[str]] = (),
    require: Union[str, Sequence[str]] = (),
    threads: Optional[int] = 1,
) -> Any:
    """Assess every row of a Spark DataFrame; returns a DataFrame with one row per input row.

    Columns: the ``keep`` columns (unchanged: an identifier to join back on), then
    :func:`result_columns` (``plan=True`` adds :data:`myeloma_pathway.PLAN_COLUMNS`; the plan is
    the costly part), then ``basis`` (library version, knowledge-base version and SHA-256, and
    the guideline in full as JSON).

    ``guideline`` is a :class:`~myeloma_pathway.Guideline`, a dict or JSON; ``kb`` is the
    knowledge base as JSON text or a path to its file on the driver (default: the embedded
    one). Both are validated here and sent to the executors as text.

    ``require`` names input columns the data must have; the core itself needs none (a missing
    column is unknown for every row and shows in ``missing_inputs``), so a registry states the
    columns its analysis cannot do without. ``threads`` is the Rust threads per batch
    (default 1: Spark already runs one task per core).

    Raises :class:`~myeloma_pathway.ColumnError` before any job for an unknown column, an absent
    required column, or a column whose Spark type can never hold a valid value (a date, a
    decimal, text in a number column: cast it first).
    """
    types_mod = importlib.import_module("pyspark.sql.types")
    keep_names = [keep] if isinstance(keep, str) else list(keep)
    require_names = [require] if isinstance(require, str) else list(require)
    inputs = _check_columns(list(df.columns), keep_names, require_names)
    spec = {c[0]: c[1] for c in input_columns()}
    fields = {f.name: f for f in df.schema.fields}
    for name in inputs:
        t = _spark_type_name(fields[name].dataType)
        if t not in _ACCEPTED_TYPES[spec[name]]:
            want = "text (string)" if spec[name] == "string" else "numbers (integer or double)" if spec[name] != "bool" else "booleans or numbers"
            raise ColumnError(f"column `{name}` has Spark type {fields[name].dataType.simpleString()}; expected {want}")
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ValueError("threads must be a positive integer")
    g = _guideline_text(guideline)
    k = _kb_text(kb)
    _load_kb(k)  # a broken knowledge base raises here, on the driver

    out_fields = [fields[name] for name in keep_names]
    spark_types = {
        "string": types_mod.StringType(),
        "double": types_mod.DoubleType(),
        "list": types_mod.ArrayType(types_mod.StringType(), True),
    }
    for c, kind in result_columns(plan):
        out_fields.append(types_mod.StructField(c, spark_types[kind], True))
    basis_type = types_mod.StructType([types_mod.StructField(f, types_mod.StringType(), True) for f in BASIS_FIELDS])
    out_fields.append(types_mod.StructField("basis", basis_type, True))
    schema = types_mod.StructType(out_fields)
    mapper = _Mapper(g, k, bool(plan), keep_names, inputs, threads)
    return df.select(*keep_names, *inputs).mapInArrow(mapper, schema)

