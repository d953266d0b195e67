//! TIME-WAIT and the eighth step of RFC 9293 §3.10.7.4 (the FIN bit).

mod common;

use common::*;
use std::time::Duration;
use synfin_tcp::State::{Closed, TimeWait};

/// RFC 9293 §3.10.7.4, eighth step, TIME-WAIT: "Remain in the TIME-WAIT state. Restart the
/// 2 MSL time-wait timeout." Here the FIN is a new one at RCV.NXT (so it passes the first
/// step, unlike a retransmission of the peer's first FIN): it is acknowledged by the eighth
/// step ("advance RCV.NXT over the FIN, and send an acknowledgment for the FIN"), and the
/// 2 MSL timer (MUST-13) starts again from its arrival.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
//# (Maximum Segment Lifetime) (MUST-13).
#[test]
fn fin_at_rcv_nxt_in_time_wait_is_acked_and_restarts_2msl() {
    let mut t = at(TimeWait);
    let entered = t.now;
    assert_eq!(t.conn.poll_timeout(), Some(entered + TWO_MSL));
    t.advance(Duration::from_secs(60));
    let out = t.arrive(FIN | ACK, s(IRS + 2), s(ISS + 2), b"");
    assert_segs(&out, &[ack(s(ISS + 2), s(IRS + 3))]);
    assert_eq!(t.state(), TimeWait);
    assert_eq!(t.conn.tcb().rcv_nxt, s(IRS + 3));
    assert_eq!(t.conn.poll_timeout(), Some(t.now + TWO_MSL));
    // It expires 2 MSL after the FIN, not after entering TIME-WAIT.
    t.advance(TWO_MSL - Duration::from_secs(60));
    assert_eq!(t.state(), TimeWait);
    t.advance(Duration::from_secs(60));
    assert_eq!(t.state(), Closed);
}
