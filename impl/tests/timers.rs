//! Timers: retransmission with RFC 6298's RTO (initial value, RTT sampling, Karn, backoff,
//! ceiling), the retry budgets of RFC 9293 §3.8.3, the persist probe, and TIME-WAIT.

mod pairs;

use pairs::*;
use std::time::Duration;
use synfin_tcp::pair::{Pair, Side, ADDR_B};
use synfin_tcp::State::*;
use synfin_tcp::{Config, Event, FixedIsn, Instant};

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Drops everything in flight.
fn lose_all(p: &mut Pair) {
    while p.drop_packet(0).is_some() {}
}

/// RFC 6298 (2.1) initial RTO of 1 s, (5.5) doubling, and RFC 9293 §3.8.3 MUST-23: SYN
/// retransmission must go on for at least 3 minutes. Then the connection times out.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# In particular, R2 for a SYN segment MUST be set large enough to provide retransmission of the
//# segment for at least 3 minutes (MUST-23).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# SYN retransmissions MUST be handled in the general way just described for data retransmissions,
//# including notification of the application layer.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# For any state if the retransmission timeout expires on a segment in the retransmission queue,
//# send the segment at the front of the retransmission queue again, reinitialize the retransmission
//# timer, and return.
#[test]
fn syn_retransmits_with_doubling_rto_for_over_three_minutes_then_times_out() {
    let mut p = pair(FixedIsn(100), FixedIsn(300));
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    let mut fired_at = vec![];
    while let Some(deadline) = p.a.poll_timeout() {
        lose_all(&mut p);
        p.fire_next_timer();
        assert_eq!(p.now(), deadline);
        fired_at.push(p.now().since_epoch().as_secs());
        if p.a.state() == SynSent {
            assert_eq!(
                in_flight(&p),
                ["A->B <SEQ=100><CTL=SYN>"],
                "an identical SYN"
            );
        }
    }
    // Retransmissions at 1, 3, 7, ... (gaps 1, 2, 4, ..., 32, then the 60 s ceiling of
    // RFC 6298 (2.5)); the 8th expiry times out.
    assert_eq!(fired_at, [1, 3, 7, 15, 31, 63, 123, 183]);
    assert!(
        fired_at[fired_at.len() - 1] >= 180,
        "MUST-23: at least 3 minutes"
    );
    assert_eq!(p.a.state(), Closed);
    assert_eq!(events(&p, Side::A), [Event::TimedOut]);
    assert_eq!(p.a.poll_timeout(), None);
}

/// RFC 6298 (2.5): the RTO has a ceiling (60 s by default); and §3.8.3 MUST-20: data is
/// retransmitted for at least 100 seconds before the connection is given up.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# The value of R2 SHOULD correspond to at least 100 seconds (SHLD-11).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# When the number of transmissions of the same segment reaches a threshold R2 greater than R1,
//# close the connection.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.2
//# and exponential backoff of RTO to avoid creating congestion collapse conditions (MUST-19).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# For any state if the user timeout expires, flush all queues, signal the user "error: connection
//# aborted due to user timeout" in general and for any outstanding calls, delete the TCB, enter the
//# CLOSED state, and return.
#[test]
fn data_retransmission_backs_off_to_the_ceiling_and_lasts_over_100_seconds() {
    let mut p = established(99, 299);
    let start = p.now();
    p.with(Side::A, |c, now| c.send(now, b"x")).unwrap();
    let mut gaps = vec![];
    let mut last = start;
    while p.a.state() == Established {
        lose_all(&mut p);
        p.fire_next_timer();
        gaps.push((p.now() - last).as_secs());
        last = p.now();
    }
    assert_eq!(gaps, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]);
    assert!((p.now() - start) >= secs(100), "MUST-20: R2 at least 100 s");
    assert_eq!(events(&p, Side::A), [Event::TimedOut]);
}

/// RFC 6298 (2.2)-(2.4): the first sample sets SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR,
/// here below the 1 s floor (2.4) unless the floor is lowered.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
//# The RTO MUST be computed according to the algorithm in [10]
#[test]
fn first_rtt_sample_sets_the_rto() {
    for (min_rto, expected) in [
        (secs(1), secs(1)),
        (Duration::ZERO, Duration::from_millis(600)),
    ] {
        let cfg = Config {
            min_rto,
            ..Config::default()
        };
        let mut p = Pair::new(cfg.clone(), FixedIsn(1), cfg, FixedIsn(2));
        p.net.latency = Duration::from_millis(100);
        p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
        p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
            .unwrap();
        p.run(10);
        // The SYN took 200 ms to be answered.
        assert_eq!(p.a.rto(), expected, "min_rto {min_rto:?}");
    }
}

/// Karn's algorithm (RFC 6298 §3): no RTT sample from a retransmitted segment, so the RTO
/// stays backed off; RFC 6298 (5.7): after a SYN timed out, data starts with an RTO of 3 s.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
//# including Karn's algorithm for taking RTT samples (MUST-18).
#[test]
fn retransmitted_syn_gives_no_sample_and_the_rto_restarts_at_three_seconds() {
    let mut p = pair(FixedIsn(1), FixedIsn(2));
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    lose_all(&mut p);
    p.fire_next_timer(); // SYN again after 1 s; RTO now 2 s
    p.run(10);
    assert_states(&p, Established, Established);
    assert_eq!(p.a.rto(), secs(3));
}

