//! 32-bit sequence numbers with modular comparison (RFC 9293 §3.4, RFC 1982).
//!
//! The model keeps real `u32` values, so sequence arithmetic wraps exactly as on the wire; the
//! state space stays finite because initial sequence numbers come from a small configured set.

use serde::{Deserialize, Serialize};
use std::fmt;

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# Since the space is finite, all arithmetic dealing with sequence numbers must be performed modulo
//# 2^32. This unsigned arithmetic preserves the relationship of sequence numbers as they cycle from
//# 2^32 - 1 to 0 again.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10
//# Please note in the following that all arithmetic on sequence numbers, acknowledgment numbers,
//# windows, et cetera, is modulo 2^32 (the size of the sequence number space).
/// A TCP sequence number. It has no `Ord`: `a < b` must not compile into a raw numeric
/// comparison. Protocol comparisons go through [`Seq::lt`] and friends, which are modular:
/// `a < b` iff `b - a` (mod 2^32) lies in `1..2^31` (RFC 9293 §3.4, RFC 1982 §3.2). Two numbers
/// exactly 2^31 apart are ordered neither way (RFC 1982 leaves that comparison undefined), so no
/// window or acknowledgment test can accept one against the other. [`Seq::raw`] gives the raw
/// number where a canonical order of collections is needed.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seq(pub u32);

impl Seq {
    /// `self + n` modulo 2^32.
    pub const fn add(self, n: u32) -> Seq {
        Seq(self.0.wrapping_add(n))
    }

    /// `self - other` modulo 2^32: the distance from `other` up to `self`.
    pub const fn since(self, other: Seq) -> u32 {
        self.0.wrapping_sub(other.0)
    }

    /// The raw number, for a canonical order of collections (never a protocol comparison).
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// Modular `self < other`: `other` lies ahead of `self` by 1 to 2^31 - 1.
    pub const fn lt(self, other: Seq) -> bool {
        (other.0.wrapping_sub(self.0) as i32) > 0
    }

    /// Modular `self <= other`.
    pub const fn le(self, other: Seq) -> bool {
        self.0 == other.0 || self.lt(other)
    }

    /// Modular `self > other`.
    pub const fn gt(self, other: Seq) -> bool {
        other.lt(self)
    }

    /// Modular `self >= other`.
    pub const fn ge(self, other: Seq) -> bool {
        other.le(self)
    }

    /// `lo <= self < lo + len`, the window test of RFC 9293 §3.10.7.4 Table 6.
    pub const fn in_window(self, lo: Seq, len: u32) -> bool {
        self.since(lo) < len
    }
}

impl fmt::Debug for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Seq;
    use proptest::prelude::*;

    #[test]
    fn comparison_across_the_wrap() {
        let top = Seq(u32::MAX);
        assert_eq!(top.add(1), Seq(0));
        assert!(top.lt(Seq(0)));
        assert!(Seq(0).gt(top));
        assert!(top.lt(Seq(5)));
        assert!(Seq(5).in_window(top, 7));
        assert!(!Seq(6).in_window(top, 7));
        assert_eq!(Seq(2).since(top), 3);
    }

    #[test]
    fn numbers_2_pow_31_apart_are_ordered_neither_way() {
        for a in [0u32, 1, 100, 1 << 31, u32::MAX] {
            let (x, y) = (Seq(a), Seq(a).add(1 << 31));
            assert!(!x.lt(y) && !y.lt(x) && !x.gt(y) && !y.gt(x), "{a}");
            assert!(!x.le(y) && !y.le(x), "{a}");
        }
        // One step closer or farther, the order is defined (and flips).
        assert!(Seq(0).lt(Seq((1 << 31) - 1)));
        assert!(Seq(0).gt(Seq((1 << 31) + 1)));
    }

    proptest! {
        /// Never both orders, at any distance, the edges 2^31 - 1, 2^31, 2^31 + 1 included.
        #[test]
        fn never_both_orders(a: u32, d in prop_oneof![
            Just(0u32), Just((1u32 << 31) - 1), Just(1u32 << 31), Just((1u32 << 31) + 1), any::<u32>()
        ]) {
            let (x, y) = (Seq(a), Seq(a).add(d));
            prop_assert!(!(x.lt(y) && y.lt(x)));
            prop_assert_eq!(x.lt(y), (1..(1u32 << 31)).contains(&d));
        }

        #[test]
        fn lt_is_antisymmetric_and_irreflexive(a: u32, d in 1u32..(1 << 31)) {
            let (x, y) = (Seq(a), Seq(a).add(d));
            prop_assert!(x.lt(y));
            prop_assert!(!y.lt(x));
            prop_assert!(!x.lt(x));
            prop_assert!(x.le(x) && x.ge(x));
        }

        #[test]
        fn window_matches_modular_order(lo: u32, len in 1u32..(1 << 30), off: u32) {
            let x = Seq(lo).add(off);
            let inside = x.in_window(Seq(lo), len);
            prop_assert_eq!(inside, Seq(lo).le(x) && x.lt(Seq(lo).add(len)));
        }
    }
}
