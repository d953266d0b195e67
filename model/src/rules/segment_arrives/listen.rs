//! SEGMENT ARRIVES in LISTEN (RFC 9293 §3.10.7.2). Its twin in the endpoint:
//! `impl/src/conn/segment_arrives/listen.rs`.

use super::closed::reset_for;
use crate::rules::Outcome;
use crate::segment::{Flags, Segment};
use crate::state::State;
use crate::tcb::Tcb;

/// §3.10.7.2 LISTEN.
pub fn listen(tcb: &Tcb, seg: &Segment) -> Outcome {
    // First, check for a RST: ignore it.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
    //# An incoming RST segment could not be valid since it could not have been sent in response to
    //# anything sent by this incarnation of the connection. An incoming RST should be ignored.
    //# Return.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
    //# If the receiver was in the LISTEN state, it ignores it.
    if seg.rst() {
        return Outcome::unchanged(tcb);
    }
    // Second, check for an ACK: any acknowledgment is bad, <SEQ=SEG.ACK><CTL=RST>.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
    //# Any acknowledgment is bad if it arrives on a connection still in the LISTEN state. An
    //# acceptable reset segment should be formed for any arriving ACK-bearing segment. The RST
    //# should be formatted as follows: <SEQ=SEG.ACK><CTL=RST>
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
    //# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED), and the
    //# incoming segment acknowledges something not yet sent (the segment carries an unacceptable
    //# ACK),
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
    //# The connection remains in the same state.
    if seg.ack_bit() {
        return Outcome {
            send: reset_for(seg),
            ..Outcome::unchanged(tcb)
        };
    }
    // Third, check for a SYN: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, send
    // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SND.NXT = ISS+1, SND.UNA = ISS, enter SYN-RECEIVED.
    // Text or other controls on the SYN are not modelled (the model's SYNs carry none).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
    //= type=exception
    //= reason=Segments carry no security/compartment (outdated, RFC 9293 Appendix A.1), so every
    //= reason=SYN matches the TCB.
    //# If the SYN bit is set, check the security. If the security/compartment on the incoming
    //# segment does not exactly match the security/compartment in the TCB, then send a reset and
    //# return.
    if seg.syn() {
        let mut t = *tcb;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //# Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ,
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //= type=exception
        //= reason=The model never sends text or FIN on a SYN; such a SYN would have them dropped
        //= reason=here, not queued.
        //# and any other control or text should be queued for processing later.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //= type=exception
        //= reason=No text or FIN on SYNs in the model: nothing is carried over to SYN-RECEIVED.
        //# Note that any other incoming control or data (combined with SYN) will be processed in
        //# the SYN-RECEIVED state, but processing of SYN and ACK should not be repeated.
        t.irs = seg.seq;
        t.rcv_nxt = seg.seq.add(1);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //# SND.NXT is set to ISS+1 and SND.UNA to ISS. The connection state should be changed to
        //# SYN-RECEIVED.
        t.snd_una = t.iss;
        t.snd_nxt = t.iss.add(1);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# The receiver of the first SYN has no way of knowing whether the segment was an old one
        //# or not, unless it remembers the last sequence number used on the connection (which is
        //# not always possible), and so it must ask the sender to verify this SYN.
        t.state = State::SynReceived;
        let ack = t.rcv_nxt;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //# ISS should be selected and a SYN segment sent of the form:
        //# <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
        return Outcome::new(t).sending(Segment::new(Flags::SYN_ACK, t.iss, ack));
    }
    // Fourth, other text or control: drop the segment.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
    //# This should not be reached. Drop the segment and return. Any other control or data-bearing
    //# segment (not containing SYN) must have an ACK and thus would have been discarded by the ACK
    //# processing in the second step, unless it was first discarded by RST checking in the first
    //# step.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# Do not process the FIN if the state is CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ cannot
    //# be validated; drop the segment and return.
    Outcome::unchanged(tcb)
}
