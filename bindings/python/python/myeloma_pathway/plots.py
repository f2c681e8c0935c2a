"""Swimmer plots of the patient's actual history and summary charts of a cohort, as SVG.

Plain SVG text, no plotting library: the package keeps no run-time dependency, the drawings are
deterministic (the tests compare their content), they show in Jupyter, in a browser, on GitHub
and inside the plan card, and they print with the page. Presentation only: lines of therapy are
the core's derivation (``plan.to_dict()["treatment_history"]["lines"]``), the rest is what the
record says, placed where it says; nothing here decides.

Two time axes, never mixed:

* **days** — a record with a dated ``treatment_history``: lines of therapy as the core derives
  them, each drug exposure from start to stop, transplants and progressions on their dates, day 0
  the first therapy's start. The pathway ``history`` events carry no dates; a response or MRD
  result there is counted in a note under the drawing, not placed on the date axis.
* **cycles** — a record with only the pathway ``history``: therapy, consolidation and
  maintenance as segments along the cycles completed, responses, MRD results, transplants,
  intolerance and progression where they fall in that sequence.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:  # pragma: no cover
    from ._model import GuidelineLike, PatientLike, Plan
    from ._native import KnowledgeBase

__all__ = ["patient_swimmer_svg", "cohort_swimmer_svg", "stage_distribution_svg", "risk_by_definition_svg"]

_SOURCES = ("auto", "dated", "events")
_LINE_COLOURS = ["#1f77b4", "#e377c2", "#8c564b", "#17becf", "#7f7f7f", "#bcbd22"]
_KIND_COLOURS = {"therapy": "#1f77b4", "consolidation": "#9467bd", "maintenance": "#2ca02c"}
_MARK = {
    "transplant": ("#ff7f0e", "triangle", "transplant"),
    "progression": ("#d62728", "cross", "progression"),
    "response": ("#000000", "circle", "response"),
    "mrd": ("#17becf", "diamond", "MRD"),
    "intolerance": ("#8c564b", "square", "intolerance"),
    "ongoing": ("#333333", "arrow", "ongoing"),
}
_CHAR_W = 6.3  # average width of an 11 px sans-serif character, for fitting labels


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _fit(text: str, px: float) -> str:
    """The text cut (with …) to fit ``px`` pixels; empty when not even one character fits."""
    n = int(px // _CHAR_W)
    if len(text) <= n:
        return text
    return "" if n < 2 else text[: n - 1] + "…"


@dataclass
class _Lane:
    label: str
    axis: str  # "days" or "cycles"
    segments: List[Tuple[float, float, str, str]] = field(default_factory=list)  # start, end, label, colour
    exposures: List[Tuple[float, float, str]] = field(default_factory=list)  # dated drug exposures
    markers: List[Tuple[float, str, str]] = field(default_factory=list)  # x, kind, label
    end: float = 0.0
    notes: List[str] = field(default_factory=list)


def _date(s: str) -> _dt.date:
    return _dt.date.fromisoformat(s)


def _plan_and_record(subject: Any, guideline: Any, kb: Optional["KnowledgeBase"]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    from ._model import Plan, recommend

    if isinstance(subject, Plan):
        if guideline is not None or kb is not None:
            raise TypeError("guideline and kb belong to recommend(); a Plan already has them")
        inputs = getattr(subject, "_inputs", None)
        if inputs is None:
            raise ValueError("this plan was not made by recommend(); its patient record is not known")
        plan = subject
        record_text = inputs[0]
    else:
        plan = recommend(subject, guideline, kb=kb)
        assert plan._inputs is not None
        record_text = plan._inputs[0]
    record: Dict[str, Any] = json.loads(record_text)
    return plan.to_dict(), record


def _regimen_name(regimen_id: str, kb: Optional["KnowledgeBase"]) -> str:
    from .timeline import regimen

    r = regimen(regimen_id, kb=kb)
    return str(r.get("name", regimen_id)) if r else regimen_id


def _dated_lane(label: str, plan: Dict[str, Any], record: Dict[str, Any]) -> _Lane:
    th = record["treatment_history"]
    derived = plan.get("treatment_history") or {}
    therapies = th.get("therapies", [])
    lines = derived.get("lines", [])
    starts = [_date(t["start"]) for t in therapies] + [_date(x["start"]) for x in lines]
    if not starts:
        raise ValueError("the treatment_history lists no therapy: there is nothing to draw on a date axis")
    t0 = min(starts)
    dates = starts + [_date(t[k]) for t in therapies for k in ("stop", "last_dose") if t.get(k)]
    dates += [_date(x["date"]) for x in th.get("transplants", [])] + [_date(p) for p in th.get("progressions", [])]
    if derived.get("as_of"):
        dates.append(_date(derived["as_of"]))
    last = max(dates)
    lane = _Lane(label=label, axis="days", end=float((last - t0).days))

    def day(d: str) -> float:
        return float((_date(d) - t0).days)

    for i, ln in enumerate(lines):
        a = day(ln["start"])
        b = day(lines[i + 1]["start"]) if i + 1 < len(lines) else lane.end
        text = f"line {ln['number']}: {' + '.join(ln.get('drugs', []))}"
        lane.segments.append((a, b, text, _LINE_COLOURS[i % len(_LINE_COLOURS)]))
    for t in therapies:
        stop = t.get("stop") or t.get("last_dose")
        role = t.get("role")
        name = t["drug"] + (f" ({role})" if role and role != "line" else "")
        if t.get("planned_continuation"):
            name += " (continuation)"
        lane.exposures.append((day(t["start"]), day(stop) if stop else lane.end, name))
        if not stop:
            lane.markers.append((lane.end, "ongoing", f"{t['drug']} ongoing"))
    for x in th.get("transplants", []):
        kind = "allogeneic transplant" if x.get("allogeneic") else "autologous transplant"
        lane.markers.append((day(x["date"]), "transplant", f"{kind} {x['date']}"))
    for p in th.get("progressions", []):
        lane.markers.append((day(p), "progression", f"progression {p}"))
    hist = record.get("history", [])
    n_resp = sum(1 for ev in hist if ev.get("event") == "response_assessed")
    n_mrd = sum(1 for ev in hist if ev.get("event") == "mrd_assessed")
    if n_resp or n_mrd:
        lane.notes.append(
            f"{n_resp} response and {n_mrd} MRD assessment(s) in the pathway history carry no dates; not placed on this date axis"
        )
    lane.notes.append(f"day 0 = {t0.isoformat()}; lines of therapy as the core derives them")
    return lane


def _events_lane(label: str, record: Dict[str, Any], kb: Optional["KnowledgeBase"]) -> _Lane:
    hist = record.get("history", [])
    if not hist:
        raise ValueError("the record has no pathway history and no treatment_history: there is no history to draw")
    lane = _Lane(label=label, axis="cycles")
    x = 0.0
    open_seg: Optional[Tuple[float, str, str]] = None
    line = 1
    started_any = False

    def close(at: float) -> None:
        nonlocal open_seg
        if open_seg is not None:
            lane.segments.append((open_seg[0], at, open_seg[1], open_seg[2]))
            open_seg = None

    for ev in hist:
        kind = ev.get("event")
        if kind == "cycle_completed":
            x += 1
        elif kind == "therapy_started":
            close(x)
            if started_any and lane.markers and lane.markers[-1][1] == "progression":
                line += 1
            started_any = True
            colour = _KIND_COLOURS["therapy"] if line == 1 else _LINE_COLOURS[(line - 1) % len(_LINE_COLOURS)]
            open_seg = (x, f"line {line}: {_regimen_name(str(ev.get('regimen')), kb)}", colour)
        elif kind == "consolidation_started":
            close(x)
            open_seg = (x, f"consolidation ({str(ev.get('route', '')).replace('_', ' ')})", _KIND_COLOURS["consolidation"])
        elif kind == "maintenance_started":
            close(x)
            open_seg = (x, f"maintenance: {_regimen_name(str(ev.get('regimen')), kb)}", _KIND_COLOURS["maintenance"])
        elif kind == "maintenance_stopped":
            close(x)
        elif kind == "transplant_done":
            if open_seg is not None and open_seg[1].startswith("consolidation"):
                close(x)
            lane.markers.append((x, "transplant", "transplant"))
        elif kind == "response_assessed":
            lane.markers.append((x, "response", str(ev.get("response", "")).upper()))
        elif kind == "mrd_assessed":
            status = str(ev.get("status", ""))
            lane.markers.append((x, "mrd", "MRD " + status.replace("_", " ")))
        elif kind == "progression":
            close(x)
            lane.markers.append((x, "progression", "progression"))
        elif kind == "intolerance":
            lane.markers.append((x, "intolerance", f"intolerance: {ev.get('drug', '')}"))
    lane.end = x
    if open_seg is not None:
        close(x)
        lane.markers.append((x, "ongoing", "ongoing"))
    lane.notes.append("axis: cycles completed, in the order of the pathway history (its events carry no dates)")
    return lane


def _lane(subject: Any, guideline: Any, kb: Optional["KnowledgeBase"], source: str, label: str) -> _Lane:
    if source not in _SOURCES:
        raise ValueError(f"source must be one of {', '.join(_SOURCES)}, not {source!r}")
    plan, record = _plan_and_record(subject, guideline, kb)
    dated = bool(record.get("treatment_history"))
    if source == "dated" and not dated:
        raise ValueError("source='dated': the record has no treatment_history (dated therapies)")
    if source == "dated" or (source == "auto" and dated):
        return _dated_lane(label, plan, record)
    return _events_lane(label, record, kb)


def _width_arg(width: Any) -> int:
    if isinstance(width, bool) or not isinstance(width, int) or width < 400:
        raise ValueError(f"width must be a whole number of pixels, at least 400, not {width!r}")
    return int(width)


def _marker(kind: str, cx: float, cy: float, tip: str, legend: bool = False) -> str:
    colour, shape, _ = _MARK[kind]
    return _shape(("mp-legend-" if legend else "mp-mark-") + kind, colour, shape, cx, cy, tip)


def _shape(cls: str, colour: str, shape: str, cx: float, cy: float, tip: str) -> str:
    kind = cls
    t = f"<title>{_e(tip)}</title>"
    if shape == "triangle":
        return f"<path class='{kind}' d='M{cx:.1f},{cy - 6:.1f} L{cx + 6:.1f},{cy + 5:.1f} L{cx - 6:.1f},{cy + 5:.1f} Z' fill='{colour}'>{t}</path>"
    if shape == "cross":
        return (
            f"<path class='{kind}' d='M{cx - 5:.1f},{cy - 5:.1f} L{cx + 5:.1f},{cy + 5:.1f} M{cx + 5:.1f},{cy - 5:.1f} "
            f"L{cx - 5:.1f},{cy + 5:.1f}' stroke='{colour}' stroke-width='3' fill='none'>{t}</path>"
        )
    if shape == "circle":
        return f"<circle class='{kind}' cx='{cx:.1f}' cy='{cy:.1f}' r='4' fill='#fff' stroke='{colour}' stroke-width='2'>{t}</circle>"
    if shape == "diamond":
        return f"<path class='{kind}' d='M{cx:.1f},{cy - 6:.1f} L{cx + 5:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} L{cx - 5:.1f},{cy:.1f} Z' fill='{colour}'>{t}</path>"
    if shape == "square":
        return f"<rect class='{kind}' x='{cx - 4:.1f}' y='{cy - 4:.1f}' width='8' height='8' fill='{colour}'>{t}</rect>"
    return f"<path class='{kind}' d='M{cx:.1f},{cy - 6:.1f} L{cx + 9:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} Z' fill='{colour}'>{t}</path>"


def _axis(out: List[str], left: float, plot_w: float, y: float, span: float, axis: str) -> None:
    scale = plot_w / max(span, 1.0)
    if axis == "days":
        step = next(s for s in (7, 14, 28, 56, 91, 182, 365, 730, 1461) if span / s <= 12) if span <= 1461 * 12 else 2922
    else:
        step = next(s for s in (1, 2, 4, 6, 12, 24) if span / s <= 16) if span <= 24 * 16 else 48
    out.append(f"<line x1='{left}' y1='{y}' x2='{left + plot_w:.1f}' y2='{y}' stroke='#333'/>")
    v = 0.0
    while v <= span + 1e-9:
        x = left + v * scale
        out.append(f"<line x1='{x:.1f}' y1='{y}' x2='{x:.1f}' y2='{y + 4}' stroke='#333'/>")
        out.append(f"<text x='{x:.1f}' y='{y + 15}' text-anchor='middle' fill='#333'>{int(v)}</text>")
        v += step
    name = "days since the first therapy" if axis == "days" else "cycles completed"
    out.append(f"<text class='mp-axis-label' x='{left + plot_w / 2:.1f}' y='{y + 29}' text-anchor='middle' fill='#333'>{name}</text>")


def _legend(out: List[str], kinds: Iterable[str], x: float, y: float) -> None:
    for kind in kinds:
        out.append(_marker(kind, x + 6, y - 4, _MARK[kind][2], legend=True))
        out.append(f"<text x='{x + 16:.1f}' y='{y}' fill='#333'>{_e(_MARK[kind][2])}</text>")
        x += 24 + len(_MARK[kind][2]) * _CHAR_W


def patient_swimmer_svg(
    patient: Union["Plan", "PatientLike"],
    guideline: "GuidelineLike" = None,
    *,
    kb: Optional["KnowledgeBase"] = None,
    source: str = "auto",
    width: int = 900,
) -> str:
    """One patient's actual history as a swimmer plot (SVG).

    ``patient`` is a :class:`Plan` from :func:`recommend` or anything :func:`recommend` takes.
    ``source``: ``"dated"`` draws the dated ``treatment_history`` (lines of therapy as the core
    derives them, each drug exposure, transplants, progressions, on a day axis); ``"events"``
    the pathway ``history`` on a cycle axis (therapy, consolidation, maintenance, responses, MRD,
    transplant, intolerance, progression); ``"auto"`` (default) the dated history when the record
    has one. Raises ``ValueError`` for a bad ``source`` or ``width``, a record with no history to
    draw, or ``source="dated"`` without a ``treatment_history``.
    """
    w = _width_arg(width)
    lane = _lane(patient, guideline, kb, source, "")
    left, right, top = 190, 30, 34
    row_h = 24
    rows: List[Tuple[str, List[Tuple[float, float, str, str]]]] = [("lines of therapy" if lane.axis == "days" else "phase", lane.segments)]
    for a, b, name in lane.exposures:
        rows.append((name, [(a, b, "", "#9ecae1")]))
    plot_w = w - left - right
    span = max(lane.end, 1.0)
    scale = plot_w / span
    events_y = top + row_h * len(rows) + 8
    # Marker labels: staggered in rows so that neighbours never overlap; a label that would run
    # past the right edge ends at its marker instead.
    placed: List[Tuple[float, float, int]] = []
    label_pos: List[int] = []
    for x, kind, text in sorted(lane.markers, key=lambda m: m[0]):
        px = left + x * scale
        tw = len(text) * _CHAR_W
        a0, a1 = (px - tw, px) if px + tw > left + plot_w else (px, px + tw)
        r = 0
        while any(rr == r and a0 < b1 + 6 and b0 < a1 + 6 for b0, b1, rr in placed):
            r += 1
        placed.append((a0, a1, r))
        label_pos.append(r)
    label_rows = max(label_pos, default=-1) + 1
    axis_y = events_y + 16 + 14 * label_rows + 6
    height = axis_y + 40 + 16 * len(lane.notes) + 20
    kinds = list(dict.fromkeys(m[1] for m in lane.markers))
    title = "Treatment history (dated)" if lane.axis == "days" else "Treatment history (pathway events)"
    out: List[str] = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='mp-swimmer' data-axis='{lane.axis}' width='{w}' height='{height}' "
        f"viewBox='0 0 {w} {height}' font-family='sans-serif' font-size='11' role='img'>",
        f"<title>{title}</title><rect width='{w}' height='{height}' fill='#fff'/>",
        f"<text x='4' y='16' font-weight='bold' font-size='13'>{title}</text>",
    ]
    for i, (name, segs) in enumerate(rows):
        y = top + i * row_h
        out.append(f"<text x='4' y='{y + 15}'>{_e(_fit(name, left - 10))}<title>{_e(name)}</title></text>")
        for a, b, text, colour in segs:
            sx, sw = left + a * scale, max((b - a) * scale, 3.0)
            out.append(
                f"<rect class='mp-seg' x='{sx:.1f}' y='{y + 3}' width='{sw:.1f}' height='{row_h - 6}' fill='{colour}' rx='2'>"
                f"<title>{_e(text or name)}: {a:g} to {b:g} {'days' if lane.axis == 'days' else 'cycles'}</title></rect>"
            )
            shown = _fit(text, sw - 6)
            if shown:
                out.append(f"<text x='{sx + 3:.1f}' y='{y + 16}' fill='#fff'>{_e(shown)}</text>")
    out.append(f"<text x='4' y='{events_y + 4}'>events</text>")
    same: Dict[float, int] = {}
    for (x, kind, text), r in zip(sorted(lane.markers, key=lambda m: m[0]), label_pos):
        px = left + x * scale
        k = same[x] = same.get(x, -1) + 1  # events at the same point side by side, not on top
        out.append(_marker(kind, px + 12 * k, events_y, text))
        out.append(f"<line x1='{px:.1f}' y1='{top}' x2='{px:.1f}' y2='{events_y - 7}' stroke='{_MARK[kind][0]}' stroke-dasharray='2,2' opacity='.6'/>")
        anchor = "end" if px + len(text) * _CHAR_W > left + plot_w else "start"
        out.append(f"<text class='mp-mark-label' x='{px:.1f}' y='{events_y + 20 + 14 * r}' text-anchor='{anchor}' fill='{_MARK[kind][0]}'>{_e(text)}</text>")
    _axis(out, left, plot_w, axis_y, span, lane.axis)
    y = axis_y + 46
    for note in lane.notes:
        out.append(f"<text class='mp-note' x='4' y='{y}' fill='#555'>{_e(_fit(note, w - 8))}</text>")
        y += 16
    _legend(out, kinds, 4, y)
    out.append("</svg>")
    return "".join(out)


def cohort_swimmer_svg(
    patients: Union[Mapping[str, Union["Plan", "PatientLike"]], Sequence[Union["Plan", "PatientLike"]]],
    guideline: "GuidelineLike" = None,
    *,
    kb: Optional["KnowledgeBase"] = None,
    source: str = "auto",
    sort: bool = True,
    width: int = 900,
) -> str:
    """A swimmer plot of many patients (SVG): one lane each, segments by line of therapy (dated)
    or by phase (events), markers for transplant, response, MRD, progression, and an arrow where
    treatment is ongoing. ``patients`` maps a label to a patient (or is a sequence, labelled by
    position); every patient must be drawn on the same axis (dated or events), else
    ``ValueError``. ``sort`` puts the longest history first."""
    w = _width_arg(width)
    if isinstance(patients, Mapping):
        if not all(isinstance(v, (Mapping, str, bytes)) or type(v).__name__ in ("Patient", "Plan") for v in patients.values()):
            raise TypeError("patients maps a label to each patient; this mapping looks like one patient record (pass {label: record})")
        items = [(str(k), v) for k, v in patients.items()]
    elif isinstance(patients, (list, tuple)):
        items = [(f"#{i + 1}", v) for i, v in enumerate(patients)]
    else:
        raise TypeError(f"patients is a mapping of label to patient or a list of patients, not {type(patients).__name__}")
    if not items:
        raise ValueError("no patients to draw")
    lanes = [_lane(p, guideline, kb, source, label) for label, p in items]
    axes = {ln.axis for ln in lanes}
    if len(axes) > 1:
        by = {a: [ln.label for ln in lanes if ln.axis == a] for a in axes}
        raise ValueError(
            "these patients cannot share one time axis: dated treatment_history for "
            + ", ".join(by["days"]) + "; undated pathway history for " + ", ".join(by["cycles"])
            + " (pass source='events' to draw all on the cycle axis, or draw them separately)"
        )
    if sort:
        lanes.sort(key=lambda ln: -ln.end)
    left, right, top, row_h = 120, 30, 34, 22
    plot_w = w - left - right
    span = max(max(ln.end for ln in lanes), 1.0)
    scale = plot_w / span
    axis_y = top + row_h * len(lanes) + 6
    height = axis_y + 40 + 40
    out: List[str] = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='mp-swimmer mp-cohort-swimmer' data-axis='{lanes[0].axis}' width='{w}' height='{height}' "
        f"viewBox='0 0 {w} {height}' font-family='sans-serif' font-size='11' role='img'>",
        f"<title>Cohort swimmer plot ({len(lanes)} patients)</title><rect width='{w}' height='{height}' fill='#fff'/>",
        f"<text x='4' y='16' font-weight='bold' font-size='13'>Treatment histories, {len(lanes)} patients</text>",
    ]
    for i, ln in enumerate(lanes):
        y = top + i * row_h
        out.append(f"<g class='mp-lane' data-label='{_e(ln.label)}'><text x='4' y='{y + 15}'>{_e(_fit(ln.label, left - 10))}<title>{_e(ln.label)}</title></text>")
        for a, b, text, colour in ln.segments:
            sx, sw = left + a * scale, max((b - a) * scale, 3.0)
            out.append(f"<rect class='mp-seg' x='{sx:.1f}' y='{y + 4}' width='{sw:.1f}' height='{row_h - 8}' fill='{colour}'><title>{_e(ln.label)}: {_e(text)}</title></rect>")
        for x, kind, text in ln.markers:
            out.append(_marker(kind, left + x * scale, y + row_h / 2, f"{ln.label}: {text}"))
        out.append("</g>")
    _axis(out, left, plot_w, axis_y, span, lanes[0].axis)
    kinds = [k for k in _MARK if any(m[1] == k for ln in lanes for m in ln.markers)]
    _legend(out, kinds, 4, axis_y + 58)
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Summary charts of assess_cohort results


def _results_column(results: Any, name: str) -> List[Optional[str]]:
    """A result column as a list of str or None (empty), from a DataFrame, Table or dict."""
    mod = type(results).__module__
    if mod.startswith("pandas") and hasattr(results, "columns"):
        if name not in results.columns:
            raise ValueError(f"the results have no column `{name}` (pass the output of assess_cohort)")
        values: List[Any] = results[name].astype(object).tolist()
    elif mod.startswith("pyarrow") and hasattr(results, "column_names"):
        if name not in results.column_names:
            raise ValueError(f"the results have no column `{name}` (pass the output of assess_cohort)")
        values = results.column(name).to_pylist()
    elif isinstance(results, Mapping):
        if name not in results:
            raise ValueError(f"the results have no column `{name}` (pass the output of assess_cohort)")
        values = list(results[name])
    else:
        raise TypeError(f"results is the output of assess_cohort (DataFrame, Table or dict), not {type(results).__name__}")
    out: List[Optional[str]] = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v) or str(v) == "<NA>":
            out.append(None)
        else:
            out.append(str(v))
    return out


def _counts(values: List[Optional[str]], errors: List[Optional[str]], cats: Sequence[str], empty: str) -> Dict[str, int]:
    counts = {c: 0 for c in [*cats, empty, "row refused"]}
    for v, err in zip(values, errors):
        if err is not None:
            counts["row refused"] += 1
        elif v is None:
            counts[empty] += 1
        elif v in counts:
            counts[v] += 1
        else:
            raise ValueError(f"unexpected value {v!r} (expected one of {', '.join(cats)})")
    return counts


def stage_distribution_svg(results: Any, *, width: int = 760) -> str:
    """ISS, R-ISS and R2-ISS side by side (SVG bar chart of counts) from :func:`assess_cohort`'s
    output: every stage, "not computable" (missing inputs) and "row refused" (an input error) are
    counted, so the bars add up to the number of rows."""
    from .enums import IssStage, R2IssStage, RIssStage

    w = _width_arg(width)
    errors = _results_column(results, "error")
    groups = [
        ("ISS", _counts(_results_column(results, "iss"), errors, [s.value for s in IssStage], "not computable")),
        ("R-ISS", _counts(_results_column(results, "r_iss"), errors, [s.value for s in RIssStage], "not computable")),
        ("R2-ISS", _counts(_results_column(results, "r2_iss"), errors, [s.value for s in R2IssStage], "not computable")),
    ]
    n = len(errors)
    top, bottom, left = 40, 70, 40
    plot_h = 180
    height = top + plot_h + bottom
    plot_w = w - left - 20
    group_w = plot_w / len(groups)
    peak = max(1, max(v for _, c in groups for v in c.values()))
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='mp-chart mp-stage-chart' width='{w}' height='{height}' viewBox='0 0 {w} {height}' "
        "font-family='sans-serif' font-size='11' role='img'>",
        f"<title>Stage distribution ({n} rows)</title><rect width='{w}' height='{height}' fill='#fff'/>",
        f"<text x='4' y='16' font-weight='bold' font-size='13'>Stage distribution, {n} rows</text>",
        f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w:.1f}' y2='{top + plot_h}' stroke='#333'/>",
    ]
    for gi, (name, counts) in enumerate(groups):
        gx = left + gi * group_w
        bw = (group_w - 20) / len(counts)
        for bi, (cat, v) in enumerate(counts.items()):
            bx = gx + 10 + bi * bw
            bh = plot_h * v / peak
            colour = "#bbbbbb" if cat == "not computable" else "#e8a0a0" if cat == "row refused" else _LINE_COLOURS[bi % 4]
            out.append(
                f"<rect class='mp-bar' data-group='{name}' data-category='{_e(cat)}' data-count='{v}' x='{bx + 1:.1f}' y='{top + plot_h - bh:.1f}' "
                f"width='{bw - 2:.1f}' height='{bh:.1f}' fill='{colour}'><title>{name} {_e(cat)}: {v}</title></rect>"
            )
            out.append(f"<text x='{bx + bw / 2:.1f}' y='{top + plot_h - bh - 3:.1f}' text-anchor='middle'>{v}</text>")
            short = {"not computable": "n/c", "row refused": "err"}.get(cat, cat)
            out.append(f"<text x='{bx + bw / 2:.1f}' y='{top + plot_h + 13}' text-anchor='middle' fill='#333'>{_e(short)}</text>")
        out.append(f"<text x='{gx + group_w / 2:.1f}' y='{top + plot_h + 30}' text-anchor='middle' font-weight='bold'>{name}</text>")
    out.append(f"<text x='4' y='{height - 10}' fill='#555'>n/c = not computable (an input is missing; never assumed normal) · err = row refused (see its error)</text>")
    out.append("</svg>")
    return "".join(out)


def risk_by_definition_svg(results: Any, *, width: int = 760) -> str:
    """Cytogenetic risk under each definition side by side (SVG: one stacked bar per definition,
    standard / high / undetermined / row refused) from :func:`assess_cohort`'s output."""
    from .enums import RiskDefinition, RiskLevel

    w = _width_arg(width)
    errors = _results_column(results, "error")
    levels = [RiskLevel.STANDARD.value, RiskLevel.HIGH.value]
    colours = {"standard": "#2ca02c", "high": "#d62728", "undetermined": "#bbbbbb", "row refused": "#e8a0a0"}
    rows = []
    for d in RiskDefinition:
        vals = _results_column(results, f"risk_{d.value}")
        c = _counts([None if v == RiskLevel.UNDETERMINED.value else v for v in vals], errors, levels, "undetermined")
        rows.append((d.value, c))
    n = len(errors)
    left, top, row_h = 110, 34, 30
    plot_w = w - left - 20
    height = top + row_h * len(rows) + 50
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='mp-chart mp-risk-chart' width='{w}' height='{height}' viewBox='0 0 {w} {height}' "
        "font-family='sans-serif' font-size='11' role='img'>",
        f"<title>Cytogenetic risk by definition ({n} rows)</title><rect width='{w}' height='{height}' fill='#fff'/>",
        f"<text x='4' y='16' font-weight='bold' font-size='13'>Cytogenetic risk under each definition, {n} rows</text>",
    ]
    for i, (name, counts) in enumerate(rows):
        y = top + i * row_h
        out.append(f"<text x='4' y='{y + 17}'>{_e(name)}</text>")
        x = float(left)
        for cat, v in counts.items():
            bw = plot_w * v / max(n, 1)
            if v:
                out.append(
                    f"<rect class='mp-bar' data-group='{_e(name)}' data-category='{_e(cat)}' data-count='{v}' x='{x:.1f}' y='{y + 4}' "
                    f"width='{bw:.1f}' height='{row_h - 8}' fill='{colours[cat]}'><title>{_e(name)} {_e(cat)}: {v}</title></rect>"
                )
                if bw >= len(str(v)) * _CHAR_W + 4:
                    out.append(f"<text x='{x + bw / 2:.1f}' y='{y + 19}' text-anchor='middle' fill='#fff'>{v}</text>")
            x += bw
    lx = 4.0
    ly = top + row_h * len(rows) + 24
    for cat, colour in colours.items():
        out.append(f"<rect x='{lx:.1f}' y='{ly - 9}' width='10' height='10' fill='{colour}'/><text x='{lx + 14:.1f}' y='{ly}'>{_e(cat)}</text>")
        lx += 24 + len(cat) * _CHAR_W
    out.append("</svg>")
    return "".join(out)
