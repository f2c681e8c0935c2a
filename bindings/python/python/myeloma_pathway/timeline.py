"""Seeing results: the treatment timeline as SVG and the plan as HTML.

Presentation only. Positions are computed from the knowledge base's regimen (cycle length, the
days of each drug, the cycles each drug applies to, the course duration) as the core serialises
it; nothing here decides what is given.
"""

from __future__ import annotations

import html
import json
import math
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

from . import _native

if TYPE_CHECKING:  # pragma: no cover
    from ._model import Plan
    from ._native import KnowledgeBase

__all__ = ["regimen", "regimen_timeline_svg", "plan_timeline_svg", "plan_html"]

# Drawing window for open-ended courses (until progression), in days: about 24 weeks.
_OPEN_ENDED_WINDOW_DAYS = 168
_MAX_CYCLES_DRAWN = 40

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


def _cycles_to_draw(reg: Dict[str, Any], cycles: Optional[int]) -> Tuple[int, str]:
    length = max(1, int(reg.get("cycle_length_days", 1)))
    duration = reg.get("duration", {})
    kind = duration.get("kind")
    if cycles is not None:
        n, note = int(cycles), f"{int(cycles)} cycles drawn"
    elif kind == "cycles":
        n, note = int(duration.get("count", 1)), f"{duration.get('count')} cycles as studied"
    elif kind == "months":
        months = int(duration.get("count", 1))
        n, note = math.ceil(months * 30.44 / length), f"{months} months"
    elif kind == "single":
        n, note = 1, "single administration"
    else:
        n = max(1, math.ceil(_OPEN_ENDED_WINDOW_DAYS / length))
        note = "until progression or unacceptable toxicity (first cycles drawn)"
    return max(1, min(n, _MAX_CYCLES_DRAWN)), note


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
) -> str:
    """A regimen's calendar as SVG: one row per drug, a bar or tick on each dosing day, cycles
    shaded along a time axis in days, the phase as a band on top, and an optional marker (the
    next decision) after a given cycle.

    ``step_up`` (an option's ``step_up``: jurisdiction and doses by day) is drawn as a lead-in
    row; the cycles start on the day of its last dose (the first treatment dose)."""
    reg = regimen(regimen_id)
    if reg is None:
        return f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='30'><text x='4' y='20'>unknown regimen {_e(regimen_id)}</text></svg>"
    length = max(1, int(reg.get("cycle_length_days", 1)))
    n, note = _cycles_to_draw(reg, cycles)
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
    if isinstance(option, int):
        return options[option]
    for o in options:
        if o.regimen_id == option:
            return o
    raise KeyError(f"no option with regimen id `{option}` in this plan")


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
        g = plan.basis.to_dict().get("guideline", {})
        k = g.get("induction_cycles_before_assessment")
        if isinstance(k, int):
            marker = k
            label = f"{plan.next_decision.when}: {plan.next_decision.action}"
    return regimen_timeline_svg(
        o.regimen_id, phase=shown_phase, cycles=cycles, marker_after_cycle=marker, marker_label=label, step_up=o.step_up
    )


def plan_html(plan: "Plan") -> str:
    """The plan as an HTML card for notebooks."""
    rows = []
    for o in plan.options:
        cites = ", ".join(c.key for c in o.citations)
        cond = f"<br><i>if {_e(o.condition)}</i>" if o.condition else ""
        rows.append(
            f"<tr><td>{o.rank}</td><td><b>{_e(o.name)}</b> <code>{_e(o.regimen_id)}</code><br><small>{_e(o.course)}</small>{cond}</td>"
            f"<td>{_e(o.action)}</td><td>{'<br>'.join(_e(s) for s in o.schedule)}</td><td>{_e(cites)}</td></tr>"
        )
    excluded = "".join(f"<li><code>{_e(x.regimen_id)}</code>: {_e(x.reason)}</li>" for x in plan.excluded)
    missing = "".join(f"<li><code>{_e(m.field)}</code> — {_e(m.test)} (for {_e(m.needed_for)})</li>" for m in plan.missing_inputs)
    warnings = "".join(f"<li><b>{_e(w.code)}</b>: {_e(w.message)}</li>" for w in plan.warnings)
    st = plan.staging
    b = plan.basis
    parts = [
        "<div class='myeloma-pathway' style='font-family:sans-serif'>",
        f"<h4 style='margin:4px 0'>Plan — {_e(_PHASE_LABEL.get(plan.phase.value, plan.phase.value))}, line {plan.line}</h4>",
        f"<div>{_e(plan.position.description)}</div>",
        f"<div>Transplant eligibility: <b>{_e(plan.transplant_eligibility.eligibility.value)}</b> · "
        f"risk ({_e(plan.risk.definition.value)}): <b>{_e(plan.risk.level.value)}</b> · "
        f"ISS {_e(st.iss.stage or '—')} · R-ISS {_e(st.r_iss.stage or '—')} · R2-ISS {_e(st.r2_iss.stage or '—')}</div>",
        "<table><tr><th>rank</th><th>option</th><th>action</th><th>schedule</th><th>citations</th></tr>",
        "".join(rows),
        "</table>",
        f"<div><b>Next decision</b>: {_e(plan.next_decision.when)} — {_e(plan.next_decision.action)}</div>",
    ]
    if plan.options:
        parts.append(plan_timeline_svg(plan))
    if warnings:
        parts.append(f"<div><b>Warnings</b><ul>{warnings}</ul></div>")
    if missing:
        parts.append(f"<div><b>Missing inputs</b><ul>{missing}</ul></div>")
    if excluded:
        parts.append(f"<details><summary>Not offered ({len(plan.excluded)})</summary><ul>{excluded}</ul></details>")
    parts.append(
        "<div style='font-size:smaller;color:#555'>myeloma-pathway "
        f"{_e(b.library_version)} · knowledge base {_e(b.kb_version)} · sha256 {_e(b.kb_sha256[:12])}… · "
        "decision support for clinicians, not a medical device</div></div>"
    )
    return "".join(parts)
