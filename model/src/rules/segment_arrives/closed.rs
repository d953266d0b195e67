//! SEGMENT ARRIVES in CLOSED (RFC 9293 §3.10.7.1) and the reset-generation rule (§3.5.2). Its
//! twin in the endpoint: `impl/src/conn/segment_arrives/closed.rs`.

use crate::rules::Outcome;
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::tcb::Tcb;

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# As a general rule, reset (RST) is sent whenever a segment arrives that apparently is not
//# intended for the current connection. A reset must not be sent if it is not clear that this is
//# the case.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the incoming segment has the ACK bit set, the reset takes its sequence number from the ACK
//# field of the segment; otherwise, the reset has sequence number zero and the ACK field is set to
//# the sum of the sequence number and segment length of the incoming segment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the incoming segment has an ACK field, the reset takes its sequence number from the ACK field
//# of the segment; otherwise, the reset has sequence number zero and the ACK field is set to the
//# sum of the sequence number and segment length of the incoming segment.
/// The reset sent in reply to `seg` (§3.5.2): none to a RST; `<SEQ=SEG.ACK><CTL=RST>` if the
/// segment has an ACK; else `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`.
pub(crate) fn reset_for(seg: &Segment) -> Option<Segment> {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
    //# If the connection does not exist (CLOSED), then a reset is sent in response to any incoming
    //# segment except another reset.
    if seg.rst() {
        None
    } else if seg.ack_bit() {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
        //# If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>
        Some(Segment::new(Flags::RST, seg.ack, Seq(0)))
    } else {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
        //# If the ACK bit is off, sequence number zero is used,
        //# <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
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
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
        //# all data in the incoming segment is discarded. An incoming segment containing a RST is
        //# discarded. An incoming segment not containing a RST causes a RST to be sent in response.
        //# The acknowledgment and sequence field values are selected to make the reset sequence
        //# acceptable to the TCP endpoint that sent the offending segment.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
        //# A SYN segment that does not match an existing connection is rejected by this means.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
        //# In this case, the data arriving at TCP Peer A from TCP Peer B (line 2) is unacceptable
        //# because no such connection exists, so TCP Peer A sends a RST.
        send: reset_for(seg),
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
        //# The connection remains in the CLOSED state.
        ..Outcome::unchanged(tcb)
    }
}
