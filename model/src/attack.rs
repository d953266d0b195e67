//! The off-path attacker of RFC 5961 §1: it knows both ends' addresses and ports and nothing
//! else, sees none of the connection's segments, and injects RSTs (§3), SYNs (§4) or data (§5)
//! that appear to come from one end, hoping to end the connection or have its data taken.
//!
//! It cannot know the victim's sequence variables, so it guesses. The model keeps the guesses
//! finite and the numbers real with **classes**: at the moment an injected segment arrives its
//! SEQ falls in one of four classes relative to the victim's RCV.NXT and RCV.WND, and a data
//! segment's ACK in one of four relative to SND.UNA, SND.NXT and MAX.SND.WND. The network holds
//! one segment per class from the start (a duplicating network keeps them: the attacker may send
//! any class at any moment); when one arrives the victim resolves it to one member of its class,
//! against its own variables of that moment ([`resolve`]), and the rules judge that segment.
//! [`size`] says how many of the 2^32 values each class holds then, so that the checker's
//! verdicts become odds ([`odds`]). Every member of a class meets the same fate; the test
//! `model/tests/blind_odds.rs` checks that by brute force on a reduced window.
//!
//! The attacker's segments count against a budget ([`Attacker::budget`]: arrivals that changed
//! the victim or drew an answer), kept in the victim's state, so the state space stays finite.
//! It attacks only a synchronized connection (ESTABLISHED and the states after it): what RFC
//! 5961 is about is a connection, not a listener nor a handshake under way.

use crate::rules::Outcome;
use crate::segment::{Flags, Segment, Tag};
use crate::seq::Seq;
use crate::state::State;
use crate::tcb::{Reading, Tcb};
use serde::Serialize;

/// What the attacker injects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// RFC 5961 §3: a RST, to reset the connection.
    Rst,
    /// RFC 5961 §4: a SYN, to tear the connection down.
    Syn,
    /// RFC 5961 §5: one octet of data (ACK bit set, as every segment of a synchronized
    /// connection carries), to have it delivered to the user.
    Data,
}

impl Kind {
    /// How reports name it.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Rst => "blind RST",
            Kind::Syn => "blind SYN",
            Kind::Data => "blind data",
        }
    }

    fn flags(self) -> Flags {
        match self {
            Kind::Rst => Flags::RST,
            Kind::Syn => Flags::SYN,
            Kind::Data => Flags::ACK,
        }
    }

    /// How many guesses there are: 2^32 SEQs, times 2^32 ACKs where the ACK is guessed too.
    pub const fn space(self) -> u128 {
        match self {
            Kind::Data => 1 << 64,
            _ => 1 << 32,
        }
    }

    /// The ACK classes it is tried with: only data carries a guessed ACK.
    fn ack_classes(self) -> &'static [AckClass] {
        match self {
            Kind::Data => &AckClass::ALL,
            _ => &[AckClass::Acceptable],
        }
    }

    /// The kind of an injected segment.
    pub fn of(seg: &Segment) -> Kind {
        if seg.rst() {
            Kind::Rst
        } else if seg.syn() {
            Kind::Syn
        } else {
            Kind::Data
        }
    }
}

/// Where a guessed SEQ falls, against the victim's RCV.NXT and RCV.WND (RFC 9293 §3.4, Table
/// 6's window; RFC 5961 §3.2's "exactly RCV.NXT").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeqClass {
    /// SEG.SEQ = RCV.NXT.
    At,
    /// RCV.NXT < SEG.SEQ < RCV.NXT+RCV.WND.
    In,
    /// Left of the window: the 2^31 values below RCV.NXT.
    Below,
    /// Right of the window: from RCV.NXT+RCV.WND to RCV.NXT+2^31-1.
    Above,
}

impl SeqClass {
    pub const ALL: [SeqClass; 4] = [SeqClass::At, SeqClass::In, SeqClass::Below, SeqClass::Above];

    /// The class of `seq` against `rcv_nxt` with a receive window of `window` (also what the
    /// conformance signatures classify an arrival's SEQ by).
    pub fn of(seq: Seq, rcv_nxt: Seq, window: u32) -> SeqClass {
        let off = seq.since(rcv_nxt);
        if off == 0 {
            SeqClass::At
        } else if off < window {
            SeqClass::In
        } else if off < 1 << 31 {
            SeqClass::Above
        } else {
            SeqClass::Below
        }
    }

    /// How many of the 2^32 values are in the class.
    pub fn size(self, window: u32) -> u64 {
        let w = u64::from(window);
        match self {
            SeqClass::At => 1,
            SeqClass::In => w - 1,
            SeqClass::Below => 1 << 31,
            SeqClass::Above => (1 << 31) - w,
        }
    }

