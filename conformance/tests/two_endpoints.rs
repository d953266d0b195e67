//! Two-endpoint conformance: two `synfin-tcp` endpoints run each named configuration's user
//! scripts while proptest chooses the network's deliveries, losses, duplicates and timer
//! expiries. The model's safety properties must hold after every step, and the run, driven
//! to quiescence, must stop where the model's `good-terminal-states` accepts.
//!
//! `SYNFIN_DEEP=1` runs the deep sweep.

use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, FileFailurePersistence, TestRunner};
use synfin_conformance::two::{Op, Run};
use synfin_model::{config, configs};

fn deep() -> bool {
    std::env::var("SYNFIN_DEEP").is_ok_and(|v| v == "1")
}

fn op() -> impl Strategy<Value = Op> {
    let host = 0usize..2;
    let k = 0usize..8;
    prop_oneof![
        3 => host.clone().prop_map(Op::User),
        6 => k.clone().prop_map(Op::Deliver),
        2 => k.clone().prop_map(Op::Lose),
        1 => k.prop_map(Op::Duplicate),
        2 => host.prop_map(Op::Timer),
    ]
}

/// Runs `ops` on `name`; `Err` names the violated property with the run so far.
fn run(name: &str, ops: &[Op]) -> Result<Run, String> {
    let mut r = Run::new(config(name)?)?;
    for op in ops {
        r.step(*op);
        let bad = r.violations();
        if !bad.is_empty() {
            return Err(format!("{bad:?} violated after:\n{}", r.log.join("\n")));
        }
    }
    r.settle(500)
        .map_err(|e| format!("{e} after:\n{}", r.log.join("\n")))?;
    if !r.good_terminal() {
        return Err(format!(
            "good-terminal-states rejects {:?} after:\n{}",
            r.states(),
            r.log.join("\n")
        ));
    }
    Ok(r)
}

fn sweep(name: &'static str) {
    let cases = if deep() { 20_000 } else { 400 };
    let config = PtConfig {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/two_endpoints.txt",
        ))),
        ..PtConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&proptest::collection::vec(op(), 0..80), |ops| {
        run(name, &ops).map(|_| ()).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn every_named_config_is_covered() {
    let names: Vec<_> = configs().iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "lifecycle",
            "handshake",
            "simultaneous-open",
            "abort",
            "two-listeners",
            // Not swept: the harness keeps one endpoint per host for the whole run, so it has
            // no second incarnation and no crash. The Figure 9 and 10 scenarios replay a crash
            // on the endpoints instead (tests/traces.rs).
            "reincarnation",
            "crash",
            "data"
        ],
        "a new configuration needs its sweep below"
    );
}

#[test]
fn lifecycle_runs_keep_the_safety_properties() {
    sweep("lifecycle");
}

#[test]
fn handshake_runs_keep_the_safety_properties() {
    sweep("handshake");
}

#[test]
fn simultaneous_open_runs_keep_the_safety_properties() {
    sweep("simultaneous-open");
}

#[test]
fn abort_runs_keep_the_safety_properties() {
    sweep("abort");
}

#[test]
fn two_listeners_runs_keep_the_safety_properties() {
    sweep("two-listeners");
}

#[test]
fn data_runs_keep_the_safety_properties() {
    sweep("data");
}

/// Without interference, every configuration ends where its goal says, and the seed's
/// lifecycle closes both ends in order.
#[test]
fn undisturbed_runs_reach_the_goal() {
    for c in configs() {
        let r = run(c.name, &[]).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        assert!(r.good_terminal(), "{}", c.name);
    }
    // B listens before A connects, as in the seed.
    let r = run("lifecycle", &[Op::User(1), Op::User(0)]).unwrap();
    assert_eq!(r.states(), [synfin_model::State::Closed; 2]);
    assert!(r.ghost(0).has(synfin_model::host::Ghost::CLOSED_ORDERLY));
    assert!(r.ghost(1).has(synfin_model::host::Ghost::CLOSED_ORDERLY));
}
