//! Replays a committed seed corpus (`fuzz/corpus/<target>/`) through a target's checks, for
//! the ordinary test suite. Included with `#[path]` by the `fuzz_corpus_*` tests.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The files of `fuzz/corpus/<target>/`, sorted; `manifest_dir` is the including crate's
/// `CARGO_MANIFEST_DIR` (a sibling of `fuzz/`).
pub fn corpus(manifest_dir: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(manifest_dir).join("../fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seed corpus in {}", dir.display());
    files
}

/// Runs `check` on every file of the target's corpus, a panic counting as a failure, and
/// fails naming every input that failed. Returns how many inputs were replayed.
pub fn replay(manifest_dir: &str, target: &str, check: fn(&[u8]) -> Result<(), String>) -> usize {
    let files = corpus(manifest_dir, target);
    let mut failures = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        match catch_unwind(AssertUnwindSafe(|| check(&data))) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{}: {e}", f.display())),
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: panicked: {msg}", f.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs of {target} failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}
