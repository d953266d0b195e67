//! Replays the `packetdrill_parse` fuzz target's seed corpus (`fuzz/corpus/packetdrill_parse/`)
//! through the target's own checks (`fuzz/src/packetdrill_parse.rs`): the packetdrill parser
//! on any text returns, never panics. The fuzzer itself needs nightly flags and is run by
//! hand (see `fuzz/README.md`).

#[path = "../../fuzz/src/packetdrill_parse.rs"]
mod packetdrill_parse;
#[path = "../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn the_packetdrill_parse_seed_corpus_passes_the_fuzz_checks() {
    let n = replay::replay(
        env!("CARGO_MANIFEST_DIR"),
        "packetdrill_parse",
        packetdrill_parse::check,
    );
    println!("replayed {n} inputs");
}

/// Found by the `packetdrill_parse` target against the parser as it was before fec3284, from
/// the hand-written seeds in 28,349 executions (`regression-time-overflow-before-fec3284` in
/// the corpus): the time was turned into microseconds with an unchecked `int * 1_000_000`,
/// so `44444444444440 (` panicked with "attempt to multiply with overflow" (and a release
/// build silently wrapped the time). Since fec3284 a time past an hour is a parse error.
#[test]
fn regression_a_huge_time_is_a_parse_error_not_an_overflow() {
    packetdrill_parse::check(b"44444444444440 (").unwrap();
    let e = synfin_conformance::packetdrill::parse::parse("18446744073709551 close(3) = 0\n")
        .unwrap_err();
    assert_eq!(e.lineno, 1, "{e}");
}
