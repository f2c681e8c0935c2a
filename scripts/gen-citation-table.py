#!/usr/bin/env python3
"""Write the citation table at the end of docs/clinical-basis.md from the knowledge base.

The table is generated, not mirrored: every citation of crates/myeloma-pathway/kb/knowledge-base.json
in file order (key, source, version, the source's own section, evidence tag, and the identifiers
of the documents read).

    python3 scripts/gen-citation-table.py          # rewrite the table
    python3 scripts/gen-citation-table.py --check  # exit 1 if the checked-in table differs (scripts/test)
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "crates/myeloma-pathway/kb/knowledge-base.json"
DOC = ROOT / "docs/clinical-basis.md"
HEADING = "## Citations\n"


def cell(v: object) -> str:
    return str(v if v is not None else "").replace("|", "\\|").replace("\n", " ")


def table() -> str:
    kb = json.loads(KB.read_text(encoding="utf-8"))
    rows = [
        HEADING,
        "",
        "Generated from the knowledge base (every citation, in file order) by `scripts/gen-citation-table.py`.",
        "",
        "| key | source | version | section | evidence | reference |",
        "|---|---|---|---|---|---|",
    ]
    for c in kb["citations"]:
        rows.append(
            f"| `{cell(c['key'])}` | {cell(c.get('source'))} | {cell(c.get('version'))} | {cell(c.get('section'))} "
            f"| {cell(c.get('evidence'))} | {cell(c.get('reference'))} |"
        )
    return "\n".join(rows).replace(HEADING + "\n", HEADING, 1) + "\n"


def main() -> int:
    doc = DOC.read_text(encoding="utf-8")
    i = doc.find(HEADING)
    if i < 0:
        print(f"{DOC}: no '{HEADING.strip()}' section", file=sys.stderr)
        return 1
    want = doc[:i] + table()
    if "--check" in sys.argv[1:]:
        if want != doc:
            print("docs/clinical-basis.md: the citation table differs from the knowledge base: run scripts/gen-citation-table.py", file=sys.stderr)
            return 1
        print(f"citation table: {json.loads(KB.read_text(encoding='utf-8'))['citations'].__len__()} citations, current")
        return 0
    DOC.write_text(want, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
