//! Drugs and drug classes.
//!
//! Identifiers are given only where a source verifies them (\[V1\]/\[V2\]; the sources are in
//! docs/evidence/terminology.md); an identifier no source verified is `None`, never guessed.

use serde::{Deserialize, Serialize};

/// Drug class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DrugClass {
    /// Proteasome inhibitor.
    ProteasomeInhibitor,
    /// Immunomodulatory drug (IMiD).
    ImmunomodulatoryDrug,
    /// Corticosteroid.
    Corticosteroid,
    /// Alkylating agent.
    AlkylatingAgent,
    /// Purine analogue (lymphodepletion).
    PurineAnalogue,
    /// Anti-CD38 monoclonal antibody.
    AntiCd38,
    /// Anti-SLAMF7 monoclonal antibody.
    AntiSlamf7,
    /// XPO1 inhibitor.
    Xpo1Inhibitor,
    /// BCMA-directed antibody-drug conjugate.
    BcmaAntibodyDrugConjugate,
    /// BCMA×CD3 bispecific antibody.
    BispecificBcma,
    /// GPRC5D×CD3 bispecific antibody.
    BispecificGprc5d,
    /// BCMA-directed CAR-T cell therapy.
    BcmaCarT,
    /// None of the classes above (e.g. venetoclax, a BCL-2 inhibitor): for a drug outside the
    /// library, so its class is stated rather than unknown. Counts towards lines only.
    Other,
}

/// Route of administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Intravenous.
    Iv,
    /// Subcutaneous.
    Sc,
    /// Oral.
    Po,
}

impl Route {
    /// The route as written on a prescription (`IV`, `SC`, `PO`).
    pub fn label(&self) -> &'static str {
        match self {
            Route::Iv => "IV",
            Route::Sc => "SC",
            Route::Po => "PO",
        }
    }
}

