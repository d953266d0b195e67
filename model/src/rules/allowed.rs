//! Where RFC 9293 (with RFC 5961) lets an implementation choose, the set of behaviours it
//! allows. The reference rules ([`super::segment_arrives`]) make one choice; a conformance
//! check accepts any outcome listed here (trace inclusion, as Netsem did), not just that one.

use super::{segment_arrives, Outcome};
use crate::segment::Segment;
use crate::state::State;
use crate::tcb::{Profile, Rfc, Tcb};

/// The outcomes RFC 9293 allows when `seg` arrives; the first is the reference rule's.
///
/// * RFC 5961 §7 (and RFC 9293 §3.10.7.4, which defers to it): an implementation SHOULD
///   throttle challenge ACKs, so a challenge ACK for a RST (§3.2) or a SYN (§4.2) in a
///   synchronized state may be left unsent. The state is the same either way.
pub fn arrivals(tcb: &Tcb, seg: &Segment, profile: &Profile) -> Vec<Outcome> {
    let reference = segment_arrives(tcb, seg, profile);
    let mut allowed = vec![reference];
    if is_challenge_ack(tcb, seg, profile, &reference) {
        allowed.push(Outcome {
            send: None,
            ..reference
        });
    }
    allowed
}

/// Whether the reference outcome is an RFC 5961 challenge ACK: a RST or SYN in a
/// synchronized state, answered by <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with nothing changed.
fn is_challenge_ack(tcb: &Tcb, seg: &Segment, profile: &Profile, out: &Outcome) -> bool {
    profile.rfc == Rfc::Rfc5961
        && (seg.rst() || seg.syn())
        && !matches!(tcb.state, State::Closed | State::Listen | State::SynSent)
        && out.tcb == *tcb
        && out.events.is_empty()
        && out.send == Some(tcb.ack_now())
}
