//! Initial sequence number sources (RFC 9293 §3.4.1, MUST-8; RFC 6528): a closure as the
//! source, and the RFC 6528 generator `ISN = M + F(localip, localport, remoteip, remoteport,
//! secretkey)` with M a timer ticking every 4 microseconds.

use std::net::SocketAddrV4;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use synfin_tcp::pair::{ADDR_A, ADDR_B};
use synfin_tcp::{Config, Connection, Instant, IsnSource, Rfc6528, SeqNum};

const KEY: [u8; 16] = *b"0123456789abcdef";

/// The RFC 6528 ISN for A -> B at `micros` microseconds after the epoch.
fn rfc6528_isn(key: [u8; 16], local: SocketAddrV4, remote: SocketAddrV4, micros: u64) -> u32 {
    Rfc6528::new(key)
        .isn(
            local,
            remote,
            Instant::from_epoch(Duration::from_micros(micros)),
        )
        .0
}

/// Any closure of the right shape is an ISN source: the SYN of an active OPEN carries what
/// it returns as ISS (RFC 9293 §3.10.1: "<SEQ=ISS><CTL=SYN>"), and it is asked with the
/// local and remote sockets and the time of the OPEN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# An initial send sequence number (ISS) is selected. A SYN segment of the form <SEQ=ISS><CTL=SYN>
//# is sent.
#[test]
fn a_closure_chooses_the_iss_from_the_sockets_and_the_time() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let seen = asked.clone();
    let isn = move |local: SocketAddrV4, remote: SocketAddrV4, now: Instant| {
        seen.lock().unwrap().push((local, remote, now));
        SeqNum(0x1234_5678)
    };
    let mut conn = Connection::with_isn(Config::default(), ADDR_A, isn);
    let now = Instant::from_millis(2_500);
    conn.open_active(now, ADDR_B).unwrap();
    let syn = conn.poll_transmit().unwrap();
    assert_eq!(syn.segment.seq, SeqNum(0x1234_5678));
    assert_eq!(conn.tcb().iss, SeqNum(0x1234_5678));
    assert_eq!(*asked.lock().unwrap(), [(ADDR_A, ADDR_B, now)]);
}

/// RFC 6528 §3: M is a timer incremented every 4 microseconds, and F does not change with
/// time, so for one connection-id the ISN advances by exactly one every 4 us: by 0 after
/// 3 us, 1 after 4 us, 250,000 after a second.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# This clock is a 32-bit counter that typically increments at least once every roughly 4
//# microseconds
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# A TCP implementation MUST use the above type of "clock" for clock-driven selection of initial
//# sequence numbers (MUST-8)
#[test]
fn rfc6528_isn_advances_by_one_every_four_microseconds() {
    let t0 = 1_000_000_007; // any start
    let start = t0 - t0 % 4; // on a tick
    let at = |micros| rfc6528_isn(KEY, ADDR_A, ADDR_B, micros);
    for (elapsed, ticks) in [
        (0, 0u32),
        (3, 0),
        (4, 1),
        (7, 1),
        (8, 2),
        (1_000_000, 250_000),
    ] {
        assert_eq!(
            at(start + elapsed).wrapping_sub(at(start)),
            ticks,
            "after {elapsed} us"
        );
    }
    // From the epoch, M starts at 0: the ISN one second in is F + 250,000.
    assert_eq!(at(1_000_000).wrapping_sub(at(0)), 250_000);
}

/// RFC 6528 §3: M is a 32-bit counter (the ISN is a 32-bit sequence number), so it wraps
/// after 2^32 ticks of 4 us (about 4.77 hours): the ISN then repeats.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# TCP initial sequence numbers are generated from a number sequence that monotonically increases
//# until it wraps, known loosely as a "clock". This clock is a 32-bit counter
#[test]
fn rfc6528_timer_wraps_after_two_to_the_32_ticks() {
    let wrap = 4 * (1u64 << 32);
    for t in [0, 4, 123_456_788] {
        assert_eq!(
            rfc6528_isn(KEY, ADDR_A, ADDR_B, t + wrap),
            rfc6528_isn(KEY, ADDR_A, ADDR_B, t)
        );
    }
    assert_eq!(
        rfc6528_isn(KEY, ADDR_A, ADDR_B, wrap - 4).wrapping_add(1),
        rfc6528_isn(KEY, ADDR_A, ADDR_B, 0)
    );
}

/// RFC 6528 §3: F is a function of the connection-id and the secret key, so another key or
/// another remote port gives another ISN at the same instant (here, for these inputs).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# where M is the 4 microsecond timer, and F() is a pseudorandom function (PRF) of the connection's
//# identifying parameters ("localip, localport, remoteip, remoteport") and a secret key
//# ("secretkey") (SHLD-1).
#[test]
fn rfc6528_isn_depends_on_the_key_and_the_connection_id() {
    let t = 10_000_000;
    let base = rfc6528_isn(KEY, ADDR_A, ADDR_B, t);
    let other_key = rfc6528_isn(*b"fedcba9876543210", ADDR_A, ADDR_B, t);
    let other_port = rfc6528_isn(KEY, ADDR_A, SocketAddrV4::new(*ADDR_B.ip(), 81), t);
    assert_ne!(base, other_key);
    assert_ne!(base, other_port);
    // The same inputs give the same ISN: the source is deterministic given key and clock.
    assert_eq!(base, rfc6528_isn(KEY, ADDR_A, ADDR_B, t));
}

/// `Connection::new` takes its ISS from RFC 6528 under the given key.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# and SHOULD generate its initial sequence numbers with the expression: ISN = M + F(localip,
//# localport, remoteip, remoteport, secretkey)
#[test]
fn connection_new_uses_the_rfc6528_source_under_its_key() {
    let now = Instant::from_millis(42_000);
    let mut conn = Connection::new(Config::default(), ADDR_A, KEY);
    conn.open_active(now, ADDR_B).unwrap();
    let expected = Rfc6528::new(KEY).isn(ADDR_A, ADDR_B, now);
    assert_eq!(conn.poll_transmit().unwrap().segment.seq, expected);
}
