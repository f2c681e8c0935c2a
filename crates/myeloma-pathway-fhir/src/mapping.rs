//! The mapping between FHIR codes and the patient record: one table, in one place.
//!
//! Every row names the code system, the code, the UCUM units it accepts (each with the unit
//! spelling the record takes, so the core does the conversion), the record field it fills, and
//! where the code was checked with its tag: **\[V1\]** read in an official text or value set,
//! **\[V2\]** seen only in secondary or third-party sources, **local** a code of this project's
//! own code system (no standard code was verified for the field; an integrator maps to it).
//! `docs/fhir.md` lists the same table; a test checks they agree.

/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// UCUM.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// ICD-10-CM as named in FHIR.
pub const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// ICD-O-3 as named in FHIR (HL7 terminology).
pub const ICDO3: &str = "http://terminology.hl7.org/CodeSystem/icd-o-3";
/// Base of this project's canonical URLs. `example.invalid` until the project has a domain:
/// the URLs identify, they do not resolve.
pub const CANONICAL_BASE: &str = "https://example.invalid/myeloma-pathway/fhir";
/// This project's code system for record fields that have no verified standard code.
pub const RECORD_FIELD_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/record-field";
/// This project's code system for the cytogenetic abnormalities (codes = the record's ids).
pub const ABNORMALITY_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/abnormality";
/// This project's code system for the cytogenetic method (codes = the record's method names).
pub const METHOD_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/cytogenetic-method";
/// This project's code system for the involved light chain (`kappa`, `lambda`).
pub const LIGHT_CHAIN_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/light-chain";
/// The project's code system for the M-protein heavy-chain isotype (`igg`, `iga`, `igm`, `igd`,
/// `ige`: the record's spelling of `diagnosis.heavy_chain`).
pub const HEAVY_CHAIN_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/heavy-chain";
/// The codes of [`HEAVY_CHAIN_SYSTEM`].
pub const HEAVY_CHAIN_CODES: [&str; 5] = ["igg", "iga", "igm", "igd", "ige"];

