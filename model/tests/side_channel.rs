//! CVE-2016-5696's side channel as noninterference (`synfin_model::side_channel`): with one
//! challenge-ACK budget for the whole host, the attacker's own connection tells whether a
//! forged RST landed in the victim's window, and a forged SYN,ACK whether the victim's connection
//! exists at all; with a budget per connection it cannot.

use synfin_model::side_channel::{check, Probe, Secret, SideChannel, Verdict};
use synfin_model::throttle::Limit;

const STEPS: u8 = 6;
const TICKS: u8 = 1;

fn verdict_on(secret: Secret, per_connection: Option<u8>, shared: Option<u8>) -> Verdict {
    let limit = Limit {
        per_connection,
        shared,
    };
    check(limit, secret, STEPS, TICKS)
}

/// The victim's window as the secret.
fn verdict(per_connection: Option<u8>, shared: Option<u8>) -> Verdict {
    verdict_on(Secret::Window, per_connection, shared)
}

/// Whether the victim's connection exists, as the secret.
fn existence(per_connection: Option<u8>, shared: Option<u8>) -> Verdict {
    verdict_on(Secret::Existence, per_connection, shared)
}

#[test]
fn a_shared_limit_leaks_whether_the_probe_hit_the_window() {
    let v = verdict(None, Some(2));
    let leak = v.leak.expect("the shared limit must leak");
    // Two probes spend the period's budget where they hit the window; the attacker's own
    // challenge ACK then comes only where they missed.
    assert_eq!(leak.inputs, [Probe::SpoofRst, Probe::SpoofRst, Probe::Own]);
    assert_eq!(leak.seen[0], [None, None, Some(false)]);
    assert_eq!(leak.seen[1], [None, None, Some(true)]);
}

#[test]
fn a_per_connection_limit_or_none_leaks_nothing() {
    for per_connection in [None, Some(2)] {
        let v = verdict(per_connection, None);
        assert!(v.leak.is_none(), "{per_connection:?}: {:?}", v.leak);
        assert!(v.unique_states > 1, "{per_connection:?}");
    }
}

#[test]
fn a_per_socket_limit_before_a_shared_one_leaks_only_when_the_shared_one_is_the_smaller() {
    let v = verdict(Some(1), Some(1));
    assert!(v.leak.is_some(), "{v:?}");
    let v = verdict(Some(1), Some(2));
    assert!(v.leak.is_none(), "{v:?}");
}

#[test]
fn waiting_out_the_period_restores_the_budget() {
    // A tick between the probe and the count hides the probe even with a shared limit.
    let limit = Limit {
        per_connection: None,
        shared: Some(1),
    };
    let m = SideChannel::new(limit, Secret::Window, STEPS, TICKS);
    let seen = m.observations(&[Probe::SpoofRst, Probe::Tick, Probe::Own]);
    assert_eq!(seen[0], seen[1]);
    let seen = m.observations(&[Probe::SpoofRst, Probe::Own]);
    assert_ne!(seen[0], seen[1]);
}

#[test]
fn a_shared_limit_leaks_whether_the_victims_connection_exists() {
    let leak = existence(None, Some(2))
        .leak
        .expect("the shared limit must leak");
    // A forged SYN,ACK draws a challenge ACK from an ESTABLISHED victim (RFC 5961 §4) and a
    // RST, not counted, from a LISTEN (RFC 9293 §3.10.7.2): Cao et al.'s first step.
    assert_eq!(
        leak.inputs,
        [Probe::SpoofSynAck, Probe::SpoofSynAck, Probe::Own]
    );
    assert_eq!(leak.seen[0], [None, None, Some(false)]);
    assert_eq!(leak.seen[1], [None, None, Some(true)]);
}

#[test]
fn a_per_connection_limit_hides_whether_the_victims_connection_exists() {
    let v = existence(Some(2), None);
    assert!(v.leak.is_none(), "{v:?}");
    assert!(v.unique_states > 1);
}

#[test]
fn a_forged_rst_outside_the_window_does_not_tell_existence() {
    // The existing victim's window is far from P: the forged RST is dropped silently by both
    // an ESTABLISHED victim (RFC 5961 §3.2) and a LISTEN (§3.10.7.2), even with a shared limit.
    let limit = Limit {
        per_connection: None,
        shared: Some(1),
    };
    let m = SideChannel::new(limit, Secret::Existence, STEPS, TICKS);
    let seen = m.observations(&[Probe::SpoofRst, Probe::Own]);
    assert_eq!(seen[0], seen[1]);
    let seen = m.observations(&[Probe::SpoofSynAck, Probe::Own]);
    assert_ne!(seen[0], seen[1]);
}
