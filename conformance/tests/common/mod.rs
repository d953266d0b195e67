//! What the packetdrill tests share.

use std::path::PathBuf;

/// The FreeBSD tcp-testsuite, as `build.rs` found it (next to the workspace, never copied
/// into it). The tests that call this are ignored where it is missing (`cfg(no_tcp_testsuite)`),
/// but not under `CI=true`, which always has it: there, and when ignored tests are run anyway,
/// a missing corpus fails.
pub fn corpus() -> PathBuf {
    let dir = PathBuf::from(env!("SYNFIN_TCP_TESTSUITE_DIR"));
    assert!(
        dir.is_dir(),
        "no tcp-testsuite corpus at {} (CI={}): see ../shared/tcp-testsuite/SOURCE.md, or \
         build with SYNFIN_TCP_TESTSUITE=DIR",
        dir.display(),
        std::env::var("CI").unwrap_or_default()
    );
    dir
}
