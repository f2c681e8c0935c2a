"""myeloma-pathway: multiple myeloma treatment pathways with their basis and citations.

**Decision support for clinicians, not a medical device.** Every output must be checked by a
qualified clinician against the cited sources and current labels.

The Rust core decides; this package translates. Results carry the same basis and citations as
the Rust library, and ``to_json()`` returns the core's exact JSON.

>>> import myeloma_pathway as mp
>>> plan = mp.recommend(mp.Patient(age_years=60, ecog=0))
>>> plan.phase
<Phase.WORK_UP: 'work_up'>
"""

from __future__ import annotations

from ._model import (
    Basis,
    Citation,
    Counterfactual,
    Criterion,
    DiagnosisAssessment,
    DiagnosisResult,
    EligibilityAssessment,
    EligibilityResult,
    Event,
    Exclusion,
    Finding,
    FrailtyScore,
    Guideline,
    KnowledgeBase,
    MissingInput,
    NextDecision,
    PathwayState,
    Patient,
    Plan,
    PlanWarning,
    Position,
    Quantity,
    ResponseResult,
    RankedOption,
    RiskAssessment,
    RiskComparison,
    RiskResult,
    StageResult,
    Staging,
    StagingSummary,
    assess,
    assessment_names,
    compare_risk,
    diagnose,
    eligibility,
    kb_sha256,
    kb_version,
    library_version,
    recommend,
    response,
    risk,
    stage,
    transition,
)
from .cohort import OUTPUT_COLUMNS, PLAN_COLUMNS, assess_cohort, input_columns
from .enums import (
    Abnormality,
    ConsolidationRoute,
    CriterionState,
    Del17pCutoff,
    DiagnosisClass,
    Eligibility,
    EventKind,
    Evidence,
    FindingStatus,
    FishMethod,
    FrailtyCategory,
    IssStage,
    Jurisdiction,
    MrdStatus,
    Phase,
    Profile,
    R2IssStage,
    ResponseCategory,
    RIssStage,
    RiskDefinition,
    RiskLevel,
    Sex,
    WeightBasis,
)
from .errors import (
    ColumnError,
    InconsistentError,
    ERROR_CODES,
    InvalidJsonError,
    LimitExceededError,
    MissingFieldError,
    MyelomaPathwayError,
    OutOfRangeError,
    TransitionRefusedError,
    UnknownIdentifierError,
    UnsupportedUnitError,
)
from .timeline import regimen, regimen_timeline_svg

__version__: str = library_version()


def __getattr__(name: str) -> object:
    # `myeloma_pathway.spark` is loaded on first use, so that importing the package never
    # imports pyspark (which stays optional); `import myeloma_pathway.spark` works too.
    if name == "spark":
        import importlib

        return importlib.import_module(".spark", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Abnormality",
    "Basis",
    "Citation",
    "ColumnError",
    "ConsolidationRoute",
    "Counterfactual",
    "Criterion",
    "DiagnosisAssessment",
    "DiagnosisClass",
    "DiagnosisResult",
    "CriterionState",
    "Del17pCutoff",
    "ERROR_CODES",
    "Eligibility",
    "EligibilityAssessment",
    "EligibilityResult",
    "Event",
    "EventKind",
    "Evidence",
    "Exclusion",
    "Finding",
    "FindingStatus",
    "FishMethod",
    "FrailtyCategory",
    "FrailtyScore",
    "Guideline",
    "InconsistentError",
    "InvalidJsonError",
    "IssStage",
    "Jurisdiction",
    "KnowledgeBase",
    "LimitExceededError",
    "MissingFieldError",
    "MissingInput",
    "MrdStatus",
    "MyelomaPathwayError",
    "NextDecision",
    "OUTPUT_COLUMNS",
    "OutOfRangeError",
    "PLAN_COLUMNS",
    "PathwayState",
    "Patient",
    "Phase",
    "Plan",
    "PlanWarning",
    "Position",
    "Profile",
    "Quantity",
    "R2IssStage",
    "RIssStage",
    "RankedOption",
    "ResponseCategory",
    "ResponseResult",
    "RiskAssessment",
    "RiskComparison",
    "RiskDefinition",
    "RiskLevel",
    "RiskResult",
    "Sex",
    "StageResult",
    "Staging",
    "StagingSummary",
    "TransitionRefusedError",
    "UnknownIdentifierError",
    "UnsupportedUnitError",
    "WeightBasis",
    "assess",
    "assess_cohort",
    "assessment_names",
    "compare_risk",
    "diagnose",
    "eligibility",
    "input_columns",
    "kb_sha256",
    "kb_version",
    "library_version",
    "recommend",
    "regimen",
    "regimen_timeline_svg",
    "response",
    "risk",
    "stage",
    "transition",
]
