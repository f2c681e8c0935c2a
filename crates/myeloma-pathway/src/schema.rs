//! The JSON Schemas of the patient record, of the plan and of every other output the front ends
//! read (`docs/outputs.schema.json`), derived from the Rust types.
//!
//! The shapes come from `schemars` derives on the record and plan types (serde's names, `deny_unknown_fields`
//! as `additionalProperties: false`), the limits from the core's own tables: integer and number
//! ranges from [`INTEGER_FIELDS`] and [`NUMBER_FIELDS`], list lengths from [`MAX_LIST_LEN`],
//! accepted lab units and plausibility ranges from each [`Analyte`]. `docs/patient.schema.json`,
//! `docs/plan.schema.json` and `docs/outputs.schema.json` are these functions' output; a test fails when they drift
//! (regenerate with `MP_BLESS_SCHEMAS=1 cargo test -p myeloma-pathway --test it schema`).
//!
//! What a schema cannot say, validation still checks: the day of the month, dates in order,
//! consistency between fields (`copies` only with `gain_1q`, LDH with its upper limit), and a
//! lab value's range (it depends on the unit; the description gives it).

use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

use crate::patient::labs::{
    Albumin, Analyte, Beta2Microglobulin, BoneMarrowPlasmaCells, Calcium, Creatinine, FreeLightChain, Hemoglobin, Ldh,
    NeutrophilCount, PlateletCount, SerumMProtein, UrineMProtein,
};
use crate::patient::{INTEGER_FIELDS, NUMBER_FIELDS};
use crate::plan::{Plan, PLAN_SCHEMA_VERSION};
use crate::record::{PatientRecord, MAX_LIST_LEN, SCHEMA_VERSION};

/// Lists of the record whose length validation limits to [`MAX_LIST_LEN`].
const LISTS: [&str; 8] = [
    "cytogenetics",
    "history",
    "response_assessments",
    "mrd",
    "treatment_history.therapies",
    "treatment_history.progressions",
    "treatment_history.transplants",
    "treatment_history.stated_facts",
];

/// The JSON Schema (draft 2020-12) of the patient record: what [`crate::Patient::from_json`]
/// accepts, as far as a schema can say it.
pub fn patient_record_schema() -> Value {
    let generator = SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let mut root = Value::from(generator.into_root_schema_for::<PatientRecord>());
    if let Value::Object(top) = &mut root {
        top.insert("$id".into(), "https://myeloma-pathway.invalid/patient.schema.json".into());
        top.insert("title".into(), format!("myeloma-pathway patient record, schema version {SCHEMA_VERSION}").into());
        top.insert(
            "description".into(),
            "The one contract shared by Rust, Python and C; generated from the Rust types (do not edit). \
             Unknown keys are refused. An absent value is unknown, never normal. Numeric ranges are \
             plausibility limits (values outside are refused, never clamped). No names, record numbers \
             or birth dates."
                .into(),
        );
    }
    if let Some(v) = property(&mut root, "schema_version") {
        *v = json!({"description": "Schema version; `\"1\"` when given.", "const": SCHEMA_VERSION});
    }
    for (path, _, lo, hi) in INTEGER_FIELDS {
        set_range(&mut root, path, json!(lo), json!(hi));
    }
    for (path, _, lo, hi) in NUMBER_FIELDS {
        set_range(&mut root, path, json!(lo), json!(hi));
    }
    for path in LISTS {
        if let Some(Value::Object(list)) = property(&mut root, path) {
            list.insert("maxItems".into(), json!(MAX_LIST_LEN));
        }
    }
    macro_rules! labs {
        ($($path:literal => $analyte:ty),+ $(,)?) => {
            $(if let Some(v) = optional_slot(&mut root, $path) { *v = lab_schema::<$analyte>(); })+
        };
    }
    labs! {
        "labs.creatinine" => Creatinine,
        "labs.albumin" => Albumin,
        "labs.beta2_microglobulin" => Beta2Microglobulin,
        "labs.ldh" => Ldh,
        "labs.ldh_upper_limit_of_normal" => Ldh,
        "labs.calcium" => Calcium,
        "labs.calcium_upper_limit_of_normal" => Calcium,
        "labs.hemoglobin" => Hemoglobin,
        "labs.hemoglobin_lower_limit_of_normal" => Hemoglobin,
        "labs.serum_m_protein" => SerumMProtein,
        "labs.urine_m_protein" => UrineMProtein,
        "labs.serum_flc_kappa" => FreeLightChain,
        "labs.serum_flc_lambda" => FreeLightChain,
        "labs.bone_marrow_plasma_cells" => BoneMarrowPlasmaCells,
        "labs.anc" => NeutrophilCount,
        "labs.platelets" => PlateletCount,
        "response_assessments[].serum_m_protein" => SerumMProtein,
        "response_assessments[].urine_m_protein" => UrineMProtein,
        "response_assessments[].serum_flc_kappa" => FreeLightChain,
        "response_assessments[].serum_flc_lambda" => FreeLightChain,
        "response_assessments[].bone_marrow_plasma_cells" => BoneMarrowPlasmaCells,
    }
    // Every lab value now names its own units; the generic quantity is no longer referenced.
    if let Some(Value::Object(defs)) = root.get_mut("$defs") {
        defs.remove("RawQuantity");
    }
    root
}

