//! SEGMENT ARRIVES in CLOSED (RFC 9293 §3.10.7.1) and the reset-generation rule (§3.5.2). Its
//! twin in the endpoint: `impl/src/conn/segment_arrives/closed.rs`.

use crate::rules::Outcome;
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::tcb::Tcb;

/// The reset sent in reply to `seg` (§3.5.2): none to a RST; `<SEQ=SEG.ACK><CTL=RST>` if the
/// segment has an ACK; else `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`.
pub(crate) fn reset_for(seg: &Segment) -> Option<Segment> {
    if seg.rst() {
        None
    } else if seg.ack_bit() {
        Some(Segment::new(Flags::RST, seg.ack, Seq(0)))
    } else {
        Some(Segment::new(
            Flags::RST_ACK,
            Seq(0),
            seg.seq.add(seg.seg_len()),
        ))
    }
}

/// §3.10.7.1 CLOSED: all data is discarded; a RST is discarded; anything else draws a reset.
pub fn closed(tcb: &Tcb, seg: &Segment) -> Outcome {
    Outcome {
        send: reset_for(seg),
        ..Outcome::unchanged(tcb)
    }
}
