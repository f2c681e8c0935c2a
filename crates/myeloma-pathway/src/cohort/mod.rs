//! Cohorts as columns: each row is translated into the core's patient record (the same JSON
//! contract as a single patient, so a row gets exactly the errors a JSON record would) and run
//! through the core's assessments. A bad row yields an error in its row; it never fails the
//! batch and is never dropped.
//!
//! Only translation lives here: column names to record paths, numbers to JSON. Every
//! threshold, rule and default is the core's. This is the one table of cohort columns
//! ([`columns`], [`OUTPUT_COLUMNS`]): the Python cohort API, the Arrow crate
//! (`myeloma-pathway-arrow`) and `mmpath cohort` all read it.

use std::collections::BTreeMap;

use crate::assess::risk::{self, RiskDefinition};
use crate::assess::{diagnosis, fitness, staging};
use crate::engine::recommend_with;
use crate::error::{plain, Error};
use crate::guideline::Guideline;
use crate::kb::KnowledgeBase;
use crate::patient::labs::{self, Analyte};
use crate::patient::Patient;
use crate::record::Abnormality;
use serde_json::{Map, Number, Value};

/// How a column's cells become JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A real number.
    Number,
    /// A whole number (a float column holding 60.0 gives 60; 60.5 is refused by the core).
    Integer,
    /// 0/1 or True/False.
    Bool,
    /// A string (an enum name the core checks).
    Text,
    /// A laboratory value: the cell is the number, the unit is fixed by the column.
    Quantity(&'static str),
    /// A cytogenetic finding's status (`detected`, `not_detected`, `not_tested`).
    CytoStatus,
    /// A key of a cytogenetic finding other than its status (clonal fraction, copies).
    CytoDetail(&'static str, bool),
}

impl Kind {
    /// The kind's name, as documented.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Number | Kind::Quantity(_) => "number",
            Kind::Integer => "integer",
            Kind::Bool => "bool",
            Kind::Text | Kind::CytoStatus => "string",
            Kind::CytoDetail(_, true) => "integer",
            Kind::CytoDetail(_, false) => "number",
        }
    }

    fn numeric(&self) -> bool {
        !matches!(self, Kind::Text | Kind::CytoStatus)
    }
}

/// One documented column.
#[derive(Debug, Clone)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// How its cells are read.
    pub kind: Kind,
    /// The patient-record path it fills (for a lab: the analyte's path; for cytogenetics: the
    /// abnormality id).
    pub path: String,
}

impl Column {
    /// Where the column lands in the patient record, for documentation.
    pub fn record_path(&self) -> String {
        match &self.kind {
            Kind::Quantity(unit) => format!("{} (unit {unit})", self.path),
            Kind::CytoStatus => format!("cytogenetics[{}].status", self.path),
            Kind::CytoDetail(key, _) => format!("cytogenetics[{}].{key}", self.path),
            _ => self.path.clone(),
        }
    }
}

fn col(name: &str, kind: Kind, path: &str) -> Column {
    Column { name: name.to_string(), kind, path: path.to_string() }
}

/// A lab's columns: stem, record path, and the units the core accepts.
type LabColumns = (&'static str, &'static str, Vec<&'static str>);

/// The units an analyte of the core accepts, in the core's order.
fn units<A: Analyte>() -> Vec<&'static str> {
    A::UNITS.iter().map(|(u, _)| *u).collect()
}

