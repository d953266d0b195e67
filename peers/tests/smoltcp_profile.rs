//! smoltcp's behaviour where RFC 9293 (and RFC 5961) leave a choice or where it departs from
//! them, observed by crafting segments against a live smoltcp connection. Each test pins what
//! smoltcp 0.14 does and names the rule it is measured against: together they are smoltcp's
//! profile (peers/README.md).

use std::net::SocketAddrV4;
use std::time::Duration;
use synfin_peers::ipv4;
use synfin_peers::link::{summary, Link, IP_A, IP_B};
use synfin_peers::smol::{SmolHost, SmolState};
use synfin_tcp::{Config, Connection, FixedIsn, Flags, Instant, Packet, Segment, SeqNum, State};

const LIMIT: Duration = Duration::from_secs(600);
const A: SocketAddrV4 = SocketAddrV4::new(IP_A, 40000);
const B: SocketAddrV4 = SocketAddrV4::new(IP_B, 80);

/// synfin-tcp (A) connected to smoltcp (B), both ESTABLISHED.
fn established() -> Link<Connection, SmolHost> {
    let mut b = SmolHost::new(IP_B, Duration::ZERO);
    b.listen(B.port()).unwrap();
    let a = Connection::with_isn(Config::default(), A, FixedIsn(1000));
    let mut l = Link::new(a, b);
    l.a.open_active(Instant::ZERO, B).unwrap();
    assert!(l.run_until(LIMIT, |l| l.a.state() == State::Established
        && l.b.state() == SmolState::Established));
    l
}

/// Sends `flags` with SEQ = A's SND.NXT + `seq_off` and ACK = A's RCV.NXT + `ack_off`
/// straight to B (not through A) and returns what B answers.
fn poke(
    l: &mut Link<Connection, SmolHost>,
    flags: Flags,
    seq_off: u32,
    ack_off: u32,
) -> Vec<String> {
    let t = *l.a.tcb();
    let seg = Segment {
        seq: SeqNum(t.snd_nxt.0.wrapping_add(seq_off)),
        ack: SeqNum(t.rcv_nxt.0.wrapping_add(ack_off)),
        flags,
        window: 65535,
        ..Segment::default()
    };
    let p = Packet {
        src: A,
        dst: B,
        segment: seg,
    };
    let d = ipv4::wrap(IP_A, IP_B, &p.encode().unwrap()).unwrap();
    l.b.inject(d);
    l.b.poll(l.now).iter().map(|d| summary(d)).collect()
}

/// RFC 5961 §3.2 asks that a RST inside the window but not at RCV.NXT draw a challenge ACK and
/// leave the connection alone. smoltcp follows RFC 793 instead (§3.10.7.4 as RFC 793 had it):
/// any RST inside the window resets. A deviation from RFC 5961, which RFC 9293 only
/// recommends (SHLD); synfin's `Rfc793` profile is the matching model.
#[test]
fn in_window_rst_not_at_rcv_nxt_resets_as_in_rfc793() {
    let mut l = established();
    let out = poke(&mut l, Flags::RST, 10, 0);
    assert_eq!(l.b.state(), SmolState::Closed, "{out:?}");
    assert!(out.is_empty(), "no challenge ACK: {out:?}");
}

/// A RST outside the window is ignored (RFC 9293 §3.10.7.4, both profiles).
#[test]
fn rst_outside_the_window_is_ignored() {
    let mut l = established();
    let out = poke(&mut l, Flags::RST, 100_000, 0);
    assert_eq!(l.b.state(), SmolState::Established, "{out:?}");
}

/// RFC 9293 §3.10.7.4: a RST exactly at RCV.NXT resets the connection.
#[test]
fn rst_at_rcv_nxt_resets() {
    let mut l = established();
    let out = poke(&mut l, Flags::RST, 0, 0);
    assert_eq!(l.b.state(), SmolState::Closed, "{out:?}");
}

/// A SYN (without ACK) in ESTABLISHED: RFC 5961 §4.2 asks for a challenge ACK, RFC 793 for a
/// reset when it is in the window. smoltcp does neither: it drops the segment silently and
/// the connection goes on.
#[test]
fn syn_in_established_is_dropped_silently() {
    let mut l = established();
    let out = poke(&mut l, Flags::SYN, 0, 0);
    assert_eq!(l.b.state(), SmolState::Established, "{out:?}");
    assert!(out.is_empty(), "{out:?}");
}

/// An ACK of data never sent (SEG.ACK > SND.NXT) in ESTABLISHED: RFC 9293 §3.10.7.4 fifth,
/// "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
/// segment, and return". smoltcp sends it as a challenge ACK and throttles challenge ACKs to
/// one per second (RFC 5961 §7 asks for a throttle, SHOULD; the number is smoltcp's): a second
/// such segment within the second gets no answer, one after it does. synfin-tcp answers every
/// one (no throttle, peers/README.md: the Linux and smoltcp profiles).
#[test]
fn challenge_acks_are_limited_to_one_per_second() {
    let mut l = established();
    // SEG.ACK = SND.NXT + 1000 on smoltcp's side.
    let ack_beyond = |l: &mut Link<Connection, SmolHost>| poke(l, Flags::ACK, 0, 1000);
    let first = ack_beyond(&mut l);
    assert_eq!(first.len(), 1, "a challenge ACK: {first:?}");
    l.now += Duration::from_millis(500);
    let second = ack_beyond(&mut l);
    assert!(second.is_empty(), "throttled within the second: {second:?}");
    l.now += Duration::from_millis(600);
    let third = ack_beyond(&mut l);
    assert_eq!(third.len(), 1, "allowed again after a second: {third:?}");
    assert_eq!(l.b.state(), SmolState::Established);
}

/// RFC 9293 §3.4.2 / §3.10.8: TIME-WAIT lasts 2*MSL (MSL 2 minutes: 240 s; synfin-tcp uses
/// 2*MSL too). smoltcp holds TIME-WAIT for a fixed 10 seconds.
#[test]
fn time_wait_lasts_ten_seconds_not_two_msl() {
    let mut b = SmolHost::new(IP_B, Duration::ZERO);
    b.listen(B.port()).unwrap();
    let a = Connection::with_isn(Config::default(), A, FixedIsn(1000));
    let mut l = Link::new(a, b);
    l.a.open_active(Instant::ZERO, B).unwrap();
    assert!(l.run_until(LIMIT, |l| l.b.state() == SmolState::Established));
    // smoltcp closes first, so it is the end that waits in TIME-WAIT.
    l.b.close();
    assert!(l.run_until(LIMIT, |l| l.a.state() == State::CloseWait));
    l.a.close(Instant::from_epoch(l.now)).unwrap();
    assert!(l.run_until(LIMIT, |l| l.b.state() == SmolState::TimeWait));
    let entered = l.now;
    assert!(l.run_until(LIMIT, |l| l.b.state() == SmolState::Closed));
    let waited = l.now - entered;
    println!("smoltcp TIME-WAIT: {waited:?}");
    assert!(
        waited >= Duration::from_secs(9) && waited <= Duration::from_secs(11),
        "{waited:?}"
    );
}