    /// The member the victim is given.
    fn member(self, tcb: &Tcb, window: u32) -> Seq {
        match self {
            SeqClass::At => tcb.rcv_nxt,
            SeqClass::In => tcb.rcv_nxt.add(1),
            SeqClass::Below => tcb.rcv_nxt.add(u32::MAX),
            SeqClass::Above => tcb.rcv_nxt.add(window),
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            SeqClass::At => "seq at RCV.NXT",
            SeqClass::In => "seq in window",
            SeqClass::Below => "seq left of window",
            SeqClass::Above => "seq right of window",
        }
    }
}

/// Where a guessed ACK falls, against SND.UNA, SND.NXT and MAX.SND.WND (RFC 9293 §3.10.7.4
/// fifth step; RFC 5961 §5.2's range SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AckClass {
    /// SND.UNA =< SEG.ACK =< SND.NXT.
    Acceptable,
    /// SND.UNA - MAX.SND.WND =< SEG.ACK < SND.UNA: old, but inside RFC 5961's range.
    Old,
    /// Older still: below RFC 5961's range (and not above SND.NXT).
    TooOld,
    /// SEG.ACK > SND.NXT: acknowledges something not yet sent.
    Ahead,
}

impl AckClass {
    pub const ALL: [AckClass; 4] = [
        AckClass::Acceptable,
        AckClass::Old,
        AckClass::TooOld,
        AckClass::Ahead,
    ];

    /// The class of `ack` against `tcb`, MAX.SND.WND being `window`.
    pub fn of(ack: Seq, tcb: &Tcb, window: u32) -> AckClass {
        if ack.gt(tcb.snd_nxt) {
            AckClass::Ahead
        } else if ack.ge(tcb.snd_una) {
            AckClass::Acceptable
        } else if ack.ge(tcb.snd_una.add(window.wrapping_neg())) {
            AckClass::Old
        } else {
            AckClass::TooOld
        }
    }

    /// How many of the 2^32 values are in the class against `tcb`.
    pub fn size(self, tcb: &Tcb, window: u32) -> u64 {
        let acceptable = u64::from(tcb.snd_nxt.since(tcb.snd_una)) + 1;
        let ahead = (1 << 31) - 1;
        let old = u64::from(window);
        match self {
            AckClass::Acceptable => acceptable,
            AckClass::Old => old,
            AckClass::Ahead => ahead,
            AckClass::TooOld => (1 << 32) - acceptable - old - ahead,
        }
    }

    /// The member the victim is given (the acceptable one acknowledges nothing new, so that
    /// the injection changes nothing but what its class decides).
    fn member(self, tcb: &Tcb, window: u32) -> Seq {
        match self {
            AckClass::Acceptable => tcb.snd_una,
            AckClass::Old => tcb.snd_una.add(u32::MAX),
            AckClass::TooOld => tcb.snd_una.add(window.wrapping_neg()).add(u32::MAX),
            AckClass::Ahead => tcb.snd_nxt.add(1),
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            AckClass::Acceptable => "ack acceptable",
            AckClass::Old => "ack in RFC 5961 range",
            AckClass::TooOld => "ack below range",
            AckClass::Ahead => "ack above SND.NXT",
        }
    }
}

/// The attacker of a configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Attacker {
    /// The host whose connection is attacked (its segments appear to come from the other).
    pub victim: usize,
    pub kinds: &'static [Kind],
    /// How many injected segments may change the victim or draw an answer, per run.
    pub budget: u8,
}

impl Attacker {
    /// The segments in the network from the start, one per class: (sender, segment), the
    /// sender being the victim's peer, whose address the attacker forges.
    pub fn segments(&self) -> Vec<(usize, Segment)> {
        let mut v = Vec::new();
        for &kind in self.kinds {
            for &ack in kind.ack_classes() {
                for seq in SeqClass::ALL {
                    let len = u8::from(kind == Kind::Data);
                    let seg = Segment::new(kind.flags(), Seq(0), Seq(0))
                        .with_len(len)
                        .tagged(Tag::attack(seq as u8, ack as u8));
                    v.push((1 - self.victim, seg));
                }
            }
        }
        v
    }
}

/// Whether `seg` is one of the attacker's.
pub fn injected(seg: &Segment) -> bool {
    seg.tag.from == Tag::ATTACKER
}

/// The classes an injected segment stands for.
pub fn classes(seg: &Segment) -> (SeqClass, AckClass) {
    let code = seg.tag.to.saturating_sub(1);
    (
        SeqClass::ALL[usize::from(code & 3)],
        AckClass::ALL[usize::from(code >> 2 & 3)],
    )
}

/// Whether the attacker goes for a victim in `tcb`'s state: a synchronized connection, what
/// RFC 5961 protects (a SYN-RECEIVED end that a SYN returns to LISTEN, §3.10.7.4 fourth step,
/// is a half-open attempt, not a connection).
pub fn can_attack(tcb: &Tcb) -> bool {
    tcb.state.is_synchronized()
}