/// A unit as a column-name suffix: `mg/dL` → `mg_dl`, `µmol/L` → `umol_l`, `%` → `pct`.
pub fn unit_suffix(unit: &str) -> String {
    if unit == "%" {
        return "pct".into();
    }
    unit.chars()
        .map(|c| match c {
            '/' => '_',
            'µ' | 'μ' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Every accepted column, in a fixed order.
pub fn columns() -> Vec<Column> {
    use Kind::*;
    let mut v = vec![
        col("age_years", Integer, "age_years"),
        col("sex", Text, "sex"),
        col("weight_kg", Number, "weight_kg"),
        col("height_cm", Number, "height_cm"),
        col("ecog", Integer, "ecog"),
        col("charlson", Integer, "frailty.charlson"),
        col("katz_adl", Integer, "frailty.katz_adl"),
        col("lawton_iadl", Integer, "frailty.lawton_iadl"),
        col("lvef_pct", Number, "organ_function.lvef_pct"),
        col("dlco_pct", Number, "organ_function.dlco_pct"),
        col("bilirubin_x_uln", Number, "organ_function.bilirubin_x_uln"),
        col("nyha_class", Integer, "organ_function.nyha_class"),
        col("on_dialysis", Bool, "organ_function.on_dialysis"),
        col("peripheral_neuropathy_grade", Integer, "organ_function.peripheral_neuropathy_grade"),
        col("neuropathy_with_pain", Bool, "organ_function.neuropathy_with_pain"),
        col("active_infection", Bool, "organ_function.active_infection"),
        col("creatinine_clearance_ml_min", Number, "labs.creatinine_clearance_ml_min"),
        col("biopsy_proven_plasmacytoma", Bool, "diagnosis.biopsy_proven_plasmacytoma"),
        col("osteolytic_lesions", Integer, "diagnosis.osteolytic_lesions"),
        col("mri_focal_lesions", Integer, "diagnosis.mri_focal_lesions"),
        col("crab_attributable", Bool, "diagnosis.crab_attributable"),
        col("amyloidosis", Bool, "diagnosis.amyloidosis"),
        col("involved_light_chain", Text, "diagnosis.involved_light_chain"),
        col("solitary_lesion_only", Bool, "diagnosis.solitary_lesion_only"),
        col("heavy_chain", Text, "diagnosis.heavy_chain"),
    ];
    // (column stem, record path, the units the core's analyte accepts): one column per unit,
    // named from the unit (`mg/dL` → `_mg_dl`), so a unit the core adds or drops moves here too.
    let labs: [LabColumns; 14] = [
        ("creatinine", "labs.creatinine", units::<labs::Creatinine>()),
        ("albumin", "labs.albumin", units::<labs::Albumin>()),
        ("beta2_microglobulin", "labs.beta2_microglobulin", units::<labs::Beta2Microglobulin>()),
        ("ldh", "labs.ldh", units::<labs::Ldh>()),
        ("ldh_uln", "labs.ldh_upper_limit_of_normal", units::<labs::Ldh>()),
        ("calcium", "labs.calcium", units::<labs::Calcium>()),
        ("calcium_uln", "labs.calcium_upper_limit_of_normal", units::<labs::Calcium>()),
        ("hemoglobin", "labs.hemoglobin", units::<labs::Hemoglobin>()),
        ("hemoglobin_lln", "labs.hemoglobin_lower_limit_of_normal", units::<labs::Hemoglobin>()),
        ("serum_m_protein", "labs.serum_m_protein", units::<labs::SerumMProtein>()),
        ("urine_m_protein", "labs.urine_m_protein", units::<labs::UrineMProtein>()),
        ("serum_flc_kappa", "labs.serum_flc_kappa", units::<labs::FreeLightChain>()),
        ("serum_flc_lambda", "labs.serum_flc_lambda", units::<labs::FreeLightChain>()),
        ("bone_marrow_plasma_cells", "labs.bone_marrow_plasma_cells", units::<labs::BoneMarrowPlasmaCells>()),
    ];
    for (stem, path, units) in labs {
        for unit in units {
            v.push(col(&format!("{stem}_{}", unit_suffix(unit)), Quantity(unit), path));
        }
    }
    for a in Abnormality::ALL {
        v.push(col(a.id(), CytoStatus, a.id()));
        v.push(col(&format!("{}_clonal_fraction_pct", a.id()), CytoDetail("clonal_fraction_pct", false), a.id()));
    }
    v.push(col("gain_1q_copies", CytoDetail("copies", true), Abnormality::Gain1q.id()));
    v.push(col("del_1p32_copies_lost", CytoDetail("copies_lost", true), Abnormality::Del1p32.id()));
    v
}

/// A column's cells.
#[derive(Debug, Clone)]
pub enum Cells {
    /// Numbers (NaN = empty) and, by row, cells that were not numbers (passed on as strings so
    /// the core refuses them as it would in JSON).
    Numeric(Vec<f64>, BTreeMap<usize, String>),
    /// Codes into `uniques` (-1 = empty).
    Categorical(Vec<i32>, Vec<String>),
}

/// A cohort's columns, checked against the table of [`columns`].
#[derive(Debug, Clone)]
pub struct Input {
    n_rows: usize,
    columns: Vec<(Column, Cells)>,
}

impl Input {
    /// A cohort of `n_rows` rows from named columns.
    ///
    /// # Errors
    /// [`ColumnError`] for an unknown column, a column given twice, or a column whose length
    /// is not `n_rows`.
    pub fn new(n_rows: usize, named: Vec<(String, Cells)>) -> Result<Self, ColumnError> {
        let spec = columns();
        let mut out: Vec<(Column, Cells)> = Vec::with_capacity(named.len());
        for (name, cells) in named {
            let column = spec
                .iter()
                .find(|c| c.name == name)
                .cloned()
                .ok_or_else(|| ColumnError { column: name.clone(), message: format!("unknown column `{name}`") })?;
            if out.iter().any(|(c, _)| c.name == name) {
                return Err(ColumnError {
                    column: name.clone(),
                    message: format!("column `{name}` appears more than once"),
                });
            }
            let len = match &cells {
                Cells::Numeric(v, _) => v.len(),
                Cells::Categorical(v, _) => v.len(),
            };
            if len != n_rows {
                return Err(ColumnError {
                    column: name.clone(),
                    message: format!("column `{name}` has {len} values; expected {n_rows}"),
                });
            }
            out.push((column, cells));
        }
        Ok(Self { n_rows, columns: out })
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.n_rows
    }
}

/// A problem of a whole set of columns (not of a row): it fails the call, naming the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnError {
    /// The column.
    pub column: String,
    /// What is wrong, naming the column.
    pub message: String,
}

impl std::fmt::Display for ColumnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ColumnError {}

fn set_path(root: &mut Map<String, Value>, path: &str, value: Value) -> bool {
    let mut parts = path.split('.').peekable();
    let mut obj = root;
    while let Some(p) = parts.next() {
        if parts.peek().is_none() {
            if obj.contains_key(p) {
                return false;
            }
            obj.insert(p.to_string(), value);
            return true;
        }
        let next = obj.entry(p.to_string()).or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(o) = next else { return false };
        obj = o;
    }
    false
}

/// The JSON value of a numeric cell, `None` when empty.
fn number_json(kind: &Kind, x: f64, field: &str) -> Result<Option<Value>, Error> {
    if x.is_nan() {
        return Ok(None);
    }
    if !x.is_finite() {
        return Err(Error::InvalidJson { field: field.to_string(), message: format!("{x} is not a finite number") });
    }
    let whole = x.fract() == 0.0 && x.abs() < 9.0e15;
    let as_int = || {
        // Whole-valued floats become JSON integers so the core's integer fields accept them;
        // anything else goes on as a float for the core to refuse.
        #[allow(clippy::cast_possible_truncation)]
        let i = x as i64;
        Value::Number(Number::from(i))
    };
    let float = || Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null);
    Ok(Some(match kind {
        Kind::Integer | Kind::CytoDetail(_, true) if whole => as_int(),
        Kind::Bool if x == 0.0 => Value::Bool(false),
        Kind::Bool if x == 1.0 => Value::Bool(true),
        _ => float(),
    }))
}

/// An error's field with `cytogenetics[k]` (an index into the list this module built) replaced
/// by `cytogenetics.<abnormality>`, the name the caller's columns use.
fn name_cytogenetics(e: Error, order: &[&'static str]) -> Error {
    let rename = |field: String| -> String {
        let Some(rest) = field.strip_prefix("cytogenetics[") else { return field };
        let Some((index, tail)) = rest.split_once(']') else { return field };
        match index.parse::<usize>().ok().and_then(|k| order.get(k)) {
            Some(id) => format!("cytogenetics.{id}{tail}"),
            None => field,
        }
    };
    match e {
        Error::InvalidJson { field, message } => Error::InvalidJson { field: rename(field), message },
        Error::MissingField { field, message } => Error::MissingField { field: rename(field), message },
        Error::OutOfRange { field, value, unit, accepted_range } => {
            Error::OutOfRange { field: rename(field), value, unit, accepted_range }
        }
        Error::UnsupportedUnit { field, unit, accepted } => {
            Error::UnsupportedUnit { field: rename(field), unit, accepted }
        }
        Error::Inconsistent { field, message } => Error::Inconsistent { field: rename(field), message },
        other => other,
    }
}

/// The abnormalities of row `i`'s cytogenetics list, in the order `row_record` writes them.
fn cytogenetics_order(input: &Input, i: usize) -> Vec<&'static str> {
    let mut present: Vec<Abnormality> = Vec::new();
    for (c, cells) in &input.columns {
        if !matches!(c.kind, Kind::CytoStatus | Kind::CytoDetail(..)) {
            continue;
        }
        let filled = match cells {
            Cells::Numeric(values, others) => others.contains_key(&i) || values.get(i).is_some_and(|x| !x.is_nan()),
            Cells::Categorical(codes, uniques) => {
                usize::try_from(codes.get(i).copied().unwrap_or(-1)).ok().and_then(|k| uniques.get(k)).is_some()
            }
        };
        if filled {
            if let Some(a) = Abnormality::ALL.iter().find(|a| a.id() == c.path) {
                present.push(*a);
            }
        }
    }
    present.sort();
    present.dedup();
    present.into_iter().map(|a| a.id()).collect()
}

/// The patient record of row `i` as JSON.
fn row_record(input: &Input, i: usize) -> Result<Value, Error> {
    let mut root = Map::new();
    let mut cyto: BTreeMap<Abnormality, Map<String, Value>> = BTreeMap::new();
    let mut lab_source: BTreeMap<&str, &str> = BTreeMap::new();
    for (c, cells) in &input.columns {
        let value: Option<Value> = match cells {
            Cells::Numeric(values, others) => match others.get(&i) {
                Some(s) => Some(Value::String(s.clone())),
                None => {
                    let field = match &c.kind {
                        Kind::Quantity(_) => format!("{}.value", c.path),
                        Kind::CytoDetail(key, _) => format!("cytogenetics.{}.{key}", c.path),
                        _ => c.path.clone(),
                    };
                    number_json(&c.kind, values.get(i).copied().unwrap_or(f64::NAN), &field)?
                }
            },
            Cells::Categorical(codes, uniques) => {
                let code = codes.get(i).copied().unwrap_or(-1);
                usize::try_from(code).ok().and_then(|k| uniques.get(k)).map(|s| Value::String(s.clone()))
            }
        };
        let Some(value) = value else { continue };
        debug_assert!(c.kind.numeric() || value.is_string());
        match &c.kind {
            Kind::Quantity(unit) => {
                if let Some(other) = lab_source.insert(c.path.as_str(), c.name.as_str()) {
                    return Err(Error::Inconsistent {
                        field: c.path.clone(),
                        message: format!(
                            "given in two columns (`{other}` and `{}`); give one value, in one unit",
                            c.name
                        ),
                    });
                }
                let mut q = Map::new();
                q.insert("value".into(), value);
                q.insert("unit".into(), Value::String((*unit).to_string()));
                set_path(&mut root, &c.path, Value::Object(q));
            }
            Kind::CytoStatus | Kind::CytoDetail(..) => {
                let key = match &c.kind {
                    Kind::CytoDetail(key, _) => key,
                    _ => "status",
                };
                if let Some(a) = Abnormality::ALL.iter().find(|a| a.id() == c.path) {
                    cyto.entry(*a).or_default().insert(key.to_string(), value);
                }
            }
            _ => {
                set_path(&mut root, &c.path, value);
            }
        }
    }
    if !cyto.is_empty() {
        // A detail (clonal fraction, copies) without a status cannot be read: say which column
        // is missing rather than leave the core to name a list index the caller never wrote.
        if let Some((a, f)) = cyto.iter().find(|(_, f)| !f.contains_key("status")) {
            let given: Vec<String> = f.keys().map(|k| format!("`{}_{k}`", a.id())).collect();
            return Err(Error::MissingField {
                field: format!("cytogenetics.{}.status", a.id()),
                message: format!("{} given without the `{}` status column", given.join(", "), a.id()),
            });
        }
        let list = cyto
            .into_iter()
            .map(|(a, mut f)| {
                f.insert("abnormality".into(), Value::String(a.id().to_string()));
                Value::Object(f)
            })
            .collect();
        root.insert("cytogenetics".into(), Value::Array(list));
    }
    Ok(Value::Object(root))
}

fn name_of<T: serde::Serialize>(v: &T) -> Option<String> {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// The value type of a result column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// Text (an identifier of the core, or an error message); empty = not computable.
    Text,
    /// A number; empty = not computable.
    Number,
    /// A list of text.
    List,
}

impl OutputKind {
    /// The kind's name, as documented (`string`, `double`, `list`).
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::Text => "string",
            OutputKind::Number => "double",
            OutputKind::List => "list",
        }
    }
}

