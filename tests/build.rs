//! Extracts the README's usage example (the first `rust` block under "## Using the generated
//! client") into `$OUT_DIR/readme_example.rs`, so `tests/readme_example.rs` compiles and runs exactly
//! what a reader copies.

use std::path::Path;

fn main() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    println!("cargo:rerun-if-changed={}", readme.display());
    let text = std::fs::read_to_string(&readme).unwrap_or_default();
    let code = extract(&text).map(str::to_owned).unwrap_or_else(|| {
        "compile_error!(\"README.md has no ```rust block under `## Using the generated client`\");".to_owned()
    });
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("readme_example.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}

fn extract(readme: &str) -> Option<&str> {
    let section = &readme[readme.find("\n## Using the generated client\n")?..];
    let start = section.find("\n```rust\n")? + "\n```rust\n".len();
    let len = section[start..].find("\n```\n")?;
    Some(&section[start..start + len + 1])
}
