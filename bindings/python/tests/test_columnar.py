"""The columnar path (``assess_columnar``: Arrow arrays straight into the core's columns, no
record per row) gives the answers of ``assess_arrow`` on the columns it covers, row for row, from
pyarrow, pandas and numpy; enum results are dictionary columns (pandas categoricals); a column it
does not read fails the call, naming it; a bad cell is an error in its row."""

from __future__ import annotations

import math
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import myeloma_pathway as mp

_RESULTS = [c for c in mp.COLUMNAR_OUTPUTS if c != "error"]


def _cohort(n: int = 400, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def maybe(x: np.ndarray) -> np.ndarray:
        x = x.astype(np.float64)
        x[rng.random(n) < 0.15] = np.nan
        return x

    ldh = maybe(np.round(rng.uniform(100, 600, n)))
    frame: Dict[str, Any] = {
        "age_years": maybe(rng.integers(30, 95, n)),
        "sex": pd.Categorical(rng.choice(["male", "female", None], n, p=[0.45, 0.45, 0.1])),
        "weight_kg": maybe(np.round(rng.uniform(40, 120, n), 1)),
        "height_cm": maybe(np.round(rng.uniform(145, 200, n))),
        "charlson": maybe(rng.integers(0, 5, n)),
        "katz_adl": maybe(rng.integers(0, 7, n)),
        "lawton_iadl": maybe(rng.integers(0, 9, n)),
        "creatinine_mg_dl": maybe(np.round(rng.uniform(0.5, 4.0, n), 2)),
        "beta2_microglobulin_mg_l": maybe(np.round(rng.uniform(0.5, 12.0, n), 1)),
        "albumin_g_dl": maybe(np.round(rng.uniform(1.5, 5.5, n), 1)),
        "ldh_u_l": ldh,
        "ldh_uln_u_l": np.where(np.isnan(ldh), np.nan, 250.0),
    }
    for c in ("del_17p", "t_4_14", "t_14_16", "gain_1q", "t_14_20", "hyperdiploidy", "tp53_mutation", "del_1p32"):
        frame[c] = pd.Categorical(rng.choice(["detected", "not_detected", None], n, p=[0.3, 0.6, 0.1]))
    return pd.DataFrame(frame)


def _same(fast: pa.Table, full: pa.Table) -> None:
    assert fast.num_rows == full.num_rows
    for c in _RESULTS:
        a = fast.column(c).to_pylist()
        b = full.column(c).to_pylist()
        for i, (x, y) in enumerate(zip(a, b)):
            if isinstance(x, float) and isinstance(y, float):
                assert math.isclose(x, y, rel_tol=1e-12), (c, i, x, y)
            else:
                assert x == y, (c, i, x, y)
    for i, (x, y) in enumerate(zip(fast.column("error").to_pylist(), full.column("error").to_pylist())):
        assert (x is None) == (y is None), (i, x, y)
        if x is not None:
            assert y.startswith(x), (i, x, y)


def test_the_columnar_path_equals_assess_arrow_row_for_row_from_pyarrow() -> None:
    table = pa.Table.from_pandas(_cohort(), preserve_index=False)
    _same(mp.assess_columnar(table), mp.assess_arrow(table, plan=False))


def test_pandas_and_numpy_give_the_same_table_as_pyarrow() -> None:
    df = _cohort(120)
    table = pa.Table.from_pandas(df, preserve_index=False)
    want = mp.assess_columnar(table)
    assert mp.assess_columnar(df).equals(want)
    numeric = {c: df[c].to_numpy() for c in df.columns if df[c].dtype == np.float64}
    got = mp.assess_columnar(numeric)
    _same(got, mp.assess_arrow(pa.table(numeric), plan=False))


def test_enum_results_are_dictionary_columns_that_become_pandas_categoricals() -> None:
    out = mp.assess_columnar(pa.Table.from_pandas(_cohort(50), preserve_index=False))
    assert tuple(out.column_names) == mp.COLUMNAR_OUTPUTS
    assert pa.types.is_dictionary(out.schema.field("r2_iss").type)
    frame = out.to_pandas()
    assert isinstance(frame["r2_iss"].dtype, pd.CategoricalDtype)
    assert list(frame["r2_iss"].cat.categories) == ["I", "II", "III", "IV"]


def test_every_documented_input_column_is_read_and_another_column_is_refused_naming_it() -> None:
    cols: Dict[str, List[Any]] = {c: [None] for c in mp.COLUMNAR_INPUTS}
    cols["sex"] = ["male"]
    out = mp.assess_columnar(pa.table({k: pa.array(v, type=pa.string() if k == "sex" or k.startswith(("del_", "t_", "gain_", "hyper", "tp53")) else pa.float64()) for k, v in cols.items()}))
    assert out.column("risk_article").to_pylist() == ["undetermined"]
    assert out.column("risk_msmart3").to_pylist() == ["undetermined"]
    assert out.column("risk_ims2025").to_pylist() == ["undetermined"]
    with pytest.raises(mp.ColumnError, match="patient_id"):
        mp.assess_columnar(pa.table({"patient_id": [1], "age_years": [60.0]}))


def test_a_bad_cell_is_an_error_in_its_row_and_the_other_rows_are_assessed() -> None:
    table = pa.table({"beta2_microglobulin_mg_l": [6.0, 999.0, 2.0], "albumin_g_dl": [4.0, 4.0, 4.0]})
    out = mp.assess_columnar(table)
    assert out.column("iss").to_pylist() == ["III", None, "I"]
    assert out.column("error_field").to_pylist() == [None, "labs.beta2_microglobulin.value", None]


def _big(n: int) -> pa.Table:
    return pa.concat_tables([pa.Table.from_pandas(_cohort(1_000, seed=k), preserve_index=False) for k in range(n // 1_000)])


def test_one_thread_and_two_threads_give_the_same_table() -> None:
    table = _big(40_000)  # more than two chunks of 16,384 rows
    one = mp.assess_columnar(table, threads=1)
    assert one.num_rows == 40_000
    assert mp.assess_columnar(table, threads=2).equals(one)
    assert mp.assess_columnar(table).equals(one)
    with pytest.raises(ValueError, match="threads"):
        mp.assess_columnar(table, threads=0)


def test_the_gil_is_released_while_rust_assesses_the_columns() -> None:
    """Another Python thread keeps running during the Rust call: the longest pause it sees is
    far shorter than the time spent inside Rust (with the GIL held it would be at least that)."""
    import threading
    import time

    from myeloma_pathway import _native

    one = pa.Table.from_pandas(_cohort(1_000), preserve_index=False)
    table = pa.concat_tables([one] * 500).combine_chunks().to_batches()[0]
    inside: List[float] = []
    done = threading.Event()

    def work() -> None:
        for _ in range(3):
            inside.append(_native.assess_columnar(table, None, 1)[1])
        done.set()

    t = threading.Thread(target=work)
    longest, last = 0.0, time.perf_counter()
    t.start()
    while not done.is_set():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    t.join()
    rust = max(inside)
    assert rust > 0.01, rust
    assert longest < 0.5 * rust, (longest, rust)
