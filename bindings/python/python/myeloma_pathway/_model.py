"""Patients, guidelines, assessments and their typed results.

Every function here hands JSON to the Rust core and wraps the JSON it returns; no clinical rule,
threshold or default lives in Python. ``to_json()`` on a result returns the core's exact bytes.
"""

from __future__ import annotations

import datetime
import enum
import html
import json
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Union

from . import _native
from ._native import KnowledgeBase
from ._views import (
    BasisView,
    CitationView,
    Counterfactual,
    Criterion,
    DiagnosisAssessment,
    DiagnosisResultView,
    EligibilityAssessment,
    EligibilityResultView,
    Exclusion,
    FrailtyScore,
    MissingInput,
    NextDecision,
    PathwayStateView,
    PlanView,
    PlanWarning,
    Position,
    RankedOption,
    ResponseResultView,
    RiskAssessment,
    RiskComparisonView,
    RiskResultView,
    StageResult,
    StagingSummaryView,
    StagingView,
    _Node,
    _opt,
)
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
    Jurisdiction,
    MrdStatus,
    Phase,
    Profile,
    ResponseCategory,
    RiskDefinition,
    RiskLevel,
    Sex,
    WeightBasis,
)

__all__ = [
    "KnowledgeBase",
    "Quantity",
    "Finding",
    "Patient",
    "Guideline",
    "Citation",
    "MissingInput",
    "RankedOption",
    "Exclusion",
    "PlanWarning",
    "NextDecision",
    "Counterfactual",
    "Position",
    "PathwayState",
    "Event",
    "StageResult",
    "Staging",
    "StagingSummary",
    "Criterion",
    "RiskAssessment",
    "RiskResult",
    "RiskComparison",
    "FrailtyScore",
    "EligibilityAssessment",
    "EligibilityResult",
    "Basis",
    "DiagnosisAssessment",
    "DiagnosisResult",
    "ResponseResult",
    "Plan",
    "recommend",
    "diagnose",
    "response",
    "assess",
    "assessment_names",
    "stage",
    "risk",
    "compare_risk",
    "eligibility",
    "transition",
    "kb_version",
    "kb_sha256",
    "library_version",
]


# ---------------------------------------------------------------------------------------------
# Input helpers


def _missing_scalar(value: Any) -> bool:
    """NaN, ``pd.NA`` and ``pd.NaT`` (what pandas gives for an empty cell) read as missing."""
    if isinstance(value, float):
        return value != value
    t = type(value)
    if t.__module__.startswith("pandas") and t.__name__ in ("NAType", "NaTType"):
        return True
    if t.__module__ == "numpy" and hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "fc":
        return bool(value != value)
    return False


def _join(path: str, key: str) -> str:
    return key if path in ("", ".") else f"{path}.{key}"


def _jsonable(value: Any, path: str = ".") -> Any:
    """Plain JSON data from records that may hold enums, Quantity, Finding and Event objects,
    numpy scalars and pandas' missing values.

    * ``numpy.int64`` and the other numpy integers read as whole numbers, ``numpy.float32`` and
      the other numpy floats as numbers, ``numpy.bool_`` as a boolean, ``numpy.str_`` as text.
    * ``NaN``, ``pd.NA`` and ``pd.NaT`` read as missing (JSON ``null``: unknown, never normal).
    * Infinity, and any other Python type, is refused naming the field path.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (Quantity, Finding, Event)):
        return _jsonable(value.to_dict(), path)
    if _missing_scalar(value):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            raise _invalid(f"{path}: {value} is not a finite number", path)
        return value
    t = type(value)
    if t.__module__ == "numpy" and hasattr(value, "item"):
        return _jsonable(value.item(), path)
    if isinstance(value, Mapping):
        out: Dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise _invalid(f"{path}: keys must be strings, got {k!r}", path)
            out[k] = _jsonable(v, _join(path, k))
        return out
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{'' if path == '.' else path}[{i}]") for i, v in enumerate(value)]
    raise _invalid(f"{path}: a {t.__name__} is not a JSON value (use a number, text, a list or a dict)", path)


def _invalid(message: str, field: str = ".") -> Exception:
    from .errors import InvalidJsonError

    text = json.dumps(
        {"error": {"kind": "invalid_json", "code": 10, "field": field, "unit": None, "accepted_range": None, "message": message}}
    )
    return InvalidJsonError(message, text)


def _checked(text: str) -> str:
    """Text the core can read: a lone surrogate is not UTF-8 and is refused here, as the core
    refuses text that is not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise _invalid(f".: not valid UTF-8 ({e.reason} at position {e.start})") from None
    return text


