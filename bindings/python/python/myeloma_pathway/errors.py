"""The exception hierarchy: one class per error kind of the core, under one base class.

Every exception carries the core's error as JSON (``.to_json()`` returns the exact bytes the Rust
library and the ``mmpath`` CLI print), and its parts as attributes: ``kind``, ``code`` (the core's
stable numeric code), ``field`` (dotted path in the record), ``unit`` and ``accepted_range``
(for range and unit errors; for an unsupported unit, ``accepted_range`` lists the accepted units).
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

__all__ = [
    "MyelomaPathwayError",
    "InvalidJsonError",
    "MissingFieldError",
    "OutOfRangeError",
    "UnsupportedUnitError",
    "InconsistentError",
    "LimitExceededError",
    "UnknownIdentifierError",
    "TransitionRefusedError",
    "ColumnError",
]


class MyelomaPathwayError(Exception):
    """Base class of every error raised by myeloma_pathway."""

    # Kind and code when raised from Python without the core's JSON.
    _KIND = "internal"
    _CODE = 1

    kind: str
    code: int
    field: Optional[str]
    unit: Optional[str]
    accepted_range: Optional[str]
    message: str

    def __init__(self, message: str, error_json: Optional[str] = None, refusal_json: Optional[str] = None) -> None:
        super().__init__(message)
        self._refusal_json = refusal_json
        self.message = message
        if error_json is None:
            error_json = json.dumps(
                {
                    "error": {
                        "kind": self._KIND,
                        "code": self._CODE,
                        "field": None,
                        "unit": None,
                        "accepted_range": None,
                        "message": message,
                    }
                }
            )
        self._json = error_json
        detail: Dict[str, Any] = json.loads(error_json).get("error", {})
        self.kind = str(detail.get("kind", "internal"))
        self.code = int(detail.get("code", 1))
        self.field = detail.get("field")
        self.unit = detail.get("unit")
        self.accepted_range = detail.get("accepted_range")

    def to_json(self) -> str:
        """The error as the core prints it: ``{"error": {"kind", "code", "field", ...}}``."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The error as a dict (parsed :meth:`to_json`)."""
        result: Dict[str, Any] = json.loads(self._json)
        return result

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self._json, self._refusal_json))


class InvalidJsonError(MyelomaPathwayError, ValueError):
    """Not valid JSON, a value of the wrong type, or an unknown key (code 10)."""

    _KIND = "invalid_json"
    _CODE = 10


class MissingFieldError(MyelomaPathwayError, ValueError):
    """A value the operation cannot proceed without is absent (code 11)."""


class OutOfRangeError(MyelomaPathwayError, ValueError):
    """A value outside its accepted, plausible range; never clamped (code 12)."""


class UnsupportedUnitError(MyelomaPathwayError, ValueError):
    """A unit the field does not accept; ``accepted_range`` lists the accepted units (code 13)."""


class InconsistentError(MyelomaPathwayError, ValueError):
    """A well-formed value that contradicts another (code 14)."""


class LimitExceededError(MyelomaPathwayError, ValueError):
    """Input larger or deeper than the documented limits (code 15)."""


class UnknownIdentifierError(MyelomaPathwayError, ValueError):
    """A regimen, drug or option id the knowledge base does not hold (code 16)."""


class TransitionRefusedError(MyelomaPathwayError):
    """A pathway event the state machine refuses in the current phase (code 20).

    ``refusal`` holds the typed reason, e.g. ``{"reason": "transplant_ineligible"}``.
    """

    @property
    def refusal(self) -> Optional[Dict[str, Any]]:
        """The core's typed refusal as a dict (``{"reason": ...}``), when known."""
        if self._refusal_json is None:
            return None
        refusal: Dict[str, Any] = json.loads(self._refusal_json)
        return refusal

    @property
    def reason(self) -> Optional[str]:
        """The refusal's reason id, e.g. ``"transplant_ineligible"``."""
        r = self.refusal
        return None if r is None else str(r.get("reason"))


class ColumnError(MyelomaPathwayError, ValueError):
    """A cohort column problem that concerns the whole batch (unknown column, wrong length,
    unsupported type). Bad *values* never raise: they give a per-row ``error``."""

    _KIND = "column"
    _CODE = 2
