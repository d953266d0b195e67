//! Conformance steps per second, single thread: `cargo bench -p synfin-conformance`.
//!
//! One step is one transition applied to the model's rules and to the endpoint, with the
//! comparison of state, segments, events and sequence variables. The transition sequences are
//! generated before timing (deterministic RNG), so the figure is the harness's own speed.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use proptest_state_machine::ReferenceStateMachine;
use synfin_conformance::single::{sut, RefState, Reference, Transition};

fn main() {
    divan::main();
}

fn sequences(n: usize) -> Vec<(RefState, Vec<Transition>)> {
    let mut runner = TestRunner::deterministic();
    let strategy = Reference::sequential_strategy(20..60);
    (0..n)
        .map(|_| {
            let (init, transitions, _) = strategy.new_tree(&mut runner).unwrap().current();
            (init, transitions)
        })
        .collect()
}

/// Runs every sequence on both sides; returns the number of steps.
fn run(seqs: &[(RefState, Vec<Transition>)]) -> usize {
    let mut steps = 0;
    for (init, transitions) in seqs {
        let mut r = init.clone();
        let mut ep = sut::endpoint_for(&r);
        for t in transitions {
            r = Reference::apply(r, t);
            sut::step(&mut ep, &r, t).expect("conformance holds on the benchmark sequences");
            steps += 1;
        }
    }
    steps
}

#[divan::bench(sample_count = 20)]
fn conformance_steps(bencher: divan::Bencher) {
    let seqs = sequences(1000);
    let steps = run(&seqs);
    bencher
        .counter(divan::counter::ItemsCount::new(steps))
        .bench_local(|| run(divan::black_box(&seqs)));
}
