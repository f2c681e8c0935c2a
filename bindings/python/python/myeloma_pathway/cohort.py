"""Cohorts as columns.

:func:`assess_cohort` takes a pandas ``DataFrame``, a pyarrow ``Table`` or a ``dict`` of numpy
arrays (one row per newly diagnosed patient, one column per input, names and units in
:func:`input_columns` and ``docs/python.md``) and returns the same kind of object with one row per
input row: ISS, R-ISS, R2-ISS, cytogenetic risk under every definition, frailty, transplant
eligibility, the recommended regimen and the missing inputs, plus an ``error`` column.

* Each row becomes the core's patient record; a row gets exactly the error a JSON record with
  the same values would get. A bad row never fails the batch and is never dropped: its result
  columns are empty and ``error``, ``error_kind`` and ``error_field`` say why.
* An empty cell (``None``, ``NaN``, ``pd.NA``) is unknown, never normal. An empty cytogenetic
  cell means not tested.
* The Rust work runs with the GIL released.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, overload

from . import _native
from ._model import Guideline, GuidelineLike, KnowledgeBase, _kb_arg
from .enums import DiagnosisClass, Eligibility, FrailtyCategory, IssStage, Phase, R2IssStage, RIssStage, RiskLevel
from .errors import ColumnError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pyarrow as pa

__all__ = ["assess_cohort", "assess_arrow", "assess_columnar", "COLUMNAR_INPUTS", "COLUMNAR_OUTPUTS", "input_columns", "OUTPUT_COLUMNS", "PLAN_COLUMNS", "CATEGORIES"]

#: Result columns, in order (after any ``keep`` columns): the core's table
#: (``myeloma_pathway::cohort::OUTPUT_COLUMNS``), which the Arrow path and ``mmpath cohort`` use too.
OUTPUT_COLUMNS: Tuple[str, ...] = tuple(name for name, _ in _native.cohort_output_columns(True))

#: Columns that only a plan gives; left out with ``plan=False``.
PLAN_COLUMNS: Tuple[str, ...] = tuple(c for c in OUTPUT_COLUMNS if c not in {n for n, _ in _native.cohort_output_columns(False)})

_FLOAT_OUTPUTS = frozenset(name for name, kind in _native.cohort_output_columns(True) if kind == "double")
# Counts: whole numbers (pandas nullable ``Int64``; NaN in the numpy and arrow forms' float columns).
_INT_OUTPUTS = frozenset({"imwg_frailty_points", "n_warnings"})

_RISK_LEVELS = tuple(x.value for x in RiskLevel)
#: The categories of each categorical result column of the pandas form, in order, from the
#: core's enums (``ordered`` for stages: ISS I < II < III, R-ISS I < II < III, R2-ISS I < ... < IV).
CATEGORIES: Dict[str, Tuple[Tuple[str, ...], bool]] = {
    "iss": (tuple(x.value for x in IssStage), True),
    "r_iss": (tuple(x.value for x in RIssStage), True),
    "r2_iss": (tuple(x.value for x in R2IssStage), True),
    "diagnosis": (tuple(x.value for x in DiagnosisClass), False),
    "risk": (_RISK_LEVELS, False),
    "risk_article": (_RISK_LEVELS, False),
    "risk_imwg2016": (_RISK_LEVELS, False),
    "risk_msmart3": (_RISK_LEVELS, False),
    "risk_ims2025": (_RISK_LEVELS, False),
    "imwg_frailty": (tuple(x.value for x in FrailtyCategory), False),
    "simplified_frailty": (tuple(x.value for x in FrailtyCategory), False),
    "transplant_eligibility": (tuple(x.value for x in Eligibility), False),
    "phase": (tuple(x.value for x in Phase), False),
}
_LIST_OUTPUTS = frozenset(name for name, kind in _native.cohort_output_columns(True) if kind == "list")


def input_columns() -> List[Tuple[str, str, str]]:
    """Every accepted input column as ``(name, kind, record path)``.

    ``kind`` is ``number``, ``integer``, ``bool`` or ``string``. Lab columns carry their unit in
    the name (``creatinine_mg_dl``, ``creatinine_umol_l``, ...); give an analyte in one unit per
    row. Cytogenetic columns (``del_17p``, ``t_4_14``, ...) hold ``detected``, ``not_detected`` or
    ``not_tested``.
    """
    return [tuple(c) for c in _native.cohort_columns()]  # type: ignore[misc]


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    try:
        import pandas as pd

        return bool(v is pd.NA or v is pd.NaT)
    except ImportError:  # pragma: no cover
        return False


def _columns_of(data: Any) -> Tuple[str, Dict[str, Any], Any]:
    """(kind of container, columns as 1-D arrays, index)."""
    import numpy as np

    mod = type(data).__module__
    if mod.startswith("pandas") and hasattr(data, "columns") and hasattr(data, "index"):
        cols = {}
        for name in data.columns:
            if not isinstance(name, str):
                raise ColumnError(f"column names must be strings, got {name!r}")
            s = data[name]
            if hasattr(s, "columns"):
                raise ColumnError(f"column `{name}` appears more than once")
            cols[name] = s
        return "pandas", cols, data.index
    if mod.startswith("pyarrow") and hasattr(data, "column_names"):
        cols = {}
        for name in data.column_names:
            if name in cols:
                raise ColumnError(f"column `{name}` appears more than once")
            cols[name] = data.column(name).to_numpy(zero_copy_only=False)
        return "arrow", cols, None
    if isinstance(data, Mapping):
        cols = {}
        for name, v in data.items():
            if not isinstance(name, str):
                raise ColumnError(f"column names must be strings, got {name!r}")
            arr = np.asarray(v) if not hasattr(v, "dtype") else v
            if getattr(arr, "ndim", 1) != 1:
                raise ColumnError(f"column `{name}` must be one-dimensional")
            cols[name] = arr
        return "dict", cols, None
    raise TypeError(f"assess_cohort takes a pandas DataFrame, a pyarrow Table or a dict of numpy arrays, not {type(data).__name__}")


def _numeric(name: str, col: Any, n: int, is_bool: bool) -> Tuple[bytes, Dict[int, str]]:
    """Float64 bytes (NaN = empty) and the cells that are not numbers, by row.

    True/False are numbers only in a bool column; elsewhere they go to the core as text and are
    refused in their row (JSON ``true`` is not an age).
    """
    import numpy as np

    # pandas nullable dtypes (Int64, boolean, Float64): empty cells to NaN.
    if hasattr(col, "to_numpy") and hasattr(col, "dtype") and type(col).__module__.startswith("pandas"):
        kind = getattr(col.dtype, "kind", "O")
        if kind in ("iuf" if not is_bool else "iufb"):
            try:
                return col.to_numpy(dtype="float64", na_value=np.nan).tobytes(), {}
            except (TypeError, ValueError):
                pass
        col = col.to_numpy(dtype=object)
    arr = np.asarray(col)
    if arr.dtype.kind in ("iuf" if not is_bool else "iufb"):
        return np.ascontiguousarray(arr, dtype=np.float64).tobytes(), {}
    if arr.dtype.kind in "mMc":
        raise ColumnError(f"column `{name}` has dtype {arr.dtype}; expected numbers")
    # Object or string dtype: numbers pass, empty cells are unknown, anything else goes to the
    # core as the string it is, to be refused for that row alone.
    values = np.full(n, np.nan, dtype=np.float64)
    others: Dict[int, str] = {}
    for i, v in enumerate(arr.tolist()):
        if _is_missing(v):
            continue
        if isinstance(v, (bool, np.bool_)):
            if is_bool:
                values[i] = 1.0 if v else 0.0
            else:
                others[i] = str(bool(v)).lower()
        elif isinstance(v, (int, float, np.integer, np.floating)):
            values[i] = float(v)
        else:
            others[i] = str(v)
    return values.tobytes(), others


def _categorical(name: str, col: Any, n: int) -> Tuple[bytes, List[str]]:
    """int32 codes (-1 = empty) into a list of distinct strings."""
    import numpy as np

    arr = np.asarray(col.to_numpy(dtype=object) if hasattr(col, "to_numpy") and type(col).__module__.startswith("pandas") else col)
    if arr.dtype.kind in "mM":
        raise ColumnError(f"column `{name}` has dtype {arr.dtype}; expected strings")
    codes = np.full(n, -1, dtype=np.int32)
    uniques: List[str] = []
    index: Dict[Any, int] = {}
    for i, v in enumerate(arr.tolist()):
        if _is_missing(v):
            continue
        key = v.value if hasattr(v, "value") and isinstance(getattr(v, "value"), str) else v
        if isinstance(key, bytes):
            key = key.decode("utf-8", "replace")
        if isinstance(key, str) and key == "":
            continue
        k = index.get(key)
        if k is None:
            k = index[key] = len(uniques)
            # A non-string cell (a number in a string column) goes on as text for the core to
            # refuse in its row.
            uniques.append(key if isinstance(key, str) else str(key))
        codes[i] = k
    return codes.tobytes(), uniques


# Without pandas-stubs, pandas and pyarrow are Any to mypy and the first overload covers the
# others; with the stubs installed each container gets its own result type.
@overload
def assess_cohort(
    data: "pd.DataFrame",
    guideline: GuidelineLike = ...,
    *,
    keep: Union[str, Sequence[str]] = ...,
    threads: Optional[int] = ...,
    plan: bool = ...,
    kb: Optional[KnowledgeBase] = ...,
) -> "pd.DataFrame": ...


@overload
def assess_cohort(  # type: ignore[overload-cannot-match]
    data: "pa.Table",
    guideline: GuidelineLike = ...,
    *,
    keep: Union[str, Sequence[str]] = ...,
    threads: Optional[int] = ...,
    plan: bool = ...,
    kb: Optional[KnowledgeBase] = ...,
) -> "pa.Table": ...


@overload
def assess_cohort(  # type: ignore[overload-cannot-match]
    data: Mapping[str, "npt.ArrayLike"],
    guideline: GuidelineLike = ...,
    *,
    keep: Union[str, Sequence[str]] = ...,
    threads: Optional[int] = ...,
    plan: bool = ...,
    kb: Optional[KnowledgeBase] = ...,
) -> Dict[str, "np.ndarray[Any, Any]"]: ...


def assess_cohort(
    data: Union["pd.DataFrame", "pa.Table", Mapping[str, "npt.ArrayLike"]],
    guideline: GuidelineLike = None,
    *,
    keep: Union[str, Sequence[str]] = (),
    threads: Optional[int] = None,
    plan: bool = True,
    kb: Optional[KnowledgeBase] = None,
) -> Union["pd.DataFrame", "pa.Table", Dict[str, "np.ndarray[Any, Any]"]]:
    """Assess every row of a cohort; returns the same kind of container, one row per input row.

    ``keep`` names columns (an identifier, say) that are copied to the output unchanged instead
    of being read as inputs. Any other column must be a documented input column
    (:func:`input_columns`); an unknown one raises :class:`ColumnError`, so that a misspelt
    column is never silently ignored. Missing columns are unknown for every row.

    ``threads`` bounds the worker threads of the Rust work (default: one per core); the answer
    does not depend on it.

    ``plan=False`` skips the plan (the costly part: it re-runs the engine for each
    counterfactual) and leaves out :data:`PLAN_COLUMNS`; staging, risk, frailty, eligibility,
    creatinine clearance and diagnosis are the same, and ``missing_inputs`` lists what those
    assessments missed.

    ``kb`` is the knowledge base every row is assessed with (default: the embedded one).

    A DataFrame comes back with the input's index, and pandas dtypes: stages as ordered
    categoricals (:data:`CATEGORIES`), risk levels, frailty, eligibility, diagnosis class and
    phase as categoricals of the core's identifiers, counts as nullable ``Int64``, measurements as
    nullable ``Float64``, text as ``string`` and lists as ``object`` (an empty cell is ``<NA>``).
    """
    if _speaks_arrow(data):
        # pyarrow Tables and RecordBatches, polars DataFrames, DuckDB results...: the Arrow path,
        # no cell a Python object (a pyarrow Table back).
        if threads is not None and (not isinstance(threads, int) or threads < 1):
            raise ValueError("threads must be a positive integer")
        out = assess_arrow(data, guideline, keep=keep, threads=threads, plan=plan, kb=kb)
        import pyarrow as pa

        return out if isinstance(out, pa.Table) else pa.Table.from_batches([out])
    kind, cols, index = _columns_of(data)
    keep_names = [keep] if isinstance(keep, str) else list(keep)
    for k in keep_names:
        if k not in cols:
            raise ColumnError(f"`keep` column `{k}` is not in the data")
    lengths = {name: len(c) for name, c in cols.items()}
    n = next(iter(lengths.values()), 0)
    for name, length in lengths.items():
        if length != n:
            raise ColumnError(f"column `{name}` has {length} rows; the others have {n}")

    spec = {c[0]: c[1] for c in input_columns()}
    unknown = [name for name in cols if name not in spec and name not in keep_names]
    if unknown:
        raise ColumnError(
            "unknown column(s): " + ", ".join(f"`{u}`" for u in unknown)
            + " (see myeloma_pathway.input_columns(); pass identifiers with keep=[...])"
        )
    numeric: Dict[str, Tuple[bytes, Dict[int, str]]] = {}
    categorical: Dict[str, Tuple[bytes, List[str]]] = {}
    for name, col in cols.items():
        if name in keep_names:
            continue
        if spec[name] == "string":
            categorical[name] = _categorical(name, col, n)
        else:
            numeric[name] = _numeric(name, col, n, spec[name] == "bool")

    g: Optional[str] = None
    if guideline is not None:
        g = guideline.to_json() if isinstance(guideline, Guideline) else Guideline(guideline).to_json()
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ValueError("threads must be a positive integer")
    raw: Dict[str, List[Any]] = _native.assess_columns(n, numeric, categorical, g, threads, bool(plan), _kb_arg(kb))
    names = OUTPUT_COLUMNS if plan else tuple(c for c in OUTPUT_COLUMNS if c not in PLAN_COLUMNS)
    return _pack(kind, raw, {k: cols[k] for k in keep_names}, index, n, names)


def _speaks_arrow(data: Any) -> bool:
    """Whether ``data`` is an Arrow producer (PyCapsule interface), not pandas or a mapping."""
    if isinstance(data, Mapping) or type(data).__module__.startswith("pandas"):
        return False
    return hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__")


def assess_arrow(
    data: Any,
    guideline: GuidelineLike = None,
    *,
    keep: Union[str, Sequence[str]] = (),
    require: Union[str, Sequence[str]] = (),
    plan: bool = True,
    plan_json: bool = False,
    threads: Optional[int] = None,
    kb: Optional[KnowledgeBase] = None,
    basis: bool = False,
    max_rows_per_batch: int = 0,
) -> Any:
    """Assess an Arrow cohort in Rust; returns a pyarrow ``Table`` (a ``RecordBatch`` for a
    single batch in).

    ``data`` is anything that speaks the Arrow PyCapsule interface (``__arrow_c_stream__`` or
    ``__arrow_c_array__``): a pyarrow ``Table``, ``RecordBatch`` or ``RecordBatchReader``, a
    polars ``DataFrame``, a DuckDB result, nanoarrow. The columns go to Rust through the Arrow C
    data interface and the result is built there: no cell is ever a Python object. A stream is
    read batch by batch. Result columns: ``keep`` (unchanged), :data:`OUTPUT_COLUMNS`
    (``plan=False`` leaves out :data:`PLAN_COLUMNS`), ``plan_json`` (with ``plan_json=True``:
    each row's plan as JSON), ``basis`` (with ``basis=True``). The answers are those of
    :func:`assess_cohort` row for row; a bad row gets its error in its row. Raises
    :class:`ColumnError` before any row for an unknown column, a ``require`` column that is
    absent, or a column of an Arrow type that can never hold a valid value (a date, a decimal).
    """
    keep_names = [keep] if isinstance(keep, str) else list(keep)
    require_names = [require] if isinstance(require, str) else list(require)
    g: Optional[str] = None
    if guideline is not None:
        g = guideline.to_json() if isinstance(guideline, Guideline) else Guideline(guideline).to_json()
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ValueError("threads must be a positive integer")
    return _native.assess_arrow(
        data, g, _kb_arg(kb), bool(plan), bool(plan_json), keep_names, require_names, threads, bool(basis), int(max_rows_per_batch)
    )


#: The columns :func:`assess_columnar` reads (every one optional): numbers, then ``sex``, then
#: the cytogenetic statuses.
COLUMNAR_INPUTS: Tuple[str, ...] = (
    "age_years", "sex", "weight_kg", "height_cm", "charlson", "katz_adl", "lawton_iadl", "creatinine_mg_dl",
    "creatinine_clearance_ml_min", "beta2_microglobulin_mg_l", "albumin_g_dl", "ldh_u_l", "ldh_uln_u_l",
    "del_17p", "t_4_14", "t_14_16", "gain_1q", "t_14_20", "hyperdiploidy", "tp53_mutation", "del_1p32",
)

#: The result columns of :func:`assess_columnar`, in order.
COLUMNAR_OUTPUTS: Tuple[str, ...] = (
    "error", "error_kind", "error_field", "iss", "r_iss", "r2_iss", "r2_iss_points", "risk_article",
    "risk_imwg2016", "risk_msmart3", "risk_ims2025", "imwg_frailty", "imwg_frailty_points",
    "creatinine_clearance_ml_min",
)


def _to_arrow(data: Any) -> Any:
    """An Arrow producer for ``data``: itself if it speaks the PyCapsule interface, else a
    pyarrow ``Table`` of a pandas ``DataFrame`` or of a mapping of column name to numpy array or
    sequence."""
    if _speaks_arrow(data):
        return data
    import pyarrow as pa

    if type(data).__module__.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if isinstance(data, Mapping):
        return pa.table({str(k): pa.array(v) for k, v in data.items()})
    raise TypeError(
        "assess_columnar takes an Arrow object (pyarrow, polars, DuckDB...), a pandas DataFrame or a mapping of "
        f"column name to numpy array, not {type(data).__name__}"
    )


def assess_columnar(data: Any, guideline: GuidelineLike = None, threads: Optional[int] = None) -> Any:
    """Staging (ISS, R-ISS, R2-ISS), risk under every definition (the article's, IMWG 2016,
    MSmart 3.0, IMS/IMWG 2025 with the guideline's del(17p) cut-off), the IMWG frailty score and
    creatinine clearance, over columns, at the core's columnar speed; returns a pyarrow
    ``Table`` (a ``RecordBatch`` for a single ``RecordBatch`` in).

    The GIL is released while Rust works; a batch of more than 16,384 rows runs on every core
    (rayon), or on ``threads`` threads when given. The answer does not depend on the thread
    count.

    ``data``: anything that speaks the Arrow PyCapsule interface (pyarrow, polars, DuckDB), or a
    pandas ``DataFrame``, or a mapping of column name to numpy array (both through pyarrow). It
    may hold only :data:`COLUMNAR_INPUTS` (an absent column is missing in every row; any other
    column raises :class:`ColumnError`, naming it). Numbers in the canonical unit of the column
    name; null or NaN = missing; statuses ``detected``, ``not_detected``, ``not_tested``.

    Result columns :data:`COLUMNAR_OUTPUTS`: the enum results are dictionary columns (pandas
    categoricals after ``to_pandas()``), nulls where not computable; ``error``/``error_kind``/
    ``error_field`` say why a row was refused. Each value equals :func:`assess_arrow`'s for the
    same columns, row for row (``error`` holds the first of that row's errors). No row becomes a
    Python object or a patient record.
    """
    g: Optional[str] = None
    if guideline is not None:
        g = guideline.to_json() if isinstance(guideline, Guideline) else Guideline(guideline).to_json()
    if threads is not None and (not isinstance(threads, int) or isinstance(threads, bool) or threads < 1):
        raise ValueError("threads must be a positive integer")
    out, _seconds = _native.assess_columnar(_to_arrow(data), g, threads)
    return out


def _pack(kind: str, raw: Dict[str, List[Any]], kept: Dict[str, Any], index: Any, n: int, names: Tuple[str, ...]) -> Any:
    import numpy as np

    if kind == "pandas":
        import pandas as pd

        frame: Dict[str, Any] = {k: pd.Series(v.to_numpy() if hasattr(v, "to_numpy") else v, index=index) for k, v in kept.items()}
        for c in names:
            v = raw[c]
            if c in _INT_OUTPUTS:
                if any(x is not None and float(x) != int(x) for x in v):  # pragma: no cover - a core bug
                    raise AssertionError(f"column {c}: the core gave a fraction where a count was expected")
                frame[c] = pd.Series(pd.array([None if x is None else int(x) for x in v], dtype="Int64"), index=index)
            elif c in _FLOAT_OUTPUTS:
                frame[c] = pd.Series(pd.array([None if x is None else float(x) for x in v], dtype="Float64"), index=index)
            elif c in CATEGORIES:
                cats, ordered = CATEGORIES[c]
                unknown = sorted({x for x in v if x is not None and x not in cats})
                if unknown:  # never silently NaN: a value the enums do not list is a bug
                    raise AssertionError(f"column {c}: {unknown} not among the core's identifiers {cats}")
                frame[c] = pd.Series(pd.Categorical(v, categories=list(cats), ordered=ordered), index=index)
            elif c in _LIST_OUTPUTS:
                # object dtype: each cell a list.
                frame[c] = pd.Series(v, dtype=object, index=index)
            else:
                frame[c] = pd.Series(pd.array(v, dtype="string"), index=index)
        return pd.DataFrame(frame, index=index)
    if kind == "arrow":
        import pyarrow as pa

        arrays: Dict[str, Any] = {k: pa.array(v) for k, v in kept.items()}
        for c in names:
            v = raw[c]
            if c in _FLOAT_OUTPUTS:
                arrays[c] = pa.array(v, type=pa.float64())
            elif c in _LIST_OUTPUTS:
                arrays[c] = pa.array(v, type=pa.list_(pa.string()))
            else:
                arrays[c] = pa.array(v, type=pa.string())
        return pa.table(arrays)
    out: Dict[str, Any] = {k: np.asarray(v) for k, v in kept.items()}
    for c in names:
        v = raw[c]
        if c in _FLOAT_OUTPUTS:
            out[c] = np.array([np.nan if x is None else x for x in v], dtype=np.float64)
        else:
            a = np.empty(n, dtype=object)
            for i, x in enumerate(v):
                a[i] = x
            out[c] = a
    return out
