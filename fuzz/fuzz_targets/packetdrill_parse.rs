#![no_main]
//! See `synfin_fuzz::packetdrill_parse` (fuzz/src/packetdrill_parse.rs) for what is checked.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = synfin_fuzz::packetdrill_parse::check(data) {
        panic!("{e}");
    }
});
