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
        .find(|v| v.property == property.name())
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
fn rfc793_lets_a_stale_rst_inside_the_window_kill_the_connection() {
    must_be_caught("lifecycle-rfc793");
}

#[test]
fn a_refusal_rst_at_seq_zero_kills_a_connection_whose_rcv_nxt_is_zero() {
    must_be_caught("refusal-rst-at-zero");
}

#[test]
fn gallery_1_two_way_handshake_lets_an_old_syn_open_a_connection() {
    must_be_caught("two-way-handshake");
}

#[test]
fn gallery_2_no_time_wait_answers_a_retransmitted_fin_with_rst() {
    must_be_caught("no-time-wait");
}

#[test]
fn gallery_3_rst_without_seq_check_lets_a_stale_rst_kill_a_connection() {
    must_be_caught("rst-without-seq-check");
}

#[test]
fn gallery_4_rst_in_time_wait_assassinates_it() {
    must_be_caught("rst-in-time-wait");
}

#[test]
fn gallery_5_constant_isn_lets_an_old_syn_ack_open_a_half_open_connection() {
    must_be_caught("constant-isn");
}

#[test]
fn gallery_6_fin_never_retransmitted_strands_the_closing_ends_forever() {
    let p = proof("fin-never-retransmitted").expect("named proof");
    let Expect::ViolatesLiveness(property) = p.expect else {
        panic!("a liveness variant")
    };
    let run = p.run(2);
    assert!(run.passed, "{property} held: {:?}", run.verdicts);
    let (model, (actions, stem)) = p.lasso().expect("a lasso");
    assert!(model.path(&actions).is_some(), "the lasso replays");
    assert!(stem <= actions.len());
}

/// The correct protocol passes every gallery configuration: what breaks each variant is its
/// switch, nothing else in the configuration.
#[test]
fn the_correct_protocol_passes_every_gallery_configuration() {
    let proofs = synfin_proofs::proofs();
    for g in proofs.iter().filter(|p| p.gallery.is_some()) {
        let healthy = proofs
            .iter()
            .find(|p| p.name == g.config && p.expect == Expect::AllHold)
            .unwrap_or_else(|| panic!("{}: no healthy run of {}", g.name, g.config));
        let run = healthy.run(2);
        assert!(run.passed, "{}: {:?}", healthy.name, run.verdicts);
    }
}

#[test]
fn every_safety_property_has_a_breaking_variant() {
    let broken: Vec<_> = synfin_proofs::proofs()
        .into_iter()
        .filter_map(|p| match p.expect {
            Expect::Violates(name) => Some(name),
            _ => None,
        })
        .collect();
    for info in synfin_model::properties::catalog() {
        if info.expectation == stateright::Expectation::Always {
            assert!(
                broken.contains(&info.id),
                "no broken variant for {}",
                info.name
            );
        }
    }
}

#[test]
fn a_rst_of_the_first_incarnation_accepted_without_seq_check_kills_the_second() {
    must_be_caught("stale-rst-kills-next-incarnation");
}

#[test]
fn fin_overwriting_irs_breaks_isn_agreement() {
    must_be_caught("broken-fin-overwrites-irs");
}

/// `isn-agreement` catches something no other property does: over the whole state space of
/// `broken-fin-overwrites-irs`, it is the only safety property violated.
#[test]
fn isn_agreement_alone_catches_a_forgotten_irs() {
    use stateright::{Checker, Expectation, Model};
    let p = proof("broken-fin-overwrites-irs").unwrap();
    let model = synfin_model::TcpModel::new(p.config()).unwrap();
    let checker = model.clone().checker().spawn_bfs().join();
    let found = checker.discoveries();
    let violated: Vec<&str> = model
        .properties()
        .iter()
        .filter(|q| matches!(q.expectation, Expectation::Always) && found.contains_key(q.name))
        .map(|q| q.name)
        .collect();
    assert_eq!(violated, ["isn-agreement"]);
}

/// The one broken run whose lasso is a cycle and not a stop: an ACK storm on `handshake`.
#[test]
fn acknowledging_every_ack_livelocks_the_handshake() {
    let p = proof("broken-ack-every-ack").expect("named proof");
    let run = p.run(2);
    assert!(run.passed, "terminates held: {:?}", run.verdicts);
    let (model, (actions, stem)) = p.lasso().expect("a lasso");
    assert!(model.path(&actions).is_some(), "the lasso replays");
    assert!(stem < actions.len(), "the lasso ends in a cycle");
}
