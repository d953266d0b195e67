//! The command line: verdicts and exit codes, JSON shape, usage errors.

use std::net::TcpListener;
use std::process::{Command, Output};

fn synfin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synfin"))
        .args(args)
        .output()
        .expect("synfin runs")
}

#[test]
fn check_json_reports_every_property_and_exits_0() {
    let out = synfin(&["check", "--config", "handshake", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["config"], "handshake");
    assert!(v["unique_states"].as_u64().unwrap() > 0);
    assert!(v["states"].as_u64().unwrap() >= v["unique_states"].as_u64().unwrap());
    assert!(v["seconds"].as_f64().is_some());
    let props = v["properties"].as_array().unwrap();
    let names: Vec<_> = props.iter().map(|p| p["name"].as_str().unwrap()).collect();
    for n in [
        "isn-agreement",
        "honest-acks",
        "good-terminal-states",
        "seed-handshake",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(props.iter().all(|p| p["ok"] == true));
}

#[test]
fn network_knobs_change_the_state_space() {
    let unique = |args: &[&str]| {
        let mut all = vec!["check", "--config", "handshake", "--json", "--no-liveness"];
        all.extend_from_slice(args);
        let out = synfin(&all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["unique_states"].as_u64().unwrap()
    };
    let full = unique(&[]);
    let no_dup = unique(&["--no-dup"]);
    let ordered = unique(&["--no-dup", "--no-reorder", "--no-loss"]);
    assert_ne!(full, no_dup);
    assert!(ordered < no_dup);
}

#[test]
fn unknown_config_is_a_usage_error_listing_valid_ones() {
    let out = synfin(&["check", "--config", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lifecycle") && err.contains("handshake"),
        "{err}"
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    assert_eq!(synfin(&["check", "--frobnicate"]).status.code(), Some(2));
}

#[test]
fn ordered_duplicating_network_is_refused_clearly() {
    let out = synfin(&["check", "--config", "handshake", "--no-reorder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-dup"));
}

#[test]
fn explore_on_a_busy_address_exits_2() {
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = synfin(&["explore", "--config", "handshake", "--addr", &addr]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[test]
fn explore_on_a_bad_address_exits_2() {
    let out = synfin(&["explore", "--addr", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn list_names_configs_and_properties() {
    let out = synfin(&["list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for n in [
        "lifecycle",
        "simultaneous-open",
        "abort",
        "data",
        "no-half-open",
        "reach-closing",
    ] {
        assert!(text.contains(n), "{n}");
    }
}

fn trace(args: &[&str]) -> String {
    let mut all = vec!["trace"];
    all.extend_from_slice(args);
    let out = synfin(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

const SCENARIOS: [&str; 4] = [
    "seed-handshake",
    "seed-close",
    "fig7-simultaneous-open",
    "fig13-simultaneous-close",
];

#[test]
fn trace_scenario_prints_the_seed_handshake_diagram() {
    let text = trace(&["--scenario", "seed-handshake"]);
    assert!(text.starts_with("seed-handshake: "), "{text}");
    assert!(text.contains("J = 100, K = 4294967292"), "{text}");
    assert!(text.contains("<SEQ=J+1><ACK=K+1><CTL=ACK>"), "{text}");
    assert_eq!(
        text,
        trace(&["--scenario", "seed-handshake", "--format", "text"])
    );
}

#[test]
fn trace_format_json_prints_the_steps() {
    let out = trace(&["--scenario", "seed-handshake", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON array");
    let steps = v.as_array().expect("an array of steps");
    assert_eq!(steps.len(), 5);
    assert_eq!(steps[0]["actor"], "A");
    assert_eq!(steps[0]["action"], "OPEN (active)");
    assert_eq!(steps[4]["actor"], "B");
    assert_eq!(steps[4]["action"], "receives");
    assert_eq!(
        steps[4]["states"],
        serde_json::json!(["ESTABLISHED", "ESTABLISHED"])
    );
    assert_eq!(steps[4]["events"], serde_json::json!(["connected"]));
}

#[test]
fn trace_on_the_endpoint_prints_what_the_model_prints() {
    for name in SCENARIOS {
        for format in ["text", "json"] {
            let model = trace(&["--scenario", name, "--format", format, "--engine", "model"]);
            let endpoint = trace(&[
                "--scenario",
                name,
                "--format",
                format,
                "--engine",
                "endpoint",
            ]);
            assert_eq!(model, endpoint, "{name} as {format}");
        }
    }
}

#[test]
fn trace_engine_defaults_to_the_model() {
    assert_eq!(
        trace(&["--scenario", "seed-close"]),
        trace(&["--scenario", "seed-close", "--engine", "model"])
    );
}

#[test]
fn trace_positional_name_and_json_flag_still_work() {
    assert_eq!(trace(&["seed-close"]), trace(&["--scenario", "seed-close"]));
    assert_eq!(
        trace(&["seed-close", "--json"]),
        trace(&["--scenario", "seed-close", "--format", "json"])
    );
}

#[test]
fn trace_unknown_scenario_is_a_usage_error_listing_valid_ones() {
    for args in [&["trace", "--scenario", "nope"][..], &["trace", "nope"][..]] {
        let out = synfin(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("nope")
                && err.contains("seed-handshake")
                && err.contains("fig7-simultaneous-open"),
            "{err}"
        );
    }
}

#[test]
fn trace_unknown_format_or_engine_is_a_usage_error_listing_valid_ones() {
    let out = synfin(&["trace", "--scenario", "seed-close", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("text") && err.contains("json"), "{err}");
    let out = synfin(&["trace", "--scenario", "seed-close", "--engine", "linux"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("model") && err.contains("endpoint"), "{err}");
}

#[test]
fn trace_without_a_scenario_is_a_usage_error() {
    let out = synfin(&["trace"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scenario"));
}

#[test]
fn explore_serves_the_model_on_loopback() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_synfin"))
        .args(["explore", "--config", "handshake", "--addr", &addr])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let body = loop {
        if let Ok(mut s) = TcpStream::connect(&addr) {
            write!(s, "GET /.status HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
            let mut body = String::new();
            s.read_to_string(&mut body).unwrap();
            break body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "explorer did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(body.contains("isn-agreement"), "{body}");
}

/// Liveness runs by default on small configurations and reports its verdict with the fairness
/// it assumes; `--no-liveness` skips it and says so; the two switches together are refused.
#[test]
fn check_reports_liveness_with_its_fairness_or_why_it_was_skipped() {
    let out = synfin(&["check", "--config", "handshake", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let l = &v["liveness"];
    assert!(l["fairness"].as_str().unwrap().contains("strongly fair"));
    assert_eq!(l["properties"][0]["name"], "ends-at-goal");
    assert_eq!(l["properties"][0]["expectation"], "leads-to");
    assert_eq!(l["properties"][0]["verdict"], "holds");

    let out = synfin(&["check", "--config", "handshake", "--json", "--no-liveness"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert!(v["liveness"].is_null());
    assert_eq!(v["liveness_skipped"], "--no-liveness");

    let out = synfin(&[
        "check",
        "--config",
        "handshake",
        "--liveness",
        "--no-liveness",
    ]);
    assert_eq!(out.status.code(), Some(2));

    let out = synfin(&["check", "--config", "handshake"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ok   ends-at-goal             leads-to  holds"),
        "{text}"
    );
}

/// A liveness violation, end to end: the gallery's FIN that is never retransmitted. `check`
/// exits 1, reports `close-leads-to-closed` violated with its lasso (the steps, and where the
/// cycle starts), and prints the counterexample in the text report.
#[test]
fn check_reports_a_liveness_violation_with_its_lasso() {
    let args = [
        "check",
        "--broken",
        "fin-never-retransmitted",
        "--no-dup",
        "--no-reorder",
    ];
    let mut json = args.to_vec();
    json.push("--json");
    let out = synfin(&json);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let props = v["liveness"]["properties"].as_array().unwrap();
    let close = props
        .iter()
        .find(|p| p["name"] == "close-leads-to-closed")
        .expect("close-leads-to-closed checked");
    assert_eq!(close["verdict"], "violated");
    assert_eq!(close["ok"], false);
    let steps = close["trace"].as_array().expect("a lasso").len();
    let cycle_start = close["cycle_start"]
        .as_u64()
        .expect("where the cycle starts") as usize;
    assert!(steps > 0 && cycle_start <= steps);

    let text = String::from_utf8_lossy(&synfin(&args).stdout).to_string();
    assert!(
        text.contains("FAIL close-leads-to-closed    leads-to  violated"),
        "{text}"
    );
    assert!(
        text.contains("Counterexample for close-leads-to-closed"),
        "{text}"
    );
    assert!(text.contains("CLOSE"), "{text}");
}

/// The gallery switches are usage-checked like every flag.
#[test]
fn unknown_broken_variant_is_a_usage_error_listing_valid_ones() {
    let out = synfin(&["check", "--broken", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fin-never-retransmitted"), "{err}");
}

/// `synfin probe` refuses a profile it cannot read or parse, and a case count out of range,
/// before it starts anything (exit 2, with the reason).
#[test]
fn probe_refuses_a_bad_profile_or_case_count_with_exit_2() {
    let out = synfin(&[
        "probe",
        "--driver",
        "true",
        "--profile",
        "/nonexistent/profile.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--profile") && err.contains("/nonexistent/profile.toml"),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("synfin-cli-probe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "stack = \"x\"\n[reading]\nrfc = \"1122\"\n").unwrap();
    let out = synfin(&[
        "probe",
        "--driver",
        "true",
        "--profile",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading.rfc"));
    std::fs::remove_dir_all(&dir).unwrap();
    let out = synfin(&["probe", "--driver", "true", "--cases", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn side_channel_json_shows_the_shared_limit_leaking_and_exits_0() {
    let out = synfin(&["side-channel", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 7);
    for r in rows {
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(r["leak"].is_null(), r["expected_leak"] == false, "{r}");
    }
    let shared = rows
        .iter()
        .find(|r| r["name"] == "challenge-ack-side-channel")
        .unwrap();
    assert_eq!(
        shared["leak"]["inputs"],
        serde_json::json!(["SpoofRst", "SpoofRst", "Own"])
    );
    // Out of range: a usage error.
    assert_eq!(
        synfin(&["side-channel", "--steps", "13"]).status.code(),
        Some(2)
    );
}

/// The side channel's report as a user reads it: the verdict of each limit, and the shortest
/// leak of each limit that leaks, the attacker's inputs beside what it saw in both runs.
#[test]
fn side_channel_report_shows_each_leak_as_inputs_and_observations() {
    let out = synfin(&["side-channel"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("side_channel", String::from_utf8_lossy(&out.stdout));
}
