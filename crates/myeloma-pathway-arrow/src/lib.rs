//! # myeloma-pathway-arrow
//!
//! Cohorts over Apache Arrow: a [`RecordBatch`] with the documented cohort columns
//! ([`myeloma_pathway::cohort::columns`], the one table the Python cohort API also reads) in, a
//! [`RecordBatch`] of result columns ([`myeloma_pathway::cohort::OUTPUT_COLUMNS`]) out, and
//! [`assess_ipc`], which streams an Arrow IPC stream batch by batch (memory bounded by the batch,
//! not the file).
//!
//! **Decision support, not a medical device**: every output must be checked by a qualified
//! clinician against the cited sources and current labels.
//!
//! * Every row is assessed by the core exactly as the per-patient path assesses the same record
//!   (the core's cohort module translates each row into the patient record); this crate only
//!   moves cells between Arrow arrays and the core's columns.
//! * A bad row never fails the batch: its result columns are empty and `error`, `error_kind`,
//!   `error_field`, `error_fields` say why, in its row.
//! * A schema problem (an unknown column, a column named in `require` that is absent, a column
//!   of an Arrow type that can never hold a valid value) fails at once, naming the column,
//!   before any row is read ([`Assessor::new`]).
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
//! use myeloma_pathway::{Guideline, KnowledgeBase};
//! use myeloma_pathway_arrow::{Assessor, Options};
//!
//! let batch = RecordBatch::try_from_iter([
//!     ("age_years", Arc::new(Float64Array::from(vec![Some(60.0), Some(-3.0)])) as ArrayRef),
//!     ("beta2_microglobulin_mg_l", Arc::new(Float64Array::from(vec![Some(2.5), None])) as ArrayRef),
//!     ("albumin_g_dl", Arc::new(Float64Array::from(vec![Some(4.0), None])) as ArrayRef),
//!     ("sex", Arc::new(StringArray::from(vec![Some("male"), None])) as ArrayRef),
//! ]).unwrap();
//! let g = Guideline::default();
//! let a = Assessor::new(KnowledgeBase::embedded(), &g, &batch.schema(), Options::default()).unwrap();
//! let out = a.assess(&batch).unwrap();
//! let iss = out.column_by_name("iss").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
//! assert_eq!(iss.value(0), "I");
//! let error = out.column_by_name("error_field").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
//! assert_eq!(error.value(1), "age_years");   // the bad row's error, in its row
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::io::{Read, Write};
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, RecordBatchOptions, StringArray, StructArray};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, SchemaRef};
use myeloma_pathway::cohort::{self, Cells, Column, ColumnError, Input, OutputCells, OutputKind};
use myeloma_pathway::{Guideline, KnowledgeBase};

pub use arrow_array;
pub use arrow_ipc;
pub use arrow_schema;
/// The rayon the columnar path runs on (build a `rayon::ThreadPool` and `install` to choose
/// the thread count of [`assess_columnar`]).
pub use rayon;

/// The fields of the `basis` struct column, the same for every row of one run.
pub const BASIS_FIELDS: [&str; 4] = ["library_version", "kb_version", "kb_sha256", "guideline"];

/// The name of the optional plan-JSON result column.
pub const PLAN_JSON_COLUMN: &str = "plan_json";

/// What a run reports about itself in every row: the library, the knowledge base and the
/// guideline in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    /// The library's version.
    pub library_version: String,
    /// The knowledge base's version.
    pub kb_version: String,
    /// The SHA-256 of the knowledge base's JSON text.
    pub kb_sha256: String,
    /// The guideline as JSON.
    pub guideline: String,
}

impl Basis {
    /// The basis of a run with this knowledge base and this guideline (given as the JSON text
    /// the caller sent, so that the basis says exactly what was asked).
    pub fn new(kb: &KnowledgeBase, guideline_json: String) -> Self {
        Self {
            library_version: myeloma_pathway::LIBRARY_VERSION.to_string(),
            kb_version: kb.version().to_string(),
            kb_sha256: kb.sha256().to_string(),
            guideline: guideline_json,
        }
    }

    fn values(&self) -> [&str; 4] {
        [&self.library_version, &self.kb_version, &self.kb_sha256, &self.guideline]
    }
}