/// Every result column in order, with its kind: the one table every front end (Python, Arrow,
/// the CLI) lays its result out by.
pub const OUTPUT_COLUMNS: [(&str, OutputKind); 24] = [
    ("error", OutputKind::Text),
    ("error_kind", OutputKind::Text),
    ("error_field", OutputKind::Text),
    ("error_fields", OutputKind::List),
    ("diagnosis", OutputKind::Text),
    ("iss", OutputKind::Text),
    ("r_iss", OutputKind::Text),
    ("r2_iss", OutputKind::Text),
    ("r2_iss_points", OutputKind::Number),
    ("risk", OutputKind::Text),
    ("risk_article", OutputKind::Text),
    ("risk_imwg2016", OutputKind::Text),
    ("risk_msmart3", OutputKind::Text),
    ("risk_ims2025", OutputKind::Text),
    ("imwg_frailty", OutputKind::Text),
    ("imwg_frailty_points", OutputKind::Number),
    ("simplified_frailty", OutputKind::Text),
    ("transplant_eligibility", OutputKind::Text),
    ("creatinine_clearance_ml_min", OutputKind::Number),
    ("phase", OutputKind::Text),
    ("first_regimen", OutputKind::Text),
    ("first_options", OutputKind::List),
    ("missing_inputs", OutputKind::List),
    ("n_warnings", OutputKind::Number),
];

