//! SEGMENT ARRIVES for a connection that does not exist (RFC 9293 §3.10.7.1, CLOSED). Its twin
//! in the model: `model/src/rules/segment_arrives/closed.rs`.

use crate::seq::SeqNum;
use crate::wire::{Flags, Packet, Segment};

/// The reset a CLOSED connection (or a demultiplexer with no matching connection) sends in
/// reply to `packet`, per RFC 9293 §3.10.7.1: nothing for a RST; for a segment without ACK
/// `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`; for one with ACK `<SEQ=SEG.ACK><CTL=RST>`.
pub fn reset_for(packet: &Packet) -> Option<Packet> {
    let seg = &packet.segment;
    if seg.flags.rst() {
        return None;
    }
    let reply = if seg.flags.ack() {
        Segment {
            seq: seg.ack,
            flags: Flags::RST,
            ..Segment::default()
        }
    } else {
        Segment {
            seq: SeqNum(0),
            ack: seg.end(),
            flags: Flags::RST | Flags::ACK,
            ..Segment::default()
        }
    };
    Some(packet.reply(reply))
}