/// How a cohort is assessed and laid out.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run the plan (the costly part) and fill the plan columns
    /// ([`myeloma_pathway::cohort::PLAN_COLUMNS`]); without it they are left out.
    pub plan: bool,
    /// With `plan`: a `plan_json` column holding each row's plan as JSON (about 47 KB a row).
    pub plan_json: bool,
    /// Worker threads per batch (0 or 1: one).
    pub threads: usize,
    /// Columns copied to the output unchanged (an identifier to join back on), first.
    pub keep: Vec<String>,
    /// Input columns the data must have (the core needs none: a missing column is unknown for
    /// every row); an absent one fails before any row.
    pub require: Vec<String>,
    /// A `basis` struct column ([`BASIS_FIELDS`]) last, when given.
    pub basis: Option<Basis>,
    /// At most this many rows per output batch (0: one output batch per input batch); a larger
    /// input batch is cut into slices (no copy), so memory is bounded by this size.
    pub max_rows_per_batch: usize,
}

/// Anything that fails a whole run.
#[derive(Debug)]
pub enum Error {
    /// A schema problem, naming the column.
    Column(ColumnError),
    /// Reading or writing Arrow data.
    Arrow(ArrowError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Column(e) => write!(f, "{e}"),
            Error::Arrow(e) => write!(f, "arrow: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ArrowError> for Error {
    fn from(e: ArrowError) -> Self {
        Error::Arrow(e)
    }
}

impl From<ColumnError> for Error {
    fn from(e: ColumnError) -> Self {
        Error::Column(e)
    }
}

fn column_error(column: &str, message: String) -> ColumnError {
    ColumnError { column: column.to_string(), message }
}

/// The names of the result columns (not counting the `keep` columns) for these options.
pub fn result_names(o: &Options) -> Vec<String> {
    let mut v: Vec<String> = cohort::output_columns(o.plan).map(|(n, _)| n.to_string()).collect();
    if o.plan && o.plan_json {
        v.push(PLAN_JSON_COLUMN.to_string());
    }
    if o.basis.is_some() {
        v.push("basis".to_string());
    }
    v
}

fn list_type() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
}

fn basis_fields() -> Fields {
    BASIS_FIELDS.iter().map(|f| Field::new(*f, DataType::Utf8, true)).collect()
}

/// The result fields (not counting the `keep` columns): Arrow `utf8` for text, `float64` for
/// numbers, `list<utf8>` for lists, all nullable (empty = not computable).
pub fn result_fields(o: &Options) -> Vec<Field> {
    let mut v: Vec<Field> = cohort::output_columns(o.plan)
        .map(|(n, k)| {
            let t = match k {
                OutputKind::Text => DataType::Utf8,
                OutputKind::Number => DataType::Float64,
                OutputKind::List => list_type(),
            };
            Field::new(n, t, true)
        })
        .collect();
    if o.plan && o.plan_json {
        v.push(Field::new(PLAN_JSON_COLUMN, DataType::Utf8, true));
    }
    if o.basis.is_some() {
        v.push(Field::new("basis", DataType::Struct(basis_fields()), true));
    }
    v
}

/// Whether an Arrow type can hold a cell of this kind (`number`, `integer`, `bool`, `string`).
/// Numbers, booleans and text are all accepted in every slot: a cell of the wrong kind goes to
/// the core as the JSON value it is and is refused in its row (as a JSON record would be).
/// Types that can never hold a valid value (dates, decimals, binary, nested) are refused.
fn accepted(t: &DataType) -> bool {
    match t {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
        _ => false,
    }
}

/// Assesses record batches of one schema.
#[derive(Debug)]
pub struct Assessor<'a> {
    kb: &'a KnowledgeBase,
    guideline: &'a Guideline,
    options: Options,
    /// (index in the input schema, the core's column).
    inputs: Vec<(usize, Column)>,
    keep: Vec<usize>,
    schema: SchemaRef,
}