/// The result columns only a plan gives (left out without a plan).
pub const PLAN_COLUMNS: [&str; 4] = ["phase", "first_regimen", "first_options", "n_warnings"];

/// The result columns of a run with or without the plan, in order.
pub fn output_columns(with_plan: bool) -> impl Iterator<Item = (&'static str, OutputKind)> {
    OUTPUT_COLUMNS.into_iter().filter(move |(c, _)| with_plan || !PLAN_COLUMNS.contains(c))
}

/// One result column's cells.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputCells {
    /// Text cells.
    Text(Vec<Option<String>>),
    /// Number cells.
    Number(Vec<Option<f64>>),
    /// List cells.
    List(Vec<Option<Vec<String>>>),
}

/// Result columns.
#[derive(Debug, Default)]
pub struct Output {
    cols_str: Vec<(&'static str, Vec<Option<String>>)>,
    cols_f64: Vec<(&'static str, Vec<Option<f64>>)>,
    cols_list: Vec<(&'static str, Vec<Option<Vec<String>>>)>,
    risk: Vec<(String, Vec<Option<String>>)>,
    error_fields: Vec<Option<Vec<String>>>,
    plan_json: Option<Vec<Option<String>>>,
}

impl Output {
    /// The result columns of [`output_columns`] in order, each with its cells.
    pub fn into_columns(mut self, with_plan: bool) -> Vec<(&'static str, OutputCells)> {
        let mut out = Vec::with_capacity(OUTPUT_COLUMNS.len());
        for (name, kind) in output_columns(with_plan) {
            let cells = match kind {
                OutputKind::Text => {
                    let taken = match self.cols_str.iter_mut().find(|(k, _)| *k == name) {
                        Some((_, v)) => std::mem::take(v),
                        None => self
                            .risk
                            .iter_mut()
                            .find(|(k, _)| k == name)
                            .map(|(_, v)| std::mem::take(v))
                            .unwrap_or_default(),
                    };
                    OutputCells::Text(taken)
                }
                OutputKind::Number => OutputCells::Number(
                    self.cols_f64
                        .iter_mut()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| std::mem::take(v))
                        .unwrap_or_default(),
                ),
                OutputKind::List if name == "error_fields" => OutputCells::List(std::mem::take(&mut self.error_fields)),
                OutputKind::List => OutputCells::List(
                    self.cols_list
                        .iter_mut()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| std::mem::take(v))
                        .unwrap_or_default(),
                ),
            };
            out.push((name, cells));
        }
        out
    }

    /// The plan of each row as JSON (the same text as `mmpath plan`), when asked for with
    /// [`Options::plan_json`]; `None` for a row in error.
    pub fn take_plan_json(&mut self) -> Option<Vec<Option<String>>> {
        self.plan_json.take()
    }
}

/// How a cohort is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Worker threads (rows are independent; the answer does not depend on it).
    pub threads: usize,
    /// Run the plan (the costly part) and fill [`PLAN_COLUMNS`].
    pub plan: bool,
    /// Keep each row's plan as JSON (only with `plan`).
    pub plan_json: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { threads: 1, plan: false, plan_json: false }
    }
}

