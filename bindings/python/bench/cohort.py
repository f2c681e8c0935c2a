"""Cohort throughput: `assess_cohort` against a per-row Python loop giving the same answers.

    python bindings/python/bench/cohort.py [N]

Synthetic data only. Prints rows per second for each way; numbers go in docs/python.md.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Dict, List

import numpy as np
import pandas as pd

import myeloma_pathway as mp


def synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    status = np.array(["detected", "not_detected", None], dtype=object)
    return pd.DataFrame({
        "age_years": rng.integers(45, 90, n), "sex": rng.choice(["female", "male"], n),
        "weight_kg": rng.normal(75, 12, n).round(1), "height_cm": rng.normal(170, 9, n).round(0),
        "ecog": rng.integers(0, 3, n), "charlson": rng.integers(0, 3, n),
        "katz_adl": rng.integers(4, 7, n), "lawton_iadl": rng.integers(5, 9, n),
        "creatinine_mg_dl": rng.lognormal(0.1, 0.35, n).round(2), "albumin_g_dl": rng.normal(3.6, 0.5, n).round(1),
        "beta2_microglobulin_mg_l": rng.lognormal(1.3, 0.5, n).round(1),
        "ldh_u_l": rng.normal(210, 60, n).round(0), "ldh_uln_u_l": np.full(n, 250.0),
        "del_17p": rng.choice(status, n, p=[0.1, 0.8, 0.1]), "t_4_14": rng.choice(status, n, p=[0.12, 0.78, 0.1]),
        "gain_1q": rng.choice(status, n, p=[0.3, 0.6, 0.1]),
    })


def record(row: Dict[str, Any]) -> Dict[str, Any]:
    labs = {
        "creatinine": {"value": row["creatinine_mg_dl"], "unit": "mg/dL"},
        "albumin": {"value": row["albumin_g_dl"], "unit": "g/dL"},
        "beta2_microglobulin": {"value": row["beta2_microglobulin_mg_l"], "unit": "mg/L"},
        "ldh": {"value": row["ldh_u_l"], "unit": "U/L"},
        "ldh_upper_limit_of_normal": {"value": row["ldh_uln_u_l"], "unit": "U/L"},
    }
    cyto = [{"abnormality": a, "status": row[a]} for a in ("del_17p", "t_4_14", "gain_1q") if row[a] is not None]
    return {
        "age_years": int(row["age_years"]), "sex": row["sex"], "weight_kg": row["weight_kg"], "height_cm": row["height_cm"],
        "ecog": int(row["ecog"]),
        "frailty": {"charlson": int(row["charlson"]), "katz_adl": int(row["katz_adl"]), "lawton_iadl": int(row["lawton_iadl"])},
        "labs": labs, "cytogenetics": cyto,
    }


def per_row_loop(df: pd.DataFrame) -> List[Any]:
    out = []
    for row in df.to_dict("records"):
        rec = record(row)
        try:
            plan = mp.recommend(rec)
            cmp = mp.compare_risk(rec)
            el = mp.eligibility(rec)
            out.append((plan.staging["iss"].stage, plan.options[0].regimen_id, [a.level for a in cmp.assessments], el.imwg_frailty.category))
        except mp.MyelomaPathwayError as e:
            out.append(str(e))
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    df = synthetic(n)
    mp.assess_cohort(df.head(100))  # warm up
    for threads in (1, None):
        t = time.perf_counter()
        mp.assess_cohort(df, threads=threads)
        dt = time.perf_counter() - t
        print(f"assess_cohort threads={threads or 'all'}: {n} rows in {dt:.2f} s = {n / dt:,.0f} rows/s")
    t = time.perf_counter()
    mp.assess_cohort(df, plan=False)
    dt = time.perf_counter() - t
    print(f"assess_cohort plan=False threads=all: {n} rows in {dt:.2f} s = {n / dt:,.0f} rows/s")
    m = min(n, 2000)
    t = time.perf_counter()
    per_row_loop(df.head(m))
    dt = time.perf_counter() - t
    print(f"per-row loop (recommend + compare_risk + eligibility): {m} rows in {dt:.2f} s = {m / dt:,.0f} rows/s")


if __name__ == "__main__":
    main()
