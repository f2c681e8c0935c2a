"""Seeing results: the treatment timeline as SVG and the plan as HTML.

Presentation only. Positions are computed from the knowledge base's regimen (cycle length, the
days of each drug, the cycles each drug applies to, the course duration) as the core serialises
it; nothing here decides what is given.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

from . import _native

if TYPE_CHECKING:  # pragma: no cover
    from ._model import Plan
    from ._native import KnowledgeBase

__all__ = ["regimen", "regimen_timeline_svg", "plan_timeline_svg", "plan_html", "MAX_CYCLES_DRAWN"]

# Drawing window for open-ended courses (until progression), in days: about 24 weeks.
_OPEN_ENDED_WINDOW_DAYS = 168

_PHASE_LABEL = {
    "work_up": "work-up",
    "induction": "induction",
    "consolidation_transplant": "consolidation (transplant)",
    "consolidation_extended_induction": "consolidation (extended induction)",
    "maintenance": "maintenance",
    "observation": "observation",
    "relapse": "relapse",
}

_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def regimen(regimen_id: str, *, kb: Optional["KnowledgeBase"] = None) -> Optional[Dict[str, Any]]:
    """A regimen of the knowledge base (default: the embedded one) as a dict (``None`` if unknown)."""
    text = _native.regimen(regimen_id) if kb is None else kb.regimen_json(regimen_id)
    if text is None:
        return None
    result: Dict[str, Any] = json.loads(text)
    return result


# The most cycles one drawing holds (a course longer than this is drawn up to here, and says so).
MAX_CYCLES_DRAWN = 120


def _cycles_to_draw(reg: Dict[str, Any], cycles: Optional[int], total: Optional[int]) -> Tuple[int, str]:
    """(cycles to draw, label). ``total`` is the course's length in cycles as the core computes
    it (``None``: until progression). Nothing is cut silently: a drawing shorter than the course
    says how much of it is drawn."""
    length = max(1, int(reg.get("cycle_length_days", 1)))
    duration = reg.get("duration", {})
    kind = duration.get("kind")
    if cycles is not None:
        if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
            raise ValueError(f"cycles must be a whole number of at least 1, not {cycles!r}")
        if cycles > MAX_CYCLES_DRAWN:
            raise ValueError(f"cycles={cycles}: at most {MAX_CYCLES_DRAWN} cycles can be drawn")
        if total is not None and cycles > total:
            raise ValueError(f"cycles={cycles}: the course of {reg.get('name', '')} has {total} cycles")
    if kind == "months":
        whole = f"{duration.get('count')} months = {total} cycles of {length} days"
    elif kind == "cycles":
        whole = f"{total} cycles as studied"
    elif kind == "single":
        whole = "single administration"
    else:
        whole = "until progression or unacceptable toxicity"
    if total is None:
        n = cycles if cycles is not None else max(1, math.ceil(_OPEN_ENDED_WINDOW_DAYS / length))
        return n, f"{whole} (first {n} cycles drawn)"
    n = total if cycles is None else cycles
    if n > MAX_CYCLES_DRAWN:
        return MAX_CYCLES_DRAWN, f"{whole} (first {MAX_CYCLES_DRAWN} drawn)"
    if n < total:
        return n, f"{whole} (first {n} of {total} drawn)"
    return n, whole


def _day_spans(days: List[Any]) -> List[Tuple[int, int]]:
    spans = []
    for d in days:
        if isinstance(d, list) and len(d) == 2:
            spans.append((int(d[0]), int(d[1])))
        else:
            spans.append((int(d), int(d)))
    return spans


def _in_scope(scope: Dict[str, Any], cycle: int) -> bool:
    lo = int(scope.get("from", 1))
    hi = scope.get("to")
    return cycle >= lo and (hi is None or cycle <= int(hi))


def regimen_timeline_svg(
    regimen_id: str,
    *,
    phase: str = "",
    cycles: Optional[int] = None,
    marker_after_cycle: Optional[int] = None,
    marker_label: str = "",
    step_up: Optional[Dict[str, Any]] = None,
    width: int = 900,
    kb: Optional["KnowledgeBase"] = None,
    setting: Optional[str] = None,
) -> str:
    """A regimen's calendar as SVG: one row per drug, a bar or tick on each dosing day, cycles
    shaded along a time axis in days, the phase as a band on top, and an optional marker (the
    next decision) after a given cycle.

    ``step_up`` (an option's ``step_up``: jurisdiction and doses by day) is drawn as a lead-in
    row; the cycles start on the day of its last dose (the first treatment dose).

    The whole course is drawn: a fixed number of cycles, or a fixed time in the cycles the core
    counts (24 months of 28-day cycles = 26 cycles). A course that runs until progression is drawn
    for its first cycles, and the label says so; ``cycles`` draws fewer, labelled "first n of N".
    ``setting`` (``transplant_eligible``, ``transplant_ineligible``, ``relapsed``) draws the course
    the knowledge base gives for that setting, where it has one (VRd before transplant: the
    DETERMINATION cycles); a plan's timeline uses the course its option was offered with.

    Raises ``KeyError`` for an unknown regimen and ``ValueError`` for ``cycles`` below 1, above
    the course or above :data:`MAX_CYCLES_DRAWN`."""
    from ._native import KnowledgeBase

    base = kb if kb is not None else KnowledgeBase.embedded()
    reg = regimen(regimen_id, kb=base)
    if reg is None:
        raise KeyError(f"no regimen `{regimen_id}` in the knowledge base (see KnowledgeBase.regimen_ids())")
    if isinstance(width, bool) or not isinstance(width, int) or width < 300:
        raise ValueError(f"width must be a whole number of pixels, at least 300, not {width!r}")
    if setting is not None:
        course = next((c for c in reg.get("courses", []) if c.get("setting") == setting), None)
        if course is not None:
            reg = dict(reg, cycle_length_days=course["cycle_length_days"], duration=course["duration"])
            if course.get("components"):
                reg["components"] = course["components"]
    length = max(1, int(reg.get("cycle_length_days", 1)))
    n, note = _cycles_to_draw(reg, cycles, base.course_cycles(regimen_id, setting))
    steps = list((step_up or {}).get("doses", []))
    lead_in = max((int(d.get("day", 1)) for d in steps), default=1) - 1
    # Days before day 1 (lymphodepletion before a CAR-T infusion) are drawn before cycle 1.
    first_day = min((a for c in reg.get("components", []) for a, _ in _day_spans(c.get("days", []))), default=1)
    pre = max(0, 1 - first_day)
    lead_in += pre
    total_days = lead_in + n * length
    if reg.get("duration", {}).get("kind") == "single":
        total_days = max(total_days, lead_in + 7)
    components = list(reg.get("components", []))
    drugs: List[str] = []
    for c in components:
        if c["drug"] not in drugs:
            drugs.append(c["drug"])

    left, right, top = 170, 20, 8
    phase_h, cyc_h, row_h, axis_h, foot_h = 22, 18, 22, 30, 18
    plot_w = width - left - right
    rows = len(drugs) + (1 if steps else 0)
    height = top + phase_h + cyc_h + row_h * max(1, rows) + axis_h + foot_h
    scale = plot_w / max(1, total_days)

    def x(day0: float) -> float:
        return left + day0 * scale

    out: List[str] = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' font-family='sans-serif' font-size='11' role='img'>",
        f"<title>{_e(reg['name'])} timeline</title>",
    ]
    # Phase band.
    y0 = top
    out.append(f"<rect x='{left}' y='{y0}' width='{plot_w:.1f}' height='{phase_h - 4}' fill='#dbe9f6' stroke='#7da7d9'/>")
    label = f"{_PHASE_LABEL.get(phase, phase)}: " if phase else ""
    out.append(f"<text x='{left + 6}' y='{y0 + 13}' font-weight='bold'>{_e(label + reg['name'])} — {_e(note)}</text>")
    out.append(f"<text x='4' y='{y0 + 13}' font-weight='bold'>{_e(reg['name'])}</text>")
    # Cycle band.
    y1 = y0 + phase_h
    if lead_in:
        out.append(f"<rect x='{x(0):.1f}' y='{y1}' width='{lead_in * scale:.1f}' height='{cyc_h + row_h * max(1, rows)}' fill='#fff4e0'/>")
        out.append(f"<text x='{x(0) + 3:.1f}' y='{y1 + 12}' fill='#a60'>{'step-up' if steps else 'before day 1'}</text>")
    for k in range(n):
        fill = "#f2f2f2" if k % 2 == 0 else "#e6e6e6"
        out.append(
            f"<rect x='{x(lead_in + k * length):.1f}' y='{y1}' width='{length * scale:.1f}' "
            f"height='{cyc_h + row_h * max(1, rows)}' fill='{fill}'/>"
        )
        if length * scale >= 18:
            out.append(f"<text x='{x(lead_in + k * length) + 3:.1f}' y='{y1 + 12}' fill='#555'>C{k + 1}</text>")
    out.append(f"<text x='4' y='{y1 + 12}' fill='#555'>cycle ({length} days)</text>")
    # Drug rows.
    y2 = y1 + cyc_h
    for i, drug in enumerate(drugs):
        colour = _PALETTE[i % len(_PALETTE)]
        ry = y2 + i * row_h
        out.append(f"<text x='4' y='{ry + 15}'>{_e(drug)}</text>")
        for comp in (c for c in components if c["drug"] == drug):
            dose = comp.get("dose", {})
            tip = f"{drug} {dose.get('amount', '')} {dose.get('unit', '')} {str(comp.get('route', '')).upper()}"
            for k in range(n):
                if not _in_scope(comp.get("cycles", {}), k + 1):
                    continue
                for a, b in _day_spans(comp.get("days", [])):
                    start = lead_in + k * length + (a - 1)
                    w = max((b - a + 1) * scale, 2.0)
                    out.append(
                        f"<rect x='{x(start):.1f}' y='{ry + 4}' width='{w:.1f}' height='{row_h - 8}' "
                        f"fill='{colour}' rx='1'><title>{_e(tip)}, C{k + 1} D{a}{'' if a == b else f'–{b}'}</title></rect>"
                    )
    if steps:
        ry = y2 + len(drugs) * row_h
        out.append(f"<text x='4' y='{ry + 15}' fill='#a60'>step-up ({_e(str((step_up or {}).get('jurisdiction', '')).upper())})</text>")
        for d in steps:
            day = int(d.get("day", 1))
            dose = d.get("dose", {})
            cx, cy = x(pre + day - 1) + 1, ry + row_h / 2
            out.append(
                f"<path d='M{cx - 5:.1f},{cy:.1f} L{cx:.1f},{cy - 6:.1f} L{cx + 5:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} Z' fill='#e08000'>"
                f"<title>day {day}: {_e(d.get('label', ''))}, {_e(dose.get('amount', ''))} {_e(dose.get('unit', ''))}</title></path>"
            )
    # Next-decision marker.
    y3 = y2 + row_h * max(1, rows)
    if marker_after_cycle is not None and 0 < marker_after_cycle <= n:
        mx = x(lead_in + marker_after_cycle * length)
        out.append(f"<line x1='{mx:.1f}' y1='{y1}' x2='{mx:.1f}' y2='{y3}' stroke='#c00' stroke-width='2' stroke-dasharray='4,2'/>")
        # Keep the label inside the drawing: to the left of the marker when it is past the middle.
        anchor, tx = ("end", mx - 3) if mx > left + plot_w / 2 else ("start", mx + 3)
        text = marker_label if len(marker_label) <= 110 else marker_label[:109] + "…"
        out.append(f"<text x='{tx:.1f}' y='{y3 + 28}' fill='#c00' text-anchor='{anchor}'>{_e(text)}</text>")
    elif marker_after_cycle is not None and marker_after_cycle > n:
        # Said, not dropped: the decision falls after the cycles drawn here.
        text = f"after cycle {marker_after_cycle}, beyond the {n} cycles drawn: {marker_label}"
        text = text if len(text) <= 130 else text[:129] + "…"
        out.append(f"<text x='{left}' y='{y3 + 28}' fill='#c00'>{_e(text)}</text>")
    # Time axis in days.
    out.append(f"<line x1='{left}' y1='{y3}' x2='{left + plot_w}' y2='{y3}' stroke='#333'/>")
    step = 7 if total_days <= 120 else 28 if total_days <= 600 else 84
    for d in range(0, total_days + 1, step):
        out.append(f"<line x1='{x(d):.1f}' y1='{y3}' x2='{x(d):.1f}' y2='{y3 + 4}' stroke='#333'/>")
        out.append(f"<text x='{x(d):.1f}' y='{y3 + 15}' text-anchor='middle' fill='#333'>{d}</text>")
    out.append(f"<text x='4' y='{y3 + 15}' fill='#333'>days elapsed</text>")
    out.append("</svg>")
    return "".join(out)


def _pick_option(plan: "Plan", option: Union[int, str, None]) -> Any:
    options = plan.options
    if not options:
        return None
    if option is None:
        return options[0]
    if isinstance(option, bool) or (not isinstance(option, (int, str))):
        raise TypeError(f"option is an index into plan.options or a regimen id, not {type(option).__name__}")
    if isinstance(option, int):
        if not 0 <= option < len(options):
            raise IndexError(f"option {option}: this plan has {len(options)} options (indices 0 to {len(options) - 1})")
        return options[option]
    for o in options:
        if o.regimen_id == option:
            return o
    raise KeyError(f"no option with regimen id `{option}` in this plan")


def _decision_cycle(when: str, name: str) -> Optional[int]:
    """The cycle after which the core's next decision falls for the option called ``name``
    (``None`` when the text does not say)."""
    m = re.match(r"after cycle (\d+) of induction(?: \((.*)\))?$", when)
    if m is None:
        return None
    n = int(m.group(1))
    for part in (m.group(2) or "").split("; ")[1:]:
        if part.startswith(f"{name}: after cycle "):
            tail = part[len(name) + len(": after cycle "):]
            return int(tail) if tail.isdigit() else None
    return n


def plan_timeline_svg(plan: "Plan", option: Union[int, str, None] = None, cycles: Optional[int] = None) -> str:
    """The timeline of one of the plan's options (default: the first)."""
    o = _pick_option(plan, option)
    if o is None:
        return "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='30'><text x='4' y='20'>no option to draw</text></svg>"
    phase = plan.phase.value
    shown_phase = "induction" if (phase == "work_up" and o.action == "start") else phase
    marker: Optional[int] = None
    label = ""
    if shown_phase == "induction" and o.action == "start":
        # The response assessment that decides consolidation comes after the guideline's number
        # of induction cycles (the plan's own next decision, drawn where it falls).
        # The core's next decision names the cycle for each option whose course decides
        # differently ("after cycle 3 of induction (VRd; D-VRd (PERSEUS): after cycle 4)"); the
        # marker goes where it says for this option, never at a number taken from elsewhere.
        k = _decision_cycle(plan.next_decision.when, o.name)
        if k is not None:
            marker = k
            label = f"after cycle {k}: {plan.next_decision.action}"
    inputs = getattr(plan, "_inputs", None)
    kb = inputs[2] if inputs is not None and len(inputs) > 2 else None
    # The course the option was offered with: the one whose description its course text quotes.
    reg = regimen(o.regimen_id, kb=kb) or {}
    setting = next((c["setting"] for c in reg.get("courses", []) if c.get("description") and c["description"] in o.course), None)
    return regimen_timeline_svg(
        o.regimen_id,
        phase=shown_phase,
        cycles=cycles,
        marker_after_cycle=marker,
        marker_label=label,
        step_up=o.step_up,
        kb=kb,
        setting=setting,
    )


_CARD_CSS = (
    "<style>"
    ".mp-card{font-family:var(--jp-ui-font-family,sans-serif);color:var(--jp-content-font-color1,inherit);"
    "max-width:100%;overflow-wrap:anywhere;line-height:1.35}"
    ".mp-card h4{margin:4px 0}.mp-card h5{margin:10px 0 2px 0}"
    ".mp-card .mp-warn{border-left:4px solid #d62728;padding:2px 8px;margin:6px 0;"
    "background:rgba(214,39,40,.08)}"
    ".mp-card .mp-opt{border-top:1px solid rgba(128,128,128,.35);padding:4px 0}"
    ".mp-card .mp-muted{opacity:.75;font-size:smaller}"
    ".mp-card ul{margin:2px 0 2px 18px;padding:0}"
    ".mp-card svg{max-width:100%;height:auto;background:#fff;color:#000}"
    "</style>"
)


def _stage_line(name: str, node: Dict[str, Any]) -> str:
    stage = node.get("stage")
    if stage is not None:
        return f"{_e(name)} <b>{_e(stage)}</b>"
    missing = [m.get("test") or m.get("field") for m in node.get("missing_inputs", [])]
    why = f": needs {', '.join(dict.fromkeys(str(m) for m in missing))}" if missing else ""
    return f"{_e(name)} <b>not computable</b>{_e(why)}"


def _reference(c: Dict[str, Any]) -> str:
    """A citation as a readable reference, linked where a DOI or PMID is written in it."""
    text = f"{c.get('source', '')} ({c.get('version', '')})"
    blob = " ".join(str(c.get(k, "")) for k in ("source", "reference", "section"))
    link = None
    m = re.search(r"\b(10\.\d{4,9}/[^\s;,)]+)", blob)
    if m:
        link = f"https://doi.org/{m.group(1)}"
    else:
        m = re.search(r"PMID:?\s*(\d{5,9})", blob)
        if m:
            link = f"https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/"
    body = f"<a href='{_e(link)}' target='_blank' rel='noopener'>{_e(text)}</a>" if link else _e(text)
    return f"{body} <span class='mp-muted'>[{_e(c.get('key', ''))}, {_e(c.get('evidence', ''))}]</span>"


def plan_html(plan: "Plan") -> str:
    """The plan as an HTML card for notebooks: what the text plan says, in the order a clinician
    reads it (position and diagnosis, warnings, eligibility, risk, staging, options with why,
    notes and sources, what is not offered, missing inputs, next decision, what would change the
    answer, basis). Built from the core's output; nothing here decides."""
    d = plan.to_dict()
    pos = d.get("position", {})
    dx = d.get("diagnosis", {})
    el = d.get("transplant_eligibility", {})
    rk = d.get("risk", {})
    st = d.get("staging", {})
    b = d.get("basis", {})
    kb = b.get("knowledge_base", {})
    phase = str(pos.get("phase", ""))
    out: List[str] = [_CARD_CSS, "<div class='mp-card myeloma-pathway'>"]
    out.append(
        f"<h4>Plan — {_e(_PHASE_LABEL.get(phase, phase))}, line {_e(pos.get('line', ''))}</h4>"
        f"<div data-section='position'><b>Position</b>: {_e(pos.get('description', ''))}</div>"
        f"<div data-section='diagnosis'><b>Diagnosis</b>: {_e(str(dx.get('class', '')).replace('_', ' '))} — {_e(dx.get('reason', ''))} "
        f"<span class='mp-muted'>[{_e(dx.get('criteria_version', ''))}]</span></div>"
    )
    for w in d.get("warnings", []):
        out.append(f"<div class='mp-warn' data-section='warning' data-code='{_e(w.get('code', ''))}'><b>Warning</b>: {_e(w.get('message', ''))}</div>")
    reasons = "; ".join(str(r) for r in el.get("reasons", []))
    out.append(f"<div data-section='eligibility'><b>Transplant eligibility</b>: {_e(el.get('eligibility', ''))}{f' ({_e(reasons)})' if reasons else ''}</div>")
    rcite = rk.get("citation") or {}
    deciding = "; ".join(str(x) for x in rk.get("deciding", []))
    out.append(
        f"<div data-section='risk'><b>Cytogenetic risk</b> ({_e(rk.get('definition', ''))}: {_e(rcite.get('source', ''))}): "
        f"<b>{_e(rk.get('level', ''))}</b>{f' because {_e(deciding)}' if deciding else ''}</div>"
    )
    if rk.get("not_assessable"):
        out.append(f"<div class='mp-muted'>not assessable with these data: {_e('; '.join(rk['not_assessable']))}</div>")
    r2 = dict(st.get("r2_iss", {}).get("staging", st.get("r2_iss", {})))
    out.append(
        "<div data-section='staging'><b>Staging</b>: "
        + " · ".join([_stage_line("ISS", st.get("iss", {})), _stage_line("R-ISS", st.get("r_iss", {})), _stage_line("R2-ISS", r2)])
        + "</div>"
    )
    options = d.get("options", [])
    out.append("<h5 data-section='options'>Options now</h5>" if options else "<h5 data-section='options'>Options now: none offered (see exclusions and next decision)</h5>")
    for o in options:
        cond = str(o.get("condition") or "")
        cond_html = f" <i>[{_e(cond)}]</i>" if cond else ""
        parts = [
            f"<div class='mp-opt'><b>{_e(o.get('rank'))}. {_e(o.get('action'))} {_e(o.get('name'))}</b>{cond_html} "
            f"<code>{_e(o.get('regimen_id'))}</code> <span class='mp-muted'>({_e(o.get('course', ''))})</span>"
        ]
        if o.get("schedule"):
            parts.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in o["schedule"]) + "</ul>")
        su = o.get("step_up")
        if su:
            steps = " → ".join(f"D{_e(x.get('day'))} {_e(x.get('dose', {}).get('amount', ''))} {_e(x.get('dose', {}).get('unit', ''))}" for x in su.get("doses", []))
            parts.append(f"<div>step-up ({_e(str(su.get('jurisdiction', '')).upper())}): {steps}; {_e(su.get('monitoring', ''))}</div>")
        for w in o.get("rationale", []):
            parts.append(f"<div>why: {_e(w)}</div>")
        for n in o.get("notes", []):
            parts.append(f"<div>note: {_e(n)}</div>")
        cites = o.get("citations", [])
        if cites:
            parts.append("<div>sources:<ul>" + "".join(f"<li>{_reference(c)}</li>" for c in cites) + "</ul></div>")
        parts.append("</div>")
        out.append("".join(parts))
    if options:
        try:
            svg = plan_timeline_svg(plan)
        except (KeyError, ValueError) as e:  # pragma: no cover - a KB without the regimen's calendar
            svg = f"<div class='mp-muted'>timeline not drawn: {_e(e)}</div>"
        out.append(f"<details data-section='timeline'><summary>Timeline of option 1</summary>{svg}</details>")
    inputs = getattr(plan, "_inputs", None)
    record = json.loads(inputs[0]) if inputs is not None else {}
    if record.get("treatment_history") or record.get("history"):
        from .plots import patient_swimmer_svg

        try:
            swim = patient_swimmer_svg(plan)
        except ValueError as e:
            swim = f"<div class='mp-muted'>history not drawn: {_e(e)}</div>"
        out.append(f"<details data-section='history'><summary>Treatment history so far</summary>{swim}</details>")
    excluded = d.get("excluded", [])
    if excluded:
        out.append("<h5 data-section='excluded'>Not offered</h5><ul>" + "".join(f"<li>{_e(x.get('name', x.get('regimen_id')))}: {_e(x.get('reason', ''))}</li>" for x in excluded) + "</ul>")
    missing = d.get("missing_inputs", [])
    if missing:
        out.append(
            "<h5 data-section='missing'>Missing inputs (never assumed normal)</h5><ul>"
            + "".join(f"<li><code>{_e(m.get('field'))}</code> — test: {_e(m.get('test'))} — needed for: {_e(m.get('needed_for'))}</li>" for m in missing)
            + "</ul>"
        )
    nd = d.get("next_decision", {})
    out.append(f"<div data-section='next-decision'><b>Next decision</b>: {_e(nd.get('when', ''))} — {_e(nd.get('action', ''))}</div>")
    cf = d.get("counterfactuals", [])
    if cf:
        out.append("<h5 data-section='counterfactuals'>What would change the answer</h5><ul>" + "".join(f"<li>{_e(c.get('change'))}: {_e(c.get('effect'))}</li>" for c in cf) + "</ul>")
    out.append(
        "<div class='mp-muted' data-section='basis'>Basis: myeloma-pathway "
        f"{_e(b.get('library_version', ''))}, knowledge base {_e(kb.get('version', ''))} (sha256 {_e(kb.get('sha256', ''))}) · "
        "decision support for clinicians, not a medical device</div></div>"
    )
    return "".join(out)