const STR_COLS: [&str; 13] = [
    "iss",
    "r_iss",
    "r2_iss",
    "imwg_frailty",
    "simplified_frailty",
    "transplant_eligibility",
    "phase",
    "first_regimen",
    "risk",
    "error",
    "error_kind",
    "error_field",
    "diagnosis",
];
const F64_COLS: [&str; 4] = ["r2_iss_points", "imwg_frailty_points", "creatinine_clearance_ml_min", "n_warnings"];
const LIST_COLS: [&str; 2] = ["first_options", "missing_inputs"];

/// One row's results.
struct RowOut {
    s: [Option<String>; 13],
    f: [Option<f64>; 4],
    l: [Option<Vec<String>>; 2],
    r: [Option<String>; 4],
    /// The fields of every error of the row (`None` for a row without error).
    errors: Option<Vec<String>>,
    /// The plan as JSON, when asked for.
    plan_json: Option<String>,
}

fn error_row(e: &RowError) -> RowOut {
    let mut s: [Option<String>; 13] = Default::default();
    let first = e.0.first();
    s[9] = Some(e.0.iter().map(|e| plain::error(e).to_string()).collect::<Vec<_>>().join("; "));
    s[10] = first.map(|e| e.kind().to_string());
    s[11] = first.and_then(|e| e.field().map(str::to_string));
    let fields = e.0.iter().map(|e| e.field().unwrap_or(".").to_string()).collect();
    RowOut { s, f: [None; 4], l: [None, None], r: Default::default(), errors: Some(fields), plan_json: None }
}

