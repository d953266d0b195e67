//! The model's `Seq` and the endpoint's `SeqNum`, written independently, read sequence space
//! the same way at every distance (RFC 9293 §3.4, RFC 1982 §3.2): `a < b` iff `b - a`
//! (mod 2^32) lies in 1..2^31, so two numbers exactly 2^31 apart are ordered neither way and
//! neither reading ever claims both orders. The distances 2^31 - 1, 2^31 and 2^31 + 1 are
//! drawn on purpose.

use proptest::prelude::*;
use synfin_model::Seq;
use synfin_tcp::SeqNum;

const HALF: u32 = 1 << 31;

fn model(a: u32, b: u32) -> [bool; 4] {
    let (a, b) = (Seq(a), Seq(b));
    [a.lt(b), a.le(b), a.gt(b), a.ge(b)]
}

fn endpoint(a: u32, b: u32) -> [bool; 4] {
    let (a, b) = (SeqNum(a), SeqNum(b));
    [a.lt(b), a.le(b), a.gt(b), a.ge(b)]
}

fn distance() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0),
        Just(1),
        Just(HALF - 1),
        Just(HALF),
        Just(HALF + 1),
        Just(u32::MAX),
        any::<u32>(),
    ]
}

#[test]
fn both_readings_leave_numbers_2_pow_31_apart_unordered() {
    for a in [0, 1, 100, HALF - 1, HALF, u32::MAX] {
        let b = a.wrapping_add(HALF);
        assert_eq!(model(a, b), [false; 4], "model, a = {a}");
        assert_eq!(endpoint(a, b), [false; 4], "endpoint, a = {a}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn model_and_endpoint_agree_at_every_distance(a: u32, d in distance()) {
        let b = a.wrapping_add(d);
        prop_assert_eq!(model(a, b), endpoint(a, b));
        prop_assert_eq!(model(b, a), endpoint(b, a));
        let [lt, _, gt, _] = model(a, b);
        prop_assert!(!(lt && gt), "both orders at distance {}", d);
        prop_assert_eq!(lt, (1..HALF).contains(&d));
        prop_assert_eq!(Seq(a).in_window(Seq(b), d), SeqNum(a).in_window(SeqNum(b), d));
    }
}
