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

impl DrugClass {
    /// Classes that count towards "triple-class exposed": PI, IMiD, anti-CD38.
    pub fn is_triple_class(&self) -> bool {
        matches!(self, DrugClass::ProteasomeInhibitor | DrugClass::ImmunomodulatoryDrug | DrugClass::AntiCd38)
    }
}
