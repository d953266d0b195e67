//! `synfin rfc`: the requirements matrix. The committed `docs/requirements.md` must be what the
//! annotations give today (CI=true: required; elsewhere skipped when RFC 9293 is not beside the
//! checkout), and bad input is a clear error with exit status 2.

use std::path::Path;
use std::process::Command;

fn synfin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_synfin"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

#[test]
fn the_committed_matrix_is_what_the_annotations_give() {
    let rfc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/rfc/rfc9293.txt");
    if !rfc.exists() {
        assert!(
            std::env::var("CI").is_err(),
            "CI=true: RFC 9293 must be at {}",
            rfc.display()
        );
        eprintln!("skipped: no RFC 9293 at {}", rfc.display());
        return;
    }
    let out = synfin()
        .args(["rfc", "--check", "docs/requirements.md"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_missing_rfc_is_exit_2_with_a_message() {
    let out = synfin()
        .args(["rfc", "--rfc", "/nonexistent/rfc9293.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read RFC 9293 at /nonexistent/rfc9293.txt"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_rfc_9293_is_exit_2() {
    let dir = std::env::temp_dir().join(format!("synfin-rfc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("not-an-rfc.txt");
    std::fs::write(&fake, "1.  Purpose\n\n   nothing here\n").unwrap();
    let out = synfin().args(["rfc", "--rfc"]).arg(&fake).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Appendix B"));
    std::fs::remove_dir_all(&dir).unwrap();
}
