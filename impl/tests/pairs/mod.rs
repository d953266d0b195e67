//! Helpers for tests that drive a [`Pair`] step by step, the way RFC 9293's figures read.

#![allow(dead_code)]

use synfin_tcp::pair::{Pair, Side};
use synfin_tcp::{Config, IsnSource, Packet, State};

/// A pair with default configs whose ISNs come from the given sources.
pub fn pair(isn_a: impl IsnSource + 'static, isn_b: impl IsnSource + 'static) -> Pair {
    Pair::new(Config::default(), isn_a, Config::default(), isn_b)
}

/// The in-flight packets as `A->B <SEQ=..>...` lines, oldest first.
pub fn in_flight(p: &Pair) -> Vec<String> {
    p.net
        .in_flight()
        .iter()
        .map(|f| {
            format!(
                "{}->{:?} {}",
                side_name(f.to.other()),
                f.to,
                f.packet.segment
            )
        })
        .collect()
}

fn side_name(s: Side) -> &'static str {
    match s {
        Side::A => "A",
        Side::B => "B",
    }
}

/// Asserts the network holds exactly `expected` (as written by [`in_flight`]).
#[track_caller]
pub fn assert_in_flight(p: &Pair, expected: &[&str]) {
    assert_eq!(in_flight(p), expected, "packets in flight");
}

/// Asserts the RFC 9293 states of A and B.
#[track_caller]
pub fn assert_states(p: &Pair, a: State, b: State) {
    assert_eq!((p.a.state(), p.b.state()), (a, b), "states of (A, B)");
}

/// Delivers the in-flight packet written `expected` (see [`in_flight`]), then asserts the
/// states of A and B.
#[track_caller]
pub fn deliver(p: &mut Pair, expected: &str, a: State, b: State) {
    let i = in_flight(p)
        .iter()
        .position(|s| s == expected)
        .unwrap_or_else(|| panic!("{expected} is not in flight: {:?}", in_flight(p)));
    p.deliver(i);
    assert_states(p, a, b);
}

/// A packet from `from` to the other side, as if an old duplicate were still in the network.
pub fn from_side(from: Side, segment: synfin_tcp::Segment) -> Packet {
    use synfin_tcp::pair::{ADDR_A, ADDR_B};
    let (src, dst) = match from {
        Side::A => (ADDR_A, ADDR_B),
        Side::B => (ADDR_B, ADDR_A),
    };
    Packet { src, dst, segment }
}

/// Opens A actively to a listening B and runs the handshake to ESTABLISHED on both sides,
/// then clears the log.
pub fn established(isn_a: u32, isn_b: u32) -> Pair {
    use synfin_tcp::pair::ADDR_B;
    use synfin_tcp::FixedIsn;
    let mut p = pair(FixedIsn(isn_a), FixedIsn(isn_b));
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    p.run(10);
    assert_states(&p, State::Established, State::Established);
    p.take_log();
    p
}

/// The events logged for `side` since the log was last taken.
pub fn events(p: &Pair, side: Side) -> Vec<synfin_tcp::Event> {
    p.log()
        .iter()
        .filter_map(|r| match r {
            synfin_tcp::pair::Record::Event { side: s, event, .. } if *s == side => Some(*event),
            _ => None,
        })
        .collect()
}