/// Every error of a row, in the order found (the first is the one a JSON record would raise).
struct RowError(Vec<Error>);

impl From<Error> for RowError {
    fn from(e: Error) -> Self {
        RowError(vec![e])
    }
}

/// At most this many errors are listed per row.
const MAX_ROW_ERRORS: usize = 32;

/// Every error of a row's record: the core is asked again with each refused value taken out,
/// until it accepts the rest (or a refusal names no removable value), so that a row lists all
/// its errors, each exactly as the core words it.
fn all_errors(mut rec: Value, first: Error, order: &[&'static str]) -> RowError {
    let mut errors = vec![name_cytogenetics(first.clone(), order)];
    let mut e = first;
    while errors.len() < MAX_ROW_ERRORS {
        let Some(field) = e.field().map(str::to_string) else { break };
        if !remove_path(&mut rec, &field) {
            break;
        }
        match Patient::from_json(&rec.to_string()) {
            Ok(_) => break,
            Err(next) => {
                errors.push(name_cytogenetics(next.clone(), order));
                e = next;
            }
        }
    }
    RowError(errors)
}

/// Take the value at a dotted path out of a record (`labs.creatinine`, `cytogenetics[2].status`);
/// an element of `cytogenetics` is nulled in its place (its status dropped) so that the indices
/// the later errors name stay those of `order`. False when there is nothing there to take.
fn remove_path(rec: &mut Value, path: &str) -> bool {
    if path.is_empty() || path == "." {
        return false;
    }
    let mut node = rec;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let (key, index) = match part.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let last = parts.peek().is_none();
        let Value::Object(obj) = node else { return false };
        match index {
            None if last => return obj.remove(key).is_some(),
            None => match obj.get_mut(key) {
                Some(next) => node = next,
                None => return false,
            },
            Some(k) => {
                let Some(Value::Array(list)) = obj.get_mut(key) else { return false };
                let Some(item) = list.get_mut(k) else { return false };
                if last {
                    // The whole element is refused: keep only its abnormality, as not tested.
                    let Value::Object(o) = item else { return false };
                    let kept: Map<String, Value> =
                        o.iter().filter(|(k, _)| *k == "abnormality").map(|(k, v)| (k.clone(), v.clone())).collect();
                    if kept.len() == o.len() {
                        return false;
                    }
                    *o = kept;
                    o.insert("status".into(), Value::String("not_tested".into()));
                    return true;
                }
                node = item;
            }
        }
    }
    false
}