impl<'a> Assessor<'a> {
    /// Check an input schema and lay out the result's.
    ///
    /// # Errors
    /// [`ColumnError`] naming the column: a column given twice, an unknown column (not an input
    /// column, not in `keep`), a `keep` column absent or that is an input or result column, a
    /// `require` column that is not an input column or is absent, an input column of an Arrow
    /// type that can never hold a valid value.
    pub fn new(
        kb: &'a KnowledgeBase,
        guideline: &'a Guideline,
        schema: &Schema,
        options: Options,
    ) -> Result<Self, ColumnError> {
        let spec = cohort::columns();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        for (i, n) in names.iter().enumerate() {
            if names.iter().take(i).any(|m| m == n) {
                return Err(column_error(n, format!("column `{n}` appears more than once")));
            }
        }
        for r in &options.require {
            if !spec.iter().any(|c| &c.name == r) {
                return Err(column_error(
                    r,
                    format!("`require` names `{r}`, which is not an input column (see the cohort column table)"),
                ));
            }
        }
        let absent: Vec<&String> = options.require.iter().filter(|r| !names.contains(&r.as_str())).collect();
        if let Some(first) = absent.first() {
            let list: Vec<String> = absent.iter().map(|a| format!("`{a}`")).collect();
            return Err(column_error(first, format!("required column(s) missing: {}", list.join(", "))));
        }
        let reserved =
            result_names(&Options { plan: true, plan_json: true, basis: options.basis.clone(), ..Default::default() });
        let mut keep = Vec::new();
        for k in &options.keep {
            let Some(i) = names.iter().position(|n| n == k) else {
                return Err(column_error(k, format!("`keep` column `{k}` is not in the data")));
            };
            if spec.iter().any(|c| &c.name == k) {
                return Err(column_error(k, format!("`keep` column `{k}` is an input column; it cannot be both")));
            }
            if reserved.contains(k) || k == "basis" {
                return Err(column_error(k, format!("`keep` column `{k}` clashes with a result column")));
            }
            keep.push(i);
        }
        let unknown: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !spec.iter().any(|c| c.name == *n) && !options.keep.iter().any(|k| k == n))
            .collect();
        if let Some(first) = unknown.first() {
            let list: Vec<String> = unknown.iter().map(|u| format!("`{u}`")).collect();
            return Err(column_error(
                first,
                format!(
                    "unknown column(s): {} (see the cohort column table; pass identifiers as keep columns)",
                    list.join(", ")
                ),
            ));
        }
        let mut inputs = Vec::new();
        for (i, f) in schema.fields().iter().enumerate() {
            let Some(c) = spec.iter().find(|c| &c.name == f.name()) else { continue };
            if !accepted(f.data_type()) {
                let want =
                    if c.kind.name() == "string" { "text (utf8)" } else { "numbers (integer or floating point)" };
                return Err(column_error(
                    f.name(),
                    format!("column `{}` has Arrow type {}; expected {want}", f.name(), f.data_type()),
                ));
            }
            inputs.push((i, c.clone()));
        }
        let mut fields: Vec<Field> =
            keep.iter().filter_map(|&i| schema.fields().get(i).map(|f| f.as_ref().clone())).collect();
        fields.extend(result_fields(&options));
        Ok(Self { kb, guideline, options, inputs, keep, schema: Arc::new(Schema::new(fields)) })
    }

    /// The result schema: the `keep` columns, the result columns, `plan_json`, `basis`.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Assess every row of a batch of the schema given to [`Assessor::new`]; one result row per
    /// input row, in order.
    ///
    /// # Errors
    /// [`Error::Column`] when the batch's columns are not those of the schema; [`Error::Arrow`]
    /// if the result cannot be assembled (a bug). A bad row is never an error here.
    pub fn assess(&self, batch: &RecordBatch) -> Result<RecordBatch, Error> {
        let n = batch.num_rows();
        let mut named = Vec::with_capacity(self.inputs.len());
        for (i, c) in &self.inputs {
            let array = batch
                .columns()
                .get(*i)
                .ok_or_else(|| column_error(&c.name, format!("column `{}` is not in this batch", c.name)))?;
            named.push((c.name.clone(), cells(&c.name, c.kind.name(), array.as_ref())?));
        }
        let input = Input::new(n, named)?;
        let o = cohort::Options {
            threads: self.options.threads.max(1),
            plan: self.options.plan,
            plan_json: self.options.plan && self.options.plan_json,
        };
        let mut out = cohort::assess_with(self.kb, &input, self.guideline, o);
        let plan_json = out.take_plan_json();
        let mut arrays: Vec<ArrayRef> = self.keep.iter().filter_map(|&i| batch.columns().get(i).cloned()).collect();
        for (_, cells) in out.into_columns(self.options.plan) {
            arrays.push(match cells {
                OutputCells::Text(v) => Arc::new(StringArray::from(v)),
                OutputCells::Number(v) => Arc::new(Float64Array::from(v)),
                OutputCells::List(v) => {
                    let mut b = ListBuilder::with_capacity(StringBuilder::new(), v.len());
                    for cell in v {
                        match cell {
                            Some(items) => {
                                for s in items {
                                    b.values().append_value(s);
                                }
                                b.append(true);
                            }
                            None => b.append(false),
                        }
                    }
                    Arc::new(b.finish())
                }
            });
        }
        if let Some(p) = plan_json {
            arrays.push(Arc::new(StringArray::from(p)));
        }
        if let Some(basis) = &self.options.basis {
            let columns: Vec<ArrayRef> =
                basis.values().iter().map(|v| Arc::new(StringArray::from(vec![*v; n])) as ArrayRef).collect();
            arrays.push(Arc::new(StructArray::try_new(basis_fields(), columns, None)?));
        }
        Ok(RecordBatch::try_new_with_options(
            self.schema.clone(),
            arrays,
            &RecordBatchOptions::new().with_row_count(Some(n)),
        )?)
    }

    /// [`Assessor::assess`] cut into slices of at most `max_rows_per_batch` rows (no copy of the
    /// input): one result batch per slice.
    ///
    /// # Errors
    /// As [`Assessor::assess`].
    pub fn assess_sliced(&self, batch: &RecordBatch) -> Result<Vec<RecordBatch>, Error> {
        let n = batch.num_rows();
        let step = if self.options.max_rows_per_batch == 0 { n.max(1) } else { self.options.max_rows_per_batch };
        let mut out = Vec::with_capacity(n.div_ceil(step));
        let mut lo = 0;
        while lo < n {
            let len = step.min(n - lo);
            out.push(self.assess(&batch.slice(lo, len))?);
            lo += len;
        }
        Ok(out)
    }
}