macro_rules! drugs {
    ($($(#[$doc:meta])* $v:ident = $id:literal, $name:literal, $class:ident, [$($route:ident),+], $rxcui:expr, $atc:expr;)+) => {
        /// A drug used on the myeloma pathway.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
        #[non_exhaustive]
        pub enum Drug {
            $($(#[$doc])* #[serde(rename = $id)] $v,)+
        }

        impl Drug {
            /// Every drug, in a fixed order.
            pub const ALL: &'static [Drug] = &[$(Drug::$v),+];

            /// Stable identifier (as used in JSON).
            pub fn id(&self) -> &'static str { match self { $(Drug::$v => $id,)+ } }
            /// International non-proprietary name.
            pub fn name(&self) -> &'static str { match self { $(Drug::$v => $name,)+ } }
            /// Drug class.
            pub fn class(&self) -> DrugClass { match self { $(Drug::$v => DrugClass::$class,)+ } }
            /// Routes it is given by.
            pub fn routes(&self) -> &'static [Route] { match self { $(Drug::$v => &[$(Route::$route),+],)+ } }
            /// RxNorm ingredient RXCUI, where a source verifies it (docs/evidence/terminology.md §1).
            pub fn rxcui(&self) -> Option<&'static str> { match self { $(Drug::$v => $rxcui,)+ } }
            /// WHO ATC code, where a source verifies it (docs/evidence/terminology.md §2).
            pub fn atc(&self) -> Option<&'static str> { match self { $(Drug::$v => $atc,)+ } }
            /// Parse an identifier.
            pub fn from_id(s: &str) -> Option<Drug> { Self::ALL.iter().copied().find(|d| d.id() == s) }
        }
    };
}

drugs! {
    /// Bortezomib. RXCUI 358258 \[V1\]; ATC L01XG01 \[V2\].
    Bortezomib = "bortezomib", "bortezomib", ProteasomeInhibitor, [Sc, Iv], Some("358258"), Some("L01XG01");
    /// Carfilzomib. RXCUI 1302966 \[V1\]; ATC L01XG02 \[V2\].
    Carfilzomib = "carfilzomib", "carfilzomib", ProteasomeInhibitor, [Iv], Some("1302966"), Some("L01XG02");
    /// Ixazomib. RXCUI 1723735 \[V1\]; ATC L01XG03 \[V2\].
    Ixazomib = "ixazomib", "ixazomib", ProteasomeInhibitor, [Po], Some("1723735"), Some("L01XG03");
    /// Lenalidomide. RXCUI 342369 \[V1\]; ATC L04AX04 \[V2\].
    Lenalidomide = "lenalidomide", "lenalidomide", ImmunomodulatoryDrug, [Po], Some("342369"), Some("L04AX04");
    /// Pomalidomide. RXCUI 1369713 \[V2\]; ATC L04AX06 \[V2\].
    Pomalidomide = "pomalidomide", "pomalidomide", ImmunomodulatoryDrug, [Po], Some("1369713"), Some("L04AX06");
    /// Thalidomide. RXCUI 10432 \[V1\]; ATC L04AX02 \[V2\].
    Thalidomide = "thalidomide", "thalidomide", ImmunomodulatoryDrug, [Po], Some("10432"), Some("L04AX02");
    /// Dexamethasone. RXCUI unchecked \[M\] (not given); ATC H02AB02 \[V2\].
    Dexamethasone = "dexamethasone", "dexamethasone", Corticosteroid, [Po, Iv], None, Some("H02AB02");
    /// Prednisone. RXCUI unchecked \[M\] (not given); ATC H02AB07 \[V2\].
    Prednisone = "prednisone", "prednisone", Corticosteroid, [Po], None, Some("H02AB07");
    /// Melphalan. RXCUI 6718 \[V1\]; ATC L01AA03 \[V2\].
    Melphalan = "melphalan", "melphalan", AlkylatingAgent, [Iv, Po], Some("6718"), Some("L01AA03");
    /// Cyclophosphamide. RXCUI 3002 \[V1\]; ATC L01AA01 \[V2\].
    Cyclophosphamide = "cyclophosphamide", "cyclophosphamide", AlkylatingAgent, [Po, Iv], Some("3002"), Some("L01AA01");
    /// Fludarabine (CAR-T lymphodepletion). RXCUI 24698 \[V1\]; ATC L01BB05 \[V2\].
    Fludarabine = "fludarabine", "fludarabine", PurineAnalogue, [Iv], Some("24698"), Some("L01BB05");
    /// Daratumumab IV (16 mg/kg). RXCUI 1721947 \[V1\]; ATC L01FC01 \[V2\].
    DaratumumabIv = "daratumumab_iv", "daratumumab", AntiCd38, [Iv], Some("1721947"), Some("L01FC01");
    /// Daratumumab with hyaluronidase SC (1,800 mg). RXCUI 2372199 (MIN) \[V1\]; ATC L01FC01 \[V1\].
    DaratumumabSc = "daratumumab_sc", "daratumumab and hyaluronidase", AntiCd38, [Sc], Some("2372199"), Some("L01FC01");
    /// Isatuximab. RXCUI not verified; ATC L01FC02 \[V2\].
    Isatuximab = "isatuximab", "isatuximab", AntiCd38, [Iv], None, Some("L01FC02");
    /// Elotuzumab. RXCUI 1726104 \[V1\]; ATC L01FX08 \[V2\].
    Elotuzumab = "elotuzumab", "elotuzumab", AntiSlamf7, [Iv], Some("1726104"), Some("L01FX08");
    /// Selinexor. RXCUI not verified; ATC L01XX66 \[V2\].
    Selinexor = "selinexor", "selinexor", Xpo1Inhibitor, [Po], None, Some("L01XX66");
    /// Belantamab mafodotin. RXCUI not verified; ATC L01FX15 \[V2\].
    BelantamabMafodotin = "belantamab_mafodotin", "belantamab mafodotin", BcmaAntibodyDrugConjugate, [Iv], None, Some("L01FX15");
    /// Teclistamab. RXCUI not verified; ATC L01FX24 \[V2\].
    Teclistamab = "teclistamab", "teclistamab", BispecificBcma, [Sc], None, Some("L01FX24");
    /// Elranatamab. RXCUI not verified; ATC unchecked \[M\] (not given).
    Elranatamab = "elranatamab", "elranatamab", BispecificBcma, [Sc], None, None;
    /// Talquetamab. RXCUI not verified; ATC L01FX29 \[V2\].
    Talquetamab = "talquetamab", "talquetamab", BispecificGprc5d, [Sc], None, Some("L01FX29");
    /// Linvoseltamab. RXCUI and ATC not verified.
    Linvoseltamab = "linvoseltamab", "linvoseltamab", BispecificBcma, [Iv], None, None;
    /// Idecabtagene vicleucel (ide-cel). RXCUI not verified; ATC L01XL07 \[V2\].
    IdecabtageneVicleucel = "idecabtagene_vicleucel", "idecabtagene vicleucel", BcmaCarT, [Iv], None, Some("L01XL07");
    /// Ciltacabtagene autoleucel (cilta-cel). RXCUI not verified; ATC L01XL05 \[V2\].
    CiltacabtageneAutoleucel = "ciltacabtagene_autoleucel", "ciltacabtagene autoleucel", BcmaCarT, [Iv], None, Some("L01XL05");
}

/// Brand names of library drugs, each as a label in the knowledge base names it (a test reads
/// every brand in that label's citation). Used only to refuse a brand written where a library id
/// is expected, naming the id; a brand is never mapped to a drug silently.
const BRANDS: &[(&str, &[Drug])] = &[
    ("revlimid", &[Drug::Lenalidomide]),
    ("velcade", &[Drug::Bortezomib]),
    ("kyprolis", &[Drug::Carfilzomib]),
    ("ninlaro", &[Drug::Ixazomib]),
    ("pomalyst", &[Drug::Pomalidomide]),
    ("imnovid", &[Drug::Pomalidomide]),
    ("darzalex", &[Drug::DaratumumabIv, Drug::DaratumumabSc]),
    ("darzalex_faspro", &[Drug::DaratumumabSc]),
    ("sarclisa", &[Drug::Isatuximab]),
    ("empliciti", &[Drug::Elotuzumab]),
    ("xpovio", &[Drug::Selinexor]),
    ("nexpovio", &[Drug::Selinexor]),
    ("blenrep", &[Drug::BelantamabMafodotin]),
    ("tecvayli", &[Drug::Teclistamab]),
    ("elrexfio", &[Drug::Elranatamab]),
    ("talvey", &[Drug::Talquetamab]),
    ("lynozyfic", &[Drug::Linvoseltamab]),
    ("abecma", &[Drug::IdecabtageneVicleucel]),
    ("carvykti", &[Drug::CiltacabtageneAutoleucel]),
    ("alkeran", &[Drug::Melphalan]),
    // The short names the knowledge base's own regimen names use.
    ("cilta_cel", &[Drug::CiltacabtageneAutoleucel]),
    ("ide_cel", &[Drug::IdecabtageneVicleucel]),
];

/// Lower case, trimmed, runs of spaces, hyphens and underscores as one `_`.
fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.trim().chars() {
        if ch == ' ' || ch == '-' || ch == '_' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out
}

/// Levenshtein distance, stopping early above `max` (names are short).
fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(usize::MAX).saturating_add(usize::from(ca != cb));
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX).saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            cur.push(sub.min(del).min(ins));
        }
        if cur.iter().min().is_some_and(|m| *m > max) {
            return false;
        }
        prev = cur;
    }
    prev.last().is_some_and(|d| *d <= max)
}

