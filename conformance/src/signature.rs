//! A difference's signature: its shape, with every number taken out, so that identical
//! departures cluster without anyone naming them.
//!
//! A signature is the state the reference was in before the step, the input's kind (a user
//! call, a timer, or an arriving segment's flags with where its SEQ and ACK fall against the
//! reference's variables), what the stack did (the flags of the segments it sent) and what
//! the reference does (the flags of what it sends), and the states both end in when they
//! differ. Written on one line, fields apart by " / ":
//!
//! ```text
//! FIN-WAIT-2 / SYN,ACK seq:below ack:below / stack [] / reference [ACK]
//! ESTABLISHED / ABORT / stack [RST,ACK] / reference [RST]
//! FIN-WAIT-2 / FIN,ACK seq:at ack:una / stack [] / reference [ACK] / stack ends FIN-WAIT-2, reference ends TIME-WAIT
//! ```
//!
//! The SEQ of an arrival, from SYN-RECEIVED on, where RCV.NXT is known (RFC 9293 §3.10.7.4,
//! Table 6 reads RCV.NXT and RCV.WND): `seq:at` (SEG.SEQ = RCV.NXT), `seq:in` (inside the window, not at
//! RCV.NXT), `seq:below` (left of RCV.NXT), `seq:above` (at or right of RCV.NXT+RCV.WND). The
//! ACK of an arrival with the ACK bit, outside LISTEN and CLOSED (§3.10.7.4 fifth):
//! `ack:below` (SEG.ACK < SND.UNA), `ack:una` (= SND.UNA, a duplicate), `ack:in` (SND.UNA <
//! SEG.ACK =< SND.NXT), `ack:above` (> SND.NXT, something not yet sent).
//!
//! A pattern (profile files) matches a signature when it equals it with `*` standing for any
//! run of characters.

use std::fmt;
use synfin_model::{Segment, Seq, State, Tcb};

/// Where an arrival's SEQ falls against RCV.NXT and RCV.WND: the model's classes, the same
/// the off-path attacker guesses by.
pub use synfin_model::attack::SeqClass;

/// Where an arrival's ACK falls against SND.UNA and SND.NXT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AckClass {
    Below,
    Una,
    In,
    Above,
}

/// A SEQ class as a signature writes it.
fn seq_word(c: SeqClass) -> &'static str {
    match c {
        SeqClass::At => "seq:at",
        SeqClass::In => "seq:in",
        SeqClass::Below => "seq:below",
        SeqClass::Above => "seq:above",
    }
}

impl AckClass {
    /// `ack`'s class against `snd_una` and `snd_nxt`.
    pub fn of(ack: Seq, snd_una: Seq, snd_nxt: Seq) -> AckClass {
        if ack == snd_una {
            AckClass::Una
        } else if ack.lt(snd_una) {
            AckClass::Below
        } else if ack.le(snd_nxt) {
            AckClass::In
        } else {
            AckClass::Above
        }
    }

    fn word(self) -> &'static str {
        match self {
            AckClass::Below => "ack:below",
            AckClass::Una => "ack:una",
            AckClass::In => "ack:in",
            AckClass::Above => "ack:above",
        }
    }
}

/// What a step was given, without numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKind {
    /// A user call or anything else named by a word ("ABORT", "timer (retransmission)").
    Named(String),
    /// A segment arrived: its flags and the classes of its SEQ and ACK, where they apply.
    Arrival {
        flags: String,
        seq: Option<SeqClass>,
        ack: Option<AckClass>,
    },
}

impl InputKind {
    /// The kind of `seg` arriving at a reference whose TCB is `before`, with a receive window
    /// of `window` octets.
    pub fn arrival(seg: &Segment, before: &Tcb, window: u32) -> InputKind {
        // RCV.NXT is known from SYN-RECEIVED on (§3.10.7.4 checks the SEQ there too).
        let known = !matches!(before.state, State::Closed | State::Listen | State::SynSent);
        let seq = known.then(|| SeqClass::of(seg.seq, before.rcv_nxt, window));
        let ack = (seg.ack_bit() && !matches!(before.state, State::Closed | State::Listen))
            .then(|| AckClass::of(seg.ack, before.snd_una, before.snd_nxt));
        InputKind::Arrival {
            flags: seg.flags.to_string(),
            seq,
            ack,
        }
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputKind::Named(w) => f.write_str(w),
            InputKind::Arrival { flags, seq, ack } => {
                f.write_str(flags)?;
                if let Some(s) = seq {
                    write!(f, " {}", seq_word(*s))?;
                }
                if let Some(a) = ack {
                    write!(f, " {}", a.word())?;
                }
                Ok(())
            }
        }
    }
}