/// A float cell as Python's `str` writes it (so a number in a text column reads as the same text
/// as in the pandas path, in the error message that refuses it).
fn float_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// A column's cells as the core's [`Cells`].
fn cells(name: &str, kind: &str, a: &dyn Array) -> Result<Cells, ColumnError> {
    let n = a.len();
    let numeric_slot = kind != "string";
    // Every cell as: a number, a text, a bool, or empty.
    enum Cell {
        Empty,
        Num(f64, bool),
        Text(String),
        Bool(bool),
    }
    let cell_at = |i: usize| -> Cell {
        if a.is_null(i) {
            return Cell::Empty;
        }
        macro_rules! prim {
            ($t:ty, $int:expr) => {{
                #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
                let x = a.as_primitive::<$t>().value(i) as f64;
                Cell::Num(x, $int)
            }};
        }
        match a.data_type() {
            DataType::Boolean => Cell::Bool(a.as_boolean().value(i)),
            DataType::Int8 => prim!(Int8Type, true),
            DataType::Int16 => prim!(Int16Type, true),
            DataType::Int32 => prim!(Int32Type, true),
            DataType::Int64 => prim!(Int64Type, true),
            DataType::UInt8 => prim!(UInt8Type, true),
            DataType::UInt16 => prim!(UInt16Type, true),
            DataType::UInt32 => prim!(UInt32Type, true),
            DataType::UInt64 => prim!(UInt64Type, true),
            DataType::Float16 => Cell::Num(a.as_primitive::<Float16Type>().value(i).to_f64(), false),
            DataType::Float32 => Cell::Num(f64::from(a.as_primitive::<Float32Type>().value(i)), false),
            DataType::Float64 => Cell::Num(a.as_primitive::<Float64Type>().value(i), false),
            DataType::Utf8 => Cell::Text(a.as_string::<i32>().value(i).to_string()),
            DataType::LargeUtf8 => Cell::Text(a.as_string::<i64>().value(i).to_string()),
            DataType::Utf8View => Cell::Text(a.as_string_view().value(i).to_string()),
            DataType::Dictionary(..) => match a.as_any_dictionary_opt() {
                Some(d) => {
                    let key = d.normalized_keys().get(i).copied().unwrap_or(0);
                    let v = d.values();
                    if v.is_null(key) {
                        Cell::Empty
                    } else {
                        match v.data_type() {
                            DataType::Utf8 => Cell::Text(v.as_string::<i32>().value(key).to_string()),
                            DataType::LargeUtf8 => Cell::Text(v.as_string::<i64>().value(key).to_string()),
                            DataType::Utf8View => Cell::Text(v.as_string_view().value(key).to_string()),
                            _ => Cell::Empty,
                        }
                    }
                }
                None => Cell::Empty,
            },
            _ => Cell::Empty,
        }
    };
    if !accepted(a.data_type()) {
        return Err(column_error(name, format!("column `{name}` has Arrow type {}; not accepted", a.data_type())));
    }
    if numeric_slot {
        let is_bool = kind == "bool";
        // Fast paths: the common numeric types need no per-cell dispatch.
        if let DataType::Float64 = a.data_type() {
            let p = a.as_primitive::<Float64Type>();
            let values = (0..n).map(|i| if p.is_null(i) { f64::NAN } else { p.value(i) }).collect();
            return Ok(Cells::Numeric(values, Default::default()));
        }
        let mut values = vec![f64::NAN; n];
        let mut others = std::collections::BTreeMap::new();
        for (i, slot) in values.iter_mut().enumerate() {
            match cell_at(i) {
                Cell::Empty => {}
                Cell::Num(x, _) => *slot = x,
                Cell::Bool(b) if is_bool => *slot = if b { 1.0 } else { 0.0 },
                // JSON `true` is not an age: refused in its row, as the pandas path does.
                Cell::Bool(b) => {
                    others.insert(i, b.to_string());
                }
                Cell::Text(s) => {
                    others.insert(i, s);
                }
            }
        }
        Ok(Cells::Numeric(values, others))
    } else {
        let mut codes = vec![-1i32; n];
        let mut uniques: Vec<String> = Vec::new();
        for (i, slot) in codes.iter_mut().enumerate() {
            let text = match cell_at(i) {
                Cell::Empty => continue,
                Cell::Text(s) if s.is_empty() => continue,
                Cell::Text(s) => s,
                Cell::Num(x, _) if x.is_nan() => continue,
                Cell::Num(x, true) => format!("{x}"),
                Cell::Num(x, false) => float_text(x),
                Cell::Bool(b) => if b { "True" } else { "False" }.to_string(),
            };
            let k = match uniques.iter().position(|u| *u == text) {
                Some(k) => k,
                None => {
                    uniques.push(text);
                    uniques.len() - 1
                }
            };
            *slot = i32::try_from(k).unwrap_or(i32::MAX);
        }
        Ok(Cells::Categorical(codes, uniques))
    }
}

