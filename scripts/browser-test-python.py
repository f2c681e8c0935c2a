#!/usr/bin/env python3
"""The plan card and the charts in a real browser (headless Chromium).

For several golden cases: render the plan card (every <details> opened, so the timeline and the
history swimmer are laid out too) and, for a cohort, the swimmer plot and the summary charts, to
HTML under target/browser/; load each page in headless Chromium with a small script that checks
that every section the plan has is present, in the clinician's order (warnings before options),
and that nothing overflows (the page is no wider than the window, no element sticks out of the
card, no SVG text runs past its drawing); print the check's JSON into the DOM (--dump-dom) and take
a screenshot of each page (kept under target/browser/ as test artefacts).

Run with the Python that has myeloma_pathway installed (scripts/test-python calls it). Exits 1 on
the first failing page, naming the page and the check.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List

import myeloma_pathway as mp
from myeloma_pathway import plots

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
OUT = (OUT if OUT.is_absolute() else ROOT / OUT) / "browser"
WIDTH = 1000

CASES = [
    "article-fit-60-standard-risk-induction",  # options, timeline, counterfactuals
    "diagnosis-not-established-gets-no-options-and-names-tests",  # warning first, no options
    "article-fit-60-on-lenalidomide-maintenance",  # pathway history: the event swimmer
    "relapse-dated-first-relapse-len-refractory-eu",  # dated history: lines of therapy
    "neuropathy-grade-3-excludes-bortezomib",  # exclusions
    "empty-record-reports-what-is-missing",  # missing inputs everywhere
]

CHECK_JS = r"""
<script>
document.querySelectorAll('details').forEach(d => d.open = true);
const r = {sections: [], problems: []};
const W = window.innerWidth;
if (document.documentElement.scrollWidth > W + 1) r.problems.push('page wider than the window: ' + document.documentElement.scrollWidth + ' > ' + W);
document.querySelectorAll('[data-section]').forEach(e => r.sections.push(e.getAttribute('data-section')));
document.querySelectorAll('.mp-card').forEach(card => {
  const c = card.getBoundingClientRect();
  card.querySelectorAll('*').forEach(e => {
    const b = e.getBoundingClientRect();
    if (b.width && (b.right > c.right + 1 || b.left < c.left - 1)) r.problems.push('sticks out of the card: <' + e.tagName.toLowerCase() + '> ' + (e.textContent || '').slice(0, 60));
  });
});
document.querySelectorAll('svg').forEach(svg => {
  const s = svg.getBoundingClientRect();
  if (s.right > W + 1) r.problems.push('svg wider than the window: ' + (svg.querySelector('title') || {}).textContent);
  svg.querySelectorAll('text').forEach(t => {
    const b = t.getBoundingClientRect();
    if (b.width && (b.right > s.right + 1 || b.left < s.left - 1 || b.bottom > s.bottom + 1)) r.problems.push('text runs past its drawing: ' + t.textContent.slice(0, 60));
  });
});
r.svgs = document.querySelectorAll('svg').length;
r.height = Math.ceil(document.documentElement.scrollHeight);
const pre = document.createElement('pre'); pre.id = 'mp-check'; pre.textContent = JSON.stringify(r);
document.body.appendChild(pre);
</script>
"""


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{margin:8px;font-family:sans-serif;font-size:14px;max-width:100%}</style></head><body>"
        f"{body}{CHECK_JS}</body></html>"
    )


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("browser test: chromium not found (scripts/test-python installs it with apt-get)")


def run(browser: str, url: str, *args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}", *args, url]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        sys.exit(f"browser test: chromium failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


def check(browser: str, name: str, text: str, expected: List[str]) -> Dict[str, Any]:
    path = OUT / f"{name}.html"
    path.write_text(text, encoding="utf-8")
    url = path.as_uri()
    dom = run(browser, url, f"--window-size={WIDTH},900", "--dump-dom")
    start = dom.find("<pre id=\"mp-check\">")
    if start < 0:
        sys.exit(f"browser test: {name}: the check script did not run")
    raw = dom[start + len("<pre id=\"mp-check\">"): dom.index("</pre>", start)]
    result: Dict[str, Any] = json.loads(html.unescape(raw))
    missing = [s for s in expected if s not in result["sections"]]
    if missing:
        sys.exit(f"browser test: {name}: sections missing: {missing} (present: {result['sections']})")
    order = result["sections"]
    if "warning" in order and "options" in order and order.index("warning") > order.index("options"):
        sys.exit(f"browser test: {name}: the warnings come after the options")
    if result["problems"]:
        sys.exit(f"browser test: {name}: " + "; ".join(result["problems"][:10]))
    run(browser, url, f"--window-size={WIDTH},{min(max(result['height'], 300), 12000)}", f"--screenshot={OUT / (name + '.png')}")
    return result


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    browser = chromium()
    golden = ROOT / "tests" / "golden"
    histories = {}
    for name in CASES:
        case = json.loads((golden / f"{name}.json").read_text(encoding="utf-8"))
        plan = mp.recommend(case["patient"], case.get("guideline"))
        expected = ["position", "diagnosis", "eligibility", "risk", "staging", "options", "next-decision", "basis"]
        expected += ["warning"] if plan.warnings else []
        expected += ["timeline"] if plan.options else []
        expected += ["excluded"] if plan.excluded else []
        expected += ["missing"] if plan.missing_inputs else []
        expected += ["counterfactuals"] if plan.counterfactuals else []
        if case["patient"].get("history") or case["patient"].get("treatment_history"):
            expected.append("history")
            if not case["patient"].get("treatment_history"):
                histories[name] = case["patient"]
        r = check(browser, name, page(name, plan._repr_html_()), expected)
        print(f"browser: {name}: {len(r['sections'])} sections, {r['svgs']} svg, no overflow")
    # A cohort: the swimmer of every golden patient with a pathway history, and the summary charts
    # of a synthetic cohort (with refused rows and missing inputs).
    for p in sorted(golden.glob("*.json")):
        c = json.loads(p.read_text(encoding="utf-8"))
        if c.get("patient", {}).get("history") and not c["patient"].get("treatment_history") and "expect_error" not in json.dumps(c.get("expect", {})):
            histories.setdefault(p.stem, c["patient"])
    lanes = {}
    for k, v in histories.items():
        try:
            mp.recommend(v)
        except mp.MyelomaPathwayError:
            continue
        lanes[k[:40]] = v
    import numpy as np

    rng = np.random.default_rng(7)
    n = 60
    cohort = {
        "age_years": rng.integers(45, 85, n).astype(float),
        "albumin_g_dl": rng.uniform(2.8, 4.6, n).round(1),
        "beta2_microglobulin_mg_l": rng.uniform(1.5, 9.0, n).round(1),
        "ldh_u_l": rng.uniform(120, 400, n).round(0),
        "ldh_uln_u_l": np.full(n, 250.0),
        "del_17p": np.array(rng.choice(["detected", "not_detected", None], n), dtype=object),
        "t_4_14": np.array(rng.choice(["detected", "not_detected", None], n), dtype=object),
        "gain_1q": np.array(rng.choice(["detected", "not_detected"], n), dtype=object),
    }
    cohort["age_years"][3] = 250  # one refused row
    res = mp.assess_cohort(cohort, plan=False)
    body = plots.cohort_swimmer_svg(lanes) + "<br>" + plots.stage_distribution_svg(res) + "<br>" + plots.risk_by_definition_svg(res)
    r = check(browser, "cohort-charts", page("cohort charts", body), [])
    if r["svgs"] != 3:
        sys.exit(f"browser test: cohort-charts: {r['svgs']} drawings, expected 3")
    print(f"browser: cohort-charts: swimmer of {len(lanes)} patients, stage and risk charts, no overflow")
    print(f"browser: screenshots in {OUT}")


if __name__ == "__main__":
    main()
