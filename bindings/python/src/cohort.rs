//! Cohorts as columns from Python (pandas, numpy, pyarrow through `myeloma_pathway.cohort`):
//! the columns handed over as bytes become the core's cohort input
//! ([`myeloma_pathway::cohort`]); the core assesses every row. Only translation lives here.

use std::collections::BTreeMap;

use myeloma_pathway::cohort::{self, Cells, ColumnError, OutputCells};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

pub use myeloma_pathway::cohort::{assess, columns, Input, Output};

/// Read the columns handed over by `myeloma_pathway.cohort`.
///
/// # Errors
/// `ColumnError` for an unknown column or a column of the wrong length.
pub fn input_from_py(
    py: Python<'_>,
    n_rows: usize,
    numeric: &Bound<'_, PyDict>,
    categorical: &Bound<'_, PyDict>,
) -> PyResult<Input> {
    let mut named = Vec::new();
    for (k, v) in numeric.iter() {
        let name: String = k.extract()?;
        let (bytes, others): (Bound<'_, PyBytes>, BTreeMap<usize, String>) = v.extract()?;
        let b = bytes.as_bytes();
        if b.len() % 8 != 0 {
            return Err(crate::column_error(py, &name, format!("column `{name}`: not float64 bytes")));
        }
        let values = b
            .chunks_exact(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                f64::from_ne_bytes(a)
            })
            .collect();
        named.push((name, Cells::Numeric(values, others)));
    }
    for (k, v) in categorical.iter() {
        let name: String = k.extract()?;
        let (bytes, uniques): (Bound<'_, PyBytes>, Bound<'_, PyList>) = v.extract()?;
        let uniques: Vec<String> = uniques.extract()?;
        let b = bytes.as_bytes();
        if b.len() % 4 != 0 {
            return Err(crate::column_error(py, &name, format!("column `{name}`: not int32 bytes")));
        }
        let codes = b
            .chunks_exact(4)
            .map(|c| {
                let mut a = [0u8; 4];
                a.copy_from_slice(c);
                i32::from_ne_bytes(a)
            })
            .collect();
        named.push((name, Cells::Categorical(codes, uniques)));
    }
    Input::new(n_rows, named).map_err(|ColumnError { column, message }| crate::column_error(py, &column, message))
}

/// The result columns as a Python dict of lists (the pandas and numpy forms' path).
///
/// # Errors
/// Python conversion errors.
pub fn output_into_py_dict(py: Python<'_>, out: Output, with_plan: bool) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in out.into_columns(with_plan) {
        match v {
            OutputCells::Text(v) => d.set_item(k, v)?,
            OutputCells::Number(v) => d.set_item(k, v)?,
            OutputCells::List(v) => d.set_item(k, v)?,
        }
    }
    Ok(d)
}

/// The result columns `(name, kind)` in order (`kind`: `string`, `double` or `list`).
pub fn output_columns(with_plan: bool) -> Vec<(String, String)> {
    cohort::output_columns(with_plan).map(|(n, k)| (n.to_string(), k.name().to_string())).collect()
}
