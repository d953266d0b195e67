//! The named profile of smoltcp 0.14: how it reads the choices RFC 9293 leaves open, as the
//! model's [`Reading`], and the families of differences from the model's rules it is known to
//! show, each with its RFC citation and the evidence a difference must carry to belong to it.
//! The scenario test fails on any difference no family explains, and on a family it never
//! sees (smoltcp runs on a virtual clock, so the default scenarios are the same every time).

use super::{
    acked_within_a_second, arrival, in_state, nothing_more, silent_for_ack, Known, ABORT_RST_ACK,
};
use synfin_conformance::peer_trace::Difference;
use synfin_model::{Reading, Rfc, State};

/// smoltcp's reading of the choices RFC 9293 leaves open: RFC 793 RST handling (it resets on
/// any in-window RST, `smoltcp_profile.rs`), the model's window, and no RFC 1337: a RST in
/// TIME-WAIT closes the connection, as RFC 9293 §3.10.7.4 (second step, TIME-WAIT) says.
pub fn profile() -> Reading {
    Reading {
        rfc: Rfc::Rfc793,
        rfc1337: false,
        ..Reading::default()
    }
}

/// A segment without the ACK bit (here an old duplicate SYN) in SYN-RECEIVED or a
/// synchronized state goes unanswered. smoltcp's `process` drops every segment without ACK
/// after the handshake ("expecting an ACK") before it checks the sequence number. RFC 9293
/// §3.10.7.4 checks the sequence number first: the segment is not acceptable, and "an
/// acknowledgment should be sent in reply" (lower-case "should", no MUST or SHLD number); the
/// ACK bit is checked only in the fifth step. The peer's own retransmission timer repairs what
/// the ACK would have.
fn ackless_dropped(d: &Difference) -> bool {
    silent_for_ack(d) && arrival(d).is_some_and(|f| !f.contains("ACK"))
}

/// An unacceptable segment with the ACK bit (an old duplicate SYN,ACK, ACK or FIN,ACK below
/// RCV.NXT) goes unanswered because smoltcp sends such ACKs through its challenge-ACK limiter,
/// one per second (RFC 5961 §7: challenge ACKs SHOULD be throttled; `smoltcp_profile.rs`
/// measures the limit). Evidence: smoltcp sent an ACK in the second before. RFC 9293
/// §3.10.7.4 first step: the ACK "should be sent" (no MUST or SHLD number).
fn throttled(d: &Difference) -> bool {
    silent_for_ack(d) && arrival(d).is_some_and(|f| f.contains("ACK"))
}

/// A FIN whose ACK field is one below SND.UNA (the tester's FIN, sent before it took
/// smoltcp's FIN, arriving after smoltcp's FIN was acknowledged: reordering or a simultaneous
/// close) in FIN-WAIT-2. RFC 9293 §3.10.7.4 fifth: "If the ACK is a duplicate (SEG.ACK =<
/// SND.UNA), it can be ignored", and processing goes on to the eighth step, where the FIN
/// moves FIN-WAIT-2 to TIME-WAIT (the model). smoltcp discards the whole segment ("duplicate
/// ACK" in `process`) and takes the FIN when the tester retransmits it (§3.10.8). A deviation
/// from the text without a MUST or SHLD number, which the retransmission repairs.
fn fin_with_old_ack_dropped(d: &Difference) -> bool {
    in_state(d, State::FinWait2)
        && arrival(d) == Some("FIN,ACK")
        && d.peer.is_empty()
        && d.peer_state == Some(State::FinWait2)
        && d.model_state == State::TimeWait
}

/// The families of differences smoltcp 0.14 shows against the model.
pub const KNOWN: &[Known] = &[
    ABORT_RST_ACK,
    Known {
        name: "a segment without ACK is dropped before the sequence check (§3.10.7.4 first)",
        matches: ackless_dropped,
        evidence: nothing_more,
    },
    Known {
        name: "the ACK for an unacceptable segment is throttled, one per second (RFC 5961 §7)",
        matches: throttled,
        evidence: acked_within_a_second,
    },
    Known {
        name: "a FIN with an old ACK is dropped in FIN-WAIT-2 (§3.10.7.4 fifth)",
        matches: fin_with_old_ack_dropped,
        evidence: nothing_more,
    },
];