/// Assess row `i`. A panic in the core (a bug) becomes an error in this row, never a lost row.
/// Without `with_plan` the plan's own columns (phase, options, warnings) stay empty and the
/// rest comes from the core's separate assessments, which cost far less than a plan.
fn assess_row(kb: &KnowledgeBase, input: &Input, i: usize, g: &Guideline, o: Options) -> RowOut {
    let with_plan = o.plan;
    let run = || -> Result<RowOut, RowError> {
        let rec = row_record(input, i)?;
        let p = match Patient::from_json(&rec.to_string()) {
            Ok(p) => p,
            Err(first) => return Err(all_errors(rec, first, &cytogenetics_order(input, i))),
        };
        let imwg = fitness::imwg_frailty(kb, &p);
        let mut r: [Option<String>; 4] = Default::default();
        for (slot, d) in r.iter_mut().zip(RiskDefinition::ALL) {
            *slot = name_of(&risk::assess(kb, &p, d, g.del17p_cutoff()).level);
        }
        let crcl = fitness::creatinine_clearance(kb, &p, g).ok().map(|c| c.ml_min);
        if with_plan {
            let plan = recommend_with(kb, &p, g)?;
            let mut missing: Vec<String> = plan.missing_inputs.iter().map(|m| m.field.clone()).collect();
            missing.dedup();
            #[allow(clippy::cast_precision_loss)]
            let n_warnings = plan.warnings.len() as f64;
            return Ok(RowOut {
                s: [
                    plan.staging.iss.stage.as_ref().and_then(name_of),
                    plan.staging.r_iss.stage.as_ref().and_then(name_of),
                    plan.staging.r2_iss.staging.stage.as_ref().and_then(name_of),
                    imwg.category.as_ref().and_then(name_of),
                    fitness::simplified_frailty(kb, &p).category.as_ref().and_then(name_of),
                    name_of(&plan.transplant_eligibility.eligibility),
                    name_of(&plan.position.phase),
                    plan.options.first().map(|o| o.regimen_id.clone()),
                    name_of(&plan.risk.level),
                    None,
                    None,
                    None,
                    name_of(&plan.diagnosis.class),
                ],
                f: [plan.staging.r2_iss.points, imwg.points.map(f64::from), crcl, Some(n_warnings)],
                l: [
                    Some(plan.options.iter().filter(|o| o.rank == 1).map(|o| o.regimen_id.clone()).collect()),
                    Some(missing),
                ],
                r,
                errors: None,
                plan_json: o.plan_json.then(|| plan.to_json()),
            });
        }
        let staging = staging::stage_all(kb, &p);
        let risk_g = risk::assess(kb, &p, g.risk_definition(), g.del17p_cutoff());
        let elig = fitness::transplant_eligibility(kb, &p, g);
        let diagnosis = diagnosis::diagnose_with(kb, &p, g);
        let mut missing: Vec<String> = staging
            .iss
            .missing_inputs
            .iter()
            .chain(&staging.r_iss.missing_inputs)
            .chain(&staging.r2_iss.staging.missing_inputs)
            .chain(&risk_g.missing_inputs)
            .chain(&elig.missing_inputs)
            .chain(&diagnosis.missing_inputs)
            .map(|m| m.field.clone())
            .collect();
        missing.sort();
        missing.dedup();
        Ok(RowOut {
            s: [
                staging.iss.stage.as_ref().and_then(name_of),
                staging.r_iss.stage.as_ref().and_then(name_of),
                staging.r2_iss.staging.stage.as_ref().and_then(name_of),
                imwg.category.as_ref().and_then(name_of),
                fitness::simplified_frailty(kb, &p).category.as_ref().and_then(name_of),
                name_of(&elig.eligibility),
                None,
                None,
                name_of(&risk_g.level),
                None,
                None,
                None,
                name_of(&diagnosis.class),
            ],
            f: [staging.r2_iss.points, imwg.points.map(f64::from), crcl, None],
            l: [None, Some(missing)],
            r,
            errors: None,
            plan_json: None,
        })
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(row)) => row,
        Ok(Err(e)) => error_row(&e),
        Err(_) => error_row(&RowError::from(Error::Inconsistent {
            field: ".".into(),
            message: "internal error in myeloma-pathway while assessing this row (a bug: please report it)".into(),
        })),
    }
}

