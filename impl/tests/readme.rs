//! impl/README.md shows `examples/handshake.rs` and its output; keep them in step.

use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn readme_embeds_the_handshake_example_verbatim() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/handshake.rs"
    ))
    .unwrap();
    assert!(
        readme().contains(&format!("```rust\n{example}```")),
        "impl/README.md's embedding example differs from impl/examples/handshake.rs"
    );
}

#[test]
fn readme_shows_what_the_handshake_example_prints() {
    // Same profile as this test, so the dependencies are already built.
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args(["run", "-q", "-p", "synfin-tcp", "--example", "handshake"]);
    if !cfg!(debug_assertions) {
        cargo.arg("--release");
    }
    let out = cargo.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("B sends <SEQ=4294967295><ACK=101><CTL=SYN,ACK>"));
    assert!(
        readme().contains(&format!("```text\n{printed}```")),
        "impl/README.md shows other output than:\n{printed}"
    );
}
