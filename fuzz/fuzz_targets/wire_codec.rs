#![no_main]
//! See `synfin_fuzz::codec` (fuzz/src/codec.rs) for what is checked.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = synfin_fuzz::codec::check(data) {
        panic!("{e}");
    }
});
