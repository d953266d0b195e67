//! Replays the `wire_codec` fuzz target's seed corpus (`fuzz/corpus/wire_codec/`) through the
//! target's own checks (`fuzz/src/codec.rs`): decode of any octets, and the encode / decode
//! round trip of whatever decodes. The fuzzer itself needs nightly flags and is run by hand
//! (see `fuzz/README.md`); this keeps what it found in the ordinary test suite.

#[path = "../../fuzz/src/codec.rs"]
mod codec;
#[path = "../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn the_wire_codec_seed_corpus_passes_the_fuzz_checks() {
    let n = replay::replay(env!("CARGO_MANIFEST_DIR"), "wire_codec", codec::check);
    println!("replayed {n} inputs");
}
