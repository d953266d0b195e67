//! What the packetdrill tests share.

use std::path::PathBuf;

/// The tcp-testsuite corpus, next to the workspace (never copied into it); `None`, with the
/// reason printed, where it is missing. Under CI (`CI=true`), which always has it, a missing
/// corpus is a failure rather than a skip.
pub fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/tcp-testsuite");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but the tcp-testsuite corpus is missing at {}",
        dir.display()
    );
    eprintln!("skipped: no tcp-testsuite corpus at {}", dir.display());
    None
}
