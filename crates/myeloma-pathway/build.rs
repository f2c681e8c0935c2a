//! Checks the embedded knowledge base when the library is built, and emits typed identifiers for
//! its citations and regimens, so that a citation or regimen the code names and the knowledge base
//! lacks is a compile error, not a silent skip (house style: "policy is data").
//!
//! The check here is structural (ids unique, every reference resolves); the full typed parse runs
//! in the test suite and at every load, with the same references checked again.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

fn camel(id: &str) -> String {
    id.split(['-', '.', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn ids(v: &serde_json::Value, list: &str, key: &str) -> Result<Vec<String>, String> {
    let arr = v.get(list).and_then(|a| a.as_array()).ok_or(format!("knowledge base: `{list}` is not a list"))?;
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, e) in arr.iter().enumerate() {
        let id = e.get(key).and_then(|k| k.as_str()).ok_or(format!("knowledge base: {list}[{i}].{key} missing"))?;
        if !seen.insert(id.to_string()) {
            return Err(format!("knowledge base: {list}: duplicate {key} `{id}`"));
        }
        out.push(id.to_string());
    }
    Ok(out)
}

fn emit_enum(out: &mut String, name: &str, doc: &str, ids: &[String]) {
    let _ = writeln!(out, "/// {doc}\n///\n/// Generated from the embedded knowledge base by `build.rs`.");
    let _ = writeln!(out, "#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\n#[non_exhaustive]");
    let _ = writeln!(out, "pub enum {name} {{");
    for id in ids {
        let _ = writeln!(out, "    /// `{id}`\n    {},", camel(id));
    }
    let _ = writeln!(out, "}}\n\nimpl {name} {{");
    let _ = writeln!(
        out,
        "    /// Every identifier, in knowledge-base order.\n    pub const ALL: [{name}; {}] = [",
        ids.len()
    );
    for id in ids {
        let _ = writeln!(out, "        {name}::{},", camel(id));
    }
    let _ = writeln!(out, "    ];\n\n    /// The identifier as written in the knowledge base.\n    pub const fn key(self) -> &'static str {{\n        match self {{");
    for id in ids {
        let _ = writeln!(out, "            {name}::{} => \"{id}\",", camel(id));
    }
    let _ = writeln!(out, "        }}\n    }}\n}}\n");
}

fn main() -> Result<(), String> {
    let path = PathBuf::from("kb/knowledge-base.json");
    println!("cargo::rerun-if-changed=kb/knowledge-base.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("knowledge base: {e}"))?;
    let citations = ids(&v, "citations", "key")?;
    let regimens = ids(&v, "regimens", "id")?;
    let cset: BTreeSet<&str> = citations.iter().map(String::as_str).collect();
    let rset: BTreeSet<&str> = regimens.iter().map(String::as_str).collect();
    // Every citation key anywhere in regimens and rankings must exist.
    fn walk<'a>(v: &'a serde_json::Value, path: String, out: &mut Vec<(String, &'a str)>) {
        match v {
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    if k == "citations" {
                        for c in x.as_array().into_iter().flatten() {
                            if let Some(s) = c.as_str() {
                                out.push((format!("{path}.{k}"), s));
                            }
                        }
                    } else if k == "citation" {
                        if let Some(s) = x.as_str() {
                            out.push((format!("{path}.{k}"), s));
                        }
                    } else {
                        walk(x, format!("{path}.{k}"), out);
                    }
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut refs = Vec::new();
    for list in ["regimens", "rankings"] {
        if let Some(x) = v.get(list) {
            walk(x, list.to_string(), &mut refs);
        }
    }
    for (at, key) in refs {
        if !cset.contains(key) {
            return Err(format!("knowledge base: {at} names unknown citation `{key}`"));
        }
    }
    for (i, r) in v.get("rankings").and_then(|r| r.as_array()).into_iter().flatten().enumerate() {
        for id in r.get("order").and_then(|o| o.as_array()).into_iter().flatten() {
            let id = id.as_str().unwrap_or_default();
            // `observation` is the reserved id of active monitoring (kb::ranking::OBSERVATION).
            if !rset.contains(id) && id != "observation" {
                return Err(format!("knowledge base: rankings[{i}].order names unknown regimen `{id}`"));
            }
        }
    }
    let mut out = String::new();
    emit_enum(&mut out, "CitationId", "A citation of the embedded knowledge base.", &citations);
    emit_enum(&mut out, "RegimenId", "A regimen of the embedded knowledge base.", &regimens);
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let _ = writeln!(out, "/// SHA-256 of the embedded knowledge-base text, computed at build time.\npub const EMBEDDED_SHA256: &str = \"{hex}\";");
    let dest = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?).join("kb_ids.rs");
    std::fs::write(&dest, out).map_err(|e| format!("{}: {e}", dest.display()))?;
    Ok(())
}
