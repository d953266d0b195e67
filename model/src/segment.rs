//! The model's view of a TCP segment: the header fields connection management reads
//! (RFC 9293 §3.1) and a data length of 0 or 1 byte.

use crate::seq::Seq;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The control bits the model uses (RFC 9293 §3.1). URG and PSH play no part in connection
/// management and are not modelled.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Flags(pub u8);

impl Flags {
    pub const NONE: Flags = Flags(0);
    pub const SYN: Flags = Flags(1);
    pub const ACK: Flags = Flags(2);
    pub const FIN: Flags = Flags(4);
    pub const RST: Flags = Flags(8);
    pub const SYN_ACK: Flags = Flags(1 | 2);
    pub const FIN_ACK: Flags = Flags(4 | 2);
    pub const RST_ACK: Flags = Flags(8 | 2);

    pub const fn has(self, f: Flags) -> bool {
        self.0 & f.0 == f.0
    }

    pub const fn with(self, f: Flags) -> Flags {
        Flags(self.0 | f.0)
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (Flags::SYN, "SYN"),
            (Flags::FIN, "FIN"),
            (Flags::RST, "RST"),
            (Flags::ACK, "ACK"),
        ];
        let mut first = true;
        for (flag, name) in names {
            if self.has(flag) {
                if !first {
                    f.write_str(",")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        if first {
            f.write_str("-")?;
        }
        Ok(())
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Ghost identity of a segment: which incarnation of its sender sent it, and to which
/// incarnation of the receiver. Not on the wire and never read by the rules: the checker uses
/// it to tell an old duplicate of an earlier connection from a segment of this one, which
/// sequence numbers alone cannot do when ISNs repeat. Values are incarnation + 1; 0 means
/// unknown (untagged, or the receiver's incarnation not yet learnt); [`Tag::EARLIER`] marks an
/// old duplicate from before the run (a configuration's `stale` segments).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag {
    pub from: u8,
    pub to: u8,
}

impl Tag {
    pub const EARLIER: Tag = Tag { from: 255, to: 0 };
    /// `from` of the off-path attacker's segments ([`crate::attack`]); their `to` holds the
    /// SEQ and ACK classes they stand for.
    pub const ATTACKER: u8 = 254;

    /// The tag of an injected segment of SEQ class `seq` and ACK class `ack` (each 0 to 3).
    pub const fn attack(seq: u8, ack: u8) -> Tag {
        Tag {
            from: Tag::ATTACKER,
            to: 1 + (seq & 3) + ((ack & 3) << 2),
        }
    }
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//= type=exception
//= reason=The model's segments carry no TCP options (only SEQ, ACK, flags and a length), so none is
//= reason=sent, received or checked.
//# A TCP implementation MUST be able to receive a TCP Option in any segment (MUST-5).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//= type=exception
//= reason=The model's segments carry no TCP options (only SEQ, ACK, flags and a length), so none is
//= reason=sent, received or checked.
//# A TCP implementation MUST (MUST-6) ignore without error any TCP Option it does not implement,
//# assuming that the option has a length field.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//= type=exception
//= reason=The model's segments carry no TCP options (only SEQ, ACK, flags and a length), so none is
//= reason=sent, received or checked.
//# TCP implementations MUST be prepared to handle an illegal option length (e.g., zero); a
//# suggested procedure is to reset the connection and log the error cause (MUST-7).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
//= type=exception
//= reason=The model's segments carry no TCP options (only SEQ, ACK, flags and a length), so none is
//= reason=sent, received or checked.
//# TCP endpoints MUST implement both sending and receiving the MSS Option (MUST-14).
/// A segment: SEQ, ACK, control bits and the number of data bytes it carries, plus a ghost
/// [`Tag`].
///
/// When the ACK bit is clear the ACK field is meaningless; the rules always set it to 0 then,
/// so that equal segments compare equal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Segment {
    pub seq: Seq,
    pub ack: Seq,
    pub flags: Flags,
    pub len: u8,
    #[serde(skip)]
    pub tag: Tag,
}

/// A canonical order, raw numbers field by field (SEQ, ACK, flags, length, tag): it keeps
/// collections and stateright's action lists in one order, and says nothing about sequence
/// space.
impl Ord for Segment {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |s: &Segment| (s.seq.raw(), s.ack.raw(), s.flags, s.len, s.tag);
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Segment {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Segment {
    /// A segment with the given control bits, SEQ and ACK (ignored without the ACK bit).
    pub const fn new(flags: Flags, seq: Seq, ack: Seq) -> Segment {
        let ack = if flags.has(Flags::ACK) { ack } else { Seq(0) };
        Segment {
            seq,
            ack,
            flags,
            len: 0,
            tag: Tag { from: 0, to: 0 },
        }
    }

    /// The same segment with ghost tag `tag`.
    pub const fn tagged(mut self, tag: Tag) -> Segment {
        self.tag = tag;
        self
    }

    /// The same segment without its ghost tag: the header alone.
    pub const fn header(self) -> Segment {
        self.tagged(Tag { from: 0, to: 0 })
    }

    /// The same segment carrying `len` data bytes.
    pub const fn with_len(mut self, len: u8) -> Segment {
        self.len = len;
        self
    }

    pub const fn syn(&self) -> bool {
        self.flags.has(Flags::SYN)
    }
    pub const fn ack_bit(&self) -> bool {
        self.flags.has(Flags::ACK)
    }
    pub const fn fin(&self) -> bool {
        self.flags.has(Flags::FIN)
    }
    pub const fn rst(&self) -> bool {
        self.flags.has(Flags::RST)
    }

    /// SEG.LEN: the sequence space the segment occupies, counting SYN and FIN (RFC 9293 §3.3.1).
    pub const fn seg_len(&self) -> u32 {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
        //# The segment length (SEG.LEN) includes both data and sequence space-occupying controls.
        //# When a SYN is present, then SEG.SEQ is the sequence number of the SYN.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
        //# SEG.LEN = the number of octets occupied by the data in the segment (counting SYN and
        //# FIN)
        self.len as u32 + self.syn() as u32 + self.fin() as u32
    }
}

impl fmt::Debug for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} seq={}", self.flags, self.seq)?;
        if self.ack_bit() {
            write!(f, " ack={}", self.ack)?;
        }
        if self.len > 0 {
            write!(f, " len={}", self.len)?;
        }
        Ok(())
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seg_len_counts_syn_and_fin() {
        assert_eq!(Segment::new(Flags::SYN, Seq(1), Seq(0)).seg_len(), 1);
        assert_eq!(
            Segment::new(Flags::FIN_ACK, Seq(1), Seq(9))
                .with_len(1)
                .seg_len(),
            2
        );
        assert_eq!(Segment::new(Flags::ACK, Seq(1), Seq(9)).seg_len(), 0);
    }

    #[test]
    fn ack_field_is_zero_without_ack_bit() {
        assert_eq!(Segment::new(Flags::RST, Seq(7), Seq(9)).ack, Seq(0));
        assert_eq!(
            format!("{:?}", Segment::new(Flags::SYN_ACK, Seq(300), Seq(101))),
            "SYN,ACK seq=300 ack=101"
        );
    }
}
