//! SEGMENT ARRIVES for a connection that does not exist (RFC 9293 §3.10.7.1, CLOSED). Its twin
//! in the model: `model/src/rules/segment_arrives/closed.rs`.

use crate::seq::SeqNum;
use crate::wire::{Flags, Packet, Segment};

/// The reset a CLOSED connection (or a demultiplexer with no matching connection) sends in
/// reply to `packet`, per RFC 9293 §3.10.7.1: nothing for a RST; for a segment without ACK
/// `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`; for one with ACK `<SEQ=SEG.ACK><CTL=RST>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# all data in the incoming segment is discarded. An incoming segment containing a RST is
//# discarded. An incoming segment not containing a RST causes a RST to be sent in response. The
//# acknowledgment and sequence field values are selected to make the reset sequence acceptable to
//# the TCP endpoint that sent the offending segment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# As a general rule, reset (RST) is sent whenever a segment arrives that apparently is not
//# intended for the current connection. A reset must not be sent if it is not clear that this is
//# the case.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the connection does not exist (CLOSED), then a reset is sent in response to any incoming
//# segment except another reset. A SYN segment that does not match an existing connection is
//# rejected by this means.
pub fn reset_for(packet: &Packet) -> Option<Packet> {
    let seg = &packet.segment;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
    //# An incoming segment containing a RST is discarded.
    if seg.flags.rst() {
        return None;
    }
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
    //# If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
    //# If the incoming segment has the ACK bit set, the reset takes its sequence number from the
    //# ACK field of the segment; otherwise, the reset has sequence number zero and the ACK field is
    //# set to the sum of the sequence number and segment length of the incoming segment. The
    //# connection remains in the CLOSED state.
    let reply = if seg.flags.ack() {
        Segment {
            seq: seg.ack,
            flags: Flags::RST,
            ..Segment::default()
        }
    } else {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
        //# If the ACK bit is off, sequence number zero is used,
        //# <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
        Segment {
            seq: SeqNum(0),
            ack: seg.end(),
            flags: Flags::RST | Flags::ACK,
            ..Segment::default()
        }
    };
    Some(packet.reply(reply))
}
