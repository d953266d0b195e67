//! The `Pair` harness itself: the record switch, and the order in which `run` interleaves
//! timers and deliveries (its documented contract: "Packets are delivered in order of
//! readiness; a timer due before the next packet is ready fires first").

mod common;

use std::time::Duration;
use synfin_tcp::pair::{Pair, Record, Side, ADDR_B};
use synfin_tcp::{Event, Instant, State};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// B listens, A opens; the SYN is in flight with the given one-way latency.
fn syn_in_flight(latency: Duration) -> Pair {
    common::pair_connecting(latency)
}

/// A record as (time, side, what happened), the packet written in figure notation.
fn brief(r: &Record) -> (Instant, &'static str, String) {
    match r {
        Record::Sent { at, from, packet } => {
            (*at, side(*from), format!("sends {}", packet.segment))
        }
        Record::Delivered { at, to, packet } => {
            (*at, side(*to), format!("gets {}", packet.segment))
        }
        Record::Dropped { at, packet } => (*at, "-", format!("lost {}", packet.segment)),
        Record::Event { at, side: s, event } => (*at, side(*s), format!("{event:?}")),
    }
}

fn side(s: Side) -> &'static str {
    match s {
        Side::A => "A",
        Side::B => "B",
    }
}

fn t(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

/// With the log switched off nothing is recorded (events included); switched on again,
/// recording resumes.
#[test]
fn set_record_false_keeps_the_log_empty_until_switched_back_on() {
    let mut p = common::pair();
    p.set_record(false);
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    p.run(10);
    assert_eq!(
        (p.a.state(), p.b.state()),
        (State::Established, State::Established)
    );
    assert_eq!(p.log(), []);
    p.set_record(true);
    p.with(Side::A, |c, _| c.abort()).unwrap();
    let rst = p.net.in_flight()[0].packet.clone();
    assert_eq!(rst.segment.to_string(), "<SEQ=101><CTL=RST>");
    assert_eq!(
        p.log(),
        [
            Record::Sent {
                at: Instant::ZERO,
                from: Side::A,
                packet: rst
            },
            Record::Event {
                at: Instant::ZERO,
                side: Side::A,
                event: Event::Closed
            },
        ]
    );
}

/// A timer due before the next packet is ready fires first. The SYN takes 2 s to arrive and
/// A's retransmission timer is due at 1 s (RFC 6298 (2.1): initial RTO of 1 s), so the first
/// step retransmits the SYN at 1 s and the second delivers the first SYN at 2 s.
#[test]
fn run_fires_a_timer_due_before_the_next_packet_is_ready() {
    let mut p = syn_in_flight(ms(2000));
    assert_eq!(p.run(1), 1);
    assert_eq!(p.now(), t(1000));
    assert_eq!(p.run(1), 1);
    assert_eq!(p.now(), t(2000));
    assert_eq!(
        p.log().iter().map(brief).collect::<Vec<_>>(),
        [
            (t(0), "A", "sends <SEQ=100><CTL=SYN>".to_string()),
            (t(1000), "A", "sends <SEQ=100><CTL=SYN>".to_string()),
            (t(2000), "B", "gets <SEQ=100><CTL=SYN>".to_string()),
            (
                t(2000),
                "B",
                "sends <SEQ=300><ACK=101><CTL=SYN,ACK>".to_string()
            ),
        ]
    );
}

/// A packet ready at the same instant as a timer is delivered before the timer fires (only a
/// timer due *before* the packet goes first). The SYN takes exactly the 1 s initial RTO: B
/// gets it at 1 s and answers, and only then does A's timer retransmit the SYN at 1 s.
#[test]
fn run_delivers_a_packet_ready_when_a_timer_is_due_before_firing_it() {
    let mut p = syn_in_flight(ms(1000));
    assert_eq!(p.run(2), 2);
    assert_eq!(p.now(), t(1000));
    assert_eq!(
        p.log().iter().map(brief).collect::<Vec<_>>(),
        [
            (t(0), "A", "sends <SEQ=100><CTL=SYN>".to_string()),
            (t(1000), "B", "gets <SEQ=100><CTL=SYN>".to_string()),
            (
                t(1000),
                "B",
                "sends <SEQ=300><ACK=101><CTL=SYN,ACK>".to_string()
            ),
            (t(1000), "A", "sends <SEQ=100><CTL=SYN>".to_string()),
        ]
    );
}
