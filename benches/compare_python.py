#!/usr/bin/env python3
"""Four ways to stage and risk-assess one synthetic cohort, in one run on one machine.

  (a) baseline: a straightforward pure-Python implementation, called row by row;
  (b) baseline: the same rules vectorised with numpy over pandas columns;
  (c) the library's Python columnar API, ``myeloma_pathway.assess_columnar(pyarrow.Table)``
      (wall time from Python: the Arrow C-data import, the Rust call and the export);
  (d) the Rust batch call alone: the seconds the native function spends inside
      ``myeloma_pathway_arrow::assess_columnar`` during (c), measured in Rust
      (``time.Instant`` around the call; the import/export through the C data interface excluded).

The rules of (a) and (b) are written here from the cited sources, independently of the library:
ISS (Greipp 2005, KB citation ``iss-2005``: I = β2M < 3.5 mg/L and albumin ≥ 3.5 g/dL; III = β2M
≥ 5.5 mg/L; II otherwise), R2-ISS (D'Agostino 2022, ``r2-iss-2022``: ISS II 1 point, ISS III 1.5,
del(17p) 1, high LDH 1, t(4;14) 1, 1q+ 0.5; groups I 0, II 0.5–1, III 1.5–2.5, IV 3–5), cytogenetic
risk under the article's definition (``article-pathway``: del(17p), t(4;14), 1q+) and IMWG 2016
(``imwg-2016-risk``: t(4;14), t(14;16), t(14;20), del(17p), 1q+, non-hyperdiploidy). The project's
rule for missing inputs is kept: a result is given when no missing value could change it, else it
is empty (risk: "undetermined"); an untested abnormality is never read as absent.

Before anything is timed, (a) and (b) must agree with the library on every row of every size:
the script fails loudly (AssertionError naming the row) if they do not. These are labelled
baselines, not the library.

    python benches/compare_python.py          # 1k, 100k, 1M rows
    python benches/compare_python.py --quick  # 1k rows (scripts/test-python)
"""

from __future__ import annotations

import argparse
import math
import platform
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd
import pyarrow as pa

import myeloma_pathway as mp
from myeloma_pathway import _native

STATUSES = ["not_tested", "not_detected", "detected"]
CYTO = ["del_17p", "t_4_14", "t_14_16", "gain_1q", "t_14_20", "hyperdiploidy"]


def synthetic(n: int, seed: int = 13) -> pd.DataFrame:
    """β2M, albumin, LDH with its ULN and six cytogenetic statuses; ~10% of each cell missing
    (a missing status is null = not tested)."""
    rng = np.random.default_rng(seed)

    def maybe(x: np.ndarray) -> np.ndarray:
        x = x.astype(np.float64)
        x[rng.random(n) < 0.1] = np.nan
        return x

    ldh = maybe(np.round(rng.uniform(100, 600, n)))
    uln = np.where(np.isnan(ldh), np.nan, np.round(rng.uniform(200, 280, n)))
    frame: Dict[str, Any] = {
        "beta2_microglobulin_mg_l": maybe(np.round(rng.uniform(0.5, 12.0, n), 1)),
        "albumin_g_dl": maybe(np.round(rng.uniform(1.5, 5.5, n), 1)),
        "ldh_u_l": ldh,
        "ldh_uln_u_l": uln,
    }
    for c in CYTO:
        codes = rng.choice([-1, 1, 2], size=n, p=[0.1, 0.6, 0.3])  # -1 = null
        frame[c] = pd.Categorical.from_codes(codes, categories=STATUSES)
    return pd.DataFrame(frame)


# ---- (a) pure Python, row by row -------------------------------------------------------------

def iss_py(b2m: Optional[float], alb: Optional[float]) -> Optional[str]:
    if b2m is None:
        return None
    if b2m >= 5.5:
        return "III"
    if alb is None:
        return "II" if b2m >= 3.5 else None
    return "I" if (b2m < 3.5 and alb >= 3.5) else "II"


def r2_group(halves: int) -> str:
    return "I" if halves == 0 else "II" if halves <= 2 else "III" if halves <= 5 else "IV"


ISS_HALVES = {"I": 0, "II": 2, "III": 3}


