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
    pub window: u16,
    /// The urgent pointer; this endpoint sends 0 and does not act on urgent data.
    pub urgent: u16,
    /// The Maximum Segment Size option (RFC 9293 §3.7.1), if present.
    pub mss: Option<u16>,
    /// The segment's text (data).
    pub payload: Vec<u8>,
}

impl Segment {
    /// SEG.LEN: octets of payload plus one for SYN and one for FIN (RFC 9293 §3.4).
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
