//! The `Pair`'s in-memory network (`p.net`): what is in flight, the duplicate, reorder and
//! delay commands, and the order in which `Pair::run` takes ready packets.

mod common;

use std::time::Duration;
use synfin_tcp::pair::{Pair, Record, Side, ADDR_A, ADDR_B};
use synfin_tcp::Instant;

fn segments(p: &Pair) -> Vec<String> {
    p.net
        .in_flight()
        .iter()
        .map(|f| format!("->{:?} {}", f.to, f.packet.segment))
        .collect()
}

/// Both sides open actively at once (RFC 9293 Figure 7): two SYNs in flight, one each way.
fn two_syns_in_flight() -> Pair {
    let mut p = common::pair();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    p.with(Side::B, |c, now| c.open_active(now, ADDR_A))
        .unwrap();
    p
}

#[test]
fn len_and_is_empty_count_the_packets_in_flight() {
    let mut p = common::pair();
    assert_eq!((p.net.len(), p.net.is_empty()), (0, true));
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    assert_eq!((p.net.len(), p.net.is_empty()), (1, false));
    let mut p = two_syns_in_flight();
    assert_eq!((p.net.len(), p.net.is_empty()), (2, false));
    p.drop_packet(0).unwrap();
    p.drop_packet(0).unwrap();
    assert_eq!((p.net.len(), p.net.is_empty()), (0, true));
}

/// `duplicate(i)` puts a copy of packet `i` right behind it and says whether packet `i`
/// exists; an index past the end changes nothing.
#[test]
fn duplicate_puts_the_copy_right_behind_the_original() {
    let mut p = two_syns_in_flight();
    let a_syn = "->B <SEQ=100><CTL=SYN>";
    let b_syn = "->A <SEQ=300><CTL=SYN>";
    assert_eq!(segments(&p), [a_syn, b_syn]);
    assert!(p.net.duplicate(0));
    assert_eq!(segments(&p), [a_syn, a_syn, b_syn]);
    assert!(p.net.duplicate(2));
    assert_eq!(segments(&p), [a_syn, a_syn, b_syn, b_syn]);
    assert!(!p.net.duplicate(4));
    assert_eq!(segments(&p), [a_syn, a_syn, b_syn, b_syn]);
    assert_eq!(p.net.in_flight()[0], p.net.in_flight()[1]);
}

/// `reorder(i, j)` moves packet `i` to position `j`; it refuses (and changes nothing) unless
/// both positions exist.
#[test]
fn reorder_moves_a_packet_and_refuses_positions_past_the_end() {
    let mut p = two_syns_in_flight();
    let a_syn = "->B <SEQ=100><CTL=SYN>";
    let b_syn = "->A <SEQ=300><CTL=SYN>";
    assert!(p.net.reorder(0, 1));
    assert_eq!(segments(&p), [b_syn, a_syn]);
    assert!(p.net.reorder(1, 0));
    assert_eq!(segments(&p), [a_syn, b_syn]);
    assert!(p.net.reorder(1, 1));
    assert_eq!(segments(&p), [a_syn, b_syn]);
    for (i, j) in [(2, 0), (0, 2), (2, 2), (7, 1)] {
        assert!(!p.net.reorder(i, j), "reorder({i}, {j})");
        assert_eq!(segments(&p), [a_syn, b_syn], "reorder({i}, {j})");
    }
}

/// `delay(i, d)` holds packet `i` back by `d` more and says whether it exists.
#[test]
fn delay_adds_to_ready_at_and_refuses_a_missing_packet() {
    let mut p = two_syns_in_flight();
    p.net.latency = Duration::from_millis(10);
    let ready =
        |p: &Pair| -> Vec<Instant> { p.net.in_flight().iter().map(|f| f.ready_at).collect() };
    assert_eq!(ready(&p), [Instant::ZERO, Instant::ZERO]);
    assert!(p.net.delay(1, Duration::from_millis(300)));
    assert!(p.net.delay(1, Duration::from_millis(200)));
    assert_eq!(ready(&p), [Instant::ZERO, Instant::from_millis(500)]);
    assert!(!p.net.delay(2, Duration::from_millis(300)));
    assert_eq!(ready(&p), [Instant::ZERO, Instant::from_millis(500)]);
}

/// `Pair::run` delivers "in order of readiness": the packet with the earliest `ready_at`
/// first, whatever its place in the queue.
#[test]
fn run_delivers_the_packet_ready_earliest_first() {
    let mut p = two_syns_in_flight();
    p.net.delay(0, Duration::from_millis(100));
    assert_eq!(p.run(1), 1);
    assert_eq!(p.now(), Instant::ZERO);
    assert_eq!(delivered(&p), ["->A <SEQ=300><CTL=SYN>"]);
    // The delayed SYN is still waiting, behind A's answer.
    assert_eq!(
        p.net.in_flight()[0].packet.segment.to_string(),
        "<SEQ=100><CTL=SYN>"
    );
    assert_eq!(p.net.in_flight()[0].ready_at, Instant::from_millis(100));
}

/// Among packets ready at the same time, the first in queue order goes first.
#[test]
fn run_delivers_packets_ready_together_in_queue_order() {
    let mut p = two_syns_in_flight();
    assert_eq!(p.run(1), 1);
    assert_eq!(delivered(&p), ["->B <SEQ=100><CTL=SYN>"]);
    let mut p = two_syns_in_flight();
    assert!(p.net.reorder(1, 0));
    assert_eq!(p.run(1), 1);
    assert_eq!(delivered(&p), ["->A <SEQ=300><CTL=SYN>"]);
}

/// The deliveries so far, from the log.
fn delivered(p: &Pair) -> Vec<String> {
    p.log()
        .iter()
        .filter_map(|r| match r {
            Record::Delivered { to, packet, .. } => Some(format!("->{to:?} {}", packet.segment)),
            _ => None,
        })
        .collect()
}