/// A difference's shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signature {
    /// The reference's state before the step.
    pub state: State,
    pub input: InputKind,
    /// The flags of each segment the stack sent (or another word for what it did).
    pub stack: Vec<String>,
    /// The flags of each segment the reference sends.
    pub reference: Vec<String>,
    /// The states both end in, when they differ and the stack shows its own.
    pub ends: Option<(State, State)>,
}

impl Signature {
    /// The flags of each of `segments`.
    pub fn flags(segments: &[Segment]) -> Vec<String> {
        segments.iter().map(|s| s.flags.to_string()).collect()
    }

    /// Whether `pattern` matches this signature.
    pub fn matches(&self, pattern: &str) -> bool {
        glob(pattern, &self.to_string())
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {} / stack [{}] / reference [{}]",
            self.state.rfc_name(),
            self.input,
            self.stack.join(" "),
            self.reference.join(" ")
        )?;
        if let Some((stack, reference)) = self.ends {
            write!(
                f,
                " / stack ends {}, reference ends {}",
                stack.rfc_name(),
                reference.rfc_name()
            )?;
        }
        Ok(())
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters (none
/// included) and every other character for itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // The classic two-pointer match with backtracking to the last star: linear in practice,
    // O(|p|·|t|) at worst, no recursion.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && p[i] != '*' && p[i] == t[j] {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use synfin_model::Flags;

    fn tcb(state: State) -> Tcb {
        Tcb {
            state,
            snd_una: Seq(100),
            snd_nxt: Seq(102),
            rcv_nxt: Seq(u32::MAX),
            ..Tcb::new(Seq(99), 1)
        }
    }

    #[test]
    fn seq_classes_follow_the_window_across_the_wrap() {
        let nxt = Seq(u32::MAX);
        assert_eq!(SeqClass::of(nxt, nxt, 10), SeqClass::At);
        assert_eq!(SeqClass::of(Seq(3), nxt, 10), SeqClass::In);
        assert_eq!(SeqClass::of(Seq(9), nxt, 10), SeqClass::Above);
        assert_eq!(SeqClass::of(Seq(u32::MAX - 1), nxt, 10), SeqClass::Below);
    }

    #[test]
    fn ack_classes_split_at_snd_una_and_snd_nxt() {
        let (una, nxt) = (Seq(100), Seq(102));
        assert_eq!(AckClass::of(Seq(99), una, nxt), AckClass::Below);
        assert_eq!(AckClass::of(Seq(100), una, nxt), AckClass::Una);
        assert_eq!(AckClass::of(Seq(102), una, nxt), AckClass::In);
        assert_eq!(AckClass::of(Seq(103), una, nxt), AckClass::Above);
    }

    #[test]
    fn a_signature_reads_without_numbers_and_patterns_match_it() {
        let seg = Segment::new(Flags::SYN_ACK, Seq(u32::MAX - 10), Seq(99));
        let sig = Signature {
            state: State::FinWait2,
            input: InputKind::arrival(&seg, &tcb(State::FinWait2), 65535),
            stack: vec![],
            reference: vec!["ACK".into()],
            ends: None,
        };
        assert_eq!(
            sig.to_string(),
            "FIN-WAIT-2 / SYN,ACK seq:below ack:below / stack [] / reference [ACK]"
        );
        assert!(sig.matches("* / * ack:below / stack [] / reference [ACK]"));
        assert!(sig.matches("FIN-WAIT-2 / *"));
        assert!(!sig.matches("* / * ack:una / stack [] / reference [ACK]"));
        assert!(!sig.matches("FIN-WAIT-2"));
        // Before synchronization there is no RCV.NXT to class the SEQ against.
        let listen = InputKind::arrival(&seg, &tcb(State::Listen), 65535);
        assert_eq!(listen.to_string(), "SYN,ACK");
        let syn_sent = InputKind::arrival(&seg, &tcb(State::SynSent), 65535);
        assert_eq!(syn_sent.to_string(), "SYN,ACK ack:below");
    }

    #[test]
    fn glob_stars_match_any_run_and_nothing_else_is_special() {
        assert!(glob("*", ""));
        assert!(glob("a*c", "abbbc"));
        assert!(glob("a*c*", "acx"));
        assert!(!glob("a*c", "abx"));
        assert!(glob("[x]", "[x]"));
        assert!(!glob("a?", "ab"));
    }
}
