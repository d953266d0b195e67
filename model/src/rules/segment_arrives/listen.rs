//! SEGMENT ARRIVES in LISTEN (RFC 9293 §3.10.7.2). Its twin in the endpoint:
//! `impl/src/conn/segment_arrives/listen.rs`.

use super::closed::reset_for;
use crate::rules::Outcome;
use crate::segment::{Flags, Segment};
use crate::state::State;
use crate::tcb::{Broken, Reading, Tcb};

/// §3.10.7.2 LISTEN.
pub fn listen(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    // First, check for a RST: ignore it.
    if seg.rst() {
        return Outcome::unchanged(tcb);
    }
    // Second, check for an ACK: any acknowledgment is bad, <SEQ=SEG.ACK><CTL=RST>.
    if seg.ack_bit() {
        return Outcome {
            send: reset_for(seg),
            ..Outcome::unchanged(tcb)
        };
    }
    // Third, check for a SYN: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, send
    // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SND.NXT = ISS+1, SND.UNA = ISS, enter SYN-RECEIVED.
    // Text or other controls on the SYN are not modelled (the model's SYNs carry none).
    if seg.syn() {
        let mut t = *tcb;
        t.irs = seg.seq;
        t.rcv_nxt = seg.seq.add(1);
        t.snd_una = t.iss;
        t.snd_nxt = t.iss.add(1);
        t.state = State::SynReceived;
        if profile.broken(Broken::TwoWayHandshake) {
            // Broken variant: the passive end trusts the SYN and is ESTABLISHED at once.
            t.state = State::Established;
        }
        let ack = if profile.broken(Broken::AckTooFar) {
            seg.seq.add(2)
        } else {
            t.rcv_nxt
        };
        return Outcome::new(t).sending(Segment::new(Flags::SYN_ACK, t.iss, ack));
    }
    // Fourth, other text or control: drop the segment.
    Outcome::unchanged(tcb)
}