def _dumps(value: Any) -> str:
    # _jsonable reads NaN/NA as missing and refuses what JSON cannot hold, naming the field;
    # allow_nan=False is the backstop, so the core never gets text it cannot read.
    try:
        plain = _jsonable(value)
    except RecursionError as e:
        raise _invalid(f".: {e}") from None
    try:
        text = json.dumps(plain, allow_nan=False, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError) as e:
        raise _invalid(f".: {e}") from None
    return _checked(text)


def _text(record: Union[str, bytes]) -> str:
    if isinstance(record, bytes):
        try:
            return record.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _invalid(f".: not valid UTF-8 ({e.reason} at byte {e.start})") from None
    return _checked(record)


class Quantity:
    """A laboratory value with its unit, e.g. ``Quantity(1.2, "mg/dL")``."""

    __slots__ = ("value", "unit")

    def __init__(self, value: float, unit: str) -> None:
        self.value = value
        self.unit = unit

    def to_dict(self) -> Dict[str, Any]:
        return {"value": self.value, "unit": self.unit}

    def __repr__(self) -> str:
        return f"Quantity({self.value!r}, {self.unit!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and (self.value, self.unit) == (other.value, other.unit)

    def __hash__(self) -> int:
        return hash((self.value, self.unit))


class Finding:
    """One cytogenetic finding: detected, not detected or not tested, with the clonal fraction
    (% of positive nuclei) and method where known."""

    __slots__ = ("abnormality", "status", "clonal_fraction_pct", "method", "copies", "copies_lost")

    def __init__(
        self,
        abnormality: Union[Abnormality, str],
        status: Union[FindingStatus, str],
        clonal_fraction_pct: Optional[float] = None,
        method: Union[FishMethod, str, None] = None,
        copies: Optional[int] = None,
        copies_lost: Optional[int] = None,
    ) -> None:
        self.abnormality = abnormality
        self.status = status
        self.clonal_fraction_pct = clonal_fraction_pct
        self.method = method
        self.copies = copies
        self.copies_lost = copies_lost

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"abnormality": _jsonable(self.abnormality), "status": _jsonable(self.status)}
        for k in ("clonal_fraction_pct", "method", "copies", "copies_lost"):
            v = getattr(self, k)
            if v is not None:
                d[k] = _jsonable(v)
        return d

    def __repr__(self) -> str:
        return f"Finding({self.to_dict()!r})"


def _coerce_record(record: Union[Mapping[str, Any], str, bytes, None], fields: Mapping[str, Any]) -> str:
    if isinstance(record, (str, bytes)):
        if fields:
            raise TypeError("give the record as JSON or as keyword arguments, not both")
        return _text(record)
    merged: Dict[str, Any] = dict(record or {})
    for k, v in fields.items():
        if k in merged:
            raise TypeError(f"`{k}` is given both in the record and as a keyword argument")
        merged[k] = v
    return _dumps(merged)


# ---------------------------------------------------------------------------------------------
# Patient and guideline


class FhirImport(NamedTuple):
    """A patient read from FHIR (:meth:`Patient.from_fhir`) and the report of how: ``used``
    (field, resource, code, effective), ``superseded``, ``ignored`` (type, id, code, reason),
    ``diagnosis_codes`` and ``reference_date``."""

    patient: "Patient"
    report: Dict[str, Any]