def r2_py(b2m: Optional[float], alb: Optional[float], d17: str, t414: str, q1: str, ldh_high: Optional[bool]) -> Tuple[Optional[str], Optional[float]]:
    s = iss_py(b2m, alb)
    if s is not None:
        lo = hi = ISS_HALVES[s]
    elif b2m is not None:  # β2M < 3.5 without albumin: ISS I or II
        lo, hi = 0, 2
    elif alb is not None and alb < 3.5:  # no β2M, albumin rules out ISS I
        lo, hi = 2, 3
    else:
        lo, hi = 0, 3
    for status, h in ((d17, 2), (t414, 2), (q1, 1)):
        if status == "detected":
            lo += h
            hi += h
        elif status == "not_tested":
            hi += h
    if ldh_high is None:
        hi += 2
    elif ldh_high:
        lo += 2
        hi += 2
    g = r2_group(lo)
    return (g if g == r2_group(hi) else None), (lo / 2 if lo == hi else None)


def level_py(states: List[str]) -> str:
    if "met" in states:
        return "high"
    return "undetermined" if "unknown" in states else "standard"


def state(status: str) -> str:
    return {"detected": "met", "not_detected": "not_met"}.get(status, "unknown")


def pure_python(rows: List[Tuple[Any, ...]]) -> Dict[str, List[Any]]:
    out: Dict[str, List[Any]] = {"iss": [], "r2_iss": [], "r2_iss_points": [], "risk_article": [], "risk_imwg2016": []}
    for b2m, alb, ldh, uln, d17, t414, t1416, q1, t1420, hd in rows:
        ldh_high = None if ldh is None or uln is None else ldh > uln
        g, pts = r2_py(b2m, alb, d17, t414, q1, ldh_high)
        out["iss"].append(iss_py(b2m, alb))
        out["r2_iss"].append(g)
        out["r2_iss_points"].append(pts)
        out["risk_article"].append(level_py([state(d17), state(t414), state(q1)]))
        hyper = {"detected": "not_met", "not_detected": "met"}.get(hd, "unknown")
        out["risk_imwg2016"].append(level_py([state(t414), state(t1416), state(t1420), state(d17), state(q1), hyper]))
    return out


def python_rows(df: pd.DataFrame) -> List[Tuple[Any, ...]]:
    """The cohort as Python rows (None = missing), as a row-by-row caller would have it."""
    num = [[None if math.isnan(x) else x for x in df[c].tolist()] for c in ("beta2_microglobulin_mg_l", "albumin_g_dl", "ldh_u_l", "ldh_uln_u_l")]
    cyto = [["not_tested" if not isinstance(x, str) else x for x in df[c].tolist()] for c in CYTO]
    return list(zip(*num, *cyto))


# ---- (b) numpy / pandas, vectorised ---------------------------------------------------------

def vectorised(df: pd.DataFrame) -> Dict[str, np.ndarray]:
    b2m = df["beta2_microglobulin_mg_l"].to_numpy()
    alb = df["albumin_g_dl"].to_numpy()
    ldh = df["ldh_u_l"].to_numpy()
    uln = df["ldh_uln_u_l"].to_numpy()
    code = {c: df[c].cat.codes.to_numpy() for c in CYTO}  # -1 not tested (null), 0 not tested, 1 no, 2 yes
    det = {c: code[c] == 2 for c in CYTO}
    unk = {c: code[c] <= 0 for c in CYTO}
    has_b, has_a = ~np.isnan(b2m), ~np.isnan(alb)
    iii = has_b & (b2m >= 5.5)
    i = has_b & has_a & (b2m < 3.5) & (alb >= 3.5)
    ii = has_b & ~iii & ~i & (has_a | (b2m >= 3.5))
    iss = np.full(len(df), None, dtype=object)
    iss[i], iss[ii], iss[iii] = "I", "II", "III"
    iss_h = np.where(iii, 3, np.where(ii, 2, 0))
    known = i | ii | iii
    lo = np.where(known, iss_h, np.where(~has_b & has_a & (alb < 3.5), 2, 0))
    hi = np.where(known, iss_h, np.where(has_b, 2, 3))
    for c, h in (("del_17p", 2), ("t_4_14", 2), ("gain_1q", 1)):
        lo = lo + h * det[c]
        hi = hi + h * (det[c] | unk[c])
    has_l = ~np.isnan(ldh) & ~np.isnan(uln)
    high = has_l & (ldh > uln)
    lo = lo + 2 * high
    hi = hi + 2 * (high | ~has_l)

    def group(h: np.ndarray) -> np.ndarray:
        return np.select([h == 0, h <= 2, h <= 5], [0, 1, 2], 3)

    names = np.array(["I", "II", "III", "IV"], dtype=object)
    g_lo, g_hi = group(lo), group(hi)
    r2 = np.where(g_lo == g_hi, names[g_lo], None)
    pts = np.where(lo == hi, lo / 2.0, np.nan)

    def level(met: np.ndarray, unknown: np.ndarray) -> np.ndarray:
        return np.where(met, "high", np.where(unknown, "undetermined", "standard")).astype(object)

    art = ["del_17p", "t_4_14", "gain_1q"]
    imwg = ["t_4_14", "t_14_16", "t_14_20", "del_17p", "gain_1q"]
    hd_met, hd_unk = code["hyperdiploidy"] == 1, unk["hyperdiploidy"]
    return {
        "iss": iss,
        "r2_iss": r2,
        "r2_iss_points": pts,
        "risk_article": level(np.any([det[c] for c in art], axis=0), np.any([unk[c] for c in art], axis=0)),
        "risk_imwg2016": level(
            np.any([det[c] for c in imwg], axis=0) | hd_met, np.any([unk[c] for c in imwg], axis=0) | hd_unk
        ),
    }


