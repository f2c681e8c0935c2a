"""myeloma_pathway.spark: the columnar path on a local Spark (local[2]) against the single-machine
``assess_cohort``, row for row, in several partitionings. Run by scripts/test-spark (which
installs pyspark); skipped when pyspark is absent.

Throughput lines (``throughput: ...``) are printed for docs/scale.md; run with ``-s`` to see them.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from typing import Any, Dict, List

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyspark")

import myeloma_pathway as mp  # noqa: E402
from myeloma_pathway import spark as mps  # noqa: E402

# pyspark 4 warns that it does not fully support pandas 3 (which scripts/test-python installs);
# no pandas conversion is on the tested path (Spark is given Arrow and returns Arrow).
pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

N_ROWS = int(os.environ.get("MP_SPARK_ROWS", "100000"))
N_PLAN_ROWS = int(os.environ.get("MP_SPARK_PLAN_ROWS", "20000"))


def cohort(n: int, seed: int = 16) -> Any:
    """A deterministic synthetic cohort (pandas), with bad rows of several kinds."""
    rng = np.random.default_rng(seed)
    status = np.array(["detected", "not_detected", None], dtype=object)
    df = pd.DataFrame({
        "patient_id": np.arange(n, dtype=np.int64),
        "age_years": rng.integers(40, 92, n).astype(np.float64),
        "sex": rng.choice(np.array(["female", "male"], dtype=object), n),
        "weight_kg": rng.normal(75, 12, n).round(1), "height_cm": rng.normal(170, 9, n).round(0),
        "ecog": rng.integers(0, 4, n).astype(np.float64), "charlson": rng.integers(0, 4, n).astype(np.float64),
        "katz_adl": rng.integers(3, 7, n).astype(np.float64), "lawton_iadl": rng.integers(4, 9, n).astype(np.float64),
        "creatinine_mg_dl": rng.lognormal(0.1, 0.4, n).round(2), "creatinine_umol_l": np.full(n, np.nan),
        "albumin_g_dl": rng.normal(3.6, 0.5, n).round(1),
        "beta2_microglobulin_mg_l": rng.lognormal(1.3, 0.6, n).round(1),
        "ldh_u_l": rng.normal(220, 70, n).round(0), "ldh_uln_u_l": np.full(n, 250.0),
        "serum_m_protein_g_dl": rng.lognormal(0.5, 0.7, n).round(2),
        "bone_marrow_plasma_cells_pct": rng.uniform(2, 80, n).round(0),
        "del_17p": rng.choice(status, n, p=[0.1, 0.8, 0.1]), "t_4_14": rng.choice(status, n, p=[0.12, 0.78, 0.1]),
        "gain_1q": rng.choice(status, n, p=[0.3, 0.6, 0.1]), "t_14_16": rng.choice(status, n, p=[0.04, 0.5, 0.46]),
    })
    # Unknown values: about 5% of several cells are empty.
    for c in ("albumin_g_dl", "beta2_microglobulin_mg_l", "ecog", "weight_kg", "sex"):
        df.loc[rng.random(n) < 0.05, c] = None if c == "sex" else np.nan
    # Bad rows, each in its own row: every 101st an impossible age, every 211th an unknown sex
    # identifier, every 307th a fraction in an integer field, every 401st creatinine in two
    # units, every 503rd an LDH without its upper limit of normal, every 601st an
    # out-of-range lab and an unknown FISH status together.
    i = np.arange(n)
    df.loc[i % 101 == 7, "age_years"] = 250.0
    df.loc[i % 211 == 3, "sex"] = "Male"
    df.loc[i % 307 == 5, "ecog"] = 1.5
    df.loc[i % 401 == 11, "creatinine_umol_l"] = 90.0
    df.loc[i % 503 == 13, "ldh_uln_u_l"] = np.nan
    df.loc[i % 601 == 17, "albumin_g_dl"] = -3.0
    df.loc[i % 601 == 17, "del_17p"] = "maybe"
    return df


def arrow(df: Any) -> Any:
    """The cohort as Arrow (what both paths read; Spark is given Arrow, not pandas)."""
    return pa.Table.from_pandas(df, preserve_index=False)


def reference(df: Any, plan: bool, guideline: Any = None) -> Any:
    """The single-machine columnar result, as a pyarrow Table with patient_id first."""
    table = arrow(df)
    return mp.assess_cohort(table, guideline, keep="patient_id", plan=plan)


def collect(sdf: Any) -> Any:
    """A Spark result as a pyarrow Table sorted by patient_id (Spark keeps no row order)."""
    return sdf.toArrow().sort_by("patient_id")


def assert_same_rows(got: Any, want: Any) -> None:
    want = want.sort_by("patient_id")
    assert got.num_rows == want.num_rows
    assert got.column("patient_id").to_pylist() == want.column("patient_id").to_pylist()
    for name in want.column_names:
        g = got.column(name).to_pylist()
        w = want.column(name).to_pylist()
        if g != w:
            bad = [k for k, (a, b) in enumerate(zip(g, w)) if not (a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)))]
            assert not bad, f"column {name}: {len(bad)} rows differ, first row {bad[0]}: spark {g[bad[0]]!r} vs single machine {w[bad[0]]!r}"


@pytest.fixture(scope="module")
def spark() -> Any:
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # The Python workers run this interpreter, the one the wheel is installed in.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]").appName("myeloma-pathway-test")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "10000")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def data() -> Any:
    return cohort(N_ROWS)


@pytest.fixture(scope="module")
def single_machine(data: Any) -> Any:
    """The single-machine result of the whole cohort and its time in seconds."""
    t0 = time.perf_counter()
    want = reference(data, plan=False)
    return want, time.perf_counter() - t0


@pytest.fixture(scope="module")
def sdf(spark: Any, data: Any) -> Any:
    return spark.createDataFrame(arrow(data)).cache()


def test_importing_the_package_does_not_import_pyspark() -> None:
    code = "import sys, myeloma_pathway as mp; mp.assess_cohort; assert 'pyspark' not in sys.modules; mp.spark; assert 'pyspark' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_synthetic_cohort_has_bad_rows_and_good_rows(data: Any) -> None:
    assert len(data) >= 100_000 or N_ROWS < 100_000
    ref = reference(data.head(5000), plan=False)
    errors = ref.column("error").to_pylist()
    kinds = set(ref.column("error_kind").to_pylist())
    assert 0 < sum(e is not None for e in errors) < len(errors) // 5
    assert {"out_of_range", "inconsistent", "missing_field"} <= kinds


@pytest.mark.parametrize("partitioning", ["as_created", "repartition_7", "by_sex_batches_of_777"])
def test_every_row_equals_the_single_machine_result_whatever_the_partitioning(spark: Any, data: Any, sdf: Any, single_machine: Any, partitioning: str) -> None:
    frame = sdf
    if partitioning == "repartition_7":
        frame = sdf.repartition(7)
    elif partitioning == "by_sex_batches_of_777":
        frame = sdf.repartition(3, "sex")
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "777")
    try:
        t0 = time.perf_counter()
        got = collect(mps.assess(frame, keep="patient_id"))
        spark_s = time.perf_counter() - t0
    finally:
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "10000")
    want, single_s = single_machine
    print(f"\nthroughput: plan=False {len(data)} rows, partitioning {partitioning}: spark local[2] "
          f"{len(data) / spark_s:,.0f} rows/s ({spark_s:.1f} s); single machine assess_cohort "
          f"{len(data) / single_s:,.0f} rows/s ({single_s:.1f} s)")
    assert got.column_names == ["patient_id", *[c for c, _ in mps.result_columns(False)], "basis"]
    assert_same_rows(got, want)
    basis = got.column("basis").to_pylist()
    assert basis[0] == {"library_version": mp.library_version(), "kb_version": mp.kb_version(),
                        "kb_sha256": mp.kb_sha256(), "guideline": mp.Guideline().to_json()}
    assert all(b == basis[0] for b in basis)


def test_plans_equal_the_single_machine_plans_row_for_row(spark: Any, data: Any, sdf: Any) -> None:
    part = data.head(N_PLAN_ROWS)
    frame = sdf.limit(N_PLAN_ROWS).repartition(5)
    t0 = time.perf_counter()
    got = collect(mps.assess(frame, plan=True, keep="patient_id"))
    spark_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    want = reference(part, plan=True)
    single_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    mp.assess_cohort(pa.Table.from_pandas(part, preserve_index=False), keep="patient_id", plan=True, threads=1)
    single1_s = time.perf_counter() - t0
    print(f"\nthroughput: plan=True {len(part)} rows: spark local[2] {len(part) / spark_s:,.0f} rows/s ({spark_s:.1f} s); "
          f"single machine assess_cohort {len(part) / single_s:,.0f} rows/s ({single_s:.1f} s), "
          f"threads=1 {len(part) / single1_s:,.0f} rows/s")
    assert "first_regimen" in got.column_names
    # patient_ids of the limit() are the first N rows: the same rows as head().
    assert_same_rows(got, want)
    assert any(r is not None for r in got.column("first_regimen").to_pylist())


def test_bad_rows_give_an_error_in_their_row_and_the_job_succeeds(sdf: Any) -> None:
    got = collect(mps.assess(sdf.filter("patient_id < 2000"), keep="patient_id"))
    rows = {r["patient_id"]: r for r in got.select(["patient_id", "error", "error_field", "iss"]).to_pylist()}
    assert "age_years" in rows[7]["error_field"] and rows[7]["iss"] is None
    assert rows[3]["error_field"] == "sex"
    assert rows[11]["error"] is not None and "creatinine" in rows[11]["error"]
    assert rows[0]["error"] is None


def test_a_guideline_travels_to_the_executors_and_gives_the_single_machine_answer(spark: Any, data: Any) -> None:
    part = data.head(3000)
    g = mp.Guideline(risk_definition="imwg2016", del17p_cutoff=mp.Guideline().to_dict()["del17p_cutoff"])
    got = collect(mps.assess(spark.createDataFrame(arrow(part)).repartition(3), guideline=g, keep="patient_id"))
    assert_same_rows(got, reference(part, plan=False, guideline=g))
    assert json.loads(got.column("basis").to_pylist()[0]["guideline"])["risk_definition"] == "imwg2016"


def test_spark_integer_and_boolean_columns_give_the_single_machine_answer(spark: Any) -> None:
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

    schema = StructType([StructField("patient_id", LongType()), StructField("age_years", LongType()),
                         StructField("ecog", LongType()), StructField("on_dialysis", BooleanType()),
                         StructField("sex", StringType())])
    rows = [(0, 60, 0, False, "male"), (1, None, 1, None, None), (2, 250, 0, True, "female"), (3, 75, None, True, "x")]
    got = collect(mps.assess(spark.createDataFrame(rows, schema), keep="patient_id"))
    want = mp.assess_cohort(pa.table({"patient_id": [0, 1, 2, 3], "age_years": [60, None, 250, 75], "ecog": [0, 1, 0, None],
                                      "on_dialysis": [False, None, True, True], "sex": ["male", None, "female", "x"]}),
                            keep="patient_id", plan=False)
    assert_same_rows(got, want)


def test_an_empty_dataframe_gives_an_empty_result(spark: Any, sdf: Any) -> None:
    assert mps.assess(sdf.filter("patient_id < 0"), keep="patient_id").count() == 0


def test_a_missing_required_column_fails_before_any_job_naming_it(sdf: Any) -> None:
    with pytest.raises(mp.ColumnError, match="required column.*`hemoglobin_g_dl`"):
        mps.assess(sdf, keep="patient_id", require=["age_years", "hemoglobin_g_dl"])
    # present: no error, and nothing has run yet (the result is lazy)
    mps.assess(sdf, keep="patient_id", require="age_years")


def test_an_unknown_column_fails_at_once_naming_it(sdf: Any) -> None:
    with pytest.raises(mp.ColumnError, match="unknown column.*`patient_id`"):
        mps.assess(sdf)
    with pytest.raises(mp.ColumnError, match="`Age_Years`"):
        mps.assess(sdf.withColumnRenamed("age_years", "Age_Years"), keep="patient_id")


def test_text_or_dates_in_a_number_column_fail_at_once(sdf: Any) -> None:
    with pytest.raises(mp.ColumnError, match="`age_years` has Spark type string"):
        mps.assess(sdf.withColumn("age_years", sdf["age_years"].cast("string")), keep="patient_id")
    with pytest.raises(mp.ColumnError, match="`weight_kg` has Spark type decimal"):
        mps.assess(sdf.withColumn("weight_kg", sdf["weight_kg"].cast("decimal(6,1)")), keep="patient_id")
    with pytest.raises(mp.ColumnError, match="`sex` has Spark type int"):
        mps.assess(sdf.withColumn("sex", sdf["ecog"].cast("int")), keep="patient_id")


def test_a_broken_knowledge_base_or_guideline_fails_on_the_driver(sdf: Any) -> None:
    with pytest.raises(mp.InvalidJsonError):
        mps.assess(sdf, kb="{", keep="patient_id")
    with pytest.raises(TypeError, match="JSON text or a path"):
        mps.assess(sdf, kb=mp.KnowledgeBase.embedded(), keep="patient_id")
    with pytest.raises(mp.InvalidJsonError):
        mps.assess(sdf, guideline={"no_such_choice": 1}, keep="patient_id")


def test_a_knowledge_base_file_travels_as_text_and_is_named_in_the_basis(spark: Any, data: Any, tmp_path: Any) -> None:
    from pathlib import Path

    kb_file = Path(__file__).resolve().parents[3] / "crates" / "myeloma-pathway" / "kb" / "knowledge-base.json"
    part = data.head(500)
    got = collect(mps.assess(spark.createDataFrame(arrow(part)), kb=kb_file, keep="patient_id"))
    kb = mp.KnowledgeBase.from_file(kb_file)
    assert got.column("basis").to_pylist()[0]["kb_sha256"] == kb.sha256
    want = mp.assess_cohort(pa.Table.from_pandas(part, preserve_index=False), keep="patient_id", plan=False, kb=kb)
    assert_same_rows(got, want)


def test_assess_batches_streams_arrow_batches_as_spark_does(data: Any) -> None:
    table = pa.Table.from_pandas(data.head(3000), preserve_index=False)
    out = pa.Table.from_batches(list(mps.assess_batches(table.to_batches(max_chunksize=700), keep="patient_id")))
    assert_same_rows(out, reference(data.head(3000), plan=False))


def test_the_polars_example_of_docs_scale(data: Any) -> None:
    pl = pytest.importorskip("polars")
    df = pl.from_pandas(data.head(2000))
    out = pl.from_arrow(mp.assess_cohort(df.to_arrow(), keep="patient_id", plan=False))
    assert out.height == 2000
    assert_same_rows(out.to_arrow(), reference(data.head(2000), plan=False))


def test_the_duckdb_example_of_docs_scale(data: Any) -> None:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    cohort_df = data.head(2000)
    con.register("cohort", cohort_df)
    reader = con.sql("SELECT * FROM cohort").to_arrow_reader(500)
    results = pa.Table.from_batches(list(mps.assess_batches(reader, keep="patient_id")))
    con.register("results", results)
    n_err = con.execute("SELECT count(*) FROM results WHERE error IS NOT NULL").fetchone()[0]
    want = reference(cohort_df, plan=False)
    assert n_err == sum(e is not None for e in want.column("error").to_pylist())
    assert_same_rows(results, want)