/// What a row fills in the record, and which `value[x]` it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A laboratory value `labs.<field>` from `valueQuantity`; `referenceRange.high` /
    /// `referenceRange.low` fill the named limit fields where given.
    Lab {
        /// Record path, e.g. `labs.creatinine`.
        path: &'static str,
        /// Record path filled from `referenceRange.high`.
        range_high: Option<&'static str>,
        /// Record path filled from `referenceRange.low`.
        range_low: Option<&'static str>,
    },
    /// A plain number at a record path, from `valueQuantity` in one of the row's units.
    Number(&'static str),
    /// An integer at a record path, from `valueInteger`.
    Integer(&'static str),
    /// A boolean at a record path, from `valueBoolean`.
    Boolean(&'static str),
    /// The involved light chain, from `valueCodeableConcept` in [`LIGHT_CHAIN_SYSTEM`].
    LightChain(&'static str),
    /// The M-protein heavy-chain isotype, from `valueCodeableConcept` in [`HEAVY_CHAIN_SYSTEM`].
    HeavyChain(&'static str),
    /// A cytogenetic finding (Genomics Reporting variant observation), see [`FINDING_VALUES`]
    /// and [`FINDING_COMPONENTS`].
    Finding,
}

impl Target {
    /// The record path this target fills (`cytogenetics` for findings).
    pub fn path(&self) -> &'static str {
        match self {
            Target::Lab { path, .. }
            | Target::Number(path)
            | Target::Integer(path)
            | Target::Boolean(path)
            | Target::LightChain(path)
            | Target::HeavyChain(path) => path,
            Target::Finding => "cytogenetics",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapping {
    /// Code system URI.
    pub system: &'static str,
    /// Code.
    pub code: &'static str,
    /// Display (LOINC long common name, abridged).
    pub display: &'static str,
    /// Accepted UCUM codes, each with the unit spelling the record takes.
    pub units: &'static [(&'static str, &'static str)],
    /// The record field.
    pub target: Target,
    /// Where the code was checked.
    pub source: &'static str,
    /// `\[V1\]`, `\[V2\]` or `local`.
    pub tag: &'static str,
}

const fn lab(path: &'static str) -> Target {
    Target::Lab { path, range_high: None, range_low: None }
}

const fn local(
    code: &'static str,
    display: &'static str,
    units: &'static [(&'static str, &'static str)],
    target: Target,
) -> Mapping {
    Mapping {
        system: RECORD_FIELD_SYSTEM,
        code,
        display,
        units,
        target,
        source: "this project's code system (no standard code verified for this field)",
        tag: "local",
    }
}

const CR8_3: &str = "third-party LOINC table (docs/evidence/terminology.md §3)";

/// The table. Order matters only for `record_to_bundle`, which writes the first row that takes
/// a field in its unit.
pub static TABLE: &[Mapping] = &[
    Mapping { system: LOINC, code: "2160-0", display: "Creatinine [Mass/volume] in Serum or Plasma",
        units: &[("mg/dL", "mg/dL")], target: lab("labs.creatinine"),
        source: "HL7 CPG 1.0.0 ValueSet ckd-valueset-creatinine (LOINC 2.68 expansion); docs/evidence/terminology.md §3", tag: "[V1]" },
    Mapping { system: LOINC, code: "14682-9", display: "Creatinine [Moles/volume] in Serum or Plasma",
        units: &[("umol/L", "µmol/L")], target: lab("labs.creatinine"),
        source: "HL7 CPG 1.0.0 ValueSet ckd-valueset-creatinine (LOINC 2.68 expansion)", tag: "[V1]" },
    Mapping { system: LOINC, code: "1751-7", display: "Albumin [Mass/volume] in Serum or Plasma",
        units: &[("g/dL", "g/dL"), ("g/L", "g/L")], target: lab("labs.albumin"), source: CR8_3, tag: "[V2]" },
    Mapping { system: LOINC, code: "1952-1", display: "Beta-2-Microglobulin [Mass/volume] in Serum or Plasma",
        units: &[("mg/L", "mg/L")], target: lab("labs.beta2_microglobulin"), source: CR8_3, tag: "[V2]" },
    Mapping { system: LOINC, code: "2532-0", display: "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma",
        units: &[("U/L", "U/L")],
        target: Target::Lab { path: "labs.ldh", range_high: Some("labs.ldh_upper_limit_of_normal"), range_low: None },
        source: CR8_3, tag: "[V2]" },
    Mapping { system: LOINC, code: "17861-6", display: "Calcium [Mass/volume] in Serum or Plasma",
        units: &[("mg/dL", "mg/dL")],
        target: Target::Lab { path: "labs.calcium", range_high: Some("labs.calcium_upper_limit_of_normal"), range_low: None },
        source: "HL7 PDDI CDS 1.0.0 ValueSet valueset-calcium-LOINC; docs/evidence/terminology.md §3", tag: "[V1]" },
    Mapping { system: LOINC, code: "2000-8", display: "Calcium [Moles/volume] in Serum or Plasma",
        units: &[("mmol/L", "mmol/L")],
        target: Target::Lab { path: "labs.calcium", range_high: Some("labs.calcium_upper_limit_of_normal"), range_low: None },
        source: "third-party code only (MIMIC-III lab dictionary 'Calcium, Total'; a LOINC unit map); not read on loinc.org", tag: "[V2]" },
    Mapping { system: LOINC, code: "718-7", display: "Hemoglobin [Mass/volume] in Blood",
        units: &[("g/dL", "g/dL"), ("g/L", "g/L")],
        target: Target::Lab { path: "labs.hemoglobin", range_high: None, range_low: Some("labs.hemoglobin_lower_limit_of_normal") },
        source: CR8_3, tag: "[V2]" },
    Mapping { system: LOINC, code: "33358-3", display: "Protein.monoclonal [Mass/volume] in Serum or Plasma by Electrophoresis",
        units: &[("g/dL", "g/dL"), ("g/L", "g/L")], target: lab("labs.serum_m_protein"),
        source: "ARUP test 3002568 component list; third-party LOINC table (docs/evidence/terminology.md §3)", tag: "[V2]" },
    Mapping { system: LOINC, code: "32730-5", display: "Protein.monoclonal [Mass/time] in 24 hour Urine",
        units: &[("mg/(24.h)", "mg/24h")], target: lab("labs.urine_m_protein"),
        source: "two third-party code files with this display; docs/evidence/terminology.md §3 lists it as [C] (34366-5 found there is Protein/Creatinine [Ratio] in Urine and is NOT mapped); not read on loinc.org", tag: "[V2]" },
    Mapping { system: LOINC, code: "36916-5", display: "Kappa light chains.free [Mass/volume] in Serum",
        units: &[("mg/L", "mg/L"), ("mg/dL", "mg/dL")], target: lab("labs.serum_flc_kappa"),
        source: "third-party LOINC table and two third-party code files (docs/evidence/terminology.md §3)", tag: "[V2]" },
    Mapping { system: LOINC, code: "33944-0", display: "Lambda light chains.free [Mass/volume] in Serum",
        units: &[("mg/L", "mg/L"), ("mg/dL", "mg/dL")], target: lab("labs.serum_flc_lambda"),
        source: "third-party LOINC table and two third-party code files (docs/evidence/terminology.md §3)", tag: "[V2]" },
    Mapping { system: LOINC, code: "11118-7", display: "Plasma cells/100 cells in Bone marrow",
        units: &[("%", "%")], target: lab("labs.bone_marrow_plasma_cells"),
        source: "third-party LOINC table and a third-party code comment (docs/evidence/terminology.md §3); 26450-7 (the other candidate there) is Eosinophils/100 leukocytes in Blood and is NOT mapped", tag: "[V2]" },
    Mapping { system: LOINC, code: "89247-1", display: "ECOG Performance Status score",
        units: &[], target: Target::Integer("ecog"),
        source: "HL7 mCODE STU4 (4.0.0) profile mcode-ecog-performance-status", tag: "[V1]" },
    Mapping { system: LOINC, code: "29463-7", display: "Body weight",
        units: &[("kg", "kg")], target: Target::Number("weight_kg"),
        source: "FHIR vital-signs examples in third-party code; not read in the R4 specification here", tag: "[V2]" },
    Mapping { system: LOINC, code: "8302-2", display: "Body height",
        units: &[("cm", "cm")], target: Target::Number("height_cm"),
        source: "FHIR vital-signs examples in third-party code; not read in the R4 specification here", tag: "[V2]" },
    Mapping { system: LOINC, code: "69548-6", display: "Genetic variant assessment",
        units: &[], target: Target::Finding,
        source: "HL7 Genomics Reporting IG variant examples (STU3 / CI build) and third-party code", tag: "[V2]" },
    local("labs.creatinine_clearance_ml_min", "Creatinine clearance, measured or estimated", &[("mL/min", "mL/min")], Target::Number("labs.creatinine_clearance_ml_min")),
    local("frailty.charlson", "Charlson Comorbidity Index", &[], Target::Integer("frailty.charlson")),
    local("frailty.katz_adl", "Katz Activities of Daily Living (0-6)", &[], Target::Integer("frailty.katz_adl")),
    local("frailty.lawton_iadl", "Lawton Instrumental Activities of Daily Living (0-8)", &[], Target::Integer("frailty.lawton_iadl")),
    local("organ_function.lvef_pct", "Left-ventricular ejection fraction", &[("%", "%")], Target::Number("organ_function.lvef_pct")),
    local("organ_function.dlco_pct", "DLCO, % predicted", &[("%", "%")], Target::Number("organ_function.dlco_pct")),
    local("organ_function.bilirubin_x_uln", "Total bilirubin as a multiple of the upper limit of normal", &[("1", "x ULN")], Target::Number("organ_function.bilirubin_x_uln")),
    local("organ_function.nyha_class", "NYHA class (0 = no heart failure)", &[], Target::Integer("organ_function.nyha_class")),
    local("organ_function.on_dialysis", "On dialysis", &[], Target::Boolean("organ_function.on_dialysis")),
    local("organ_function.peripheral_neuropathy_grade", "Peripheral neuropathy, CTCAE grade", &[], Target::Integer("organ_function.peripheral_neuropathy_grade")),
    local("organ_function.neuropathy_with_pain", "Neuropathy with pain", &[], Target::Boolean("organ_function.neuropathy_with_pain")),
    local("organ_function.active_infection", "Active infection", &[], Target::Boolean("organ_function.active_infection")),
    local("diagnosis.biopsy_proven_plasmacytoma", "Biopsy-proven plasmacytoma", &[], Target::Boolean("diagnosis.biopsy_proven_plasmacytoma")),
    local("diagnosis.osteolytic_lesions", "Osteolytic lesions (count)", &[], Target::Integer("diagnosis.osteolytic_lesions")),
    local("diagnosis.mri_focal_lesions", "MRI focal lesions >= 5 mm (count)", &[], Target::Integer("diagnosis.mri_focal_lesions")),
    local("diagnosis.crab_attributable", "CRAB features attributable to the plasma-cell disorder", &[], Target::Boolean("diagnosis.crab_attributable")),
    local("diagnosis.amyloidosis", "AL amyloidosis", &[], Target::Boolean("diagnosis.amyloidosis")),
    local("diagnosis.involved_light_chain", "Involved light chain", &[], Target::LightChain("diagnosis.involved_light_chain")),
    local("diagnosis.heavy_chain", "M-protein heavy-chain isotype (IgG, IgA, IgM, IgD, IgE)", &[], Target::HeavyChain("diagnosis.heavy_chain")),
    local("diagnosis.solitary_lesion_only", "Solitary lesion only on MRI/CT", &[], Target::Boolean("diagnosis.solitary_lesion_only")),
    // No LOINC code for ANC, platelets or pregnancy status is verified in the repository: local
    // codes only, so a record round-trips and no unverified standard code is claimed.
    local("labs.anc", "Absolute neutrophil count", &[("10*9/L", "10^9/L"), ("/uL", "/µL"), ("/mm3", "/mm3")], lab("labs.anc")),
    local("labs.platelets", "Platelet count", &[("10*9/L", "10^9/L"), ("/uL", "/µL"), ("/mm3", "/mm3")], lab("labs.platelets")),
    local("pregnant", "Currently pregnant", &[], Target::Boolean("pregnant")),
    // No LOINC or SNOMED CT code for "of childbearing potential" or "contraception as the IMiD
    // programme requires" was verified (a search found only unofficial value sets): local codes.
    local("pregnancy_prevention.childbearing_potential", "Of childbearing potential (label criteria)", &[], Target::Boolean("pregnancy_prevention.childbearing_potential")),
    local("pregnancy_prevention.reliable_contraception", "Contraception as the IMiD pregnancy prevention programme requires", &[], Target::Boolean("pregnancy_prevention.reliable_contraception")),
    // A male patient's: no standard code verified for either (local codes, as above).
    local("pregnancy_prevention.partner_of_childbearing_potential", "Male patient's partner pregnant or of childbearing potential", &[], Target::Boolean("pregnancy_prevention.partner_of_childbearing_potential")),
    local("pregnancy_prevention.condom_use_agreed", "Male patient's condom use as the IMiD pregnancy prevention programme requires, agreed", &[], Target::Boolean("pregnancy_prevention.condom_use_agreed")),
    local("pregnancy_prevention.partner_uses_effective_contraception", "Male patient's partner (pregnant or of childbearing potential) uses effective contraception", &[], Target::Boolean("pregnancy_prevention.partner_uses_effective_contraception")),
];

/// The answers of a cytogenetic finding (`valueCodeableConcept`, LOINC answer list), with the
/// record's status. Source: Genomics Reporting IG examples and third-party code, \[V2\].
pub static FINDING_VALUES: &[(&str, &str, &str, &str)] =
    &[(LOINC, "LA9633-4", "Present", "detected"), (LOINC, "LA9634-2", "Absent", "not_detected")];

/// What a finding component carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingPart {
    /// Which abnormality (`valueCodeableConcept` in [`ABNORMALITY_SYSTEM`]); required.
    Abnormality,
    /// Clonal fraction or % positive nuclei (`valueQuantity`, UCUM `%`).
    ClonalFraction,
    /// Method (`valueCodeableConcept` in [`METHOD_SYSTEM`]).
    Method,
    /// Copies of 1q (`valueInteger`).
    Copies,
    /// Copies of 1p32 lost (`valueInteger`).
    CopiesLost,
}

/// Components of a finding, all in [`RECORD_FIELD_SYSTEM`]. The clonal fraction is not LOINC
/// 81258-6 (sample variant allelic frequency): an allele frequency is not the fraction of
/// plasma cells carrying an abnormality, and the del(17p) cut-offs read the latter.
pub static FINDING_COMPONENTS: &[(&str, FindingPart)] = &[
    ("cytogenetics.abnormality", FindingPart::Abnormality),
    ("cytogenetics.clonal_fraction_pct", FindingPart::ClonalFraction),
    ("cytogenetics.method", FindingPart::Method),
    ("cytogenetics.copies", FindingPart::Copies),
    ("cytogenetics.copies_lost", FindingPart::CopiesLost),
];

/// Diagnosis codes a `Condition` may carry: recorded in the import report (they do not change
/// the record: the diagnosis is derived from the findings by the IMWG 2014 criteria).
pub static DIAGNOSIS_CODES: &[(&str, &str, &str, &str, &str)] = &[
    (
        ICD10CM,
        "C90.00",
        "Multiple myeloma not having achieved remission",
        "HCC Buddy ICD-10-CM pages (docs/evidence/terminology.md §4)",
        "[V2]",
    ),
    (
        ICD10CM,
        "C90.01",
        "Multiple myeloma in remission",
        "HCC Buddy ICD-10-CM pages (docs/evidence/terminology.md §4)",
        "[V2]",
    ),
    (
        ICD10CM,
        "C90.02",
        "Multiple myeloma in relapse",
        "HCC Buddy ICD-10-CM pages (docs/evidence/terminology.md §4)",
        "[V2]",
    ),
    (ICDO3, "9732/3", "Plasma cell myeloma", "SEER haematopoietic database (docs/evidence/terminology.md §4)", "[V1]"),
];

/// WHO ATC as named in FHIR (HL7 terminology registry) \[V2\]: seen in many third-party FHIR
/// profiles and examples (Norwegian, Czech, Dutch IGs), not read in the HL7 registry here.
pub const ATC: &str = "http://www.whocc.no/atc";
/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";

/// Where an ATC code was checked.
const CR8_2: &str = "Pharmacolibrary ATC tree (docs/evidence/terminology.md §2)";

/// One medication code and the record's drug it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MedicationCode {
    /// [`RXNORM`] or [`ATC`].
    pub system: &'static str,
    /// Code.
    pub code: &'static str,
    /// The record's `treatment_history.therapies[].drug`: a library drug id, or (for a code that
    /// does not tell the library's drugs apart) a plain name with `class`.
    pub drug: &'static str,
    /// The class, for a plain name (ignored by the core for library ids).
    pub class: Option<myeloma_pathway::DrugClass>,
    /// Where the code was checked.
    pub source: &'static str,
    /// `\[V1\]` or `\[V2\]`.
    pub tag: &'static str,
}

const fn rx(code: &'static str, drug: &'static str, source: &'static str, tag: &'static str) -> MedicationCode {
    MedicationCode { system: RXNORM, code, drug, class: None, source, tag }
}

const fn atc(code: &'static str, drug: &'static str) -> MedicationCode {
    MedicationCode { system: ATC, code, drug, class: None, source: CR8_2, tag: "[V2]" }
}

/// Medication codes read from `MedicationAdministration` / `MedicationStatement`
/// (`medicationCodeableConcept`): RxNorm ingredient codes tagged \[V1\]/\[V2\] in
/// docs/evidence/terminology.md §1 and ATC codes tagged \[V2\] in §2, nothing else (dexamethasone and
/// prednisone RXCUIs and elranatamab's ATC are \[M\] there; the newer antibodies' RXCUIs were not
/// found). A test checks this table against the core's `Drug::rxcui()` / `Drug::atc()`.
pub static MEDICATION_CODES: &[MedicationCode] = &[
    rx("358258", "bortezomib", "CIBMTR reporting IG value sets med-bortezomib, med-form2400 (docs/evidence/terminology.md §1)", "[V1]"),
    rx("1302966", "carfilzomib", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    rx("1723735", "ixazomib", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    rx("342369", "lenalidomide", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    rx("1369713", "pomalidomide", "third-party substance mapping citing NIH RxNav (docs/evidence/terminology.md §1)", "[V2]"),
    rx("10432", "thalidomide", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    rx("6718", "melphalan", "CIBMTR reporting IG value set med-melphalan (docs/evidence/terminology.md §1)", "[V1]"),
    rx("3002", "cyclophosphamide", "CIBMTR reporting IG value set med-cyclophosmamide; CPIC schema drug.sql (docs/evidence/terminology.md §1)", "[V1]"),
    rx("24698", "fludarabine", "CIBMTR reporting IG value set med-fludarabine (docs/evidence/terminology.md §1)", "[V1]"),
    rx("1721947", "daratumumab_iv", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    rx("2372199", "daratumumab_sc", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig), MIN daratumumab / hyaluronidase (docs/evidence/terminology.md §1)", "[V1]"),
    rx("2375130", "daratumumab_sc", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig), ingredient daratumumab-fihj (docs/evidence/terminology.md §1)", "[V1]"),
    rx("1726104", "elotuzumab", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    atc("L01XG01", "bortezomib"),
    atc("L01XG02", "carfilzomib"),
    atc("L01XG03", "ixazomib"),
    atc("L04AX02", "thalidomide"),
    atc("L04AX04", "lenalidomide"),
    atc("L04AX06", "pomalidomide"),
    atc("H02AB02", "dexamethasone"),
    atc("H02AB07", "prednisone"),
    atc("L01AA03", "melphalan"),
    atc("L01AA01", "cyclophosphamide"),
    atc("L01BB05", "fludarabine"),
    // ATC gives IV and SC daratumumab one code (WHOCC hyaluronidase rule, docs/evidence/terminology.md §2): the formulation is
    // not known, so the drug is written as plain `daratumumab` with its class.
    MedicationCode {
        system: ATC,
        code: "L01FC01",
        drug: "daratumumab",
        class: Some(myeloma_pathway::DrugClass::AntiCd38),
        source: "Pharmacolibrary ATC tree; IV and SC share the code (WHOCC ATC index, L01F) (docs/evidence/terminology.md §2)",
        tag: "[V2]",
    },
    atc("L01FC02", "isatuximab"),
    atc("L01FX08", "elotuzumab"),
    atc("L01FX15", "belantamab_mafodotin"),
    atc("L01FX24", "teclistamab"),
    atc("L01FX29", "talquetamab"),
    atc("L01XX66", "selinexor"),
    atc("L01XL05", "ciltacabtagene_autoleucel"),
    atc("L01XL07", "idecabtagene_vicleucel"),
];

/// What a procedure code records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcedureKind {
    /// A stem-cell transplant (`treatment_history.transplants[]`).
    Transplant {
        /// Allogeneic.
        allogeneic: bool,
    },
    /// A CAR-T infusion: the product is read from `Procedure.usedCode` through
    /// [`MEDICATION_CODES`] and recorded as a one-day exposure.
    CarTInfusion,
}

/// One procedure code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcedureCode {
    /// Code system.
    pub system: &'static str,
    /// Code.
    pub code: &'static str,
    /// Meaning.
    pub display: &'static str,
    /// What it records.
    pub kind: ProcedureKind,
    /// Where the code was checked.
    pub source: &'static str,
    /// `\[V2\]` or `local`.
    pub tag: &'static str,
}

/// Procedure codes. No SNOMED CT code for an *autologous* (or allogeneic) transplant was
/// verified (234336002 *Hemopoietic stem cell transplant* is seen in third-party value sets but
/// does not say which), so transplants use local codes an integrator maps to.
pub static PROCEDURE_CODES: &[ProcedureCode] = &[
    ProcedureCode {
        system: SNOMED,
        code: "1156961008",
        display: "Chimeric antigen receptor T-cell immunotherapy (procedure)",
        kind: ProcedureKind::CarTInfusion,
        source: "third-party value set and concept map (fhir-fli/cicada) and a third-party OMOP mapping; not read in a SNOMED CT browser here",
        tag: "[V2]",
    },
    ProcedureCode {
        system: RECORD_FIELD_SYSTEM,
        code: "treatment_history.transplants.autologous",
        display: "Autologous stem-cell transplant (date of infusion)",
        kind: ProcedureKind::Transplant { allogeneic: false },
        source: "this project's code system (no standard code verified)",
        tag: "local",
    },
    ProcedureCode {
        system: RECORD_FIELD_SYSTEM,
        code: "treatment_history.transplants.allogeneic",
        display: "Allogeneic stem-cell transplant (date of infusion)",
        kind: ProcedureKind::Transplant { allogeneic: true },
        source: "this project's code system (no standard code verified)",
        tag: "local",
    },
];

/// Extension on a `MedicationAdministration` / `MedicationStatement` giving the record's
/// `role` (`anti_myeloma`, `lymphodepletion`, `conditioning`); without it the role is
/// `anti_myeloma`. FHIR has no standard element that says a drug was lymphodepletion.
pub const EXT_THERAPY_ROLE: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/therapy-role";

// Extensions for the treatment-history fields FHIR has no element for, on a
// `MedicationStatement` / `MedicationAdministration` / CAR-T `Procedure` (`reason_stopped` is
// `statusReason` in STOP_REASON_SYSTEM, `dose_level` is `dosage.text`).

/// `toxicity_grade` (`valueInteger`, CTCAE 1–5).
pub const EXT_TOXICITY_GRADE: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/toxicity-grade";
/// `planned_continuation` (`valueBoolean`; written only when true).
pub const EXT_PLANNED_CONTINUATION: &str =
    "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/planned-continuation";
/// `last_dose` (`valueDate`): the last dose given, where it differs from the stop date.
pub const EXT_LAST_DOSE: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/last-dose";
/// `class` of the drug (`valueCode`, the record's class ids such as `anti_cd38`), for a drug the
/// library does not know or where the record gives it.
pub const EXT_DRUG_CLASS: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/drug-class";
/// On a CAR-T `Procedure` (SNOMED CT 1156961008, the product in `usedCode`): the record's
/// `treatment_history.car_t_courses[]` entry, one `Procedure` per course (`performedDateTime` =
/// the infusion; `completed` when infused, else `in-progress`). A complex extension: the dated
/// steps before the infusion as the sub-extensions of [`CAR_T_COURSE_STEPS`] (`valueDate` each);
/// a course with none of them dated carries `valueBoolean` `true` instead (an extension has
/// sub-extensions or a value, FHIR ext-1). No standard code for leukapheresis for CAR-T
/// manufacture was verified, hence the extension. Without it a CAR-T `Procedure` is read as a
/// one-day exposure (`therapies[]`), as before.
pub const EXT_CAR_T_COURSE: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/car-t-course";
/// The sub-extensions of [`EXT_CAR_T_COURSE`] and the record field of the course each fills.
pub const CAR_T_COURSE_STEPS: [(&str, &str); 3] = [
    ("apheresis", "apheresis"),
    ("lymphodepletionStart", "lymphodepletion_start"),
    ("lymphodepletionEnd", "lymphodepletion_end"),
];
/// On a `Procedure` of a transplant: `planned_tandem` (`valueBoolean`; written only when true).
pub const EXT_PLANNED_TANDEM: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/planned-tandem";
/// On an undated `MedicationStatement` that is a stated fact: the record's `source`
/// (`valueString`: the letter, registry or referral). Without it the source is the resource.
pub const EXT_STATED_SOURCE: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/stated-source";
/// On an undated `MedicationStatement` that is a stated fact: `refractory` (`valueCode`;
/// without it the fact is `exposed`). FHIR has no element that says a disease is refractory to
/// a drug.
pub const EXT_STATED_FACT: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/stated-fact";
/// On the `Patient`: `treatment_history.as_of` (`valueDate`), the date the history is read at.
pub const EXT_HISTORY_AS_OF: &str =
    "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/treatment-history-as-of";
/// On the `Patient`, repeated, in the record's order: one entry of the pathway `history` (the
/// events replayed through the state machine, oldest first). A complex extension: sub-extension
/// `event` (`valueCode`, the event kind such as `therapy_started`), `date` (`valueDate`, where
/// known), and one per field of the event under the record's key (`regimen`, `response`,
/// `route`, `drug`, `status` as `valueString`; `eligible` as `valueBoolean`). FHIR has no
/// resource for a pathway event of this project's state machine; the order of the extensions is
/// the order of the history (undated events are placed by it).
pub const EXT_PATHWAY_EVENT: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/pathway-event";
/// The project's `record-field` code of an Observation that is one response assessment
/// (`response_assessments[]`): its components are the assessment's values, each coded as the
/// lab's own row of [`TABLE`] (LOINC, UCUM) or as `response_assessments.<field>` in
/// [`RECORD_FIELD_SYSTEM`]. Read only as a whole: its components never fill `labs`.
pub const RESPONSE_ASSESSMENT_CODE: &str = "response_assessments";
/// The project's `record-field` code of an Observation that is one MRD result (`mrd[]`):
/// `valueCodeableConcept` the result in [`MRD_SYSTEM`], components `mrd.method`, `mrd.sample`
/// (codes in [`MRD_SYSTEM`]), `mrd.sensitivity_log10` (`valueInteger`), `mrd.pet_ct_negative`
/// (`valueBoolean`). No LOINC code for an IMWG MRD result was verified.
pub const MRD_CODE: &str = "mrd";
/// The project's code system for the MRD and immunofixation codes (the record's spellings:
/// `negative`, `positive`, `ngf`, `ngs`, `bone_marrow`, `peripheral_blood`).
pub const MRD_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/response";
/// On a response-assessment or MRD Observation: its place in the record's list (`valueInteger`,
/// from 1), so an undated assessment keeps its place among the others.
pub const EXT_SEQUENCE: &str = "https://example.invalid/myeloma-pathway/fhir/StructureDefinition/sequence";
/// The project's code system for `statusReason` = the record's `reason_stopped`
/// (`progression`, `toxicity`, `completion`, `choice`): no standard code verified.
pub const STOP_REASON_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/stop-reason";
/// The codes of [`STOP_REASON_SYSTEM`].
pub const STOP_REASON_CODES: [&str; 4] = ["progression", "toxicity", "completion", "choice"];
/// The project's code system for a drug without a verified RxNorm or ATC code (venetoclax,
/// elranatamab, a trial drug): code = the record's drug name, as the record spells it.
pub const DRUG_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/drug";
/// The project's code system for a drug class (codes = the record's class ids), used as the
/// medication of a stated fact about a whole class.
pub const DRUG_CLASS_SYSTEM: &str = "https://example.invalid/myeloma-pathway/fhir/CodeSystem/drug-class";

/// The mCODE CancerDiseaseStatus observation: its code and the answer that is a progression.
/// HL7 mCODE STU4 (4.0.0), profile `mcode-cancer-disease-status`: "Observation resources ...
/// with Observation.code LOINC 97509-4 SHALL conform to this profile"; `value[x]` from
/// ConditionStatusTrendVS (required binding).
pub const DISEASE_STATUS_CODE: &str = "97509-4";
/// SNOMED CT 271299001 *Patient's condition worsened (finding)*, the ConditionStatusTrendVS
/// answer read as a progression date (`treatment_history.progressions[]`).
pub const DISEASE_WORSENED: (&str, &str) = ("271299001", "Patient's condition worsened (finding)");
/// The other answers of ConditionStatusTrendVS (mCODE 4.0.0 and the 2.x expansions): not a
/// progression, and the record has no field for them, so the observation is listed as ignored.
pub static DISEASE_STATUS_OTHER: &[(&str, &str)] = &[
    ("268910001", "Patient's condition improved (finding)"),
    ("359746009", "Patient's condition stable (finding)"),
    ("709137006", "Patient condition undetermined (finding)"),
    ("550991000124107", "Malignant neoplasm in full remission (disorder)"),
    ("551001000124108", "Malignant neoplasm in partial remission (disorder)"),
];
/// Where the disease-status codes were checked.
pub const DISEASE_STATUS_SOURCE: &str = "HL7 mCODE STU4 (4.0.0) StructureDefinition mcode-cancer-disease-status and ValueSet mcode-condition-status-trend-vs (hl7.org/fhir/us/mcode; STU2.1 expansion SNOMED CT US 2022-09)";

/// The medication row for a coding.
pub fn medication(system: &str, code: &str) -> Option<&'static MedicationCode> {
    MEDICATION_CODES.iter().find(|m| m.system == system && m.code == code)
}

/// The procedure row for a coding.
pub fn procedure(system: &str, code: &str) -> Option<&'static ProcedureCode> {
    PROCEDURE_CODES.iter().find(|m| m.system == system && m.code == code)
}

/// `MedicationAdministration` statuses read (a dose was given); others are listed as ignored.
pub static ADMINISTRATION_STATUSES: &[&str] = &["completed", "in-progress", "stopped"];
/// `MedicationStatement` statuses read; others (intended, not-taken, entered-in-error,
/// unknown) are listed as ignored.
pub static STATEMENT_STATUSES: &[&str] = &["active", "completed", "stopped", "on-hold"];
/// `Procedure` statuses read.
pub static PROCEDURE_STATUSES: &[&str] = &["completed"];

/// Observation statuses that are read; others are listed as ignored.
pub static READ_STATUSES: &[&str] = &["final", "amended", "corrected"];

/// RxNorm.
pub const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";

/// RxNorm ingredient codes for the knowledge base's drug ids, only where docs/evidence/terminology.md §1
/// tags them \[V1\] or \[V2\]; other drugs are written as text only (dexamethasone and prednisone are
/// \[M\] there, the newer antibodies not found).
pub static RXNORM_CODES: &[(&str, &str, &str, &str)] = &[
    ("bortezomib", "358258", "CIBMTR reporting IG value sets med-bortezomib, med-form2400 (docs/evidence/terminology.md §1)", "[V1]"),
    ("carfilzomib", "1302966", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    ("ixazomib", "1723735", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    ("lenalidomide", "342369", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    ("pomalidomide", "1369713", "third-party substance mapping citing NIH RxNav (docs/evidence/terminology.md §1)", "[V2]"),
    ("melphalan", "6718", "CIBMTR reporting IG value set med-melphalan (docs/evidence/terminology.md §1)", "[V1]"),
    ("cyclophosphamide", "3002", "CIBMTR reporting IG value set med-cyclophosmamide; CPIC schema drug.sql (docs/evidence/terminology.md §1)", "[V1]"),
    ("fludarabine", "24698", "CIBMTR reporting IG value set med-fludarabine (docs/evidence/terminology.md §1)", "[V1]"),
    ("daratumumab_iv", "1721947", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
    ("daratumumab_sc", "2372199", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig), MIN daratumumab / hyaluronidase (docs/evidence/terminology.md §1)", "[V1]"),
    ("elotuzumab", "1726104", "CIBMTR reporting IG value set med-form2400-post-hct-disease-therapy (github nmdp-ig/cibmtr-reporting-ig) (docs/evidence/terminology.md §1)", "[V1]"),
];

/// The row for a coding, if the table has one.
pub fn lookup(system: &str, code: &str) -> Option<&'static Mapping> {
    TABLE.iter().find(|m| m.system == system && m.code == code)
}

/// The record unit for a UCUM code under a row, if the row accepts it.
pub fn record_unit(m: &Mapping, ucum: &str) -> Option<&'static str> {
    m.units.iter().find(|(u, _)| *u == ucum).map(|(_, r)| *r)
}

/// The accepted UCUM codes of a row, comma-separated, for error messages.
pub fn accepted_units(m: &Mapping) -> String {
    m.units.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(", ")
}

/// Normalise a record unit spelling as the core does (case, spaces, µ/μ as u).
pub(crate) fn normalise_unit(unit: &str) -> String {
    unit.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'µ' | 'μ' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_code_appears_twice_in_the_table() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in TABLE.iter().skip(i + 1) {
                assert!(!(a.system == b.system && a.code == b.code), "{} twice", a.code);
            }
        }
    }

    #[test]
    fn every_standard_row_is_at_least_v2() {
        for m in TABLE {
            assert!(matches!(m.tag, "[V1]" | "[V2]" | "local"), "{}: {}", m.code, m.tag);
            assert_eq!(m.tag == "local", m.system == RECORD_FIELD_SYSTEM, "{}", m.code);
        }
    }

    #[test]
    fn medication_codes_agree_with_the_cores_drug_table() {
        use myeloma_pathway::Drug;
        for d in Drug::ALL {
            if let Some(c) = d.rxcui() {
                assert_eq!(medication(RXNORM, c).map(|m| m.drug), Some(d.id()), "RxNorm {c}");
            }
            if let Some(c) = d.atc() {
                let m = medication(ATC, c);
                assert!(m.is_some_and(|m| m.drug == d.id() || m.class == Some(d.class())), "ATC {c} of {}", d.id());
            }
        }
        for m in MEDICATION_CODES {
            match Drug::from_id(m.drug) {
                Some(d) => {
                    let own = if m.system == RXNORM { d.rxcui() } else { d.atc() };
                    assert!(own == Some(m.code) || m.code == "2375130", "{} {}", m.system, m.code);
                }
                None => assert!(m.class.is_some(), "{}: a plain name needs its class", m.code),
            }
            assert!(matches!(m.tag, "[V1]" | "[V2]"), "{}", m.code);
        }
        // dexamethasone's and prednisone's RXCUIs are unchecked [M] (docs/evidence/terminology.md §1): not read.
        assert!(MEDICATION_CODES.iter().all(|m| m.code != "3264" && m.code != "8640"));
    }

    #[test]
    fn codes_found_to_mean_something_else_are_not_mapped() {
        // 26450-7 is Eosinophils/100 leukocytes in Blood; 34366-5 is Protein/Creatinine [Ratio]
        // in Urine: both appear in third-party lists as marrow plasma cells / urine M-protein.
        assert!(lookup(LOINC, "26450-7").is_none());
        assert!(lookup(LOINC, "34366-5").is_none());
    }
}
