//! A project document names its sources (publication, label, identifier), nothing else: no
//! pointer to a file outside the repository, no build-machine path, and in the knowledge base no
//! source number of an outside list, and every citation with its section and reference.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (two levels above this crate).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The repository's tracked files (`git ls-files`), or, without git, the files under the
/// documented trees (skipping build output and hidden directories).
fn tracked_files() -> Vec<PathBuf> {
    let root = root();
    if let Ok(out) = Command::new("git").arg("-C").arg(&root).arg("ls-files").arg("-z").output() {
        if out.status.success() {
            return String::from_utf8_lossy(&out.stdout)
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(|p| root.join(p))
                .collect();
        }
    }
    let mut files = vec![root.join("README.md")];
    let mut stack: Vec<PathBuf> =
        ["crates", "bindings", "docs", "tests", "examples"].iter().map(|d| root.join(d)).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "target" && !name.starts_with('.') && name != "node_modules" {
                    stack.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// The forbidden pointers, built from parts so that this file does not contain them.
fn forbidden() -> [String; 3] {
    let cr = ["clinical", "-reference"].concat();
    [format!("{cr} §"), format!("{cr}.md"), ["evidence", "-checks.md #"].concat()]
}

/// Absolute build-machine paths on a line: `/work/…` or `/home/…` not inside a URL (a URL's
/// `/home/` follows a host or path character; an absolute path starts a word).
fn absolute_paths(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for dir in ["/work/", "/home/"] {
        for (i, _) in line.match_indices(dir) {
            let before = line[..i].chars().next_back();
            let in_url = before.is_some_and(|c| c.is_alphanumeric() || "._-/~%".contains(c));
            if !in_url {
                found.push(dir);
            }
        }
    }
    found
}

/// Every `file:line: what` that breaks the rule, in the given `(name, text)` files.
fn offences<'a>(files: impl IntoIterator<Item = (String, &'a str)>) -> Vec<String> {
    let forbidden = forbidden();
    let mut out = Vec::new();
    for (name, text) in files {
        for (n, line) in text.lines().enumerate() {
            for f in &forbidden {
                if line.contains(f.as_str()) {
                    out.push(format!("{name}:{}: {f}", n + 1));
                }
            }
            for p in absolute_paths(line) {
                out.push(format!("{name}:{}: absolute path {p}", n + 1));
            }
        }
    }
    out
}

/// A source number of the outside list: `S` and one to three digits as a whole word (`S7`,
/// `S134`). A DOI such as `10.1016/S1470-2045(14)…` has four digits and is not one.
fn source_numbers(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    for (i, _) in text.match_indices('S') {
        let word_start = i == 0 || !(b[i - 1] as char).is_alphanumeric();
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let end = i + 1 + digits;
        let word_end = end == b.len() || !(b[end] as char).is_alphanumeric();
        if word_start && (1..=3).contains(&digits) && word_end {
            found.push(text[i..end].to_string());
        }
    }
    found
}

#[test]
fn no_tracked_text_file_points_outside_the_repository_or_at_a_build_machine_path() {
    let this = Path::new(file!()).file_name().unwrap().to_owned();
    let texts: Vec<(String, String)> = tracked_files()
        .into_iter()
        .filter(|p| p.file_name() != Some(this.as_os_str()))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let name = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
            Some((name, text))
        })
        .collect();
    assert!(texts.len() > 100, "only {} tracked text files found", texts.len());
    let bad = offences(texts.iter().map(|(n, t)| (n.clone(), t.as_str())));
    assert!(bad.is_empty(), "pointers outside the repository or machine paths:\n{}", bad.join("\n"));
}

#[test]
fn the_repository_scan_finds_each_forbidden_pointer() {
    let [section, file, check] = forbidden();
    let planted = format!(
        "fine: https://www.example.org/home/page and kb `iss-2005`\n{section}2.1\nsee {file}\n{check}3\n\
         built in /work/wt/x\nlog at \"/home/user/y\"\n"
    );
    let bad = offences([("planted.md".to_string(), planted.as_str())]);
    assert_eq!(
        bad,
        [
            format!("planted.md:2: {section}"),
            format!("planted.md:3: {file}"),
            format!("planted.md:4: {check}"),
            "planted.md:5: absolute path /work/".to_string(),
            "planted.md:6: absolute path /home/".to_string(),
        ]
    );
}

#[test]
fn every_citation_names_its_section_and_the_identifiers_of_what_was_read() {
    let kb = myeloma_pathway::KnowledgeBase::embedded();
    let mut bad = Vec::new();
    for c in kb.citations() {
        if c.section.trim().is_empty() {
            bad.push(format!("{}: empty section", c.key));
        }
        if c.reference.trim().is_empty() {
            bad.push(format!("{}: empty reference", c.key));
        }
        for s in source_numbers(&c.reference).into_iter().chain(source_numbers(&c.section)) {
            bad.push(format!("{}: source number {s} of an outside list", c.key));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn a_source_number_is_found_and_a_doi_or_trial_name_is_not() {
    assert_eq!(source_numbers("S1, S2; see S134"), ["S1", "S2", "S134"]);
    assert!(source_numbers("doi:10.1016/S1470-2045(14)70442-5; SWOG S0777; S2352-3026; SU1").is_empty());
}
