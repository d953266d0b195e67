//! Tells the tests where the FreeBSD tcp-testsuite corpus is, and whether it is there.
//!
//! The corpus lives next to the workspace, at `../shared/tcp-testsuite` (never copied into the
//! repository), or wherever `SYNFIN_TCP_TESTSUITE` points. The tests read the path from
//! `SYNFIN_TCP_TESTSUITE_DIR` (set here for the compiler), and where the corpus is missing
//! they are built with `cfg(no_tcp_testsuite)`, which marks them `#[ignore]` with the reason,
//! so that `cargo test` lists them as ignored rather than passing them unseen. Under `CI=true`
//! the cfg is never set: the tests run and fail on a missing corpus.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_tcp_testsuite)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=SYNFIN_TCP_TESTSUITE");
    println!("cargo::rerun-if-env-changed=CI");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let dir = match std::env::var_os("SYNFIN_TCP_TESTSUITE") {
        Some(d) if !d.is_empty() => manifest.join(d),
        _ => manifest.join("../../shared/tcp-testsuite"),
    };
    // Watched: the corpus, so that this runs again when it changes or goes; where it is
    // missing, its parent, so that this runs again when the corpus appears there. A missing
    // path makes cargo run this on every build (and rebuild the crate), so it is watched only
    // when the parent is missing too.
    let watch = match dir.parent() {
        Some(parent) if !dir.exists() && parent.is_dir() => parent,
        _ => dir.as_path(),
    };
    println!("cargo::rerun-if-changed={}", watch.display());
    println!(
        "cargo::rustc-env=SYNFIN_TCP_TESTSUITE_DIR={}",
        dir.display()
    );
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if !dir.is_dir() {
        let what = if ci {
            "CI=true, so its tests run and fail"
        } else {
            "its tests are ignored"
        };
        println!(
            "cargo::warning=no tcp-testsuite corpus at {}: {what}",
            dir.display()
        );
        if !ci {
            println!("cargo::rustc-cfg=no_tcp_testsuite");
        }
    }
}
