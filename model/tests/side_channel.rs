//! CVE-2016-5696's side channel as noninterference (`synfin_model::side_channel`): with one
//! challenge-ACK budget for the whole host, the attacker's own connection tells whether a
//! forged RST landed in the victim's window; with a budget per connection it cannot.

use synfin_model::side_channel::{check, limits, Probe};
use synfin_model::throttle::Limit;

const STEPS: u8 = 6;
const TICKS: u8 = 1;

fn verdict(name: &str) -> synfin_model::side_channel::Verdict {
    let (_, limit, _) = limits().into_iter().find(|(n, _, _)| *n == name).unwrap();
    check(limit, STEPS, TICKS)
}

#[test]
fn a_shared_limit_leaks_whether_the_probe_hit_the_window() {
    let v = verdict("shared by the host, 2 a period");
    let leak = v.leak.expect("the shared limit must leak");
    // Two probes spend the period's budget where they hit the window; the attacker's own
    // challenge ACK then comes only where they missed.
    assert_eq!(leak.inputs, [Probe::Spoof, Probe::Spoof, Probe::Own]);
    assert_eq!(leak.seen[0], [None, None, Some(false)]);
    assert_eq!(leak.seen[1], [None, None, Some(true)]);
}

#[test]
fn a_per_connection_limit_or_none_leaks_nothing() {
    for name in ["no limit", "per connection, 2 a period"] {
        let v = verdict(name);
        assert!(v.leak.is_none(), "{name}: {:?}", v.leak);
        assert!(v.unique_states > 1, "{name}");
    }
}

#[test]
fn a_per_socket_limit_before_a_shared_one_leaks_only_when_the_shared_one_is_the_smaller() {
    let v = verdict("per connection 1, then shared 1");
    assert!(v.leak.is_some(), "{v:?}");
    let v = verdict("per connection 1, then shared 2");
    assert!(v.leak.is_none(), "{v:?}");
}

#[test]
fn waiting_out_the_period_restores_the_budget() {
    // A tick between the probe and the count hides the probe even with a shared limit.
    let limit = Limit {
        per_connection: None,
        shared: Some(1),
    };
    let m = synfin_model::side_channel::SideChannel::new(limit, STEPS, TICKS);
    let seen = m.observations(&[Probe::Spoof, Probe::Tick, Probe::Own]);
    assert_eq!(seen[0], seen[1]);
    let seen = m.observations(&[Probe::Spoof, Probe::Own]);
    assert_ne!(seen[0], seen[1]);
}
