//! A library drug written another way in the treatment history (capitals, spaces, its INN, a brand,
//! an FDA suffix, a near misspelling) is refused with the id to write. Read as a drug outside the
//! library it would count towards no class: `Lenalidomide` would hide lenalidomide-refractoriness
//! and `daratumumab` (the ids are `daratumumab_iv` and `daratumumab_sc`) anti-CD38 refractoriness,
//! so anti-CD38 re-treatment would be ranked first.

use myeloma_pathway::kb::CitationId;
use myeloma_pathway::{Drug, Patient};

use crate::kb;

fn near(name: &str) -> Vec<&'static str> {
    Drug::near_matches(name).iter().map(|d| d.id()).collect()
}

#[test]
fn a_library_id_has_no_near_match_and_nor_does_a_drug_unlike_every_library_drug() {
    for d in Drug::ALL {
        assert!(near(d.id()).is_empty(), "{}", d.id());
    }
    for other in ["venetoclax", "iberdomide", "mezigdomide", "etentamig", "anitocabtagene autoleucel", "dara", ""] {
        assert!(near(other).is_empty(), "{other}: {:?}", near(other));
    }
}

#[test]
fn case_spaces_hyphens_inn_and_fda_suffix_name_the_library_id() {
    assert_eq!(near("Lenalidomide"), ["lenalidomide"]);
    assert_eq!(near(" lenalidomide "), ["lenalidomide"]);
    assert_eq!(near("DARATUMUMAB-SC"), ["daratumumab_iv", "daratumumab_sc"]);
    assert_eq!(near("daratumumab"), ["daratumumab_iv", "daratumumab_sc"]);
    assert_eq!(near("daratumumab and hyaluronidase-fihj"), ["daratumumab_iv", "daratumumab_sc"]);
    assert_eq!(near("teclistamab-cqyv"), ["teclistamab"]);
    assert_eq!(near("belantamab mafodotin"), ["belantamab_mafodotin"]);
    assert_eq!(near("lenalidomide 10 mg"), ["lenalidomide"]);
    assert_eq!(near("cilta-cel"), ["ciltacabtagene_autoleucel"]);
}

#[test]
fn two_letter_edits_are_a_near_match_three_are_not() {
    assert_eq!(near("lenalidomid"), ["lenalidomide"]);
    assert_eq!(near("lenalidomi"), ["lenalidomide"]);
    assert!(near("lenalidom").is_empty());
    assert_eq!(near("bortezomid"), ["bortezomib"]);
    // prednisolone is another drug, two edits from prednisone: refused unless its class is given.
    assert_eq!(near("prednisolone"), ["prednisone"]);
    // Under 6 letters the edit rule does not apply.
    assert!(near("melph").is_empty());
}

/// Each brand is named by a label citation of the knowledge base (never from memory), and the
/// table holds no brand this test does not check.
#[test]
fn every_brand_is_named_by_its_label_in_the_knowledge_base() {
    let sourced: &[(&str, CitationId)] = &[
        ("revlimid", CitationId::RdLabel),
        ("velcade", CitationId::BortezomibPn),
        ("kyprolis", CitationId::KyprolisUsLabel),
        ("ninlaro", CitationId::IxazomibSmpc),
        ("pomalyst", CitationId::PomalidomideUspi),
        ("imnovid", CitationId::ImnovidSmpcPd),
        ("darzalex", CitationId::DarzalexUsLabel),
        ("darzalex_faspro", CitationId::DarzalexUsLabel),
        ("sarclisa", CitationId::SarclisaLabel),
        ("empliciti", CitationId::EmplicitiLabel),
        ("xpovio", CitationId::SelinexorLabel),
        ("nexpovio", CitationId::SelinexorLabel),
        ("blenrep", CitationId::BlenrepLabel),
        ("tecvayli", CitationId::TeclistamabLabel),
        ("elrexfio", CitationId::ElranatamabLabel),
        ("talvey", CitationId::TalquetamabLabel),
        ("lynozyfic", CitationId::LinvoseltamabLabel),
        ("abecma", CitationId::AbecmaLabel),
        ("carvykti", CitationId::CarvyktiLabel),
        ("alkeran", CitationId::MelphalanOralUspi),
    ];
    let short: &[(&str, &str)] = &[("cilta_cel", "cilta-cel"), ("ide_cel", "ide-cel")];
    let table: Vec<&str> = Drug::brand_names().map(|(b, _)| b).collect();
    let mut checked: Vec<&str> = sourced.iter().map(|(b, _)| *b).chain(short.iter().map(|(b, _)| *b)).collect();
    checked.sort_unstable();
    let mut t = table.clone();
    t.sort_unstable();
    assert_eq!(t, checked, "every brand in the table is checked here");
    for (brand, id) in sourced {
        let c = kb().cite(*id);
        let text = format!("{} {} {}", c.source, c.version, c.section).to_lowercase();
        assert!(text.contains(&brand.replace('_', " ")), "{brand} not in {}: {text}", c.key);
    }
    for (brand, written) in short {
        assert!(
            kb().regimens().iter().any(|r| r.name.to_lowercase().contains(written)),
            "{brand}: no regimen name uses {written}"
        );
    }
}

