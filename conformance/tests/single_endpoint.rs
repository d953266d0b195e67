//! Single-endpoint conformance: random transition sequences, the model's rules as the
//! reference, one `synfin-tcp` connection as the system under test. A failure is shrunk to a
//! minimal sequence and saved in `proptest-regressions/single_endpoint.txt`, which is replayed
//! first on every later run.
//!
//! `SYNFIN_DEEP=1` runs the deep sweep (20 times the cases, sequences up to 150 steps).

use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};
use synfin_conformance::single::coverage::{self, Feature};
use synfin_conformance::single::{Conformance, Reference};

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
        "(state, segment kind) arrivals, inside / outside the window (one count: no window):\n{}",
        table.render()
    );
    let features = coverage::features();
    for f in Feature::ALL {
        println!(
            "{:>7}  {}",
            features.get(&f).copied().unwrap_or(0),
            f.name()
        );
    }
    // Every state meets every kind of segment, on both sides of its window where it has one.
    let missing = table.missing();
    assert!(missing.is_empty(), "never exercised: {missing:?}");
    let unseen: Vec<_> = Feature::ALL
        .iter()
        .filter(|f| !features.contains_key(f))
        .map(|f| f.name())
        .collect();
    assert!(unseen.is_empty(), "never generated: {unseen:?}");
}
