//! The checks behind the fuzz targets in `fuzz_targets/`. Each module is self-contained
//! (only `std` and the crate under test) so that the corpus replay tests of the main
//! workspace include the same file with `#[path]` and run the very same checks:
//!
//! * [`codec`], for `impl/tests/fuzz_corpus_codec.rs`;
//! * [`connection`], for `impl/tests/fuzz_corpus_connection.rs`;
//! * [`packetdrill_parse`], for `conformance/tests/fuzz_corpus_parse.rs`.
//!
//! [`replay`] is the replay loop those tests share.

pub mod codec;
pub mod connection;
#[cfg(feature = "packetdrill")]
pub mod packetdrill_parse;
pub mod replay;
