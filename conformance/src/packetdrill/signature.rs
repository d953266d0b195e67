//! The signature of a script's first failure ([`crate::signature`]): the endpoint's state
//! before the input that led to it, that input, what the script expects (FreeBSD: "stack") and
//! what synfin-tcp did ("reference"). A failing script is attributed to the family of
//! `profiles/freebsd.toml` whose pattern its signature matches; no per-script list.
//!
//! The input is the one whose answer failed: for a failure that shows a segment synfin-tcp
//! sent, the input that made it send that segment; otherwise the last input. Segment words
//! become flags as the model writes them (`F.` is `FIN,ACK`, `.` is `ACK`, `R` is `RST`); "no
//! segment" and "nothing" are no segment; a socket option or a call's return stays as words
//! (`SO_ERROR ECONNRESET`, `returns 3`).

use super::report::Failure;
use super::run::{InputSummary, StepSummary};
use crate::signature::{InputKind, Signature};
use synfin_model::{Flags, Seq, Tcb};

/// The endpoint's receive window in every script (`run::endpoint_config`): what the SEQ of an
/// arriving segment is classed against.
const WINDOW: u32 = 65_535;

/// The signature of `f`, given the steps of the run that failed.
pub fn of(f: &Failure, trace: &[StepSummary]) -> Signature {
    let stack = outcome(&f.expected);
    let reference = outcome(&f.got);
    let k = f
        .sent_by
        .filter(|&k| k < trace.len())
        .or_else(|| trace.len().checked_sub(1));
    let before = match k {
        Some(k) if k > 0 => trace[k - 1].tcb,
        _ => Tcb::new(Seq(0), 0),
    };
    let input = match k.map(|k| trace[k].input) {
        None => InputKind::Named("nothing".into()),
        Some(InputSummary::Segment(Some(m))) => InputKind::arrival(&m, &before, WINDOW),
        Some(InputSummary::Segment(None)) => {
            InputKind::Named("a segment of 256 octets or more".into())
        }
        Some(InputSummary::Named(w)) => InputKind::Named(w.into()),
    };
    Signature {
        state: before.state,
        input,
        stack,
        reference,
        ends: None,
    }
}

/// Whether a failure's text is a segment (a flags word first).
fn is_segment(text: &str) -> bool {
    let t = text.trim_start_matches('>').trim_start();
    let word = t.split_whitespace().next().unwrap_or("");
    !word.is_empty() && !t.starts_with("no ") && word.chars().all(|c| "SFRP.UEW".contains(c))
}

/// What a failure's expected or got text says happened, as the signature writes it.
fn outcome(text: &str) -> Vec<String> {
    let t = text.trim();
    if t == "nothing" || t.starts_with("no ") {
        return Vec::new();
    }
    if t.starts_with("SO_ERROR") {
        return vec![t.split_whitespace().collect::<Vec<_>>().join(" ")];
    }
    if t.parse::<i64>().is_ok() {
        return vec![format!("returns {t}")];
    }
    if is_segment(t) {
        let word = t
            .trim_start_matches('>')
            .split_whitespace()
            .next()
            .unwrap_or("");
        let mut flags = Flags(0);
        for c in word.chars() {
            flags = flags.with(match c {
                'S' => Flags::SYN,
                'F' => Flags::FIN,
                'R' => Flags::RST,
                '.' => Flags::ACK,
                _ => Flags(0),
            });
        }
        return vec![flags.to_string()];
    }
    vec![t.split_whitespace().next().unwrap_or("").to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packetdrill_words_become_the_models_flags_and_the_rest_stays_words() {
        assert_eq!(outcome("> F. 1:1(0) ack 2 win 65535"), ["FIN,ACK"]);
        assert_eq!(outcome(">  .    537:1073(536) ack    1"), ["ACK"]);
        assert_eq!(outcome(". 2:2(0) ack 2 win 65535 at 0.4"), ["ACK"]);
        assert_eq!(outcome("R 34:34(0) win 0 at 0.1"), ["RST"]);
        assert_eq!(outcome("> S  0:0(0) win 65535"), ["SYN"]);
        assert_eq!(outcome("no further segment"), Vec::<String>::new());
        assert_eq!(outcome("nothing"), Vec::<String>::new());
        assert_eq!(outcome("SO_ERROR  ECONNRESET"), ["SO_ERROR ECONNRESET"]);
        assert_eq!(outcome("-1"), ["returns -1"]);
        assert!(!is_segment("no segment before this line"));
        assert!(!is_segment("SO_ERROR 0"));
    }
}
