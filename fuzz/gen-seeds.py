#!/usr/bin/env python3
"""Generate the fuzz seed corpora from the golden cases and the examples (never copied by hand).

Usage: fuzz/gen-seeds.py OUT_DIR [--to-bundle PATH]
  OUT_DIR/<target>/<sha1>  one seed per file, for every target in fuzz/Cargo.toml.
  --to-bundle: the record-to-bundle example binary (crates/myeloma-pathway-fhir/examples); the
  FHIR seeds are every valid golden and example record written as a Bundle by it.
"""
import glob, hashlib, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N_ASSESSMENTS = 7  # api::Assessment::ALL; assessment_json picks byte % 7
UNITS = [b"mg/dL", b"umol/L", b" g/L ", b"\xc2\xb5mol/L", b"U/L", b"t(4;14)", b"del(17p)", b"gain(1q)"]


def cases():
    """(name, patient text, guideline text or None) for every example and golden case."""
    for p in sorted(glob.glob(os.path.join(ROOT, "examples/patients/*.json"))):
        yield os.path.basename(p), open(p, encoding="utf-8").read(), None
    for p in sorted(glob.glob(os.path.join(ROOT, "tests/golden/*.json"))):
        case = json.load(open(p, encoding="utf-8"))
        g = case.get("guideline")
        yield os.path.basename(p), json.dumps(case["patient"], indent=1), (json.dumps(g) if g is not None else None)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out, to_bundle = args[0], None
    if "--to-bundle" in args:
        to_bundle = args[args.index("--to-bundle") + 1]
    seeds = {t: set() for t in ["patient_json", "guideline_json", "kb_json", "assessment_json", "fhir_bundle", "c_api"]}
    kb = open(os.path.join(ROOT, "crates/myeloma-pathway/kb/knowledge-base.json"), "rb").read()
    seeds["kb_json"].add(kb)
    seeds["c_api"].add(b"\x03" + kb)
    seeds["guideline_json"].add(b"{}")
    for i, (name, patient, guideline) in enumerate(cases()):
        pb = patient.encode()
        gb = guideline.encode() if guideline else b""
        seeds["patient_json"].add(pb)
        if guideline:
            seeds["guideline_json"].add(gb)
        # Every assessment for every case would be 7x the corpus; rotate so each kind gets ~1/7.
        seeds["assessment_json"].add(bytes([i % N_ASSESSMENTS]) + pb + (b"\0" + gb if guideline else b""))
        # C: op 0 (mp_assess_json_len, kind (i % 8) + 1), op 1 (handles + plan getters),
        # op 2 (handles + _len setters with a unit or abnormality name).
        kind = (i % 8) + 1
        seeds["c_api"].add(bytes([(kind << 2) | 0]) + pb + b"\0" + gb)
        seeds["c_api"].add(b"\x01" + pb + (b"\0" + gb if guideline else b""))
        seeds["c_api"].add(bytes([2 | ((i % 4) << 4)]) + pb + b"\0" + gb + b"\0" + UNITS[i % len(UNITS)])
        if to_bundle:
            r = subprocess.run([to_bundle, "/dev/stdin"], input=pb, capture_output=True)
            if r.returncode == 0:  # bad-input golden cases do not make a bundle
                seeds["fhir_bundle"].add(r.stdout.strip())
    for target, items in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            os.remove(os.path.join(d, old))
        for s in items:
            open(os.path.join(d, hashlib.sha1(s).hexdigest()), "wb").write(s)
        print(f"{target}: {len(items)} seeds")


if __name__ == "__main__":
    main()
