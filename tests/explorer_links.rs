//! The link from a counterexample to the explorer works: the URL printed by `synfin check`
//! and `synfin prove` names a path that the explorer (a separate process, with its own
//! hash-set seeds) replays, and its last state violates the property, or, for a lasso, the
//! cycle returns to its start (or the run stops with the property still pending). Checked
//! over the explorer's JSON API (`/.path/...`, `/.states/...`).

mod common;

use common::explorer::Explorer;
use serde_json::Value;
use std::process::Command;

fn synfin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_synfin"))
        .args(args)
        .output()
        .expect("synfin runs")
}

fn verdict<'a>(step: &'a Value, property: &str) -> &'a str {
    step["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == property)
        .unwrap_or_else(|| panic!("{property} missing at {}", step["path"]))["verdict"]
        .as_str()
        .unwrap()
}

/// Opens `url` on `ex` and checks that it shows `property` failing at its end.
fn assert_link_shows(ex: &Explorer, url: &str, property: &str, what: &str) -> usize {
    let (path, cycle) = Explorer::fragment(url);
    let query = cycle.map(|c| format!("?cycle={c}")).unwrap_or_default();
    let view = ex.json(&format!("/.path{path}{query}"));
    let steps = view["steps"].as_array().unwrap();
    let last = steps.last().unwrap();
    match cycle {
        None => {
            assert_eq!(
                verdict(last, property),
                "violated",
                "{what}: last state of {url}"
            );
            let before = &steps[steps.len() - 2];
            assert_eq!(
                verdict(before, property),
                "holds",
                "{what}: the path of {url} runs past the violation"
            );
        }
        Some(c) if c < steps.len() - 1 => {
            assert_eq!(
                steps[c]["fingerprint"], last["fingerprint"],
                "{what}: the cycle of {url} does not return to its start (step {c})"
            );
            // `terminates` (no fair cycle) is a property of runs: no state is pending for it.
            let v = verdict(last, property);
            assert!(
                v.starts_with("pending") || (property == "terminates" && v.contains("of runs")),
                "{what}: {url}: {v}"
            );
        }
        Some(c) => {
            assert_eq!(
                c,
                steps.len() - 1,
                "{what}: cycle start past the end of {url}"
            );
            assert!(
                verdict(last, property).starts_with("pending"),
                "{what}: the run of {url} stops with {property} not pending"
            );
        }
    }
    // The explorer's property panel reads the counterexample's own status too.
    let status = ex.json("/.status");
    assert_eq!(status["counterexample"]["property"], property, "{what}");
    steps.len() - 1
}

#[test]
fn every_gallery_and_broken_proof_link_opens_its_counterexample() {
    let proofs: Vec<_> = synfin_proofs::proofs()
        .into_iter()
        .filter(|p| p.gallery.is_some() || p.name.starts_with("broken-"))
        .collect();
    assert_eq!(proofs.len(), 17, "7 gallery entries and 10 broken-* runs");
    for p in proofs {
        let out = synfin(&["prove", p.name]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}: {text}", p.name);
        let cmd = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("explore: "))
            .unwrap_or_else(|| panic!("{}: no explore command in\n{text}", p.name));
        let url = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("then: "))
            .unwrap_or_else(|| panic!("{}: no URL in\n{text}", p.name));
        let args: Vec<&str> = cmd.split_whitespace().collect();
        assert_eq!(&args[..2], ["synfin", "explore"], "{cmd}");
        let ex = Explorer::start(&args[2..]);
        let opened = ex.url.clone().expect("the explorer prints the URL to open");
        assert_eq!(
            Explorer::fragment(&opened),
            Explorer::fragment(url),
            "{}: `synfin prove` and `synfin explore` address different paths",
            p.name
        );
        let Some(prop) = p.expect.property() else {
            panic!("{} expects nothing to fail", p.name)
        };
        assert_link_shows(&ex, url, prop, p.name);
    }
}

#[test]
fn check_json_links_the_no_time_wait_counterexample_in_11_steps() {
    let out = synfin(&[
        "check",
        "--broken",
        "no-time-wait",
        "--json",
        "--no-liveness",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = v["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "resets-justified")
        .unwrap();
    assert_eq!(p["verdict"], "violated");
    let cmd = p["explore_command"].as_str().unwrap();
    assert_eq!(
        cmd,
        "synfin explore --config lifecycle --broken no-time-wait --counterexample resets-justified"
    );
    let url = p["explore_url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:3000/#/steps/0/"), "{url}");
    let (path, _) = Explorer::fragment(url);
    // The initial state's index, then 11 actions.
    assert_eq!(path.split('/').count() - 1, 12, "{url}");
    let args: Vec<&str> = cmd.split_whitespace().skip(2).collect();
    let ex = Explorer::start(&args);
    assert_eq!(Explorer::fragment(ex.url.as_deref().unwrap()).0, path);
    assert_eq!(
        assert_link_shows(&ex, url, "resets-justified", "check --json"),
        11
    );
    // The same run's examples link too: the shortest way to CLOSING.
    let closing = v["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "reach-closing")
        .unwrap();
    let (path, _) = Explorer::fragment(closing["explore_url"].as_str().unwrap());
    let view = ex.json(&format!("/.path{path}"));
    let last = view["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(verdict(&last, "reach-closing"), "reached");
    assert_eq!(
        closing["example_steps"],
        view["steps"].as_array().unwrap().len() - 1
    );
}

#[test]
fn the_lasso_link_of_a_liveness_failure_marks_its_cycle() {
    let out = synfin(&[
        "check",
        "--broken",
        "fin-never-retransmitted",
        "--json",
        "--liveness",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = v["liveness"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "close-leads-to-closed")
        .unwrap();
    let url = p["explore_url"].as_str().unwrap();
    let (_, cycle) = Explorer::fragment(url);
    assert_eq!(
        cycle,
        p["cycle_start"].as_u64().map(|c| c as usize),
        "{url}"
    );
    let args: Vec<&str> = p["explore_command"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .skip(2)
        .collect();
    let ex = Explorer::start(&args);
    assert_eq!(
        Explorer::fragment(ex.url.as_deref().unwrap()),
        Explorer::fragment(url)
    );
    assert_link_shows(&ex, url, "close-leads-to-closed", "lasso");
}

#[test]
fn the_api_speaks_tcp_and_refuses_bad_paths() {
    let ex = Explorer::start(&["--config", "handshake"]);
    let first = ex.json("/.states/0");
    let labels: Vec<&str> = first
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["A: OPEN (active)", "B: OPEN (passive)"]);
    let view = ex.json("/.path/0/0");
    let state = view["steps"][1]["state"].as_str().unwrap();
    assert!(state.contains("A  SYN-SENT"), "{state}");
    assert!(state.contains("A to B: <SEQ=J><CTL=SYN>"), "{state}");
    for bad in ["ActorModelState", "random_choices", "timers_set", "SynSent"] {
        assert!(!state.contains(bad), "{bad} in {state}");
    }
    assert!(view["svg"].as_str().unwrap().contains("SYN-SENT"));
    for bad in ["/.path/0/99", "/.path/zero", "/.states/1", "/nothing"] {
        assert_eq!(ex.get(bad).0, 404, "{bad}");
    }
}

#[test]
fn explore_refuses_unknown_or_holding_properties() {
    let out = synfin(&[
        "explore",
        "--counterexample",
        "no-such-thing",
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("resets-justified"));
    let out = synfin(&[
        "explore",
        "--config",
        "handshake",
        "--counterexample",
        "isn-agreement",
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds"));
}