# ---- (c)/(d) the library --------------------------------------------------------------------

def library(table: pa.Table) -> Tuple[Dict[str, List[Any]], float]:
    out, rust_seconds = _native.assess_columnar(table, None)
    cols = {c: out.column(c).to_pylist() for c in ("iss", "r2_iss", "r2_iss_points", "risk_article", "risk_imwg2016", "error")}
    return cols, rust_seconds


def agree(name: str, got: Dict[str, Any], lib: Dict[str, List[Any]]) -> None:
    assert all(e is None for e in lib["error"]), "the synthetic cohort has no bad cells"
    for col in ("iss", "r2_iss", "r2_iss_points", "risk_article", "risk_imwg2016"):
        g = list(got[col])
        want = lib[col]
        assert len(g) == len(want), f"{name}: {col} has {len(g)} rows, library {len(want)}"
        for k, (x, y) in enumerate(zip(g, want)):
            if isinstance(x, float) and math.isnan(x):
                x = None
            if x != y:
                raise AssertionError(f"{name} disagrees with the library: column {col} row {k}: {x!r} != {y!r}")


def best(f: Callable[[], Any], repeats: int) -> float:
    t = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1k rows only, one repeat")
    args = ap.parse_args()
    sizes = [1_000] if args.quick else [1_000, 100_000, 1_000_000]
    print(f"myeloma-pathway {_native.LIBRARY_VERSION}; Python {platform.python_version()}, numpy {np.__version__}, "
          f"pandas {pd.__version__}, pyarrow {pa.__version__}; {platform.machine()}, {__import__('os').cpu_count()} CPUs")
    print("rows/s, best of the repeats; (d) is measured inside Rust during (c)")
    print(f"{'rows':>9} | {'(a) pure Python':>16} | {'(b) numpy':>12} | {'(c) library':>12} | {'(d) Rust call':>13} | "
          f"{'(c)/(b)':>8} | {'(c)/(a)':>8} | {'(c)/(d)':>8}")
    for n in sizes:
        df = synthetic(n)
        table = pa.Table.from_pandas(df, preserve_index=False)
        rows = python_rows(df)
        lib, _ = library(table)
        agree("(a) pure Python", pure_python(rows), lib)
        agree("(b) numpy", vectorised(df), lib)
        reps = 1 if args.quick else (5 if n <= 100_000 else 3)
        t_a = best(lambda: pure_python(rows), 1 if n >= 1_000_000 else reps)
        t_b = best(lambda: vectorised(df), reps)
        rust: List[float] = []

        def call_c() -> None:
            rust.append(_native.assess_columnar(table, None)[1])

        t_c = best(call_c, reps)
        t_d = min(rust)
        a, b, c, d = (n / t for t in (t_a, t_b, t_c, t_d))
        print(f"{n:>9} | {a:>16,.0f} | {b:>12,.0f} | {c:>12,.0f} | {d:>13,.0f} | {c / b:>7.2f}x | {c / a:>7.1f}x | {c / d:>7.2f}x")
    print("ratios of rows/s: (c)/(b) and (c)/(a) = how many times faster the library is than each baseline; "
          "(c)/(d) = the library from Python against the Rust call alone (1.00x = no overhead)")


if __name__ == "__main__":
    main()
