//! Every named configuration, checked exhaustively: all properties as expected, and the size
//! of each state space pinned by a snapshot so any change to the model shows up in review.

use std::fmt::Write;
use synfin_proofs::{proofs, Expect};

#[test]
fn every_healthy_run_satisfies_all_properties() {
    let mut sizes = String::new();
    for p in proofs().into_iter().filter(|p| p.expect == Expect::AllHold) {
        let run = p.run(2);
        for v in &run.verdicts {
            assert!(
                v.as_expected(),
                "{}: {} {} was {}",
                p.name,
                v.expectation,
                v.property,
                if v.discovered {
                    "discovered"
                } else {
                    "not discovered"
                }
            );
        }
        assert!(run.passed);
        writeln!(
            sizes,
            "{:<20} {:>9} unique states",
            p.name, run.unique_states
        )
        .unwrap();
    }
    insta::assert_snapshot!("unique_state_counts", sizes);
}
