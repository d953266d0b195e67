//! The named profiles of the real peers, as the scenario tests check them: the model's
//! [`synfin_model::Reading`] each peer matches (RFC 793 or RFC 5961 rules, RFC 1337) and the
//! families of differences from the model it is known to show, each documented with its RFC
//! citation (peers/README.md). A family names which differences belong to
//! it and the evidence each must carry, so that it cannot absorb a difference of another
//! cause. The probes that establish each profile by crafting segments are
//! `tests/linux_profile.rs` and `tests/smoltcp_profile.rs`.

pub mod linux;
pub mod smoltcp;

use std::time::Duration;
use synfin_conformance::peer_trace::{Difference, Step};
use synfin_model::{Flags, State};

/// A family of differences a peer is known to show.
pub struct Known {
    /// The family's name, for reports.
    pub name: &'static str,
    /// Whether a difference is of this family (its states, input and flags).
    pub matches: fn(&Difference) -> bool,
    /// Whether the difference carries the evidence the family's reason needs, given the run's
    /// steps. A difference that matches without its evidence is reported as unknown.
    pub evidence: fn(&Difference, &[Step]) -> bool,
}

impl Known {
    /// Whether `d` is explained by this family.
    pub fn explains(&self, d: &Difference, steps: &[Step]) -> bool {
        (self.matches)(d) && (self.evidence)(d, steps)
    }
}

/// The family that explains `d`, if any.
pub fn explain<'a>(known: &'a [Known], d: &Difference, steps: &[Step]) -> Option<&'a Known> {
    known.iter().find(|k| k.explains(d, steps))
}

/// No evidence beyond what `matches` looked at.
pub fn nothing_more(_: &Difference, _: &[Step]) -> bool {
    true
}

/// Both sides ended in the same state (or the peer's is not shown).
pub fn same_end(d: &Difference) -> bool {
    d.peer_state.is_none_or(|s| s == d.model_state)
}

/// The flags of the one segment in `v`, if exactly one.
pub fn only(v: &[synfin_model::Segment]) -> Option<Flags> {
    match v {
        [s] => Some(s.flags),
        _ => None,
    }
}

/// The arrival's flags, from the difference's input kind ("arrival SYN,ACK").
pub fn arrival(d: &Difference) -> Option<&str> {
    d.kind.strip_prefix("arrival ")
}

/// ABORT answered with RST,ACK where the model sends a bare RST. RFC 9293 §3.10.5 (ABORT,
/// SYN-RECEIVED to CLOSE-WAIT) gives the reset as <SEQ=SND.NXT><CTL=RST>; the ACK bit is not
/// forbidden there, §3.1 says that once a connection is established the acknowledgment "is
/// always sent", and the receiver's RST check (§3.10.7.4 second step, §3.5.3) reads only
/// SEG.SEQ, so both reset alike. No MUST or SHLD requirement covers the ACK bit on a RST.
fn abort_rst_ack(d: &Difference) -> bool {
    d.kind == "ABORT"
        && only(&d.peer) == Some(Flags::RST_ACK)
        && only(&d.model) == Some(Flags::RST)
        && same_end(d)
}

/// The evidence for [`abort_rst_ack`]: the RST is at the model's SEQ (SND.NXT), so only the
/// ACK bit differs.
fn rst_at_snd_nxt(d: &Difference, _: &[Step]) -> bool {
    matches!((d.peer.as_slice(), d.model.as_slice()), ([p], [m]) if p.seq == m.seq)
}

/// The family both peers show: ABORT sends RST,ACK, at the model's SEQ.
pub const ABORT_RST_ACK: Known = Known {
    name: "ABORT sends RST,ACK (RFC 9293 §3.10.5 writes <SEQ=SND.NXT><CTL=RST>)",
    matches: abort_rst_ack,
    evidence: rst_at_snd_nxt,
};

/// Nothing sent where the model acknowledges, and the same end state.
pub fn silent_for_ack(d: &Difference) -> bool {
    d.peer.is_empty() && only(&d.model) == Some(Flags::ACK) && same_end(d)
}

/// Whether the peer sent a bare ACK in the second before step `d.step` (what a limiter of one
/// challenge ACK per second counts).
pub fn acked_within_a_second(d: &Difference, steps: &[Step]) -> bool {
    steps[..d.step.min(steps.len())].iter().any(|s| {
        d.at.saturating_sub(s.at) < Duration::from_secs(1)
            && s.sent
                .iter()
                .any(|p| p.flags.ack() && !p.flags.syn() && !p.flags.fin() && !p.flags.rst())
    })
}

/// A state the model's [`State`] names, for `matches` functions.
pub fn in_state(d: &Difference, s: State) -> bool {
    d.state == s
}