/// TIME-WAIT lasts 2*MSL, with the MSL configurable (RFC 9293 §3.4.2).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.2
//# For this specification the MSL is taken to be 2 minutes. This is an engineering choice, and may
//# be changed if experience indicates it is desirable to do so.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
//# (Maximum Segment Lifetime) (MUST-13).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state, and
//# return.
#[test]
fn time_wait_lasts_two_msl_with_a_configurable_msl() {
    let cfg = Config {
        msl: secs(30),
        ..Config::default()
    };
    let mut p = Pair::new(cfg, FixedIsn(1), Config::default(), FixedIsn(2));
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    p.run(10);
    p.with(Side::A, |c, now| c.close(now)).unwrap();
    p.run(2);
    p.with(Side::B, |c, now| c.close(now)).unwrap();
    p.run(2);
    assert_states(&p, TimeWait, Closed);
    let entered = p.now();
    assert_eq!(p.a.poll_timeout(), Some(entered + secs(60)));
    p.run(10);
    assert_eq!(p.now(), Instant::ZERO + secs(60));
    assert_states(&p, Closed, Closed);
}

/// RFC 9293 §3.10.7.4 (TIME-WAIT): a retransmission of the peer's FIN is acknowledged and
/// restarts the 2 MSL timeout. Here the last ACK is lost, so B retransmits its FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# The only thing that can arrive in this state is a retransmission of the remote FIN. Acknowledge
//# it, and restart the 2 MSL timeout.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# All segments preceding and including FIN will be retransmitted until acknowledged.
#[test]
fn retransmitted_fin_in_time_wait_is_acked_and_restarts_two_msl() {
    let mut p = established(99, 299);
    p.with(Side::A, |c, now| c.close(now)).unwrap();
    p.run(2);
    p.with(Side::B, |c, now| c.close(now)).unwrap();
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=101><CTL=FIN,ACK>",
        TimeWait,
        LastAck,
    );
    // The last ACK is lost.
    p.drop_packet(0).unwrap();
    let two_msl = Config::default().msl * 2;
    let first_deadline = p.a.poll_timeout().unwrap();
    // B's retransmission timer fires first (1 s): its FIN again.
    p.fire_next_timer();
    assert_eq!(in_flight(&p), ["B->A <SEQ=300><ACK=101><CTL=FIN,ACK>"]);
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=101><CTL=FIN,ACK>",
        TimeWait,
        LastAck,
    );
    assert_eq!(p.a.poll_timeout(), Some(p.now() + two_msl));
    assert!(p.a.poll_timeout().unwrap() > first_deadline);
    deliver(&mut p, "A->B <SEQ=101><ACK=301><CTL=ACK>", TimeWait, Closed);
    assert_eq!(events(&p, Side::B), [Event::PeerClosed, Event::Closed]);
}

/// RFC 9293 §3.8.6.1 (MUST-36): with the peer's window closed and data waiting, the sender
/// probes; once the receiver reads, the window reopens and everything arrives, FIN last.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
//# Probing of zero (offered) windows MUST be supported (MUST-36).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
//# The sending TCP peer must regularly transmit at least one octet of new data (if available), or
//# retransmit to the receiving TCP peer even if the send window is zero, in order to "probe" the
//# window.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
//# If the window shrinks to zero, the TCP implementation MUST probe it in the standard way
//# (described below) (MUST-35).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.4
//# Closing connections is intended to be a graceful operation in the sense that outstanding SENDs
//# will be transmitted (and retransmitted), as flow control permits, until all have been serviced.
#[test]
fn zero_window_is_probed_and_the_queued_fin_follows_the_data() {
    let small = Config {
        recv_buffer: 4,
        ..Config::default()
    };
    let mut p = Pair::new(Config::default(), FixedIsn(1), small, FixedIsn(2));
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    p.run(10);
    p.with(Side::A, |c, now| c.send(now, b"0123456789"))
        .unwrap();
    p.with(Side::A, |c, now| c.close(now)).unwrap();
    assert_eq!(in_flight(&p), ["A->B <SEQ=2><ACK=3><CTL=ACK><DATA=4>"]);
    p.run(2);
    // B's window is closed; A has nothing in flight but a persist timer.
    assert_eq!(p.b.tcb().rcv_wnd, 0);
    assert!(p.net.is_empty());
    assert!(p.a.poll_timeout().is_some());
    p.fire_next_timer();
    assert_eq!(
        in_flight(&p),
        ["A->B <SEQ=6><ACK=3><CTL=ACK><DATA=1>"],
        "a one-octet probe"
    );
    p.run(1);
    assert_eq!(
        in_flight(&p),
        ["B->A <SEQ=3><ACK=6><CTL=ACK>"],
        "refused: window still 0"
    );
    let mut got = vec![];
    let mut buf = [0; 16];
    for _ in 0..50 {
        p.run(4);
        let n = p.b.recv(&mut buf).unwrap_or(0);
        got.extend_from_slice(&buf[..n]);
        p.collect();
        if p.b.state() == CloseWait {
            break;
        }
    }
    p.run(10);
    assert_eq!(got, b"0123456789");
    assert_eq!(p.b.state(), CloseWait);
    assert_eq!(p.a.state(), FinWait2);
}
