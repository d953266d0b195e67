//! Property tests that throw arbitrary input at live endpoints: an endpoint driven into
//! each of the 11 states of RFC 9293 Figure 5, then fed arbitrary bytes, arbitrary parsed
//! packets (sequence and acknowledgment numbers near and far from its live values), user
//! calls and timer firings, with `check_step` (in `live/check.rs`) run after every step on
//! both it and its peer.
//!
//! The codec alone is fuzzed in `fuzz_decode.rs`.

mod live;

use live::check::{Reach, REACH};
use live::drive::routes;
use live::input::{action, config, isn};
use live::world::World;
use live::{fuzz_state, proptest_config};
use proptest::prelude::*;
use synfin_tcp::{Config, State};

macro_rules! fuzz_in_state {
    ($($name:ident => $state:expr;)*) => {
        proptest! {
            #![proptest_config(proptest_config())]
            $(
                #[test]
                fn $name(
                    route in 0u8..3,
                    cfg in config(),
                    isn_a in isn(),
                    isn_b in isn(),
                    actions in proptest::collection::vec(action(), 1..48),
                ) {
                    fuzz_state($state, route, &cfg, isn_a, isn_b, &actions)?;
                }
            )*
        }
    };
}

fuzz_in_state! {
    an_endpoint_fuzzed_from_closed_stays_valid => State::Closed;
    an_endpoint_fuzzed_from_listen_stays_valid => State::Listen;
    an_endpoint_fuzzed_from_syn_sent_stays_valid => State::SynSent;
    an_endpoint_fuzzed_from_syn_received_stays_valid => State::SynReceived;
    an_endpoint_fuzzed_from_established_stays_valid => State::Established;
    an_endpoint_fuzzed_from_fin_wait_1_stays_valid => State::FinWait1;
    an_endpoint_fuzzed_from_fin_wait_2_stays_valid => State::FinWait2;
    an_endpoint_fuzzed_from_close_wait_stays_valid => State::CloseWait;
    an_endpoint_fuzzed_from_closing_stays_valid => State::Closing;
    an_endpoint_fuzzed_from_last_ack_stays_valid => State::LastAck;
    an_endpoint_fuzzed_from_time_wait_stays_valid => State::TimeWait;
}

/// The drivers reach every state by every route, for every ISN pair tried, and the
/// endpoints start out valid.
#[test]
fn every_route_reaches_its_state_and_starts_valid() {
    let isns = [(100, u32::MAX), (u32::MAX - 1, 0), (1 << 31, (1 << 31) - 1)];
    let mut reached = Vec::new();
    for state in State::ALL {
        for route in 0..routes(state) {
            for (isn_a, isn_b) in isns {
                let mut w = World::new(state, route, &Config::default(), isn_a, isn_b);
                assert_eq!(w.target().state(), state, "route {route}");
                w.check_both()
                    .unwrap_or_else(|e| panic!("{state:?} route {route}: {e}"));
            }
            reached.push(state);
        }
    }
    reached.dedup();
    assert_eq!(reached, State::ALL);
}

/// The fuzz is not vacuous: over a fixed-seed run of every start state, the endpoints pass
/// through every state, enter CLOSED from every other state, report every kind of terminal
/// event, send every kind of segment, and see every kind of input result.
#[test]
fn the_fuzz_reaches_every_state_event_and_kind_of_input() {
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    REACH.with(|r| *r.borrow_mut() = Reach::default());
    for state in State::ALL {
        let mut runner = TestRunner::new_with_rng(
            proptest_config(),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        let strategy = (
            0u8..3,
            config(),
            isn(),
            isn(),
            proptest::collection::vec(action(), 1..48),
        );
        runner
            .run(&strategy, |(route, cfg, isn_a, isn_b, actions)| {
                fuzz_state(state, route, &cfg, isn_a, isn_b, &actions)
            })
            .unwrap();
    }
    let reach = REACH.with(|r| std::mem::take(&mut *r.borrow_mut()));
    println!("{reach:#?}");
    let after: std::collections::BTreeSet<State> =
        reach.transitions.iter().map(|&(_, s)| s).collect();
    assert_eq!(after.into_iter().collect::<Vec<_>>(), State::ALL);
    for from in State::ALL.into_iter().filter(|&s| s != State::Closed) {
        assert!(
            reach.transitions.contains(&(from, State::Closed)),
            "never went from {from:?} to CLOSED"
        );
    }
    for e in [
        "Connected",
        "Readable",
        "PeerClosed",
        "Reset",
        "Refused",
        "TimedOut",
        "Closed",
    ] {
        assert!(reach.events.contains_key(e), "never reported {e}");
    }
    for f in [
        "SYN", "SYN,ACK", "ACK", "PSH,ACK", "FIN,ACK", "RST", "RST,ACK",
    ] {
        assert!(reach.sent.contains_key(f), "never sent {f}");
    }
    for i in ["Ok", "NotOurs", "BadChecksum", "Truncated", "BadDataOffset"] {
        assert!(reach.inputs.contains_key(i), "never had input result {i}");
    }
}
