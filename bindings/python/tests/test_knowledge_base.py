"""A knowledge base as a value: loaded from text or a file, passed as ``kb=``, refused naming
the entry when broken (never silently empty)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

import myeloma_pathway as mp
from conftest import FIT_60, REPO

KB_FILE = REPO / "crates" / "myeloma-pathway" / "kb" / "knowledge-base.json"


def _kb_dict() -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(KB_FILE.read_text(encoding="utf-8"))
    return data


def test_the_embedded_file_loads_with_the_embedded_identity() -> None:
    kb = mp.KnowledgeBase.from_file(KB_FILE)
    assert kb.sha256 == mp.kb_sha256() == mp.KnowledgeBase.embedded().sha256
    assert kb.version == mp.kb_version()
    assert "vrd" in kb.regimen_ids()


def test_a_loaded_knowledge_base_decides_and_the_basis_names_it() -> None:
    data = _kb_dict()
    data["version"] = data["version"] + "-centre"
    kb = mp.KnowledgeBase.from_json(json.dumps(data))
    assert kb.sha256 != mp.kb_sha256()
    plan = mp.recommend(FIT_60, kb=kb)
    assert plan.basis.kb_sha256 == kb.sha256
    assert plan.basis.kb_version == kb.version
    assert mp.stage(FIT_60, kb=kb).basis.kb_sha256 == kb.sha256
    assert mp.assess("risk", FIT_60, kb=kb).basis.kb_sha256 == kb.sha256
    # Same rules, same data: the same options as the embedded one.
    assert [o.regimen_id for o in plan.options] == [o.regimen_id for o in mp.recommend(FIT_60).options]
    assert plan.to_text() == mp.recommend(FIT_60).to_text().replace(mp.kb_sha256(), kb.sha256).replace(
        mp.kb_version(), kb.version
    )


def test_rankings_in_a_loaded_knowledge_base_change_the_order() -> None:
    data = _kb_dict()
    base = [o.regimen_id for o in mp.recommend(FIT_60).options]
    for r in data["rankings"]:
        r["order"] = list(reversed(r["order"]))
    kb = mp.KnowledgeBase.from_json(json.dumps(data))
    assert [o.regimen_id for o in mp.recommend(FIT_60, kb=kb).options] != base


def test_cohorts_take_the_knowledge_base_too() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"age_years": [60, 70]})
    kb = mp.KnowledgeBase.from_file(str(KB_FILE))
    out = mp.assess_cohort(df, kb=kb)
    assert out["error"].isna().all() and len(out) == 2


def test_a_regimen_naming_an_unknown_citation_is_refused_naming_the_entry() -> None:
    data = _kb_dict()
    data["regimens"][0]["evidence"][0]["citation"] = "no-such-citation"
    with pytest.raises(mp.UnknownIdentifierError) as e:
        mp.KnowledgeBase.from_json(json.dumps(data))
    assert e.value.field is not None and e.value.field.startswith("knowledge_base.regimens[0]")
    assert "no-such-citation" in str(e.value)


def test_a_ranking_naming_an_unknown_regimen_is_refused() -> None:
    data = _kb_dict()
    data["rankings"][0]["order"].append("no-such-regimen")
    with pytest.raises(mp.UnknownIdentifierError) as e:
        mp.KnowledgeBase.from_json(json.dumps(data))
    assert e.value.field == "knowledge_base.rankings[0].order"


def test_a_knowledge_base_lacking_a_regimen_the_rules_name_is_refused_not_empty() -> None:
    data = _kb_dict()
    data["regimens"] = [r for r in data["regimens"] if r["id"] != "vrd"]
    data["rankings"] = [dict(r, order=[i for i in r["order"] if i != "vrd"]) for r in data["rankings"]]
    with pytest.raises(mp.UnknownIdentifierError) as e:
        mp.KnowledgeBase.from_json(json.dumps(data))
    assert "vrd" in str(e.value)


def test_unknown_and_duplicate_keys_in_a_knowledge_base_are_refused_naming_the_path() -> None:
    with pytest.raises(mp.InvalidJsonError) as e:
        mp.KnowledgeBase.from_json('{"version": "1", "version": "2"}')
    assert e.value.field is not None and e.value.field.startswith("knowledge_base")
    with pytest.raises(mp.InvalidJsonError):
        mp.KnowledgeBase.from_json("[]")
    with pytest.raises(mp.InvalidJsonError):
        mp.KnowledgeBase.from_json("")


def test_a_missing_file_is_an_os_error_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(OSError) as e:
        mp.KnowledgeBase.from_file(missing)
    assert "nope.json" in str(e.value)


def test_kb_must_be_a_knowledge_base() -> None:
    with pytest.raises(TypeError):
        mp.recommend(FIT_60, kb="kb.json")  # type: ignore[arg-type]


def test_regimen_reads_the_given_knowledge_base() -> None:
    data = _kb_dict()
    data["regimens"][0]["name"] = "Renamed in this centre"
    kb = mp.KnowledgeBase.from_json(json.dumps(data))
    rid = data["regimens"][0]["id"]
    reg = mp.regimen(rid, kb=kb)
    assert reg is not None and reg["name"] == "Renamed in this centre"
    assert mp.regimen(rid) is not None and mp.regimen(rid)["name"] != "Renamed in this centre"  # type: ignore[index]