/// The JSON Schema (draft 2020-12) of a plan as serialised (`mmpath case`, `api`, Python and C
/// give the same JSON). Every object refuses keys it does not list, so a field added to the
/// output without regenerating the schema fails the golden plans' validation.
pub fn plan_schema() -> Value {
    let generator = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut root = Value::from(generator.into_root_schema_for::<Plan>());
    close_objects(&mut root);
    if let Value::Object(top) = &mut root {
        top.insert("$id".into(), "https://myeloma-pathway.invalid/plan.schema.json".into());
        top.insert("title".into(), format!("myeloma-pathway plan, plan schema version {PLAN_SCHEMA_VERSION}").into());
        top.insert(
            "description".into(),
            "A plan for the current phase with its basis, as every front end serialises it; generated \
             from the Rust types (do not edit). `basis.plan_schema_version` is the version of this shape."
                .into(),
        );
    }
    if let Some(v) = property(&mut root, "basis.plan_schema_version") {
        *v = json!({"description": "Version of this output's shape (see CHANGELOG.md).", "const": PLAN_SCHEMA_VERSION});
    }
    root
}

/// Every JSON output a front end reads, by name: the name is the `title` of its branch in
/// [`outputs_schema`]'s `anyOf` and the definition its `$ref` names.
pub const OUTPUTS: [&str; 11] = [
    "plan",
    "stage",
    "risk",
    "risk-compare",
    "eligibility",
    "diagnose",
    "response",
    "pathway-state",
    "event",
    "calendar",
    "kb",
];

/// The JSON Schema (draft 2020-12) of every output the front ends read: the plan, each
/// assessment of [`crate::api::run_json`] with its basis, the pathway state and event
/// ([`crate::pathway::transition`]), the treatment calendar ([`crate::api::calendar_json`]) and
/// the knowledge-base summary ([`crate::api::kb_identity_json`]). One file, one `$defs` pool:
/// the outputs share most of their parts (citations, missing inputs, risk, eligibility), each
/// defined once. The root is an `anyOf` with one branch per output, titled with its name
/// ([`OUTPUTS`]). Every object refuses keys it does not list, as in [`plan_schema`]; the
/// Python views (`scripts/gen-python-views.py`) are generated from this file.
pub fn outputs_schema() -> Value {
    use crate::api::{EligibilityOut, KbSummary, WithBasis};
    use crate::assess::{diagnosis::Diagnosis, response::ResponseAssessment, risk, staging::StagingSummary};
    type Out<T> = WithBasis<T>;
    let mut generator = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let branches = [
        generator.subschema_for::<Plan>(),
        generator.subschema_for::<Out<StagingSummary>>(),
        generator.subschema_for::<Out<risk::RiskAssessment>>(),
        generator.subschema_for::<Out<risk::RiskComparison>>(),
        generator.subschema_for::<Out<EligibilityOut>>(),
        generator.subschema_for::<Out<Diagnosis>>(),
        generator.subschema_for::<Out<ResponseAssessment>>(),
        generator.subschema_for::<crate::pathway::PathwayState>(),
        generator.subschema_for::<crate::record::Event>(),
        generator.subschema_for::<crate::dosing::calendar::Calendar>(),
        generator.subschema_for::<KbSummary<'static>>(),
    ];
    let defs = generator.take_definitions(true);
    let any_of: Vec<Value> = OUTPUTS
        .iter()
        .zip(branches)
        .map(|(name, schema)| {
            let mut branch = Value::from(schema);
            if let Value::Object(b) = &mut branch {
                b.insert("title".into(), (*name).into());
            }
            branch
        })
        .collect();
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://myeloma-pathway.invalid/outputs.schema.json",
        "title": format!("myeloma-pathway outputs, plan schema version {PLAN_SCHEMA_VERSION}"),
        "description": "Every JSON output the front ends read (plan, assessments with their basis, pathway \
            state and event, treatment calendar, knowledge-base summary), one branch of `anyOf` per output \
            titled with its name; generated from the Rust types (do not edit). The plan's definition is the \
            shape of plan.schema.json.",
        "anyOf": any_of,
        "$defs": Value::Object(defs),
    });
    close_objects(&mut root);
    if let Some(Value::Object(v)) = root.pointer_mut("/$defs/Basis/properties/plan_schema_version") {
        v.clear();
        v.insert("description".into(), "Version of this output's shape (see CHANGELOG.md).".into());
        v.insert("const".into(), PLAN_SCHEMA_VERSION.into());
    }
    root
}

