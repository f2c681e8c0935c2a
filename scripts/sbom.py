#!/usr/bin/env python3
"""CycloneDX 1.5 SBOM of the shipped libraries, from `cargo metadata` (no extra tool needed).

Usage: scripts/sbom.py [OUT.json]   (default: stdout)
Components: every crate in the normal (non-dev, non-build) dependency closure of the shipped
libraries -- the core (myeloma-pathway), the FHIR crate, the C library (myeloma-pathway-c:
libmyeloma_pathway.{a,so}) and the Python extension (myeloma-pathway-python) -- for Linux x86_64,
with version, licence, source and the registry checksum from Cargo.lock. Deterministic: the same
lock file gives the same bytes (no timestamp, no random serial number).
"""
import hashlib, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIPPED = ["myeloma-pathway", "myeloma-pathway-fhir", "myeloma-pathway-c", "myeloma-pathway-python"]


def main():
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", "x86_64-unknown-linux-gnu"],
        cwd=ROOT))
    pkgs = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    lock = open(os.path.join(ROOT, "Cargo.lock"), encoding="utf-8").read()
    checksums = {}
    for block in lock.split("[[package]]")[1:]:
        f = dict(line.split(" = ", 1) for line in block.strip().splitlines() if " = " in line)
        if "checksum" in f:
            checksums[(f["name"].strip('"'), f["version"].strip('"'))] = f["checksum"].strip('"')
    roots = [i for i, p in pkgs.items() if p["name"] in SHIPPED and i in meta["workspace_members"]]
    seen, stack, edges = set(), list(roots), {}
    while stack:
        i = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        deps = [d["pkg"] for d in nodes[i]["deps"] if any(k["kind"] is None for k in d["dep_kinds"])]
        edges[i] = sorted(deps)
        stack.extend(deps)

    def ref(i):
        p = pkgs[i]
        return f"pkg:cargo/{p['name']}@{p['version']}"

    comps = []
    for i in sorted(seen, key=lambda i: (pkgs[i]["name"], pkgs[i]["version"])):
        p = pkgs[i]
        c = {"type": "library", "bom-ref": ref(i), "name": p["name"], "version": p["version"], "purl": ref(i)}
        if p.get("license"):
            c["licenses"] = [{"expression": p["license"]}]
        if p.get("source"):
            c["externalReferences"] = [{"type": "distribution", "url": p["source"]}]
        ck = checksums.get((p["name"], p["version"]))
        if ck:
            c["hashes"] = [{"alg": "SHA-256", "content": ck}]
        comps.append(c)
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": {
            "component": {"type": "library", "name": "myeloma-pathway", "version": pkgs[roots[0]]["version"]},
            "properties": [{"name": "cargo.lock.sha256",
                            "value": hashlib.sha256(lock.encode()).hexdigest()}],
        },
        "components": comps,
        "dependencies": [{"ref": ref(i), "dependsOn": [ref(d) for d in edges[i]]} for i in sorted(edges, key=ref)],
    }
    text = json.dumps(bom, indent=1, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        open(sys.argv[1], "w", encoding="utf-8").write(text)
    else:
        sys.stdout.write(text)
    print(f"sbom: {len(comps)} components", file=sys.stderr)


if __name__ == "__main__":
    main()
