//! The `Pair` harness itself: the record switch, and the order in which `run` interleaves
//! timers and deliveries (its documented contract: "Packets are delivered in order of
//! readiness; a timer due before the next packet is ready fires first").

mod common;

use std::time::Duration;
use synfin_tcp::pair::{Input, NetChange, Observer, Pair, Record, Side, Step, ADDR_A, ADDR_B};
use synfin_tcp::{Config, Connection, Event, FixedIsn, Instant, State};

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

/// What an observer saw: (side, "before"/"after", input kind, packets sent, events).
#[derive(Default)]
struct Seen(Vec<String>);

impl Observer for Seen {
    fn before(&mut self, at: Instant, s: Side, conn: &Connection, input: &Input) {
        self.0.push(format!(
            "{at:?} {} before {} in {}",
            side(s),
            kind(input),
            conn.state()
        ));
    }

    fn after(&mut self, step: &Step, conn: &mut Connection) {
        self.0.push(format!(
            "{:?} {} after {}: sent {}, events {:?}, now {}",
            step.at,
            side(step.side),
            kind(&step.input),
            step.sent.len(),
            step.events,
            conn.state()
        ));
    }

    fn network(&mut self, at: Instant, change: &NetChange) {
        let what = match change {
            NetChange::Lost(f) => format!("lost #{}", f.id),
            NetChange::Duplicated(f) => format!("duplicated #{}", f.id),
        };
        self.0.push(format!("{at:?} net {what}"));
    }
}

fn kind(input: &Input) -> &'static str {
    match input {
        Input::Call => "call",
        Input::Packet(_) => "packet",
        Input::Garbage(_) => "garbage",
        Input::Timer => "timer",
    }
}

/// The observer hook sees every step of either endpoint before and after, in order, and
/// every loss and duplication made through the pair; each step returns what went in and what
/// came out.
#[test]
fn an_observer_sees_every_step_before_and_after_and_every_network_change() {
    let a = Connection::with_isn(Config::default(), ADDR_A, FixedIsn(100));
    let b = Connection::with_isn(Config::default(), ADDR_B, FixedIsn(300));
    let mut p = Pair::observed(a, b, Seen::default());
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    let (r, step) = p.call(Side::A, |c, now| c.open_active(now, ADDR_B));
    r.unwrap();
    assert_eq!(
        (step.side, &step.input, step.sent.len()),
        (Side::A, &Input::Call, 1)
    );
    assert_eq!(step.sent[0].to, Side::B);
    assert!(p.duplicate(0));
    assert_eq!(
        p.net.in_flight()[0].id,
        p.net.in_flight()[1].id,
        "a copy keeps its number"
    );
    p.drop_packet(1);
    let step = p.deliver(0).expect("the SYN is in flight");
    assert_eq!(step.side, Side::B);
    assert!(matches!(&step.input, Input::Packet(pk) if pk.segment.flags.syn()));
    assert_eq!((step.refused, step.sent.len()), (None, 1));
    let step = p
        .fire_timer(Side::B)
        .expect("B's SYN,ACK is unacknowledged");
    assert_eq!((step.input, step.at), (Input::Timer, t(1000)));
    let garbage = p.inject_bytes(Side::A, *ADDR_B.ip(), *ADDR_A.ip(), &[1, 2, 3]);
    assert!(matches!(garbage.input, Input::Garbage(_)) && garbage.refused.is_some());
    assert_eq!(
        p.observer().0,
        [
            "Instant(0ns) B before call in CLOSED",
            "Instant(0ns) B after call: sent 0, events [], now LISTEN",
            "Instant(0ns) A before call in CLOSED",
            "Instant(0ns) A after call: sent 1, events [], now SYN-SENT",
            "Instant(0ns) net duplicated #0",
            "Instant(0ns) net lost #0",
            "Instant(0ns) B before packet in LISTEN",
            "Instant(0ns) B after packet: sent 1, events [], now SYN-RECEIVED",
            "Instant(1s) B before timer in SYN-RECEIVED",
            "Instant(1s) B after timer: sent 1, events [], now SYN-RECEIVED",
            "Instant(1s) A before garbage in SYN-SENT",
            "Instant(1s) A after garbage: sent 0, events [], now SYN-SENT",
        ]
    );
}
