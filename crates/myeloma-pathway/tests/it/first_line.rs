//! First-line rules of issue 9: the course studied in the patient's setting, continuous therapy.

use myeloma_pathway::{recommend, Guideline, PatientRecord, Plan, RankedOption};
use serde_json::{json, Value};

fn base() -> Value {
    serde_json::from_str(include_str!("../../../../examples/patients/fit-60-standard-risk.json")).unwrap()
}

fn frail() -> Value {
    let mut v = base();
    v["age_years"] = json!(78);
    v["ecog"] = json!(1);
    v["frailty"] = json!({"charlson": 2, "katz_adl": 5, "lawton_iadl": 6});
    v
}

fn plan(v: &Value) -> Plan {
    recommend(&PatientRecord::from_json(&v.to_string()).unwrap().validate().unwrap(), &Guideline::default()).unwrap()
}

fn option<'p>(p: &'p Plan, id: &str) -> &'p RankedOption {
    p.options.iter().find(|o| o.regimen_id == id).unwrap_or_else(|| panic!("{id} not offered: {:?}", p.options))
}

#[test]
fn transplant_eligible_vrd_is_three_21_day_cycles_before_asct_as_in_determination_not_s0777_eight() {
    let p = plan(&base());
    let c = &option(&p, "vrd").course;
    assert!(c.starts_with("21-day cycles, 3 cycles"), "{c}");
    assert!(c.contains("determination-2022"), "{c}");
    assert!(!c.contains("8 cycles"), "{c}");
}

#[test]
fn transplant_ineligible_vrd_is_eight_21_day_cycles_then_rd_as_in_s0777() {
    let p = plan(&frail());
    let c = &option(&p, "vrd").course;
    assert!(c.starts_with("21-day cycles, 8 cycles"), "{c}");
    assert!(c.contains("s0777"), "{c}");
}

#[test]
fn newly_diagnosed_krd_uses_carfilzomib_36_mg_m2_in_28_day_cycles_4_before_asct_not_aspire_27() {
    let p = plan(&base());
    let o = option(&p, "krd");
    assert!(o.course.starts_with("28-day cycles, 4 cycles"), "{}", o.course);
    assert!(o.schedule.iter().any(|s| s.starts_with("carfilzomib 36 mg/m²")), "{:?}", o.schedule);
    assert!(!o.schedule.iter().any(|s| s.contains(" 27 mg/m²")), "{:?}", o.schedule);
}

#[test]
fn krd_at_relapse_keeps_the_aspire_20_27_schedule() {
    let kb = myeloma_pathway::KnowledgeBase::embedded();
    let r = kb.regimen("krd").unwrap();
    assert!(r.components.iter().any(|c| c.dose.amount == 27.0));
    assert!(r.course(myeloma_pathway::kb::regimen::Setting::Relapsed).is_none());
}