/// What a streaming run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Result batches written.
    pub batches: usize,
    /// Rows written.
    pub rows: usize,
    /// Rows whose `error` column is filled.
    pub error_rows: usize,
}

fn count_errors(b: &RecordBatch) -> usize {
    b.column_by_name("error").map_or(0, |e| e.len() - e.null_count())
}

/// Read an Arrow IPC stream of cohort rows and write an Arrow IPC stream of results, batch by
/// batch: at any time one input batch (or slice, [`Options::max_rows_per_batch`]) and its
/// results are in memory, never the whole stream. The schema is checked before any row is read
/// or written.
///
/// # Errors
/// [`Error::Column`] for a schema problem (nothing is written); [`Error::Arrow`] for a broken
/// stream or a failed write.
pub fn assess_ipc<R: Read, W: Write>(
    kb: &KnowledgeBase,
    guideline: &Guideline,
    input: R,
    output: W,
    options: Options,
) -> Result<Summary, Error> {
    let reader = arrow_ipc::reader::StreamReader::try_new(input, None)?;
    let schema = reader.schema();
    assess_batches(kb, guideline, &schema, reader, output, options)
}

/// [`assess_ipc`] over any iterator of batches of one schema (an Arrow IPC *file*, a reader of
/// another format).
///
/// # Errors
/// As [`assess_ipc`].
pub fn assess_batches<I: IntoIterator<Item = Result<RecordBatch, ArrowError>>, W: Write>(
    kb: &KnowledgeBase,
    guideline: &Guideline,
    schema: &Schema,
    batches: I,
    output: W,
    options: Options,
) -> Result<Summary, Error> {
    let assessor = Assessor::new(kb, guideline, schema, options)?;
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(output, &assessor.schema())?;
    let mut s = Summary::default();
    for batch in batches {
        for out in assessor.assess_sliced(&batch?)? {
            s.batches += 1;
            s.rows += out.num_rows();
            s.error_rows += count_errors(&out);
            writer.write(&out)?;
        }
    }
    writer.finish()?;
    Ok(s)
}

mod columnar;
pub use columnar::{
    assess_columnar, columnar_schema, CHUNK_ROWS, COLUMNAR_INPUTS, COLUMNAR_OUTPUTS, COLUMNAR_STATUSES,
};