/// Assess every row, on up to `threads` threads (rows are independent; the output keeps the
/// input order, so the answer does not depend on the number of threads).
pub fn assess(kb: &KnowledgeBase, input: &Input, g: &Guideline, threads: usize, with_plan: bool) -> Output {
    assess_with(kb, input, g, Options { threads, plan: with_plan, plan_json: false })
}

/// [`assess`] with every option.
pub fn assess_with(kb: &KnowledgeBase, input: &Input, g: &Guideline, o: Options) -> Output {
    let n = input.n_rows;
    // Below a few dozen rows per thread the spawn costs more than it saves.
    let threads = o.threads.clamp(1, 64).min(n / 32).max(1);
    let rows: Vec<RowOut> = if threads == 1 {
        (0..n).map(|i| assess_row(kb, input, i, g, o)).collect()
    } else {
        let chunk = n.div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let lo = (t * chunk).min(n);
                    let hi = ((t + 1) * chunk).min(n);
                    scope.spawn(move || (lo..hi).map(|i| assess_row(kb, input, i, g, o)).collect::<Vec<_>>())
                })
                .collect();
            let mut all = Vec::with_capacity(n);
            for h in handles {
                match h.join() {
                    Ok(part) => all.extend(part),
                    // Unreachable (each row catches its own panics); re-raised so the batch
                    // fails loudly rather than lose rows.
                    Err(payload) => std::panic::resume_unwind(payload),
                }
            }
            all
        })
    };
    let mut s: Vec<Vec<Option<String>>> = STR_COLS.iter().map(|_| Vec::with_capacity(n)).collect();
    let mut f: Vec<Vec<Option<f64>>> = F64_COLS.iter().map(|_| Vec::with_capacity(n)).collect();
    let mut l: Vec<Vec<Option<Vec<String>>>> = LIST_COLS.iter().map(|_| Vec::with_capacity(n)).collect();
    let mut r: Vec<Vec<Option<String>>> = RiskDefinition::ALL.iter().map(|_| Vec::with_capacity(n)).collect();
    let mut error_fields = Vec::with_capacity(n);
    let mut plan_json = Vec::with_capacity(if o.plan_json { n } else { 0 });
    for row in rows {
        error_fields.push(row.errors);
        if o.plan_json {
            plan_json.push(row.plan_json);
        }
        for (col, v) in s.iter_mut().zip(row.s) {
            col.push(v);
        }
        for (col, v) in f.iter_mut().zip(row.f) {
            col.push(v);
        }
        for (col, v) in l.iter_mut().zip(row.l) {
            col.push(v);
        }
        for (col, v) in r.iter_mut().zip(row.r) {
            col.push(v);
        }
    }
    Output {
        cols_str: STR_COLS.iter().copied().zip(s).collect(),
        cols_f64: F64_COLS.iter().copied().zip(f).collect(),
        cols_list: LIST_COLS.iter().copied().zip(l).collect(),
        risk: RiskDefinition::ALL.iter().map(|d| format!("risk_{}", d.id())).zip(r).collect(),
        error_fields,
        plan_json: o.plan_json.then_some(plan_json),
    }
}