impl Drug {
    /// The brand names `near_matches` knows (normalised: lower case, `_` between words), for
    /// the test that checks each against its label citation.
    #[doc(hidden)]
    pub fn brand_names() -> impl Iterator<Item = (&'static str, &'static [Drug])> {
        BRANDS.iter().copied()
    }

    /// The library drugs a name that is **not** a library id most likely means, so that a
    /// record naming one of them another way is refused with the id to write instead of being
    /// read as a drug outside the library (with no class, which hides its exposure and
    /// refractoriness). A name matches when, ignoring case and spaces, hyphens or underscores:
    /// it is a library id or INN; it starts with an INN and a separator (an FDA suffix,
    /// `teclistamab-cqyv`, or a dose, `lenalidomide 10 mg`); it is a brand name of a label in the
    /// knowledge base; it is the start of an id or INN up to a separator, of 6 letters or more
    /// (`daratumumab` for `daratumumab_iv` and `daratumumab_sc`); or it is within two letter edits of an id or INN of 6 letters or more
    /// (`lenalidomid`). Empty for a library id and for a name unlike every library drug
    /// (`venetoclax`, a trial drug).
    pub fn near_matches(name: &str) -> Vec<Drug> {
        if Drug::from_id(name).is_some() {
            return Vec::new();
        }
        let n = normalise(name);
        if n.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<Drug> = Vec::new();
        for d in Drug::ALL {
            let (id, inn) = (normalise(d.id()), normalise(d.name()));
            let hit = n == id
                || n == inn
                || n.strip_prefix(inn.as_str()).is_some_and(|rest| rest.starts_with('_'))
                || n.strip_prefix(id.as_str()).is_some_and(|rest| rest.starts_with('_'))
                || (n.chars().count() >= 6
                    && (id.strip_prefix(n.as_str()).is_some_and(|rest| rest.starts_with('_'))
                        || inn.strip_prefix(n.as_str()).is_some_and(|rest| rest.starts_with('_'))))
                || (n.chars().count() >= 6 && (within_edits(&n, &id, 2) || within_edits(&n, &inn, 2)));
            if hit {
                out.push(*d);
            }
        }
        for (brand, drugs) in BRANDS {
            if n == *brand || n.strip_prefix(brand).is_some_and(|rest| rest.starts_with('_')) {
                out.extend(drugs.iter().copied());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

impl DrugClass {
    /// Classes that count towards "triple-class exposed": PI, IMiD, anti-CD38.
    pub fn is_triple_class(&self) -> bool {
        matches!(self, DrugClass::ProteasomeInhibitor | DrugClass::ImmunomodulatoryDrug | DrugClass::AntiCd38)
    }
}