class Patient:
    """A validated patient record.

    Build it from keyword arguments, a dict, or JSON text (the record of
    ``docs/patient.schema.json``). Absent values are unknown, never normal. Bad input raises a
    :class:`~myeloma_pathway.MyelomaPathwayError` subclass naming the field, unit and accepted
    range; unknown keys are refused.

    >>> Patient(age_years=60, labs={"creatinine": Quantity(1.0, "mg/dL")})  # doctest: +SKIP
    """

    __slots__ = ("_text", "_canonical")

    def __init__(self, record: Union[Mapping[str, Any], str, bytes, None] = None, /, **fields: Any) -> None:
        text = _coerce_record(record, fields)
        self._canonical = _native.validate_patient(text)
        self._text = text

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> "Patient":
        """Parse and validate a JSON record."""
        return cls(text)

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> "Patient":
        """Validate a record given as a dict."""
        return cls(record)

    @classmethod
    def from_fhir(
        cls,
        bundle_json: Union[str, bytes],
        reference_date: Union[str, datetime.date, None] = None,
    ) -> "FhirImport":
        """Read a FHIR R4 ``Bundle`` (JSON text) into a patient, with the import report.

        ``reference_date`` is the date age is computed at (``YYYY-MM-DD`` or a
        :class:`datetime.date`; default today's UTC date). The mapping is the FHIR crate's
        (``docs/fhir.md``); resources it does not read are listed in ``report["ignored"]``,
        never dropped. Bad input raises the same error classes as records, naming the resource.
        """
        text = bundle_json.decode("utf-8") if isinstance(bundle_json, bytes) else bundle_json
        if isinstance(reference_date, datetime.datetime):
            raise TypeError("reference_date: give a date, not a date-time")
        date = reference_date.isoformat() if isinstance(reference_date, datetime.date) else reference_date
        record, report = _native.patient_from_fhir(text, date)
        return FhirImport(cls(record), json.loads(report))

    def to_json(self) -> str:
        """The record as the core re-serialises it (canonical key order)."""
        return self._canonical

    def to_dict(self) -> Dict[str, Any]:
        """The record as a dict."""
        result: Dict[str, Any] = json.loads(self._canonical)
        return result

    @property
    def sex(self) -> Optional[Sex]:
        return _opt(Sex, self.to_dict().get("sex"))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        d = self.to_dict()
        if name in d:
            return d[name]
        # Absent optional fields read as None (unknown), never as a default.
        if name in _PATIENT_FIELDS:
            return None
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"Patient({self._canonical})"

    def _repr_html_(self) -> str:
        return _dl_html("Patient record", self.to_dict())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Patient) and self._canonical == other._canonical

    def __hash__(self) -> int:
        return hash(self._canonical)


_PATIENT_FIELDS = frozenset(
    {
        "schema_version",
        "age_years",
        "sex",
        "weight_kg",
        "height_cm",
        "ecog",
        "frailty",
        "organ_function",
        "labs",
        "cytogenetics",
        "diagnosis",
        "history",
        "response_assessments",
        "mrd",
    }
)