fn record_with(drug: &str, class: Option<&str>) -> String {
    let class = class.map(|c| format!(r#","class":"{c}""#)).unwrap_or_default();
    format!(
        r#"{{"schema_version":"1","age_years":60,"sex":"male","treatment_history":{{"therapies":[
        {{"drug":"{drug}"{class},"start":"2024-01-01","stop":"2024-06-01","reason_stopped":"progression"}}],
        "progressions":["2024-06-01"]}}}}"#
    )
}

#[test]
fn a_record_naming_a_library_drug_another_way_is_refused_with_the_field_and_the_id() {
    let e = Patient::from_json(&record_with("Lenalidomide", None)).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("treatment_history.therapies[0].drug"), "{msg}");
    assert!(msg.contains("`lenalidomide`"), "{msg}");
    let e = Patient::from_json(&record_with("Revlimid", None)).unwrap_err().to_string();
    assert!(e.contains("`lenalidomide`"), "{e}");
}

#[test]
fn a_different_drug_near_a_library_name_is_accepted_when_its_class_is_given() {
    assert!(Patient::from_json(&record_with("prednisolone", None)).is_err());
    Patient::from_json(&record_with("prednisolone", Some("corticosteroid"))).unwrap();
    Patient::from_json(&record_with("venetoclax", None)).unwrap();
    Patient::from_json(&record_with("lenalidomide", None)).unwrap();
}

#[test]
fn a_stated_fact_naming_a_library_drug_another_way_is_refused() {
    let r = r#"{"schema_version":"1","age_years":60,"sex":"male","treatment_history":{"stated_facts":[
        {"fact":"refractory","drug":"Daratumumab","source":"referral letter"}]}}"#;
    let e = Patient::from_json(r).unwrap_err().to_string();
    assert!(e.contains("treatment_history.stated_facts[0].drug") && e.contains("`daratumumab_iv`"), "{e}");
}

fn relapse_plan(drug: &str, class: Option<&str>) -> myeloma_pathway::Plan {
    let class = class.map(|c| format!(r#","class":"{c}""#)).unwrap_or_default();
    let r = format!(
        r#"{{"schema_version":"1","age_years":60,"sex":"male","weight_kg":80,"height_cm":178,"ecog":0,
        "treatment_history":{{"therapies":[
        {{"drug":"bortezomib","start":"2023-01-01","stop":"2023-05-01","reason_stopped":"completion"}},
        {{"drug":"lenalidomide","start":"2023-01-01","stop":"2024-06-01","reason_stopped":"progression"}},
        {{"drug":"{drug}"{class},"start":"2023-01-01","stop":"2023-05-01","reason_stopped":"completion"}}],
        "progressions":["2024-06-01"]}}}}"#
    );
    let p = Patient::from_json(&r).unwrap();
    myeloma_pathway::recommend_with(kb(), &p, &myeloma_pathway::Guideline::default()).unwrap()
}

/// Unknown is not negative: a drug outside the library without its class could be in any
/// class (a BCMA-directed trial drug), so the class is reported missing by name; `other` states
/// it is in none of the library's classes, and a library drug's class is known.
#[test]
fn a_drug_outside_the_library_without_its_class_reports_the_class_missing() {
    let field = "treatment_history.therapies[].class";
    let has = |p: &myeloma_pathway::Plan| p.missing_inputs.iter().any(|m| m.field == field);
    let p = relapse_plan("venetoclax", None);
    assert!(has(&p), "{:?}", p.missing_inputs);
    let m = p.missing_inputs.iter().find(|m| m.field == field).unwrap();
    assert!(m.test.contains("`venetoclax`") && m.test.contains("`other`"), "{}", m.test);
    assert!(!has(&relapse_plan("venetoclax", Some("other"))));
    assert!(!has(&relapse_plan("venetoclax", Some("bispecific_bcma"))));
    assert!(!has(&relapse_plan("dexamethasone", None)));
}
