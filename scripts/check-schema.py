#!/usr/bin/env python3
"""Validate every example patient and every non-error golden patient against docs/patient.schema.json,
and check the schema refuses what the library refuses (unknown keys, missing units). Then run every
golden case through `mmpath case` and validate each plan against docs/plan.schema.json, and every
other output (each assessment, the pathway state, the calendar, the knowledge-base summary) of every
golden case against its definition in docs/outputs.schema.json.

The schemas are generated from the Rust types (crates/myeloma-pathway/src/schema.rs); a drift test
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
    subprocess.run([str(root / "scripts" / "cargo-build")], cwd=root, check=True)
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

# Every other output: each golden patient through each assessment, against its branch of
# docs/outputs.schema.json (the branch titled with the output's name).
import tempfile
outputs = json.loads((root / "docs/outputs.schema.json").read_text())
branch = {b["title"]: b["$ref"] for b in outputs["anyOf"]}
validators = {}
for name, ref in branch.items():
    one = dict(outputs); one.pop("anyOf"); one["$ref"] = ref
    validators[name] = jsonschema.Draft202012Validator(one)
def check_output(name, label, doc, want_valid=True):
    global v
    v = validators[name]
    check(label, doc, want_valid)
kb = json.loads(subprocess.run([mmpath, "kb"], capture_output=True, text=True, check=True).stdout)
check_output("kb", "kb summary", kb)
check_output("kb", "kb summary with a key the schema does not list", {**kb, "extra": 1}, False)
assessments = ["stage", "risk", "risk-compare", "eligibility", "diagnose", "response"]
counts = {n: 0 for n in assessments + ["plan", "pathway-state", "calendar"]}
with tempfile.TemporaryDirectory() as tmp:
    for f in sorted((root / "tests/golden").glob("*.json")):
        case = json.loads(f.read_text())
        if case["expect"].get("error") is not None:
            continue
        pf = pathlib.Path(tmp) / "patient.json"
        pf.write_text(json.dumps(case["patient"]))
        extra = []
        if case.get("guideline") is not None:
            gf = pathlib.Path(tmp) / "guideline.json"
            gf.write_text(json.dumps(case["guideline"]))
            extra = ["--guideline", str(gf)]
        for name in assessments:
            out = subprocess.run([mmpath, name, str(pf), "--json"] + extra, capture_output=True, text=True)
            doc = json.loads(out.stdout or "null")
            if not isinstance(doc, dict) or "error" in doc:
                continue
            counts[name] += 1
            check_output(name, f"{name} of {f.name}", doc)
        out = subprocess.run([mmpath, "case", str(f)], capture_output=True, text=True)
        plan = json.loads(out.stdout)
        if "position" in plan:
            counts["plan"] += 1
            check_output("plan", f"plan of {f.name} (outputs schema)", plan)
            counts["pathway-state"] += 1
            check_output("pathway-state", f"pathway state of {f.name}", plan["position"]["state"])
            if plan["options"]:
                out = subprocess.run([mmpath, "calendar", str(pf), "--json", "--start", "2025-01-06",
                                      "--cycles", "2"] + extra, capture_output=True, text=True)
                doc = json.loads(out.stdout or "null")
                if isinstance(doc, dict) and "error" not in doc:
                    counts["calendar"] += 1
                    check_output("calendar", f"calendar of {f.name}", doc)
for name, n in counts.items():
    if n == 0:
        failed += 1
        print(f"FAIL no golden case gave a {name} output to validate")
for ev in ({"event": "therapy_started", "regimen": "vrd"}, {"event": "cycle_completed"},
           {"event": "response_assessed", "response": "vgpr"}, {"event": "mrd_assessed", "status": "negative"}):
    check_output("event", f"event {ev['event']}", ev)
check_output("event", "event of an unknown kind", {"event": "surgery"}, False)
check_output("event", "event with a key the schema does not list", {"event": "cycle_completed", "cycles": 2}, False)
print(f"schema: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
