#!/usr/bin/env python3
"""Validate every example patient and every non-error golden patient against docs/patient.schema.json,
and check the schema refuses what the library refuses (unknown keys, missing units). Then run every
golden case through `mmpath case` and validate each plan against docs/plan.schema.json.

Both schemas are generated from the Rust types (crates/myeloma-pathway/src/schema.rs); a drift test
fails when the checked-in files differ. `MMPATH` names a built mmpath (default: built here)."""
import copy, json, os, pathlib, subprocess, sys
import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "docs/patient.schema.json").read_text())
v = jsonschema.Draft202012Validator(schema)
passed = failed = 0
def check(name, doc, want_valid):
    global passed, failed
    errs = list(v.iter_errors(doc))
    if (not errs) == want_valid:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: expected {'valid' if want_valid else 'invalid'}; {[e.message for e in errs][:3]}")
for f in sorted((root / "examples/patients").glob("*.json")):
    check(f.name, json.loads(f.read_text()), True)
for f in sorted((root / "tests/golden").glob("*.json")):
    case = json.loads(f.read_text())
    err = case["expect"].get("error")
    # Range and consistency errors are the library's job; the schema catches shape errors.
    if err is None or err.get("kind") in ("out_of_range", "inconsistent", "transition_refused"):
        if err is None or err.get("kind") == "transition_refused":
            check(f.name, case["patient"], True)
    elif err.get("kind") == "invalid_json":
        check(f.name, case["patient"], False)
check("unknown key", {"age": 60}, False)
check("albumin without unit", {"labs": {"albumin": {"value": 3.5}}}, False)
check("albumin in an unknown unit", {"labs": {"albumin": {"value": 3.5, "unit": "mmol/L"}}}, False)
check("unit case and micro sign are not significant", {"labs": {"creatinine": {"value": 90, "unit": "UMOL/L"}}}, True)
check("age below the range", {"age_years": 17}, False)
check("MRD sensitivity past the range",
      {"mrd": [{"date": "2025-01-01", "method": "ngs", "sensitivity_log10": 8, "sample": "bone_marrow",
                "result": "negative"}]}, False)
check("history event with a date", {"history": [{"event": "cycle_completed", "date": "2025-01-01"}]}, True)
check("history event with an unknown key", {"history": [{"event": "cycle_completed", "cycles": 2}]}, False)
check("not a date", {"mrd": [{"date": "2025-13-01", "method": "ngs", "sensitivity_log10": 5,
                              "sample": "bone_marrow", "result": "negative"}]}, False)

# Plans: every golden case that gives a plan, as the CLI prints it.
mmpath = os.environ.get("MMPATH")
if not mmpath:
    subprocess.run(["cargo", "build", "--quiet", "-p", "mmpath"], cwd=root, check=True)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", root / "target"))
    mmpath = str(target / "debug" / "mmpath")
plan_schema = json.loads((root / "docs/plan.schema.json").read_text())
v = jsonschema.Draft202012Validator(plan_schema)
plans = 0
some_plan = None
for f in sorted((root / "tests/golden").glob("*.json")):
    out = subprocess.run([mmpath, "case", str(f)], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    if "position" not in doc:
        continue  # an error case: the error JSON, not a plan
    plans += 1
    some_plan = some_plan or doc
    check(f"plan of {f.name}", doc, True)
if plans == 0:
    failed += 1
    print("FAIL no golden case gave a plan")
else:
    bad = copy.deepcopy(some_plan); bad["position"]["surprise"] = 1
    check("plan with a key the schema does not list", bad, False)
    bad = copy.deepcopy(some_plan); del bad["basis"]
    check("plan without its basis", bad, False)
    bad = copy.deepcopy(some_plan); bad["basis"]["plan_schema_version"] = "1"
    check("plan of another schema version", bad, False)
print(f"schema: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
