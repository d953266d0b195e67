//! Sequence numbers (RFC 9293 §3.4): 32-bit values compared modulo 2^32, in the manner of
//! RFC 1982 serial number arithmetic.
//!
//! `a < b` means "b lies ahead of a by less than 2^31". Two numbers exactly 2^31 apart are
//! not ordered either way (RFC 1982 §3.2 leaves that comparison undefined); every comparison
//! here then answers `false`, so no window check can accept such a segment.

use std::fmt;
use std::ops::{Add, Sub};

/// A TCP sequence (or acknowledgment) number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# It is essential to remember that the actual sequence number space is finite, though large. This
//# space ranges from 0 to 2^32 - 1. Since the space is finite, all arithmetic dealing with sequence
//# numbers must be performed modulo 2^32.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10
//# Please note in the following that all arithmetic on sequence numbers, acknowledgment numbers,
//# windows, et cetera, is modulo 2^32 (the size of the sequence number space).
pub struct SeqNum(pub u32);

impl SeqNum {
    /// The signed distance from `other` to `self`: positive when `self` is ahead.
    fn diff(self, other: SeqNum) -> i32 {
        self.0.wrapping_sub(other.0) as i32
    }

    /// `self < other` modulo 2^32.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# There are some subtleties to computer modulo arithmetic, so great care should be taken in
    //# programming the comparison of such values. The symbol "=<" means "less than or equal"
    //# (modulo 2^32).
    pub fn lt(self, other: SeqNum) -> bool {
        let d = other.diff(self);
        d > 0
    }

    /// `self =< other` modulo 2^32.
    pub fn le(self, other: SeqNum) -> bool {
        self == other || self.lt(other)
    }

    /// `self > other` modulo 2^32.
    pub fn gt(self, other: SeqNum) -> bool {
        other.lt(self)
    }

    /// `self >= other` modulo 2^32.
    pub fn ge(self, other: SeqNum) -> bool {
        other.le(self)
    }

    /// `self + n` modulo 2^32.
    pub fn wrapping_add(self, n: u32) -> SeqNum {
        SeqNum(self.0.wrapping_add(n))
    }

    /// `self - n` modulo 2^32.
    pub fn wrapping_sub(self, n: u32) -> SeqNum {
        SeqNum(self.0.wrapping_sub(n))
    }

    /// How far `self` is ahead of `earlier` (`self - earlier` modulo 2^32).
    pub fn since(self, earlier: SeqNum) -> u32 {
        self.0.wrapping_sub(earlier.0)
    }

    /// `start =< self < start + len`, the window test of RFC 9293 §3.10.7.4 (Table 6).
    /// An empty window holds nothing.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
    pub fn in_window(self, start: SeqNum, len: u32) -> bool {
        self.since(start) < len
    }
}

impl fmt::Debug for SeqNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for SeqNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Add<u32> for SeqNum {
    type Output = SeqNum;
    /// Modular addition: `SeqNum(u32::MAX) + 1 == SeqNum(0)`.
    fn add(self, n: u32) -> SeqNum {
        self.wrapping_add(n)
    }
}

impl Sub<u32> for SeqNum {
    type Output = SeqNum;
    /// Modular subtraction.
    fn sub(self, n: u32) -> SeqNum {
        self.wrapping_sub(n)
    }
}