/// The injected segment `seg` as it arrives at a victim whose block is `tcb`: one member of
/// each of its classes, against `tcb` of this moment. The tag stays, so that the checker still
/// knows it for the attacker's.
pub fn resolve(seg: &Segment, tcb: &Tcb, window: u32) -> Segment {
    let (seq, ack) = classes(seg);
    let mut s = *seg;
    s.seq = seq.member(tcb, window);
    if s.ack_bit() {
        s.ack = ack.member(tcb, window);
    }
    s
}

/// Whether an injected segment of `kind` achieved what it was sent for, the victim going
/// from `before` to `outcome`: the connection ended (RST, SYN), or its data was delivered.
pub fn succeeded(kind: Kind, before: &Tcb, outcome: &Outcome) -> bool {
    match kind {
        Kind::Rst | Kind::Syn => {
            outcome.tcb.state != before.state
                && matches!(outcome.tcb.state, State::Closed | State::Listen)
        }
        Kind::Data => outcome.tcb.delivered > before.delivered,
    }
}

/// Whether RFC 5961 lets a blind segment of `kind` in these classes succeed: a RST exactly at
/// RCV.NXT (§3.2), data exactly at RCV.NXT with an ACK in the §5.2 range; a SYN never (§4.2).
pub fn exact_guess(kind: Kind, seq: SeqClass, ack: AckClass) -> bool {
    match kind {
        Kind::Rst => seq == SeqClass::At,
        Kind::Syn => false,
        Kind::Data => seq == SeqClass::At && matches!(ack, AckClass::Acceptable | AckClass::Old),
    }
}

/// One blind segment's chance against one victim block.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Chance {
    /// Guesses that succeed, out of `space`.
    pub hits: u128,
    /// 2^32, or 2^64 where the ACK is guessed too.
    pub space: u128,
}

impl Chance {
    pub fn probability(&self) -> f64 {
        self.hits as f64 / self.space as f64
    }

    /// Blind segments needed for an even chance of one success (each guess independent):
    /// `None` when none can succeed.
    pub fn segments_for_half(&self) -> Option<f64> {
        let p = self.probability();
        (p > 0.0).then(|| (0.5f64.ln() / (-p).ln_1p()).ceil())
    }
}

/// Each class of guess of `kind` against a victim in `tcb` (the ACK class fixed where the
/// ACK is not guessed), with its size and whether its member succeeds under `reading`, as
/// `arrives` (the rules, or a broken variant of them) judges it.
pub fn classes_against(
    kind: Kind,
    tcb: &Tcb,
    reading: &Reading,
    arrives: impl Fn(&Tcb, &Segment, &Reading) -> Outcome,
) -> Vec<(SeqClass, AckClass, u128, bool)> {
    let w = reading.window;
    let mut v = Vec::new();
    for &ack in kind.ack_classes() {
        for seq in SeqClass::ALL {
            let seg = Segment::new(kind.flags(), Seq(0), Seq(0))
                .with_len(u8::from(kind == Kind::Data))
                .tagged(Tag::attack(seq as u8, ack as u8));
            let seg = resolve(&seg, tcb, w);
            let won = succeeded(kind, tcb, &arrives(tcb, &seg, reading));
            let size = if kind == Kind::Data {
                u128::from(seq.size(w)) * u128::from(ack.size(tcb, w))
            } else {
                u128::from(seq.size(w))
            };
            v.push((seq, ack, size, won));
        }
    }
    v
}

/// The chance that one blind segment of `kind` succeeds against a victim in `tcb`: the sizes
/// of the classes whose member succeeds under `reading`, summed.
pub fn chance(
    kind: Kind,
    tcb: &Tcb,
    reading: &Reading,
    arrives: impl Fn(&Tcb, &Segment, &Reading) -> Outcome,
) -> Chance {
    let hits = classes_against(kind, tcb, reading, arrives)
        .iter()
        .filter(|c| c.3)
        .map(|c| c.2)
        .sum();
    Chance {
        hits,
        space: kind.space(),
    }
}

/// The classes of `kind` whose member succeeds against `tcb` under `reading`, named.
pub fn winning_classes(kind: Kind, tcb: &Tcb, reading: &Reading) -> Vec<String> {
    classes_against(kind, tcb, reading, crate::broken::segment_arrives)
        .into_iter()
        .filter(|c| c.3)
        .map(|(seq, ack, _, _)| match kind {
            Kind::Data => format!("{}, {}", seq.name(), ack.name()),
            _ => seq.name().to_string(),
        })
        .collect()
}

/// The best chance of a blind segment of `kind` over the victim blocks `tcbs` (the attacker
/// picks its moment), with the first block that gives it; no block where none succeeds.
pub fn odds<'a>(
    kind: Kind,
    tcbs: impl IntoIterator<Item = &'a Tcb>,
    reading: &Reading,
) -> (Chance, Option<&'a Tcb>) {
    let mut best = (
        Chance {
            hits: 0,
            space: kind.space(),
        },
        None,
    );
    for t in tcbs {
        let c = chance(kind, t, reading, crate::broken::segment_arrives);
        if c.hits > best.0.hits {
            best = (c, Some(t));
        }
    }
    best
}
