//! The gallery's deliberately broken rules ([`Broken`], `--broken`), as transformations around
//! the reference rules, so that `rules/` reads as RFC 9293 alone. Each variant changes the
//! segment a rule sees, or the outcome it gives, in the one situation it is about; with no
//! variant chosen every function here is the reference rule. The host calls these.
//!
//! Each transformation gives exactly what the variant's rule gave when it was written inside
//! the reference rules: on 88 (variant, configuration) runs the two implementations agreed in
//! unique states, transitions and every property's verdict, and `tests/broken_variants.rs`
//! pins the counts on `lifecycle` (and `data` for `DeliverDuplicate`). The model's RSTs carry
//! no text and no FIN, which three of them rely on (said where). `FinNeverRetransmitted` and
//! `NoTimeWait` are the host's (its retransmission and TIME-WAIT timers), not the rules'.

use crate::rules::segment_arrives::synchronized::{acceptable, ack_arrives};
use crate::rules::{self, Event, Outcome};
use crate::segment::{Flags, Segment};
use crate::state::State;
use crate::tcb::{Broken, Reading, Tcb};

/// SEGMENT ARRIVES, with the chosen variant's change.
pub fn segment_arrives(tcb: &Tcb, seg: &Segment, reading: &Reading) -> Outcome {
    let Some(broken) = reading.broken else {
        return rules::segment_arrives(tcb, seg, reading);
    };
    let synchronized = !matches!(tcb.state, State::Closed | State::Listen | State::SynSent);
    // Variants that change the segment the reference rule sees.
    let mut seen = *seg;
    match broken {
        // A RST is believed whatever its sequence number: as if it were at RCV.NXT.
        Broken::RstNoSeqCheck if synchronized && seg.rst() => seen.seq = tcb.rcv_nxt,
        // SYN-SENT takes an acceptable RST,ACK for a SYN,ACK (a RST carries no text or FIN).
        Broken::RstEstablishes
            if tcb.state == State::SynSent
                && seg.rst()
                && seg.ack_bit()
                && tcb.snd_una.lt(seg.ack)
                && seg.ack.le(tcb.snd_nxt) =>
        {
            seen.flags = Flags(seg.flags.0 & !Flags::RST.0 | Flags::SYN.0);
        }
        _ => {}
    }
    if broken == Broken::DeliverDuplicate && synchronized && old_octet(tcb, seg, reading) {
        return deliver_duplicate(tcb, seg, reading);
    }
    let mut out = rules::segment_arrives(tcb, &seen, reading);
    // Variants that change the outcome.
    match broken {
        // LISTEN answers a SYN: ESTABLISHED at once, trusting it.
        Broken::TwoWayHandshake
            if tcb.state == State::Listen && out.tcb.state == State::SynReceived =>
        {
            out.tcb.state = State::Established;
        }
        // LISTEN answers a SYN with ACK = SEG.SEQ + 2.
        Broken::AckTooFar if tcb.state == State::Listen && out.tcb.state == State::SynReceived => {
            if let Some(synack) = &mut out.send {
                synack.ack = seg.seq.add(2);
            }
        }
        // SYN-SENT records IRS = SEG.SEQ + 1 from a SYN.
        Broken::WrongIrs
            if tcb.state == State::SynSent
                && !matches!(out.tcb.state, State::SynSent | State::Closed) =>
        {
            out.tcb.irs = seg.seq.add(1);
        }
        // LAST-ACK: any acceptable ACK closes, not only the ACK of our FIN. Where the reference
        // keeps LAST-ACK silently on an ACK (no RST), the ACK step found our FIN unacknowledged.
        Broken::LastAckAnyAck
            if tcb.state == State::LastAck
                && out.tcb.state == State::LastAck
                && out.send.is_none()
                && seg.ack_bit()
                && !seg.rst() =>
        {
            out.tcb.state = State::Closed;
            out = out.event(Event::Closed);
        }
        // A FIN in ESTABLISHED is acknowledged but not processed: no CLOSE-WAIT, no "connection
        // closing" (every step into CLOSE-WAIT is that FIN's).
        Broken::AckFinUnprocessed
            if out.tcb.state == State::CloseWait && tcb.state != State::CloseWait =>
        {
            out.tcb.state = State::Established;
            out.tcb.fin_rcvd = false;
            out.events.remove(Event::Closing);
        }
        // A FIN in FIN-WAIT-2 overwrites IRS with its sequence number (every step into
        // TIME-WAIT from FIN-WAIT-1 or -2 is a FIN processed in FIN-WAIT-2).
        Broken::FinOverwritesIrs
            if matches!(tcb.state, State::FinWait1 | State::FinWait2)
                && out.tcb.state == State::TimeWait
                && seg.fin() =>
        {
            out.tcb.irs = seg.seq;
        }
        // An acceptable pure ACK is acknowledged too, where the reference sent nothing after
        // the ACK step let it through.
        Broken::AckEveryAck
            if synchronized
                && !matches!(tcb.state, State::LastAck)
                && !(tcb.state == State::Closing && out.tcb.state == State::Closing)
                && seg.seg_len() == 0
                && !seg.rst()
                && seg.ack_bit()
                && acceptable(tcb, seg, reading)
                && ack_arrives(tcb, seg, reading).is_ok()
                && out.send.is_none() =>
        {
            out.send = Some(out.tcb.ack_now());
        }
        _ => {}
    }
    out
}

/// CLOSE, with the chosen variant's change.
pub fn close(tcb: &Tcb, reading: &Reading) -> Outcome {
    match reading.broken {
        // CLOSE in CLOSE-WAIT is refused as if the connection were closing.
        Some(Broken::CloseWaitIgnoresClose) if tcb.state == State::CloseWait => {
            Outcome::unchanged(tcb).event(Event::ErrorClosing)
        }
        // CLOSE in ESTABLISHED sends the FIN and enters FIN-WAIT-2, skipping FIN-WAIT-1.
        Some(Broken::CloseSkipsFinWait1) if tcb.state == State::Established => {
            let mut out = rules::close(tcb);
            out.tcb.state = State::FinWait2;
            out
        }
        _ => rules::close(tcb),
    }
}

/// `DeliverDuplicate`'s segment: text (no SYN) starting one octet before RCV.NXT that the
/// reference finds nothing new in (one octet, or no window), so drops as a duplicate.
fn old_octet(tcb: &Tcb, seg: &Segment, reading: &Reading) -> bool {
    seg.len > 0
        && !seg.syn()
        && !seg.rst()
        && seg.seq.add(1) == tcb.rcv_nxt
        && (seg.len == 1 || reading.window == 0)
}

/// `DeliverDuplicate`: the old octet is delivered again (capped at two, so that the state
/// space stays finite). The segment's controls go through the reference rule as a segment at
/// RCV.NXT with no text, which is what the rule saw of them; where the text step is reached
/// in a state that takes text, the octet is delivered and acknowledged.
fn deliver_duplicate(tcb: &Tcb, seg: &Segment, reading: &Reading) -> Outcome {
    let mut controls = *seg;
    controls.seq = tcb.rcv_nxt;
    controls.len = 0;
    let mut out = rules::segment_arrives(tcb, &controls, reading);
    let takes_text = matches!(
        tcb.state,
        State::SynReceived | State::Established | State::FinWait1 | State::FinWait2
    );
    if takes_text && seg.ack_bit() && ack_arrives(tcb, &controls, reading).is_ok() {
        out.tcb.delivered = (out.tcb.delivered + seg.len).min(2);
        out.events.add(Event::Data);
        out.send = Some(out.tcb.ack_now());
    }
    out
}
