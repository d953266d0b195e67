//! `SeqNum`: comparison modulo 2^32 (RFC 9293 §3.4, RFC 1982 serial number arithmetic).
//!
//! `a < b` means "b lies ahead of a by less than 2^31"; two numbers exactly 2^31 apart are
//! unordered, so every comparison between them answers `false`.

use proptest::prelude::*;
use synfin_tcp::SeqNum;

const HALF: u32 = 1 << 31;

/// The four comparisons of `a` against `b`, in the order lt, le, gt, ge.
fn cmp4(a: SeqNum, b: SeqNum) -> [bool; 4] {
    [a.lt(b), a.le(b), a.gt(b), a.ge(b)]
}

#[test]
fn small_numbers_compare_like_integers() {
    let (a, b) = (SeqNum(100), SeqNum(200));
    assert_eq!(cmp4(a, b), [true, true, false, false]);
    assert_eq!(cmp4(b, a), [false, false, true, true]);
}

#[test]
fn equal_numbers_are_le_and_ge_but_not_lt_or_gt() {
    for v in [0, 1, HALF - 1, HALF, HALF + 1, u32::MAX] {
        let a = SeqNum(v);
        assert_eq!(cmp4(a, a), [false, true, false, true], "v = {v}");
    }
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# This unsigned arithmetic preserves the relationship of sequence numbers as they cycle from 2^32
//# - 1 to 0 again.
#[test]
fn max_is_before_zero_across_the_wrap() {
    let (max, zero) = (SeqNum(u32::MAX), SeqNum(0));
    assert_eq!(cmp4(max, zero), [true, true, false, false]);
    assert_eq!(cmp4(zero, max), [false, false, true, true]);
    // A few further steps across the wrap.
    assert!(SeqNum(u32::MAX - 10).lt(SeqNum(10)));
    assert!(SeqNum(10).gt(SeqNum(u32::MAX - 10)));
}

#[test]
fn a_number_less_than_half_ahead_is_greater() {
    // 2^31 - 1 ahead: still ordered.
    for base in [0, 1, 12345, HALF, u32::MAX] {
        let a = SeqNum(base);
        let b = SeqNum(base.wrapping_add(HALF - 1));
        assert_eq!(cmp4(a, b), [true, true, false, false], "base = {base}");
        assert_eq!(cmp4(b, a), [false, false, true, true], "base = {base}");
    }
}

#[test]
fn a_number_more_than_half_ahead_is_smaller() {
    // 2^31 + 1 ahead is the same as 2^31 - 1 behind.
    for base in [0, 1, 12345, HALF, u32::MAX] {
        let a = SeqNum(base);
        let b = SeqNum(base.wrapping_add(HALF + 1));
        assert_eq!(cmp4(a, b), [false, false, true, true], "base = {base}");
        assert_eq!(cmp4(b, a), [true, true, false, false], "base = {base}");
    }
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# There are some subtleties to computer modulo arithmetic, so great care should be taken in
//# programming the comparison of such values.
#[test]
fn numbers_exactly_half_apart_are_unordered_both_ways() {
    for base in [0, 1, 12345, HALF - 1, HALF, u32::MAX] {
        let a = SeqNum(base);
        let b = SeqNum(base.wrapping_add(HALF));
        assert_eq!(cmp4(a, b), [false; 4], "base = {base}");
        assert_eq!(cmp4(b, a), [false; 4], "base = {base}");
    }
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# Since the space is finite, all arithmetic dealing with sequence numbers must be performed modulo
//# 2^32.
#[test]
fn add_and_sub_wrap_modulo_2_pow_32() {
    assert_eq!(SeqNum(u32::MAX) + 1, SeqNum(0));
    assert_eq!(SeqNum(u32::MAX) + 2, SeqNum(1));
    assert_eq!(SeqNum(0) - 1, SeqNum(u32::MAX));
    assert_eq!(SeqNum(5) - 10, SeqNum(u32::MAX - 4));
    assert_eq!(SeqNum(7) + u32::MAX, SeqNum(6));
    assert_eq!(SeqNum(HALF) + HALF, SeqNum(0));
    assert_eq!(SeqNum(3).wrapping_add(u32::MAX), SeqNum(2));
    assert_eq!(SeqNum(3).wrapping_sub(4), SeqNum(u32::MAX));
}

#[test]
fn since_is_the_forward_distance_modulo_2_pow_32() {
    assert_eq!(SeqNum(10).since(SeqNum(3)), 7);
    assert_eq!(SeqNum(2).since(SeqNum(u32::MAX)), 3);
    assert_eq!(SeqNum(3).since(SeqNum(10)), u32::MAX - 6);
    assert_eq!(SeqNum(HALF).since(SeqNum(0)), HALF);
    assert_eq!(SeqNum(42).since(SeqNum(42)), 0);
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
#[test]
fn in_window_holds_start_and_excludes_end() {
    let start = SeqNum(1000);
    assert!(start.in_window(start, 10));
    assert!(SeqNum(1009).in_window(start, 10));
    assert!(!SeqNum(1010).in_window(start, 10));
    assert!(!SeqNum(999).in_window(start, 10));
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
#[test]
fn in_window_works_across_the_wrap() {
    let start = SeqNum(u32::MAX - 2); // window covers MAX-2, MAX-1, MAX, 0, 1
    for v in [u32::MAX - 2, u32::MAX - 1, u32::MAX, 0, 1] {
        assert!(SeqNum(v).in_window(start, 5), "{v} is in the window");
    }
    for v in [u32::MAX - 3, 2, 3, HALF] {
        assert!(!SeqNum(v).in_window(start, 5), "{v} is outside the window");
    }
}

#[test]
fn an_empty_window_holds_nothing() {
    for v in [0, 1, u32::MAX, HALF] {
        assert!(!SeqNum(v).in_window(SeqNum(v), 0));
    }
}

#[test]
fn a_window_of_half_the_space_excludes_the_number_half_away() {
    let start = SeqNum(7);
    assert!(SeqNum(7 + HALF - 1).in_window(start, HALF));
    assert!(!SeqNum(7 + HALF).in_window(start, HALF));
}

#[test]
fn debug_and_display_print_the_plain_number() {
    assert_eq!(format!("{:?}", SeqNum(4294967295)), "4294967295");
    assert_eq!(SeqNum(0).to_string(), "0");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_is_before_a_plus_n_for_every_n_below_half(a: u32, n in 1u32..HALF) {
        let a = SeqNum(a);
        prop_assert!(a.lt(a + n));
        prop_assert!(a.le(a + n));
        prop_assert!((a + n).gt(a));
        prop_assert!((a + n).ge(a));
        prop_assert!(!(a + n).lt(a));
        prop_assert!(a.gt(a - n));
    }

    #[test]
    fn a_is_after_a_plus_n_for_every_n_above_half(a: u32, n in (HALF + 1)..=u32::MAX) {
        let a = SeqNum(a);
        prop_assert!(a.gt(a + n));
        prop_assert!((a + n).lt(a));
    }

    #[test]
    fn lt_is_antisymmetric_and_irreflexive(a: u32, b: u32) {
        let (a, b) = (SeqNum(a), SeqNum(b));
        prop_assert!(!(a.lt(b) && b.lt(a)));
        prop_assert!(!a.lt(a));
    }

    #[test]
    fn distinct_numbers_not_half_apart_are_ordered_exactly_one_way(a: u32, b: u32) {
        prop_assume!(a != b && a.wrapping_sub(b) != HALF);
        let (a, b) = (SeqNum(a), SeqNum(b));
        prop_assert!(a.lt(b) ^ a.gt(b));
        prop_assert_eq!(a.lt(b), b.gt(a));
    }

    #[test]
    fn le_and_ge_are_lt_and_gt_or_equal(a: u32, b: u32) {
        let (a, b) = (SeqNum(a), SeqNum(b));
        prop_assert_eq!(a.le(b), a.lt(b) || a == b);
        prop_assert_eq!(a.ge(b), a.gt(b) || a == b);
        prop_assert_eq!(a.ge(b), b.le(a));
    }

    #[test]
    fn lt_agrees_with_since(a: u32, b: u32) {
        let (a, b) = (SeqNum(a), SeqNum(b));
        let d = b.since(a);
        prop_assert_eq!(a.lt(b), d > 0 && d < HALF);
    }

    #[test]
    fn the_same_shift_preserves_every_comparison(a: u32, b: u32, k: u32) {
        let (a, b) = (SeqNum(a), SeqNum(b));
        prop_assert_eq!(cmp4(a, b), cmp4(a + k, b + k));
    }

    #[test]
    fn add_then_sub_returns_the_start_and_since_measures_the_step(a: u32, n: u32) {
        let a = SeqNum(a);
        prop_assert_eq!((a + n) - n, a);
        prop_assert_eq!((a - n) + n, a);
        prop_assert_eq!((a + n).since(a), n);
        prop_assert_eq!(a + n, a.wrapping_add(n));
        prop_assert_eq!(a - n, a.wrapping_sub(n));
    }

    #[test]
    fn in_window_is_since_below_len(x: u32, start: u32, len: u32) {
        let (x, start) = (SeqNum(x), SeqNum(start));
        prop_assert_eq!(x.in_window(start, len), x.since(start) < len);
    }

    #[test]
    fn start_plus_k_is_in_the_window_iff_k_below_len(start: u32, k: u32, len: u32) {
        let start = SeqNum(start);
        prop_assert_eq!((start + k).in_window(start, len), k < len);
    }

    #[test]
    fn in_a_window_below_half_membership_is_le_start_and_lt_end(
        x: u32,
        start: u32,
        len in 0u32..HALF,
    ) {
        let (x, start) = (SeqNum(x), SeqNum(start));
        let end = start + len;
        let by_order = start.le(x) && x.lt(end);
        // For len < 2^31 the window test equals "start =< x < start + len" except where
        // x is exactly half the space from an endpoint (unordered).
        prop_assume!(x.since(start) != HALF && end.since(x) != HALF);
        prop_assert_eq!(x.in_window(start, len), by_order);
    }
}
