//! No partial writes: a failure while writing leaves the previous crate intact, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

/// Every file below `dir`, by path relative to `base`, with its bytes.
pub fn snapshot(dir: &Path, base: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .expect("below base")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("readable"));
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in snapshot(from, from) {
        if rel.starts_with("target/") {
            continue;
        }
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::write(dest, bytes).expect("copy");
    }
}

#[test]
fn failed_write_leaves_the_previous_crate_intact() {
    let dir = crate::temp_dir("failpoint");
    let out = dir.join("generated");
    copy_dir(&crate::root().join("generated"), &out);
    // A spec that changes several files: every operation and type gains a new part.
    let spec = std::fs::read_to_string(crate::root().join("specs/modbox.yaml")).expect("spec");
    let edited = spec.replacen(
        "        tag:\n          type: string\n          default: latest\n",
        "        tag:\n          type: string\n          default: latest\n        gpu_count:\n          type: integer\n",
        1,
    ) + "\nx-touch: 1\n";
    let edited = edited.replacen("title: ", "title: Changed ", 1);
    assert_ne!(edited, spec);
    let spec_path = dir.join("modbox.yaml");
    std::fs::write(&spec_path, &edited).expect("spec");
    let before = snapshot(&out, &out);
    let args = [
        "gen",
        "--spec",
        spec_path.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--crate-name",
        "modbox",
    ];

    // `--check` first: it reports drift and writes nothing.
    let check: Vec<&str> = args.iter().copied().chain(["--check"]).collect();
    let result = crate::xtask(&check, &[]);
    assert_eq!(
        result.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        stdout.matches(": stale").count() >= 2,
        "several files would change: {stdout}"
    );
    assert_eq!(before, snapshot(&out, &out), "--check wrote something");

    // Now the real run, failing after the first file was staged.
    let result = crate::xtask(&args, &[("CODEGEN_FAILPOINT", "write-staged")]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(3), "a write failure exits 3: {stderr}");
    assert!(stderr.contains("failpoint `write-staged` triggered"), "{stderr}");
    assert_eq!(
        before,
        snapshot(&out, &out),
        "the previous crate must survive byte for byte"
    );

    // Without the failpoint the same run succeeds and changes the crate.
    let result = crate::xtask(&args, &[]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert_ne!(before, snapshot(&out, &out));
}
