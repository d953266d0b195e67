//! RFC 5961 §7's challenge-ACK limit, the endpoint's (`synfin_tcp::ChallengeAckLimit`, a
//! clock) against the model's (`synfin_model::throttle`, an explicit tick), written
//! independently: two ESTABLISHED connections of one host take the same generated sequence of
//! in-window RSTs and period ends, and each step must draw a challenge ACK on both or on
//! neither. A model tick is the endpoints' clock moving on by the period.

use proptest::prelude::*;
use std::time::Duration;
use synfin_conformance::endpoint::{config, Endpoint};
use synfin_model::script::Call;
use synfin_model::throttle::{self, Budget, Limit};
use synfin_model::{Flags, Reading, Segment, Seq, State, Tcb};
use synfin_tcp::{ChallengeAckLimit, SharedChallengeAcks};

const J: u32 = 100;
const K: u32 = 4_000_000_000;
const PER: Duration = Duration::from_secs(1);

#[derive(Clone, Copy, Debug)]
enum Op {
    /// An in-window RST, not at RCV.NXT, to connection 0 or 1 (RFC 5961 §3.2).
    Rst(usize),
    /// The period ends.
    Tick,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![Just(Op::Rst(0)), Just(Op::Rst(1)), Just(Op::Tick)]
}

/// The model's block of an ESTABLISHED passive end with ISS K that heard J.
fn model_tcb() -> Tcb {
    let mut t = Tcb::new(Seq(K), 0);
    t.state = State::Established;
    t.passive = true;
    t.snd_una = Seq(K + 1);
    t.snd_nxt = Seq(K + 1);
    t.irs = Seq(J);
    t.rcv_nxt = Seq(J + 1);
    t
}

/// An endpoint B brought to ESTABLISHED by the handshake from A, with `limit`.
fn endpoint(limit: ChallengeAckLimit) -> Endpoint {
    let mut cfg = config(&Reading::default(), 1);
    cfg.challenge_acks = limit;
    let mut e = Endpoint::new(1, K, cfg);
    e.call(Call::OpenPassive);
    e.arrive(&Segment::new(Flags::SYN, Seq(J), Seq(0)));
    e.arrive(&Segment::new(Flags::ACK, Seq(J + 1), Seq(K + 1)));
    assert_eq!(e.conn.state().rfc_name(), "ESTABLISHED");
    e
}

/// Runs `ops` on the model with `limit` and on two endpoints made by `make`: the challenge ACKs
/// each step drew, model then endpoint.
fn run(ops: &[Op], limit: Limit, make: impl Fn() -> [Endpoint; 2]) -> (Vec<bool>, Vec<bool>) {
    let reading = Reading::default();
    let tcb = model_tcb();
    let mut budget = Budget::new(&limit);
    let mut eps = make();
    let rst = Segment::new(Flags::RST, Seq(J + 2), Seq(0));
    let (mut model, mut endpoint) = (Vec::new(), Vec::new());
    for op in ops {
        match *op {
            Op::Rst(c) => {
                let out = throttle::segment_arrives(&tcb, &rst, &reading, &limit, &mut budget, c);
                model.push(out.send.is_some());
                endpoint.push(!eps[c].arrive(&rst).sent.is_empty());
            }
            Op::Tick => {
                budget = Budget::new(&limit);
                for e in &mut eps {
                    e.now = e.now + PER;
                }
            }
        }
    }
    (model, endpoint)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_per_connection_limit_holds_back_the_same_challenge_acks(ops in prop::collection::vec(op(), 0..40)) {
        let limit = Limit { per_connection: Some(2), shared: None };
        let own = || ChallengeAckLimit::PerConnection { count: 2, per: PER };
        let (m, e) = run(&ops, limit, || [endpoint(own()), endpoint(own())]);
        prop_assert_eq!(m, e);
    }

    #[test]
    fn a_shared_limit_holds_back_the_same_challenge_acks(ops in prop::collection::vec(op(), 0..40)) {
        let limit = Limit { per_connection: None, shared: Some(2) };
        let (m, e) = run(&ops, limit, || {
            let shared = SharedChallengeAcks::new(2, PER);
            [
                endpoint(ChallengeAckLimit::Shared(shared.clone())),
                endpoint(ChallengeAckLimit::Shared(shared)),
            ]
        });
        prop_assert_eq!(m, e);
    }

    #[test]
    fn without_a_limit_every_challenge_ack_goes_out(ops in prop::collection::vec(op(), 0..40)) {
        let limit = Limit { per_connection: None, shared: None };
        let (m, e) = run(&ops, limit, || [endpoint(ChallengeAckLimit::Unlimited), endpoint(ChallengeAckLimit::Unlimited)]);
        prop_assert!(m.iter().all(|&x| x));
        prop_assert_eq!(m, e);
    }
}
