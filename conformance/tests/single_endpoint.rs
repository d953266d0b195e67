//! Single-endpoint conformance: random transition sequences, the model's rules as the
//! reference, one `synfin-tcp` connection as the system under test. A failure is shrunk to a
//! minimal sequence and saved in `proptest-regressions/single_endpoint.txt`, which is replayed
//! first on every later run.
//!
//! `SYNFIN_DEEP=1` runs the deep sweep (20 times the cases, sequences up to 150 steps).

use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};
use synfin_conformance::single::coverage::{self, Kind};
use synfin_conformance::single::{Conformance, Reference};
use synfin_model::State;

fn deep() -> bool {
    std::env::var("SYNFIN_DEEP").is_ok_and(|v| v == "1")
}

#[test]
fn endpoint_conforms_to_the_model_step_by_step() {
    let (cases, max_len) = if deep() { (200_000, 150) } else { (10_000, 60) };
    let config = Config {
        cases,
        // Shrinking may drop a transition whose successors' preconditions then fail.
        max_local_rejects: u32::MAX,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/single_endpoint.txt",
        ))),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config.clone());
    let strategy = Reference::sequential_strategy(1..max_len);
    let result = runner.run(&strategy, |(init, transitions, seen)| {
        Conformance::test_sequential(config.clone(), init, transitions, seen);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let table = coverage::snapshot();
    println!(
        "(state, segment kind) arrivals, in window / outside:\n{}",
        table.render()
    );
    // Every state meets every kind of segment.
    let mut missing = Vec::new();
    for st in State::ALL {
        for k in Kind::ALL {
            if table.hits(st, k) == 0 {
                missing.push(format!("{} {}", st.name(), k.name()));
            }
        }
    }
    assert!(missing.is_empty(), "never exercised: {missing:?}");
}
