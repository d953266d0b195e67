//! RFC 6298 retransmission timeout computations, observed through `Connection::rto()` on a
//! pair whose network latency sets the round-trip time.
//!
//! K = 4 and the 1 s floor (2.4) and 60 s ceiling (2.5) are the defaults; the samples here
//! are chosen so that neither bound applies.

mod common;

use std::time::Duration;
use synfin_tcp::pair::{Pair, Record, Side};
use synfin_tcp::{Instant, State};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A pair that has completed the handshake over a network of one-way `latency`.
fn established(latency: Duration) -> Pair {
    let mut p = common::pair_connecting(latency);
    p.run(10);
    assert_eq!(
        (p.a.state(), p.b.state()),
        (State::Established, State::Established)
    );
    p
}

/// RFC 6298 (2.2) on the first sample R: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, K*RTTVAR).
/// Then (2.3) on the second sample R':
///   RTTVAR = (1 - 1/4) * RTTVAR + 1/4 * |SRTT - R'|,
///   SRTT = (1 - 1/8) * SRTT + 1/8 * R',
///   RTO = SRTT + max(G, K*RTTVAR).
///
/// The SYN is answered after R = 800 ms: SRTT = 800 ms, RTTVAR = 400 ms, RTO = 2.4 s.
/// Data is then answered after R' = 2 s (below the 2.4 s RTO, so no retransmission):
/// RTTVAR = 3/4 * 400 + 1/4 * 1200 = 600 ms, SRTT = 7/8 * 800 + 1/8 * 2000 = 950 ms,
/// RTO = 950 + 4 * 600 = 3350 ms.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
//# The RTO MUST be computed according to the algorithm in [10]
#[test]
fn second_rtt_sample_updates_srtt_and_rttvar_by_rfc6298_2_3() {
    let mut p = established(ms(400));
    assert_eq!(
        p.a.rto(),
        ms(2400),
        "RFC 6298 (2.2) after the SYN's 800 ms RTT"
    );
    let sent_at = p.now();
    p.net.latency = ms(1000);
    p.with(Side::A, |c, now| c.send(now, b"0123456789"))
        .unwrap();
    p.run(10);
    assert_eq!(
        p.a.tcb().snd_una,
        p.a.tcb().snd_nxt,
        "the data is acknowledged"
    );
    // The ACK came back 2 s after the data left, with no retransmission on the way.
    assert_eq!(data_sent_by_a(&p), [sent_at], "the data went out once");
    assert_eq!(p.a.rto(), ms(3350), "RFC 6298 (2.3)");
}

/// Karn's algorithm (RFC 6298 §3: "RTT samples MUST NOT be made using segments that were
/// retransmitted"). The handshake over a 0 ms network gives SRTT = 0, so the RTO is the 1 s
/// floor (2.4). Data then meets a 700 ms one-way delay: the timer fires at 1 s, the segment
/// is retransmitted and the RTO doubles to 2 s (5.5). The ACK of the first transmission
/// arrives at 1.4 s; it is ambiguous, so it gives no sample and the RTO stays 2 s (were it
/// sampled, R = 1.4 s would give SRTT = 175 ms, RTTVAR = 350 ms, RTO = 1.575 s).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
//# including Karn's algorithm for taking RTT samples (MUST-18).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.2
//# RFC 6298 describes exponential backoff of RTO values, including keeping the backed-off value
//# until a subsequent segment with new data has been sent and acknowledged without retransmission.
#[test]
fn ack_of_a_retransmitted_segment_gives_no_rtt_sample() {
    let mut p = established(Duration::ZERO);
    assert_eq!(p.a.rto(), ms(1000));
    let t0 = p.now();
    p.net.latency = ms(700);
    p.with(Side::A, |c, now| c.send(now, b"data")).unwrap();
    p.run(20);
    assert_eq!(
        p.a.tcb().snd_una,
        p.a.tcb().snd_nxt,
        "the data is acknowledged"
    );
    assert_eq!(
        data_sent_by_a(&p),
        [t0, t0 + ms(1000)],
        "sent, then retransmitted when the 1 s timer fired"
    );
    assert_eq!(p.a.rto(), ms(2000), "backed off (5.5), and no sample since");
}

/// When A sent a data segment (first transmissions and retransmissions).
fn data_sent_by_a(p: &Pair) -> Vec<Instant> {
    p.log()
        .iter()
        .filter_map(|r| match r {
            Record::Sent {
                at,
                from: Side::A,
                packet,
            } if !packet.segment.payload.is_empty() => Some(*at),
            _ => None,
        })
        .collect()
}
