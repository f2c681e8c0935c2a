//! Cohorts over the Arrow C data interface (the Arrow PyCapsule protocol): any object with
//! `__arrow_c_stream__` or `__arrow_c_array__` (a pyarrow Table, RecordBatch or
//! RecordBatchReader, a polars DataFrame, a DuckDB result, nanoarrow, arro3) goes to
//! `myeloma_pathway_arrow` batch by batch, and the result comes back as a pyarrow object built
//! from Rust arrays: no cell of the input or of the result is ever a Python object.
//!
//! The interface is `pyo3-arrow` (see `docs/scale.md` for why it and not `arrow`'s `pyarrow`
//! feature); only translation lives here.

use std::panic::{catch_unwind, AssertUnwindSafe};

use myeloma_pathway::cohort::ColumnError;
use myeloma_pathway_arrow::arrow_array::RecordBatch;
use myeloma_pathway_arrow::{Assessor, Basis, Error as ArrowCohortError, Options};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyRecordBatch, PyTable};

use crate::knowledge::{kb_of, PyKnowledgeBase};

fn arrow_err(py: Python<'_>, e: ArrowCohortError) -> PyErr {
    match e {
        ArrowCohortError::Column(ColumnError { column, message }) => crate::column_error(py, &column, message),
        ArrowCohortError::Arrow(e) => PyValueError::new_err(format!("arrow: {e}")),
    }
}

/// Assess an Arrow cohort. Returns a pyarrow `RecordBatch` for a single batch in (an object
/// with `__arrow_c_array__` only, or `single=True`), else a pyarrow `Table`.
#[pyfunction]
#[pyo3(signature = (data, guideline_json=None, kb=None, plan=false, plan_json=false, keep=vec![], require=vec![], threads=None, basis=false, max_rows_per_batch=0))]
#[allow(clippy::too_many_arguments)]
pub fn assess_arrow<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    guideline_json: Option<&str>,
    kb: Option<&Bound<'py, PyKnowledgeBase>>,
    plan: bool,
    plan_json: bool,
    keep: Vec<String>,
    require: Vec<String>,
    threads: Option<usize>,
    basis: bool,
    max_rows_per_batch: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let kb = kb_of(kb);
    let guideline = crate::guarded(py, || myeloma_pathway::api::guideline_from(guideline_json))?;
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get));
    let basis = basis.then(|| {
        Basis::new(
            kb.get(),
            guideline_json.map_or_else(|| serde_json::to_string(&guideline).unwrap_or_default(), str::to_string),
        )
    });
    let single = matches!(data, AnyRecordBatch::RecordBatch(_));
    let reader = data.into_reader()?;
    let options = Options { plan, plan_json, threads, keep, require, basis, max_rows_per_batch };
    let assessor = Assessor::new(kb.get(), &guideline, &reader.schema(), options)
        .map_err(|ColumnError { column, message }| crate::column_error(py, &column, message))?;
    let mut out: Vec<RecordBatch> = Vec::new();
    for batch in reader {
        // Reading a batch may call back into the producer (a Python generator): with the GIL.
        let batch = batch.map_err(|e| PyValueError::new_err(format!("arrow: {e}")))?;
        let done = py
            .detach(|| catch_unwind(AssertUnwindSafe(|| assessor.assess_sliced(&batch))))
            .map_err(|_| crate::internal(py))?;
        out.extend(done.map_err(|e| arrow_err(py, e))?);
    }
    if single && out.len() <= 1 {
        let batch = match out.pop() {
            Some(b) => b,
            None => RecordBatch::new_empty(assessor.schema()),
        };
        return PyRecordBatch::new(batch).into_pyarrow(py);
    }
    PyTable::try_new(out, assessor.schema())?.into_pyarrow(py)
}

/// The columnar assessments ([`myeloma_pathway_arrow::assess_columnar`]) of an Arrow cohort of
/// the covered columns, batch by batch; returns a pyarrow `RecordBatch` for a single batch in,
/// else a `Table`, and the seconds spent in the Rust batch calls alone (the Arrow import and
/// export through the C data interface excluded), for the comparison script.
///
/// The GIL is released around every Rust batch call, which runs on rayon: on a local pool of
/// `threads` threads, or with `threads=None` on the global pool (one thread per core). The
/// result does not depend on the thread count (fixed chunks, joined in order).
#[pyfunction]
#[pyo3(signature = (data, guideline_json=None, threads=None))]
pub fn assess_columnar<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    guideline_json: Option<&str>,
    threads: Option<usize>,
) -> PyResult<(Bound<'py, PyAny>, f64)> {
    let guideline = crate::guarded(py, || myeloma_pathway::api::guideline_from(guideline_json))?;
    let pool = match threads {
        None => None,
        Some(0) => return Err(PyValueError::new_err("threads must be a positive integer")),
        Some(k) => Some(
            myeloma_pathway_arrow::rayon::ThreadPoolBuilder::new()
                .num_threads(k)
                .build()
                .map_err(|e| PyValueError::new_err(format!("threads: {e}")))?,
        ),
    };
    let single = matches!(data, AnyRecordBatch::RecordBatch(_));
    let reader = data.into_reader()?;
    let mut out: Vec<RecordBatch> = Vec::new();
    let mut seconds = 0.0;
    for batch in reader {
        let batch = batch.map_err(|e| PyValueError::new_err(format!("arrow: {e}")))?;
        let (done, took) = py.detach(|| {
            let t = std::time::Instant::now();
            let run = || myeloma_pathway_arrow::assess_columnar(&batch, &guideline);
            let r = catch_unwind(AssertUnwindSafe(|| match &pool {
                Some(pool) => pool.install(run),
                None => run(),
            }));
            (r, t.elapsed().as_secs_f64())
        });
        seconds += took;
        out.push(done.map_err(|_| crate::internal(py))?.map_err(|e| arrow_err(py, e))?);
    }
    let schema = myeloma_pathway_arrow::columnar_schema();
    if single && out.len() <= 1 {
        let batch = out.pop().unwrap_or_else(|| RecordBatch::new_empty(schema));
        return Ok((PyRecordBatch::new(batch).into_pyarrow(py)?, seconds));
    }
    Ok((PyTable::try_new(out, schema)?.into_pyarrow(py)?, seconds))
}
