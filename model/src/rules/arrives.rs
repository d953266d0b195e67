//! SEGMENT ARRIVES (RFC 9293 §3.10.7): dispatch by state, LISTEN (§3.10.7.2) and SYN-SENT
//! (§3.10.7.3). The other states are in [`super::synchronized`].

use super::closed::{arrives_closed, reset_for};
use super::synchronized::{self, text_and_fin};
use super::{Event, Outcome};
use crate::segment::{Flags, Segment};
use crate::state::State;
use crate::tcb::{Mutation, Profile, Tcb};

/// SEGMENT ARRIVES in any state.
pub fn segment_arrives(tcb: &Tcb, seg: &Segment, profile: &Profile) -> Outcome {
    match tcb.state {
        State::Closed => arrives_closed(tcb, seg),
        State::Listen => arrives_listen(tcb, seg, profile),
        State::SynSent => arrives_syn_sent(tcb, seg, profile),
        _ => synchronized::arrives(tcb, seg, profile),
    }
}

/// §3.10.7.2 LISTEN.
pub fn arrives_listen(tcb: &Tcb, seg: &Segment, profile: &Profile) -> Outcome {
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
        if profile.broken(Mutation::TwoWayHandshake) {
            // Broken variant: the passive end trusts the SYN and is ESTABLISHED at once.
            t.state = State::Established;
        }
        let ack = if profile.broken(Mutation::AckTooFar) {
            seg.seq.add(2)
        } else {
            t.rcv_nxt
        };
        return Outcome::new(t).sending(Segment::new(Flags::SYN_ACK, t.iss, ack));
    }
    // Fourth, other text or control: drop the segment.
    Outcome::unchanged(tcb)
}

/// §3.10.7.3 SYN-SENT.
pub fn arrives_syn_sent(tcb: &Tcb, seg: &Segment, profile: &Profile) -> Outcome {
    // First, check the ACK bit: SEG.ACK =< ISS or SEG.ACK > SND.NXT is unacceptable: send
    // <SEQ=SEG.ACK><CTL=RST> (unless the segment is a RST) and discard it.
    let mut ack_ok = false;
    if seg.ack_bit() {
        if seg.ack.le(tcb.iss) || seg.ack.gt(tcb.snd_nxt) {
            return Outcome {
                send: reset_for(seg),
                ..Outcome::unchanged(tcb)
            };
        }
        ack_ok = tcb.snd_una.lt(seg.ack) && seg.ack.le(tcb.snd_nxt);
    }
    let mut syn = seg.syn();
    // Second, check the RST bit: with an acceptable ACK, "connection refused" (the RFC's
    // "connection reset" signal for an unsynchronized connection), enter CLOSED; else drop.
    if seg.rst() {
        if !ack_ok {
            return Outcome::unchanged(tcb);
        }
        if !profile.broken(Mutation::RstEstablishes) {
            let mut t = *tcb;
            t.state = State::Closed;
            return Outcome::new(t).event(Event::Refused);
        }
        syn = true;
    }
    // Fifth, neither SYN nor RST: drop the segment.
    if !syn {
        return Outcome::unchanged(tcb);
    }
    // Fourth, check the SYN bit: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, SND.UNA = SEG.ACK.
    let mut t = *tcb;
    t.irs = if profile.broken(Mutation::WrongIrs) {
        seg.seq.add(1)
    } else {
        seg.seq
    };
    t.rcv_nxt = seg.seq.add(1);
    if ack_ok {
        t.acknowledge(seg.ack);
    }
    if t.snd_una.gt(t.iss) {
        // Our SYN is acknowledged: enter ESTABLISHED, send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>,
        // and continue at the sixth step with any text or FIN on the segment.
        t.state = State::Established;
        let out = text_and_fin(t, seg, profile).event(Event::Connected);
        return out.sending(out.tcb.ack_now());
    }
    // Simultaneous open (Figure 7): enter SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    // Text or controls on the SYN would be queued until ESTABLISHED; the model's SYNs carry none.
    t.state = State::SynReceived;
    Outcome::new(t).sending(Segment::new(Flags::SYN_ACK, t.iss, t.rcv_nxt))
}
