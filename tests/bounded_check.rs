//! A check that outgrows its limits stops with a message, the counts so far and exit status 3,
//! instead of being killed by the operating system.

use std::process::Command;

fn synfin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_synfin"))
        .args(args)
        .output()
        .expect("synfin runs")
}

#[test]
fn max_states_stops_the_check_with_status_3_and_the_counts_so_far() {
    let out = synfin(&[
        "check",
        "--config",
        "data",
        "--max-states",
        "1000",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stopped"], "max-states");
    assert_eq!(v["config"], "data");
    let unique = v["unique_states"].as_u64().unwrap();
    assert!(unique > 1000, "{v}");
    assert!(v["states"].as_u64().unwrap() >= unique);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("stopped: config data grew past --max-states 1000"),
        "{err}"
    );
    assert!(err.contains("verdicts are unknown"), "{err}");
}

#[test]
fn the_memory_guard_stops_the_check_with_status_3() {
    let out = synfin(&["check", "--config", "data", "--max-memory", "1"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("over the limit of 1 MB"), "{err}");
    // A limit the check stays within changes nothing.
    let out = synfin(&[
        "check",
        "--config",
        "handshake",
        "--max-states",
        "1000000",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
}
