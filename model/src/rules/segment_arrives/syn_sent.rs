//! SEGMENT ARRIVES in SYN-SENT (RFC 9293 §3.10.7.3). Its twin in the endpoint:
//! `impl/src/conn/segment_arrives/syn_sent.rs`.

use super::closed::reset_for;
use super::synchronized::text_and_fin;
use crate::rules::{Event, Outcome};
use crate::segment::{Flags, Segment};
use crate::state::State;
use crate::tcb::{Broken, Reading, Tcb};

/// §3.10.7.3 SYN-SENT.
pub fn syn_sent(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
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
        if !profile.broken(Broken::RstEstablishes) {
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
    t.irs = if profile.broken(Broken::WrongIrs) {
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
