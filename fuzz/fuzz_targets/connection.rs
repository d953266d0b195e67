#![no_main]
//! See `synfin_fuzz::connection` (fuzz/src/connection.rs) for what is checked.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = synfin_fuzz::connection::check(data) {
        panic!("{e}");
    }
});
