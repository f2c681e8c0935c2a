//! The checked-in header is exactly what cbindgen generates from the source: a change to an
//! export or its doc comment without regenerating the header fails here.
//!
//! Regenerate with `MP_BLESS_HEADER=1 cargo test -p myeloma-pathway-c --test header`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn the_checked_in_header_matches_the_source() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("UTF-8 header");
    let path = crate_dir.join("include/myeloma_pathway.h");
    if std::env::var_os("MP_BLESS_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write the header");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != generated {
        let first = checked_in
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| checked_in.lines().count().min(generated.lines().count()));
        panic!(
            "bindings/c/include/myeloma_pathway.h is out of date (first difference at line {}).\n\
             Regenerate it: MP_BLESS_HEADER=1 cargo test -p myeloma-pathway-c --test header",
            first + 1
        );
    }
}
