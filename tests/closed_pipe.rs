//! Every command survives a reader that closes the pipe early (`synfin list | head -1`): its
//! output stops, it exits with status 141 (128 + SIGPIPE, as a Unix tool killed by SIGPIPE
//! does), and it neither panics nor prints a backtrace.

use std::process::{Command, Stdio};

/// Runs synfin with `args`, its stdout a pipe whose reading end is closed before synfin even
/// starts (closing it after the spawn would race a fast command that writes everything into
/// the pipe's buffer first); returns the exit status and stderr.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_synfin"))
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("synfin runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_exits_141_quietly_when_its_reader_is_gone() {
    let corpus = std::env::temp_dir().join(format!("synfin-closed-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("open.pkt"),
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
    )
    .unwrap();
    let corpus = corpus.to_string_lossy().into_owned();
    let runs: [&[&str]; 8] = [
        &["list"],
        &["prove", "broken-wrong-irs"],
        &["check", "--config", "handshake", "--json"],
        &["check", "--broken", "no-time-wait"],
        &["trace", "--scenario", "seed-close"],
        &["trace", "--scenario", "seed-close", "--format", "pcap"],
        &["conform", "--corpus", &corpus],
        &["conform", "--corpus", &corpus, "--json"],
    ];
    for args in runs {
        let (code, stderr) = with_closed_stdout(args);
        assert_eq!(code, Some(141), "synfin {args:?}: stderr:\n{stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "synfin {args:?}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&corpus);
}
