//! A parsed TCP segment and the addressed packet that carries it.

use super::Flags;
use crate::seq::SeqNum;
use std::fmt;
use std::net::SocketAddrV4;

/// The fields of a TCP segment that connection management reads (RFC 9293 §3.1). Ports live
/// in the [`Packet`] around it.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Segment {
    /// SEG.SEQ.
    pub seq: SeqNum,
    /// SEG.ACK; meaningful only with the ACK bit, and sent as zero without it.
    pub ack: SeqNum,
    /// The control bits.
    pub flags: Flags,
    /// SEG.WND.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
    //# The window size MUST be treated as an unsigned number, or else large window sizes will
    //# appear like negative windows and TCP will not work (MUST-1).
    pub window: u16,
    /// The urgent pointer; this endpoint sends 0 and does not act on urgent data.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
    //# This field is only to be interpreted in segments with the URG control bit set.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=urgent data is not implemented: the pointer is carried, unused
    //# TCP implementations MUST still include support for the urgent mechanism (MUST-30).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=urgent data is not implemented
    //# A TCP implementation MUST support a sequence of urgent data of any length (MUST-31) [19].
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=urgent data is not implemented: the pointer sent is 0
    //# The urgent pointer MUST point to the sequence number of the octet following the urgent data
    //# (MUST-62).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=urgent data is not implemented
    //# A TCP implementation MUST (MUST-32) inform the application layer asynchronously whenever it
    //# receives an urgent pointer and there was previously no pending urgent data, or whenever the
    //# urgent pointer advances in the data stream.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=urgent data is not implemented
    //# The TCP implementation MUST (MUST-33) provide a way for the application to learn how much
    //# urgent data remains to be read from the connection, or at least to determine whether more
    //# urgent data remains to be read [19].
    pub urgent: u16,
    /// The Maximum Segment Size option (RFC 9293 §3.7.1), if present.
    pub mss: Option<u16>,
    /// The segment's text (data).
    pub payload: Vec<u8>,
}

impl Segment {
    /// SEG.LEN: octets of payload plus one for SYN and one for FIN (RFC 9293 §3.4).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# The segment length (SEG.LEN) includes both data and sequence space-occupying controls.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# SEG.LEN = the number of octets occupied by the data in the segment (counting SYN and FIN)
    pub fn seq_len(&self) -> u32 {
        self.payload.len() as u32 + u32::from(self.flags.syn()) + u32::from(self.flags.fin())
    }

    /// The sequence number just after this segment.
    pub fn end(&self) -> SeqNum {
        self.seq.wrapping_add(self.seq_len())
    }
}

/// `<SEQ=100><ACK=301><CTL=SYN,ACK><DATA=10>`, the notation of RFC 9293's figures.
impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<SEQ={}>", self.seq)?;
        if self.flags.ack() {
            write!(f, "<ACK={}>", self.ack)?;
        }
        write!(f, "<CTL={}>", self.flags)?;
        if !self.payload.is_empty() {
            write!(f, "<DATA={}>", self.payload.len())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self} WND={}", self.window)?;
        if let Some(mss) = self.mss {
            write!(f, " MSS={mss}")?;
        }
        Ok(())
    }
}

/// A segment with its source and destination socket addresses: what the endpoint emits and
/// accepts. [`Packet::encode`] and [`Packet::decode`] move it to and from the wire.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Packet {
    /// The sender's IPv4 address and port.
    pub src: SocketAddrV4,
    /// The receiver's IPv4 address and port.
    pub dst: SocketAddrV4,
    /// The TCP segment.
    pub segment: Segment,
}

impl Packet {
    /// The same addresses, reversed: where a reply to this packet goes.
    pub fn reply(&self, segment: Segment) -> Packet {
        Packet {
            src: self.dst,
            dst: self.src,
            segment,
        }
    }
}