class Guideline:
    """The guideline profile: every choice the caller makes where sources disagree.

    Absent keys take the core's defaults (shown in full by :meth:`to_dict`); unknown keys and
    out-of-range numbers are refused.

    >>> Guideline(risk_definition=RiskDefinition.IMWG2016).risk_definition  # doctest: +SKIP
    <RiskDefinition.IMWG2016: 'imwg2016'>
    """

    __slots__ = ("_json",)

    def __init__(self, profile: Union[Mapping[str, Any], str, bytes, None] = None, /, **fields: Any) -> None:
        text = _coerce_record(profile, fields)
        self._json = _native.validate_guideline(text)

    @classmethod
    def default(cls) -> "Guideline":
        """The default profile (the seed article's pathway)."""
        return cls()

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> "Guideline":
        """Parse and validate a JSON guideline profile."""
        return cls(text)

    def to_json(self) -> str:
        """The full profile, every key present, as the core serialises it."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        result: Dict[str, Any] = json.loads(self._json)
        return result

    @property
    def risk_definition(self) -> RiskDefinition:
        return RiskDefinition(self.to_dict()["risk_definition"])

    @property
    def profile(self) -> Profile:
        return Profile(self.to_dict()["profile"])

    @property
    def del17p_cutoff(self) -> Del17pCutoff:
        return Del17pCutoff(self.to_dict()["del17p_cutoff"])

    @property
    def jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(self.to_dict()["jurisdiction"])

    @property
    def crcl_weight(self) -> WeightBasis:
        return WeightBasis(self.to_dict()["crcl_weight"])

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        d = self.to_dict()
        if name in d:
            return d[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"Guideline({self._json})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Guideline) and self._json == other._json

    def __hash__(self) -> int:
        return hash(self._json)


PatientLike = Union[Patient, Mapping[str, Any], str, bytes]
GuidelineLike = Union[Guideline, Mapping[str, Any], str, None]


def _patient_text(p: PatientLike) -> str:
    # A dict or JSON text is validated by the core in the same call (no second pass here).
    if isinstance(p, Patient):
        return p._text
    if isinstance(p, (str, bytes)):
        return _text(p)
    if isinstance(p, Mapping):
        return _dumps(p)
    raise TypeError(f"a patient is a Patient, a dict or JSON text, not {type(p).__name__}")


def _guideline_text(g: GuidelineLike) -> Optional[str]:
    if g is None:
        return None
    if isinstance(g, Guideline):
        return g.to_json()
    return Guideline(g).to_json()


# ---------------------------------------------------------------------------------------------
# Result views: the properties are generated from the core's output schema (_views.py, by
# scripts/gen-python-views.py); the classes here add behaviour only.


class Citation(CitationView):
    """A source: publication or label, version, section, and how it was checked."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.source} ({self.version}), {self.section} [{self.key}]"


class PathwayState(PathwayStateView):
    """The full pathway state: the phase plus what the rules need to know about the past.

    Move it with :func:`transition`; ``to_json()`` is the core's serialisation.
    """

    __slots__ = ()

    @classmethod
    def new(cls, eligibility: Union[Eligibility, str] = Eligibility.UNDETERMINED) -> "PathwayState":
        """A newly diagnosed patient in work-up."""
        return cls(json.loads(_native.initial_state(_jsonable(eligibility))))

    @classmethod
    def from_json(cls, text: str) -> "PathwayState":
        return cls(json.loads(text))

    def to_json(self) -> str:
        return json.dumps(self._data, ensure_ascii=False, separators=(",", ":"))

    def _repr_html_(self) -> str:
        return _dl_html("Pathway state", self._data)


