//! The `packetdrill_parse` target: the packetdrill script parser on any UTF-8 text must
//! return `Ok` or `Err`, never panic, and its line numbers must point into the text.
//!
//! Included as a module by the fuzz crate and by `conformance/tests/fuzz_corpus_parse.rs`.
//! Scripts are only parsed, never run.

use synfin_conformance::packetdrill::parse::parse;

/// Runs every check on one fuzz input. Inputs that are not UTF-8 are skipped.
pub fn check(data: &[u8]) -> Result<(), String> {
    let Ok(src) = std::str::from_utf8(data) else {
        return Ok(());
    };
    let count = src.lines().count();
    match parse(src) {
        Ok(script) => {
            let mut last = 0;
            for line in &script.lines {
                if line.lineno <= last || line.lineno > count {
                    return Err(format!(
                        "line number {} after {last}, in a text of {count} lines",
                        line.lineno
                    ));
                }
                last = line.lineno;
            }
            Ok(())
        }
        Err(e) if e.lineno > count => Err(format!(
            "error at line {} of a text of {count} lines: {e}",
            e.lineno
        )),
        Err(_) => Ok(()),
    }
}
