#!/usr/bin/env python3
"""Validate every example patient and every non-error golden patient against docs/patient.schema.json,
and check the schema refuses what the library refuses (unknown keys, missing units)."""
import json, pathlib, sys
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
print(f"schema: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