class Event(_Node):
    """A pathway event. Build one with the class methods, e.g. ``Event.therapy_started("vrd")``."""

    __slots__ = ()

    def __init__(self, kind: Union[EventKind, str, Mapping[str, Any]], **fields: Any) -> None:
        if isinstance(kind, Mapping):
            data = dict(kind)
        else:
            data = {"event": _jsonable(kind)}
        data.update({k: _jsonable(v) for k, v in fields.items()})
        super().__init__(data)

    @property
    def kind(self) -> str:
        return str(self._data.get("event"))

    def to_json(self) -> str:
        return _dumps(self._data)

    @classmethod
    def therapy_started(cls, regimen: str) -> "Event":
        return cls(EventKind.THERAPY_STARTED, regimen=regimen)

    @classmethod
    def cycle_completed(cls) -> "Event":
        return cls(EventKind.CYCLE_COMPLETED)

    @classmethod
    def response_assessed(cls, response: Union[ResponseCategory, str]) -> "Event":
        return cls(EventKind.RESPONSE_ASSESSED, response=response)

    @classmethod
    def transplant_eligibility_assessed(cls, eligible: bool) -> "Event":
        return cls(EventKind.TRANSPLANT_ELIGIBILITY_ASSESSED, eligible=eligible)

    @classmethod
    def consolidation_started(cls, route: Union[ConsolidationRoute, str]) -> "Event":
        return cls(EventKind.CONSOLIDATION_STARTED, route=route)

    @classmethod
    def transplant_done(cls) -> "Event":
        return cls(EventKind.TRANSPLANT_DONE)

    @classmethod
    def maintenance_started(cls, regimen: str) -> "Event":
        return cls(EventKind.MAINTENANCE_STARTED, regimen=regimen)

    @classmethod
    def maintenance_stopped(cls) -> "Event":
        return cls(EventKind.MAINTENANCE_STOPPED)

    @classmethod
    def progression(cls) -> "Event":
        return cls(EventKind.PROGRESSION)

    @classmethod
    def intolerance(cls, drug: str) -> "Event":
        return cls(EventKind.INTOLERANCE, drug=drug)

    @classmethod
    def mrd_assessed(cls, status: Union[MrdStatus, str]) -> "Event":
        return cls(EventKind.MRD_ASSESSED, status=status)


class Basis(BasisView):
    """What a result rests on: library and knowledge-base identity, the guideline applied and
    (for a plan) the inputs as understood after unit conversion."""

    __slots__ = ()

    @property
    def kb_version(self) -> str:
        return self.knowledge_base.version

    @property
    def kb_sha256(self) -> str:
        return self.knowledge_base.sha256

    @property
    def guideline(self) -> Guideline:
        return Guideline(self._data["guideline"])


class _Result(_Node):
    """A top-level result: keeps the core's JSON text."""

    __slots__ = ("_json",)

    def __init__(self, text: str) -> None:
        super().__init__(json.loads(text))
        self._json = text

    def to_json(self) -> str:
        """The result exactly as the core serialised it (the bytes Rust and C give)."""
        return self._json

    @property
    def basis(self) -> Basis:
        return Basis(self._data["basis"])

    def _repr_html_(self) -> str:
        return _dl_html(type(self).__name__, self._data)


class StagingSummary(StagingSummaryView):
    """ISS, R-ISS and R2-ISS, each with its breakdown, missing inputs and citation.

    Attributes ``iss``, ``r_iss``, ``r2_iss``; also indexable by those names.
    """

    __slots__ = ()

    def __getitem__(self, name: str) -> StageResult:
        if name not in ("iss", "r_iss", "r2_iss"):
            raise KeyError(name)
        return StageResult(self._data[name])


class Staging(StagingView, StagingSummary, _Result):
    """The ``stage`` assessment: ISS, R-ISS and R2-ISS with the basis."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        rows = []
        for label, s in (("ISS", self.iss), ("R-ISS", self.r_iss), ("R2-ISS", self.r2_iss)):
            rows.append(
                f"<tr><td>{label}</td><td><b>{_e(s.stage or 'not computable')}</b></td>"
                f"<td>{_e('; '.join(s.breakdown))}</td>"
                f"<td>{_e(', '.join(m.field for m in s.missing_inputs))}</td>"
                f"<td>{_e(s.citation.key)}</td></tr>"
            )
        return (
            "<div class='myeloma-pathway'><b>Staging</b><table><tr><th>system</th><th>stage</th>"
            "<th>breakdown</th><th>missing</th><th>citation</th></tr>" + "".join(rows) + "</table>"
            + _basis_html(self.basis) + "</div>"
        )


class RiskResult(RiskResultView, _Result):
    """Cytogenetic risk under the guideline's definition, with its basis."""

    __slots__ = ()