/// The schema of one lab value of analyte `A`: `{value, unit}` with the units it accepts (spelling
/// as validation compares it: case, spaces and µ/μ/u are not significant).
fn lab_schema<A: Analyte>() -> Value {
    let spellings: Vec<&str> = A::UNITS.iter().map(|(u, _)| *u).collect();
    let pattern = format!("^(?:{})$", spellings.iter().map(|u| unit_pattern(u)).collect::<Vec<_>>().join("|"));
    let (lo, hi) = A::RANGE;
    json!({
        "description": format!(
            "{}: a value with its unit; plausible {}–{} {} (in another unit, the same range converted)",
            A::NAME, crate::error::fmt_num(lo), crate::error::fmt_num(hi), A::CANONICAL_UNIT
        ),
        "type": "object",
        "additionalProperties": false,
        "required": ["value", "unit"],
        "properties": {
            "value": {"type": "number", "description": "the number, in `unit`"},
            "unit": {"type": "string", "pattern": pattern, "examples": spellings},
        },
    })
}

/// A regular expression matching `unit` as `LabValue::new` compares units: any whitespace,
/// ASCII case folded, micro sign, Greek mu and `u` alike.
fn unit_pattern(unit: &str) -> String {
    let mut p = String::from("\\s*");
    for c in unit.chars().filter(|c| !c.is_whitespace()) {
        match c {
            'µ' | 'μ' | 'u' | 'U' => p.push_str("[uUµμ]"),
            c if c.is_ascii_alphabetic() => {
                p.push('[');
                p.push(c.to_ascii_lowercase());
                p.push(c.to_ascii_uppercase());
                p.push(']');
            }
            c if ".^$|?*+()[]{}\\".contains(c) => {
                p.push('\\');
                p.push(c);
            }
            c => p.push(c),
        }
        p.push_str("\\s*");
    }
    p
}

/// Set `minimum`/`maximum` of the field at `path`.
fn set_range(root: &mut Value, path: &str, lo: Value, hi: Value) {
    if let Some(Value::Object(field)) = property(root, path) {
        field.remove("format");
        field.insert("minimum".into(), lo);
        field.insert("maximum".into(), hi);
    }
}

/// The schema of the value of the optional field at `path` (the non-null branch of its `anyOf`),
/// itself, not the definition it refers to: replacing it changes this field only.
fn optional_slot<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let (parent, name) = path.rsplit_once('.')?;
    let parent = property(root, parent)?;
    let field = parent.get_mut("properties")?.get_mut(name)?;
    let branch = field
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|b| b.iter().position(|x| x.get("type") != Some(&json!("null"))));
    match branch {
        Some(i) => field.get_mut("anyOf")?.get_mut(i),
        None => Some(field),
    }
}

/// The schema of the property at a dotted `path` (`a.b`, `a[].b` for the entries of list `a`),
/// following `$ref`s into `$defs` and the non-null branch of an optional field.
fn property<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut pointer = String::new();
    for segment in path.split('.') {
        pointer = deref(root, pointer)?;
        let (name, entries) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        pointer = format!("{pointer}/properties/{name}");
        if entries {
            pointer = format!("{}/items", deref(root, pointer)?);
        }
    }
    let pointer = deref(root, pointer)?;
    root.pointer_mut(&pointer)
}

/// Follow `$ref` (to `#/$defs/...`) and the non-null branch of `anyOf [T, null]` from `pointer`.
fn deref(root: &Value, mut pointer: String) -> Option<String> {
    for _ in 0..8 {
        let here = root.pointer(&pointer)?;
        if let Some(target) = here.get("$ref").and_then(Value::as_str) {
            pointer = target.strip_prefix('#')?.to_string();
        } else if let Some(Value::Array(branches)) = here.get("anyOf") {
            let i = branches.iter().position(|b| b.get("type") != Some(&json!("null")))?;
            pointer = format!("{pointer}/anyOf/{i}");
        } else {
            return Some(pointer);
        }
    }
    None
}

/// `additionalProperties: false` on every object schema that lists its properties and says
/// nothing else about extra keys (serialised structs emit exactly their fields).
fn close_objects(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}
