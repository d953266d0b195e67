//! Liveness on the real model (groundwork for issue 5): with fair delivery and timers, the life
//! cycle ends with both ends CLOSED or LISTEN; without fairness, or with a broken rule, it
//! does not.

use std::time::Instant;
use synfin_model::liveness::graph::Graph;
use synfin_model::liveness::leads_to::{leads_to, Fairness, Lasso};
use synfin_model::liveness::tcp::fairness;
use synfin_model::model::{host, SysAction};
use synfin_model::{config, Mutation, State, TcpModel};

fn idle(s: State) -> bool {
    matches!(s, State::Closed | State::Listen)
}

/// Both users have made all their calls and both ends are CLOSED or LISTEN.
fn done(s: &synfin_model::model::SysState) -> bool {
    (0..2).all(|i| idle(host(s, i).tcb.state) && host(s, i).next_call == 2)
}

fn verdict(model: &TcpModel, fair: fn(&SysAction) -> Fairness) -> (usize, Option<Lasso>) {
    let g = Graph::explore(model, 2_000_000).unwrap();
    let v = leads_to(&g, |_| true, done, fair);
    (g.states.len(), v)
}

/// `lifecycle`: both users CLOSE at some point; with delivery strongly fair and timers weakly
/// fair, every run ends with both ends CLOSED or LISTEN (no FIN-WAIT-2 stranding: the lost FIN
/// is still deliverable in the duplicating network, and strong fairness delivers it).
#[test]
fn lifecycle_close_leads_to_closed_under_fairness() {
    let model = TcpModel::new(config("lifecycle").unwrap()).unwrap();
    let t = Instant::now();
    let (states, v) = verdict(&model, fairness);
    println!(
        "lifecycle: {states} states, leads-to checked in {:?}",
        t.elapsed()
    );
    assert_eq!(v, None);
}

/// Without fairness the same property fails: a duplicate delivered again and again, forever,
/// is a cycle that never closes. The lasso is reported.
#[test]
fn lifecycle_without_fairness_has_a_lasso() {
    let model = TcpModel::new(config("lifecycle").unwrap()).unwrap();
    let (_, v) = verdict(&model, |_| Fairness::Unfair);
    let lasso = v.expect("an unfair cycle");
    assert!(!lasso.stem.is_empty());
}

/// A broken rule (CLOSE refused in CLOSE-WAIT) fails even under fairness: the passive end stays
/// in CLOSE-WAIT.
#[test]
fn close_wait_ignoring_close_is_a_liveness_violation_under_fairness() {
    let mut cfg = config("lifecycle").unwrap();
    cfg.profile.mutation = Some(Mutation::CloseWaitIgnoresClose);
    let model = TcpModel::new(cfg).unwrap();
    let (_, v) = verdict(&model, fairness);
    assert!(v.is_some());
}

/// RFCNLP's phi4 as written (SYN-RECEIVED leads to ESTABLISHED, FIN-WAIT-1 or CLOSED) fails for
/// a passive end: a RST in SYN-RECEIVED returns it to LISTEN (RFC 9293 §3.10.7.4), where a user
/// who never closes leaves it. With LISTEN added, as `syn-received-resolves` has it, it holds.
#[test]
fn rfcnlp_phi4_as_written_misses_the_return_to_listen() {
    let model = TcpModel::new(config("handshake").unwrap()).unwrap();
    let g = Graph::explore(&model, 100_000).unwrap();
    let b = |s: &synfin_model::model::SysState| host(s, 1).tcb.state;
    let phi4 = leads_to(
        &g,
        |s| b(s) == State::SynReceived,
        |s| matches!(b(s), State::Established | State::FinWait1 | State::Closed),
        fairness,
    );
    let lasso = phi4.expect("a passive end can stay in LISTEN");
    let end: Vec<State> = lasso
        .stem
        .iter()
        .chain(&lasso.cycle)
        .map(|&v| host(&g.states[v], 1).tcb.state)
        .collect();
    assert!(end.contains(&State::Listen), "{end:?}");
    let with_listen = leads_to(
        &g,
        |s| b(s) == State::SynReceived,
        |s| {
            matches!(
                b(s),
                State::Established | State::FinWait1 | State::Closed | State::Listen
            )
        },
        fairness,
    );
    assert_eq!(with_listen, None);
}
