//! Each safety property can fail: a deliberately broken rule makes the checker report it.

use synfin_proofs::{proof, Expect};

fn must_be_caught(name: &str) {
    let p = proof(name).expect("named proof");
    let Expect::Violates(property) = p.expect else {
        panic!("{name} is not a broken variant")
    };
    let run = p.run(2);
    let v = run
        .verdicts
        .iter()
        .find(|v| v.property == property)
        .expect("property checked");
    assert!(
        v.discovered,
        "{name}: {property} was not violated ({} states)",
        run.unique_states
    );
    assert!(run.passed);
}

#[test]
fn wrong_irs_breaks_isn_agreement() {
    must_be_caught("broken-wrong-irs");
}

#[test]
fn ack_too_far_breaks_honest_acks() {
    must_be_caught("broken-ack-too-far");
}

#[test]
fn rst_that_establishes_breaks_no_half_open() {
    must_be_caught("broken-rst-establishes");
}

#[test]
fn close_skipping_fin_wait_1_breaks_diagram_edges() {
    must_be_caught("broken-close-skips-fin-wait-1");
}

#[test]
fn last_ack_closing_on_any_ack_breaks_orderly_close() {
    must_be_caught("broken-last-ack-any-ack");
}

#[test]
fn acking_an_unprocessed_fin_breaks_fin_ack_means_received() {
    must_be_caught("broken-ack-fin-unprocessed");
}

#[test]
fn close_wait_ignoring_close_breaks_good_terminal_states() {
    must_be_caught("broken-close-wait-ignores-close");
}

#[test]
fn delivering_a_duplicate_breaks_data_integrity() {
    must_be_caught("broken-deliver-duplicate");
}

#[test]
fn isn_reuse_lets_an_old_duplicate_syn_make_a_half_open_connection() {
    must_be_caught("isn-reuse-old-duplicate");
}

#[test]
fn every_safety_property_has_a_breaking_variant() {
    let broken: Vec<_> = synfin_proofs::proofs()
        .into_iter()
        .filter_map(|p| match p.expect {
            Expect::Violates(name) => Some(name),
            Expect::AllHold => None,
        })
        .collect();
    for info in synfin_model::properties::catalog() {
        if info.expectation == stateright::Expectation::Always {
            assert!(
                broken.contains(&info.name),
                "no broken variant for {}",
                info.name
            );
        }
    }
}
