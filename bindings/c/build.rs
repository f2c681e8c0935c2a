//! Give the shared library a SONAME that encodes the ABI version (docs/c-api.md, "ABI and
//! versioning policy"): `libmyeloma_pathway.so.0.<minor>` before 1.0, `.so.<major>` after, so
//! the dynamic loader refuses to pair a program with an incompatible library.

fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        let abi = if major == "0" { format!("0.{minor}") } else { major };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmyeloma_pathway.so.{abi}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