class RiskComparison(RiskComparisonView, _Result):
    """Cytogenetic risk under every definition, side by side."""

    __slots__ = ()

    def by_definition(self) -> Dict[RiskDefinition, RiskAssessment]:
        return {a.definition: a for a in self.assessments}

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{_e(a.definition.value)}</td><td><b>{_e(a.level.value)}</b></td>"
            f"<td>{_e('; '.join(a.deciding))}</td><td>{_e(', '.join(m.field for m in a.missing_inputs))}</td>"
            f"<td>{_e(a.citation.key)}</td></tr>"
            for a in self.assessments
        )
        return (
            "<div class='myeloma-pathway'><b>Cytogenetic risk by definition</b>"
            "<table><tr><th>definition</th><th>risk</th><th>deciding</th><th>missing</th><th>citation</th></tr>"
            + rows + "</table>" + _list_html("Explanation", self.explanation) + _basis_html(self.basis) + "</div>"
        )


class EligibilityResult(EligibilityResultView, _Result):
    """Transplant eligibility, both frailty scores and creatinine clearance."""

    __slots__ = ()

    @property
    def eligibility(self) -> Eligibility:
        return self.transplant_eligibility.eligibility


class DiagnosisResult(DiagnosisResultView, _Result):
    """The ``diagnose`` assessment, with its basis."""

    __slots__ = ()


class ResponseResult(ResponseResultView, _Result):
    """IMWG 2016 response over the patient's time series, with MRD."""

    __slots__ = ()


class Plan(PlanView, _Result):
    """A plan for the patient's current phase: options with rationale and citations, what was
    excluded and why, what is missing, the next decision, and the basis."""

    __slots__ = ("_inputs",)

    def __init__(self, text: str, inputs: Optional[Any] = None) -> None:
        super().__init__(text)
        self._inputs = inputs

    def to_text(self) -> str:
        """The plan as the core renders it in plain text (what ``mmpath plan`` prints)."""
        if self._inputs is None:
            raise ValueError("this plan was not made by recommend(); its inputs are not known")
        patient_text, guideline_text, kb = self._inputs
        return _native.plan_text(patient_text, guideline_text, kb)

    def to_fhir_json(self) -> str:
        """The plan as FHIR R4 JSON text: a ``Bundle`` with a CPG-on-FHIR ``RequestGroup`` (one
        action per ranked option, each pointing at its regimen's ``PlanDefinition``) and a
        ``GuidanceResponse`` with the basis; the bytes ``mmpath plan --fhir-out`` and C's
        ``mp_plan_fhir_json`` give (docs/fhir.md)."""
        return _native.plan_fhir_json(self._json)

    def to_fhir(self) -> Dict[str, Any]:
        """The plan as a FHIR R4 ``Bundle``, as plain data (see :meth:`to_fhir_json`)."""
        out: Dict[str, Any] = json.loads(self.to_fhir_json())
        return out

    @property
    def phase(self) -> Phase:
        return self.position.phase

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def first_options(self) -> List[RankedOption]:
        """The options of rank 1."""
        return [o for o in self.options if o.rank == 1]

    def timeline_svg(self, option: Union[int, str, None] = None, cycles: Optional[int] = None) -> str:
        """The treatment timeline of an option as SVG: phases, cycles and drugs on a time axis.

        ``option`` is an index into :attr:`options` or a regimen id (default: the first option);
        ``cycles`` overrides how many cycles are drawn. Presentation only: the days and cycle
        length come from the knowledge base's regimen.
        """
        from .timeline import plan_timeline_svg

        return plan_timeline_svg(self, option=option, cycles=cycles)

    def _repr_html_(self) -> str:
        from .timeline import plan_html

        return plan_html(self)


# ---------------------------------------------------------------------------------------------
# HTML helpers (presentation only)


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _list_html(title: str, items: Sequence[str]) -> str:
    if not items:
        return ""
    return f"<div><b>{_e(title)}</b><ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul></div>"


def _basis_html(b: Basis) -> str:
    return (
        "<div style='font-size:smaller;color:#555'>myeloma-pathway "
        f"{_e(b.library_version)} · knowledge base {_e(b.kb_version)} · sha256 {_e(b.kb_sha256[:12])}… · "
        "decision support, not a medical device</div>"
    )


