//! Where RFC 9293 (with RFC 5961) lets an implementation choose, the set of behaviours it
//! allows. The reference rules ([`super::segment_arrives`]) make one choice; a conformance
//! check accepts any outcome listed here (trace inclusion, as Netsem did), not just that one.

use super::{segment_arrives, Outcome};
use crate::segment::{Flags, Segment};
use crate::state::State;
use crate::tcb::{Reading, Rfc, Tcb};

/// The outcomes RFC 9293 allows when `seg` arrives; the first is the reference rule's.
///
/// * RFC 5961 §7 (and RFC 9293 §3.10.7.4, which defers to it): an implementation SHOULD
///   throttle challenge ACKs, so where the reading has a throttle
///   (`Reading::challenge_ack_throttle`) a challenge ACK for a RST (§3.2) or a SYN (§4.2) in
///   a synchronized state may be left unsent. The state is the same either way. A reading
///   without a throttle must send every one: an endpoint that never sends them fails.
/// * RFC 9293 §3.5 Figure 7 (simultaneous open), line 6: the peer's SYN,ACK arriving in
///   SYN-RECEIVED takes the connection to ESTABLISHED. By the §3.10.7.4 text the segment's only
///   octet, the SYN at IRS, is old: the reference rule finds it not acceptable, acknowledges it
///   and stays in SYN-RECEIVED until the peer's ACK. An implementation that follows the figure
///   trims the old SYN off ("trimming off any portions that lie outside the window (including
///   SYN and FIN)") and takes what is left, an acceptable ACK of our SYN (fifth step):
///   ESTABLISHED, with the acknowledgment (Linux) or without it (the figure).
pub fn arrivals(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Vec<Outcome> {
    let reference = segment_arrives(tcb, seg, profile);
    let mut allowed = vec![reference];
    if profile.challenge_ack_throttle && is_challenge_ack(tcb, seg, profile, &reference) {
        allowed.push(Outcome {
            send: None,
            ..reference
        });
    }
    if let Some(established) = figure7(tcb, seg, profile) {
        allowed.push(established.sending(established.tcb.ack_now()));
        allowed.push(established);
    }
    allowed
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# Simultaneous initiation is only slightly more complex, as is shown in Figure 7. Each TCP peer's
//# connection state cycles from CLOSED to SYN-SENT to SYN-RECEIVED to ESTABLISHED.
/// Figure 7, line 6: in an actively opened SYN-RECEIVED, the peer's SYN,ACK <SEQ=IRS> with an
/// acceptable ACK, read with its old SYN trimmed off: the outcome of that bare ACK at RCV.NXT,
/// if it establishes the connection.
fn figure7(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Option<Outcome> {
    let shape = tcb.state == State::SynReceived
        && !tcb.passive
        && seg.syn()
        && seg.ack_bit()
        && !seg.rst()
        && !seg.fin()
        && seg.len == 0
        && seg.seq == tcb.irs;
    if !shape {
        return None;
    }
    let rest = Segment::new(Flags::ACK, tcb.rcv_nxt, seg.ack);
    let out = segment_arrives(tcb, &rest, profile);
    (out.tcb.state == State::Established && out.send.is_none()).then_some(out)
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Note that RFC 5961 and Errata ID 4772 [99] contain additional considerations for ACK throttling
//# in an implementation.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Note that RFC 5961 and Errata ID 4772 [99] contain additional ACK throttling notes for an
//# implementation.
/// Whether the reference outcome is an RFC 5961 challenge ACK: a RST or SYN in a
/// synchronized state, answered by <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with nothing changed.
pub fn is_challenge_ack(tcb: &Tcb, seg: &Segment, profile: &Reading, out: &Outcome) -> bool {
    profile.rfc == Rfc::Rfc5961
        && (seg.rst() || seg.syn())
        && !matches!(tcb.state, State::Closed | State::Listen | State::SynSent)
        && out.tcb == *tcb
        && out.events.is_empty()
        && out.send == Some(tcb.ack_now())
}
