//! Trace inclusion: where RFC 9293 allows several behaviours the model lists them, and the
//! check accepts any of them but nothing else.

use synfin_conformance::endpoint::Observation;
use synfin_conformance::single::compare;
use synfin_model::rules::allowed;
use synfin_model::rules::Events;
use synfin_model::{Flags, Reading, Rfc, Segment, Seq, State, Tcb};

fn established() -> Tcb {
    let mut t = Tcb::new(Seq(100), 2);
    t.state = State::Established;
    t.snd_una = Seq(101);
    t.snd_nxt = Seq(101);
    t.irs = Seq(300);
    t.rcv_nxt = Seq(301);
    t
}

fn silent() -> Observation {
    Observation {
        sent: vec![],
        events: Events::NONE,
    }
}

/// RFC 5961 §3.2 and §7: an in-window RST that is not at RCV.NXT draws a challenge ACK, which
/// an implementation with a throttle may leave unsent. With a throttle, sending it and staying
/// silent are both allowed; a reset or any other segment is not. Without one (synfin-tcp's
/// reading), silence is a difference.
#[test]
fn rfc5961_challenge_ack_may_be_throttled() {
    let t = established();
    let rst = Segment::new(Flags::RST, Seq(305), Seq(0));
    let strict = allowed::arrivals(&t, &rst, &Reading::default());
    assert_eq!(strict.len(), 1);
    assert!(compare::check(&strict, &silent(), &t).is_err());
    let throttled = Reading {
        challenge_ack_throttle: true,
        ..Reading::default()
    };
    let allowed = allowed::arrivals(&t, &rst, &throttled);
    assert_eq!(allowed.len(), 2);
    let challenge = Observation {
        sent: vec![t.ack_now()],
        events: Events::NONE,
    };
    assert_eq!(compare::check(&allowed, &challenge, &t), Ok(0));
    assert_eq!(compare::check(&allowed, &silent(), &t), Ok(1));
    let wrong = Observation {
        sent: vec![Segment::new(Flags::ACK, Seq(101), Seq(305))],
        events: Events::NONE,
    };
    assert!(compare::check(&allowed, &wrong, &t).is_err());
    let mut closed = t;
    closed.state = State::Closed;
    assert!(compare::check(&allowed, &silent(), &closed).is_err());
}

/// RFC 793 has no challenge ACK: the same RST resets the connection, and that is the only
/// behaviour allowed.
#[test]
fn rfc793_in_window_rst_allows_only_the_reset() {
    let t = established();
    let rst = Segment::new(Flags::RST, Seq(305), Seq(0));
    let p = Reading {
        rfc: Rfc::Rfc793,
        ..Reading::default()
    };
    let allowed = allowed::arrivals(&t, &rst, &p);
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0].tcb.state, State::Closed);
    assert!(compare::check(&allowed, &silent(), &t).is_err());
}

/// An ordinary duplicate ACK for an out-of-window segment is not a challenge ACK: it may not
/// be left out.
#[test]
fn unacceptable_segment_ack_is_not_optional() {
    let t = established();
    let old = Segment::new(Flags::ACK, Seq(299), Seq(101)).with_len(1);
    let allowed = allowed::arrivals(&t, &old, &Reading::default());
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0].send, Some(t.ack_now()));
    assert!(compare::check(&allowed, &silent(), &t).is_err());
}
