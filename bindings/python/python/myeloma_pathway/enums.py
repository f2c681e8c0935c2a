"""The core's enums as Python enums.

Each member's value is the core's identifier (as in JSON). The members are ``str`` subclasses, so
``Phase.WORK_UP == "work_up"`` and they serialise to JSON as their identifier. The tests check
these lists against the core.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "Phase",
    "RiskDefinition",
    "Del17pCutoff",
    "RiskLevel",
    "CriterionState",
    "Eligibility",
    "FrailtyCategory",
    "Sex",
    "Abnormality",
    "FindingStatus",
    "FishMethod",
    "Profile",
    "Jurisdiction",
    "WeightBasis",
    "ResponseCategory",
    "MrdStatus",
    "ConsolidationRoute",
    "EventKind",
    "IssStage",
    "RIssStage",
    "R2IssStage",
    "Evidence",
    "DiagnosisClass",
]


class _Id(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class Phase(_Id):
    """Where a patient is on the pathway."""

    WORK_UP = "work_up"
    INDUCTION = "induction"
    CONSOLIDATION_TRANSPLANT = "consolidation_transplant"
    CONSOLIDATION_EXTENDED_INDUCTION = "consolidation_extended_induction"
    MAINTENANCE = "maintenance"
    OBSERVATION = "observation"
    RELAPSE = "relapse"


class RiskDefinition(_Id):
    """Which definition of high-risk cytogenetics to apply."""

    ARTICLE = "article"
    IMWG2016 = "imwg2016"
    MSMART3 = "msmart3"
    IMS2025 = "ims2025"


class Del17pCutoff(_Id):
    """IMS/IMWG 2025 del(17p) clonal-fraction comparator (sources differ; the caller chooses)."""

    ABOVE20 = "above20"
    AT_LEAST20 = "at_least20"


class RiskLevel(_Id):
    """Cytogenetic risk."""

    STANDARD = "standard"
    UNDETERMINED = "undetermined"
    HIGH = "high"


class CriterionState(_Id):
    """State of one risk criterion."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_ASSESSABLE = "not_assessable"


class Eligibility(_Id):
    """Transplant eligibility."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNDETERMINED = "undetermined"


class FrailtyCategory(_Id):
    """Frailty category (IMWG or simplified score)."""

    FIT = "fit"
    INTERMEDIATE_FIT = "intermediate_fit"
    NON_FRAIL = "non_frail"
    FRAIL = "frail"


class Sex(_Id):
    """Sex, as Cockcroft-Gault and ideal body weight need it."""

    FEMALE = "female"
    MALE = "male"


class Abnormality(_Id):
    """A recurrent cytogenetic or genomic abnormality."""

    DEL_17P = "del_17p"
    T_4_14 = "t_4_14"
    T_14_16 = "t_14_16"
    T_14_20 = "t_14_20"
    GAIN_1Q = "gain_1q"
    DEL_1P32 = "del_1p32"
    TP53_MUTATION = "tp53_mutation"
    T_11_14 = "t_11_14"
    T_6_14 = "t_6_14"
    HYPERDIPLOIDY = "hyperdiploidy"


class FindingStatus(_Id):
    """Whether an abnormality was looked for and found. Not tested is never negative."""

    DETECTED = "detected"
    NOT_DETECTED = "not_detected"
    NOT_TESTED = "not_tested"


class FishMethod(_Id):
    """How a cytogenetic finding was obtained."""

    FISH_CD138 = "fish_cd138"
    FISH = "fish"
    KARYOTYPE = "karyotype"
    SNP_ARRAY = "snp_array"
    NGS = "ngs"


class Profile(_Id):
    """How induction options are ranked."""

    ARTICLE = "article"
    QUADRUPLET_FIRST = "quadruplet_first"


class Jurisdiction(_Id):
    """Label jurisdiction where US and EU labels differ."""

    US = "us"
    EU = "eu"


class WeightBasis(_Id):
    """Which body weight Cockcroft-Gault uses."""

    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"


class ResponseCategory(_Id):
    """IMWG response category, best first."""

    SCR = "scr"
    CR = "cr"
    VGPR = "vgpr"
    PR = "pr"
    MR = "mr"
    SD = "sd"
    PD = "pd"


class MrdStatus(_Id):
    """MRD result."""

    NEGATIVE = "negative"
    POSITIVE = "positive"


class ConsolidationRoute(_Id):
    """How consolidation is done."""

    TRANSPLANT = "transplant"
    EXTENDED_INDUCTION = "extended_induction"


class EventKind(_Id):
    """Kinds of pathway event."""

    THERAPY_STARTED = "therapy_started"
    CYCLE_COMPLETED = "cycle_completed"
    RESPONSE_ASSESSED = "response_assessed"
    TRANSPLANT_ELIGIBILITY_ASSESSED = "transplant_eligibility_assessed"
    CONSOLIDATION_STARTED = "consolidation_started"
    TRANSPLANT_DONE = "transplant_done"
    MAINTENANCE_STARTED = "maintenance_started"
    MAINTENANCE_STOPPED = "maintenance_stopped"
    PROGRESSION = "progression"
    INTOLERANCE = "intolerance"
    MRD_ASSESSED = "mrd_assessed"


class IssStage(_Id):
    """ISS stage."""

    I = "I"  # noqa: E741
    II = "II"
    III = "III"


class RIssStage(_Id):
    """R-ISS stage."""

    I = "I"  # noqa: E741
    II = "II"
    III = "III"


class R2IssStage(_Id):
    """R2-ISS group."""

    I = "I"  # noqa: E741
    II = "II"
    III = "III"
    IV = "IV"


class Evidence(_Id):
    """How a fact was checked, as tagged in the clinical reference."""

    V1 = "V1"
    V2 = "V2"
    M = "M"
    C = "C"


class DiagnosisClass(_Id):
    """IMWG 2014 diagnostic class."""

    MULTIPLE_MYELOMA = "multiple_myeloma"
    SOLITARY_PLASMACYTOMA = "solitary_plasmacytoma"
    SMOULDERING_MYELOMA = "smouldering_myeloma"
    MGUS = "mgus"
    NOT_CLASSIFIABLE = "not_classifiable"