def _value_html(v: Any, depth: int = 0) -> str:
    if isinstance(v, dict):
        if depth > 2:
            return _e(json.dumps(v, ensure_ascii=False))
        return "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_value_html(x, depth + 1)}</dd>" for k, x in v.items()) + "</dl>"
    if isinstance(v, list):
        if not v:
            return "—"
        return "<ul>" + "".join(f"<li>{_value_html(x, depth + 1)}</li>" for x in v) + "</ul>"
    if v is None:
        return "<i>unknown</i>"
    return _e(v)


def _dl_html(title: str, data: Mapping[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != "basis"}
    out = f"<div class='myeloma-pathway'><b>{_e(title)}</b>{_value_html(body)}"
    if "basis" in data:
        out += _basis_html(Basis(data["basis"]))
    return out + "</div>"


# ---------------------------------------------------------------------------------------------
# Functions


def _run(name: str, patient: PatientLike, guideline: GuidelineLike, kb: Optional[KnowledgeBase]) -> str:
    # The guideline is read first, as the core reads it, so a record with two problems reports
    # the same one in every language.
    g = _guideline_text(guideline)
    return _native.run(name, _patient_text(patient), g, _kb_arg(kb))


def _kb_arg(kb: Optional[KnowledgeBase]) -> Optional[KnowledgeBase]:
    if kb is not None and not isinstance(kb, KnowledgeBase):
        raise TypeError(
            f"kb must be a myeloma_pathway.KnowledgeBase (KnowledgeBase.from_file(path)), not {type(kb).__name__}"
        )
    return kb


def recommend(patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> Plan:
    """The plan for the patient's current phase.

    ``kb`` is the knowledge base to decide with (default: the embedded one; load a centre's own
    with :meth:`KnowledgeBase.from_file`). The plan's basis names its version and SHA-256.

    Raises a :class:`~myeloma_pathway.MyelomaPathwayError` subclass on bad input, or
    :class:`~myeloma_pathway.TransitionRefusedError` when the history cannot be replayed.
    """
    g = _guideline_text(guideline)
    p = _patient_text(patient)
    k = _kb_arg(kb)
    return Plan(_native.run("plan", p, g, k), (p, g, k))


CALENDAR_COLUMNS = ("cycle", "day", "date", "drug", "dose", "route", "note")
"""The columns of :func:`calendar`'s rows, in order."""


def calendar(
    patient: PatientLike,
    regimen: Optional[str] = None,
    *,
    start: Union[str, "datetime.date"],
    guideline: GuidelineLike = None,
    cycles: Optional[int] = None,
    kb: Optional[KnowledgeBase] = None,
    frame: bool = False,
) -> Any:
    """The treatment calendar: one row per administration, with this patient's dose.

    ``regimen`` (default: the plan's first option) is expanded from ``start`` (cycle 1 day 1, a
    ``datetime.date`` or ``"YYYY-MM-DD"``) in the course of the patient's setting, as the plan
    offers it (VRd before a transplant: 3 cycles). ``cycles`` overrides the course length (needed
    for until-progression regimens; 1-200). Each row is a dict with :data:`CALENDAR_COLUMNS`
    (``cycle``, ``day``, ``date`` as ``"YYYY-MM-DD"``, ``drug``, ``dose`` for this patient,
    ``route``, ``note``), ready for ``pandas.DataFrame(rows)``; ``frame=True`` returns that
    DataFrame (needs pandas). The same calendar as ``mmpath calendar --json``. Decision
    support, not a prescription: check every line against the protocol and label.
    """
    if not isinstance(start, str):
        isoformat = getattr(start, "isoformat", None)
        if isoformat is None:
            raise _invalid(f"start must be a date or 'YYYY-MM-DD', not {type(start).__name__}", "start")
        start = str(isoformat())
    if cycles is not None and (isinstance(cycles, bool) or not isinstance(cycles, int) or not 0 <= cycles <= 65535):
        raise _invalid(f"cycles must be an integer 1-200, not {cycles!r}", "cycles")
    data = json.loads(
        _native.calendar_json(_patient_text(patient), start, regimen, cycles, _guideline_text(guideline), _kb_arg(kb))
    )
    rows = [{c: a.get(c, "") for c in CALENDAR_COLUMNS} for a in data["administrations"]]
    if frame:
        import pandas as pd

        return pd.DataFrame(rows, columns=list(CALENDAR_COLUMNS))
    return rows


def stage(patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> Staging:
    """ISS, R-ISS and R2-ISS with their breakdown."""
    return Staging(_run("stage", patient, guideline, kb))


def risk(patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> RiskResult:
    """Cytogenetic risk under the guideline's definition."""
    return RiskResult(_run("risk", patient, guideline, kb))


def compare_risk(patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> RiskComparison:
    """Cytogenetic risk under every definition, side by side."""
    return RiskComparison(_run("risk-compare", patient, guideline, kb))


def eligibility(patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> EligibilityResult:
    """Transplant eligibility, frailty scores and creatinine clearance."""
    return EligibilityResult(_run("eligibility", patient, guideline, kb))


def transition(state: Union[PathwayState, Mapping[str, Any], str], event: Union[Event, Mapping[str, Any], str]) -> PathwayState:
    """One step of the pathway state machine.

    Returns the next state, or raises :class:`~myeloma_pathway.TransitionRefusedError` with the
    typed reason (``.reason``, ``.refusal``). Every (state, event) pair gives one or the other.
    """
    if isinstance(state, PathwayState):
        state_text = state.to_json()
    elif isinstance(state, str):
        state_text = _text(state)
    else:
        state_text = _dumps(state)
    if isinstance(event, Event):
        event_text = event.to_json()
    elif isinstance(event, str):
        event_text = _text(event)
    else:
        event_text = _dumps(event)
    return PathwayState(json.loads(_native.transition(state_text, event_text)))


def diagnose(patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> DiagnosisResult:
    """IMWG 2014 diagnosis with the 20/2/20 risk of smouldering myeloma."""
    return DiagnosisResult(_run("diagnose", patient, guideline, kb))


def response(patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> ResponseResult:
    """IMWG 2016 response over the record's ``response_assessments``, with MRD."""
    return ResponseResult(_run("response", patient, guideline, kb))


_RESULT_TYPES: Dict[str, Any] = {
    "plan": Plan,
    "stage": Staging,
    "risk": RiskResult,
    "risk-compare": RiskComparison,
    "eligibility": EligibilityResult,
    "diagnose": DiagnosisResult,
    "response": ResponseResult,
}


def assess(name: str, patient: PatientLike, guideline: GuidelineLike = None, *, kb: Optional[KnowledgeBase] = None) -> Any:
    """Run any of the core's assessments by name (:func:`assessment_names`); the result is the
    typed object of that assessment (a generic result with ``to_dict``/``to_json`` for one this
    package does not know yet)."""
    if name == "plan":
        return recommend(patient, guideline, kb=kb)
    cls = _RESULT_TYPES.get(name, _Result)
    return cls(_run(name, patient, guideline, kb))


def assessment_names() -> List[str]:
    """Every assessment the core offers (``plan``, ``stage``, ``risk``, ...)."""
    return list(_native.assessment_names())


def _kb() -> Dict[str, str]:
    result: Dict[str, str] = json.loads(KnowledgeBase.embedded().identity_json())
    return result


def kb_version() -> str:
    """Version of the embedded knowledge base."""
    return _kb()["version"]


def kb_sha256() -> str:
    """SHA-256 of the embedded knowledge base."""
    return _kb()["sha256"]


def library_version() -> str:
    """Version of the Rust core."""
    return _kb()["library_version"]
