//! SEGMENT ARRIVES in SYN-RECEIVED and the synchronized states (RFC 9293 §3.10.7.4), step by
//! step: sequence number, RST, SYN, ACK, text, FIN. Its twin in the endpoint:
//! `impl/src/conn/segment_arrives/synchronized.rs` (the same step names).

use super::closed::reset_for;
use crate::rules::{Event, Outcome};
use crate::segment::Segment;
use crate::seq::Seq;
use crate::state::State;
use crate::tcb::{Broken, Reading, Rfc, Tcb};

/// §3.10.7.4 for SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING,
/// LAST-ACK and TIME-WAIT.
pub fn synchronized(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    // Broken variant: a RST is believed whatever its sequence number.
    if seg.rst() && profile.broken(Broken::RstNoSeqCheck) {
        return rst_arrives(tcb, seg, profile);
    }
    // First, check the sequence number. An unacceptable segment draws
    // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (none for a RST) and is dropped. "If the RCV.WND
    // is zero, no segments will be acceptable, but special allowance should be made to
    // accept valid ACKs, URGs, and RSTs": a segment at RCV.NXT goes on for its control bits
    // and ACK; its text and FIN are not processed.
    let controls_only =
        profile.window == 0 && seg.seq == tcb.rcv_nxt && !acceptable(tcb, seg, profile);
    if !acceptable(tcb, seg, profile) && !controls_only {
        let ack = (!seg.rst()).then(|| tcb.ack_now());
        return Outcome {
            send: ack,
            ..Outcome::unchanged(tcb)
        };
    }
    // Second, check the RST bit.
    if seg.rst() {
        return rst_arrives(tcb, seg, profile);
    }
    // Fourth, check the SYN bit.
    if seg.syn() && syn_step_applies(tcb, seg, profile) {
        return syn_arrives(tcb, seg, profile);
    }
    // Fifth, check the ACK field: without it, drop the segment.
    if !seg.ack_bit() {
        return Outcome::unchanged(tcb);
    }
    let t = match ack_arrives(tcb, seg, profile) {
        Ok(t) => t,
        Err(done) => return done,
    };
    let mut out = if controls_only {
        // The text and FIN found no room: acknowledge what is expected instead.
        let ack = (seg.seg_len() > 0).then(|| t.ack_now());
        Outcome {
            send: ack,
            ..Outcome::new(t)
        }
    } else {
        text_and_fin(t, seg, profile)
    };
    if tcb.state == State::SynReceived {
        out = out.event(Event::Connected);
    }
    // Broken variant: an acceptable pure ACK is acknowledged too.
    if profile.broken(Broken::AckEveryAck) && out.send.is_none() && seg.seg_len() == 0 {
        out.send = Some(out.tcb.ack_now());
    }
    out
}

/// The acceptability test of Table 6.
pub fn acceptable(tcb: &Tcb, seg: &Segment, profile: &Reading) -> bool {
    let (nxt, wnd) = (tcb.rcv_nxt, profile.window);
    let len = seg.seg_len();
    let ok = match (len, wnd) {
        (0, 0) => seg.seq == nxt,
        (0, _) => seg.seq.in_window(nxt, wnd),
        (_, 0) => false,
        _ => seg.seq.in_window(nxt, wnd) || seg.seq.add(len - 1).in_window(nxt, wnd),
    };
    // Test-only: let an old duplicate byte through to the text step.
    ok || (profile.broken(Broken::DeliverDuplicate)
        && seg.len > 0
        && !seg.syn()
        && seg.seq.add(1) == nxt)
}

/// Second step, RST. RFC 5961 §3.2: only SEG.SEQ = RCV.NXT resets; any other in-window RST
/// draws a challenge ACK. RFC 793: any acceptable RST resets. RFC 1337: TIME-WAIT ignores RST.
fn rst_arrives(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    let unchecked = profile.broken(Broken::RstNoSeqCheck);
    if profile.rfc == Rfc::Rfc5961 && seg.seq != tcb.rcv_nxt && !unchecked {
        return Outcome::unchanged(tcb).sending(tcb.ack_now());
    }
    if tcb.state == State::TimeWait && profile.rfc1337 {
        return Outcome::unchanged(tcb);
    }
    let mut t = *tcb;
    t.state = State::Closed;
    match tcb.state {
        // Passive OPEN: back to LISTEN, the user need not be told.
        State::SynReceived if tcb.passive => back_to_listen(tcb),
        // Active OPEN: "connection refused".
        State::SynReceived => Outcome::new(t).event(Event::Refused),
        State::Established | State::FinWait1 | State::FinWait2 | State::CloseWait => {
            Outcome::new(t).event(Event::Reset)
        }
        // CLOSING, LAST-ACK, TIME-WAIT: enter CLOSED, delete the TCB.
        _ => Outcome::new(t).event(Event::Closed),
    }
}

/// A passively opened connection returns to LISTEN, forgetting the peer (§3.10.7.4). The
/// model keeps SND.UNA and SND.NXT: they record that our SYN was sent in this run, and a new
/// SYN would set them to the same values again (the ISS is fixed per run). The retry budget
/// belonged to the connection that is gone: the next one starts with all of it.
fn back_to_listen(tcb: &Tcb) -> Outcome {
    let mut t = *tcb;
    t.state = State::Listen;
    t.retries_left = t.retry_budget;
    t.irs = Seq(0);
    t.rcv_nxt = Seq(0);
    Outcome::new(t)
}

/// Whether the fourth step sees the SYN. A SYN left of RCV.NXT in an acceptable segment (one
/// whose text or FIN reaches into the window) lies outside the window: §3.10.7.4 processes
/// "the idealized segment that begins at RCV.NXT", "trimming off any portions that lie
/// outside the window (including SYN and FIN)", and RFC 793 adds "If the SYN is not in the
/// window this step would not be reached". So the SYN is trimmed and the rest goes on to the
/// ACK step. RFC 5961 §4.2 answers a SYN "irrespective of the sequence number" with a
/// challenge ACK, which stands in the synchronized states; a passive SYN-RECEIVED does not
/// return to LISTEN for a SYN it trims.
fn syn_step_applies(tcb: &Tcb, seg: &Segment, profile: &Reading) -> bool {
    let left_of_window = seg.seq.lt(tcb.rcv_nxt);
    let passive_syn_received = tcb.state == State::SynReceived && tcb.passive;
    !left_of_window || (profile.rfc == Rfc::Rfc5961 && !passive_syn_received)
}

/// Fourth step, SYN. SYN-RECEIVED from a passive OPEN returns to LISTEN. Otherwise RFC 5961
/// §4.2: a challenge ACK whatever the sequence number; RFC 793: the in-window SYN is an error,
/// send a reset, "connection reset", enter CLOSED.
fn syn_arrives(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    if tcb.state == State::SynReceived && tcb.passive {
        return back_to_listen(tcb);
    }
    match profile.rfc {
        Rfc::Rfc5961 => Outcome::unchanged(tcb).sending(tcb.ack_now()),
        Rfc::Rfc793 => {
            let mut t = *tcb;
            t.state = State::Closed;
            Outcome {
                tcb: t,
                send: reset_for(seg),
                events: Default::default(),
            }
            .event(Event::Reset)
        }
    }
}

/// Fifth step, ACK. `Ok` continues to the text and FIN steps; `Err` is the final outcome.
fn ack_arrives(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Result<Tcb, Outcome> {
    let mut t = *tcb;
    // RFC 5961 §5.2, which RFC 9293 places before the per-state rules: SEG.ACK outside
    // SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT is discarded with an ACK, in SYN-RECEIVED too.
    let too_old =
        profile.rfc == Rfc::Rfc5961 && seg.ack.lt(Seq(t.snd_una.0.wrapping_sub(profile.window)));
    if profile.rfc == Rfc::Rfc5961 && (seg.ack.gt(t.snd_nxt) || too_old) {
        return Err(Outcome::unchanged(tcb).sending(tcb.ack_now()));
    }
    if t.state == State::SynReceived {
        // SND.UNA < SEG.ACK =< SND.NXT: enter ESTABLISHED and continue; else send
        // <SEQ=SEG.ACK><CTL=RST>.
        if !(t.snd_una.lt(seg.ack) && seg.ack.le(t.snd_nxt)) {
            return Err(Outcome {
                send: reset_for(seg),
                ..Outcome::unchanged(tcb)
            });
        }
        t.state = State::Established;
    }
    // SEG.ACK > SND.NXT acknowledges something not yet sent: send an ACK, drop the segment.
    if seg.ack.gt(t.snd_nxt) {
        return Err(Outcome::unchanged(tcb).sending(tcb.ack_now()));
    }
    // SND.UNA < SEG.ACK =< SND.NXT: SND.UNA = SEG.ACK; older ACKs are duplicates, ignored.
    if t.snd_una.lt(seg.ack) {
        t.acknowledge(seg.ack);
    }
    match t.state {
        // FIN-WAIT-1: once our FIN is acknowledged, enter FIN-WAIT-2 and continue.
        State::FinWait1 if t.fin_acked() => t.state = State::FinWait2,
        // CLOSING: once our FIN is acknowledged, enter TIME-WAIT; otherwise ignore the segment.
        State::Closing => {
            if t.fin_acked() {
                t.state = State::TimeWait;
            } else {
                return Err(Outcome::new(t));
            }
        }
        // LAST-ACK: the only thing that can arrive is the ACK of our FIN; then enter CLOSED.
        State::LastAck => {
            if t.fin_acked() || profile.broken(Broken::LastAckAnyAck) {
                t.state = State::Closed;
                return Err(Outcome::new(t).event(Event::Closed));
            }
            return Err(Outcome::new(t));
        }
        _ => {}
    }
    Ok(t)
}

/// Seventh and eighth steps: deliver text at RCV.NXT, then process a FIN that follows it.
/// Acknowledges whatever it accepted (and out-of-order text, which the model does not hold).
pub(crate) fn text_and_fin(mut t: Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    let mut out = Outcome::new(t);
    let mut ack = false;
    let start = seg.seq.add(seg.syn() as u32);
    let receives_text = matches!(
        t.state,
        State::Established | State::FinWait1 | State::FinWait2
    );
    // Seventh, process the segment text (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2; later states have
    // seen the peer's FIN and ignore text).
    if seg.len > 0 && receives_text {
        ack = true;
        // §3.10.7.4 first step: what follows processes "the idealized segment that begins at
        // RCV.NXT and does not exceed the window": octets before RCV.NXT (a segment that
        // straddles old and new) and octets past the window are trimmed off.
        let end = start.add(seg.len as u32);
        let fresh = end.since(t.rcv_nxt).min(profile.window);
        if start.le(t.rcv_nxt) && t.rcv_nxt.lt(end) && fresh > 0 {
            t.rcv_nxt = t.rcv_nxt.add(fresh);
            t.delivered = t.delivered.saturating_add(fresh as u8);
            out.events.add(Event::Data);
        } else if profile.broken(Broken::DeliverDuplicate) && start.add(1) == t.rcv_nxt {
            // Capped, so that the broken model's state space stays finite.
            t.delivered = (t.delivered + seg.len).min(2);
            out.events.add(Event::Data);
        }
    }
    // Eighth, check the FIN bit: only a FIN at RCV.NXT (all text before it received).
    let fin_at = start.add(seg.len as u32);
    if seg.fin() && fin_at != t.rcv_nxt && receives_text {
        // A FIN beyond RCV.NXT is not processed yet; like out-of-order text it draws a
        // duplicate ACK (RFC 9293 §3.8.6.3, RFC 5681 §4.2).
        ack = true;
    }
    if seg.fin() && fin_at == t.rcv_nxt {
        ack = true;
        t.rcv_nxt = t.rcv_nxt.add(1);
        let unprocessed =
            profile.broken(Broken::AckFinUnprocessed) && t.state == State::Established;
        if !unprocessed {
            t.fin_rcvd = true;
            out.events.add(Event::Closing);
            let was = t.state;
            t.state = match t.state {
                State::SynReceived | State::Established => State::CloseWait,
                // FIN-WAIT-1: TIME-WAIT if our FIN is acknowledged (perhaps by this segment),
                // otherwise CLOSING.
                State::FinWait1 if t.fin_acked() => State::TimeWait,
                State::FinWait1 => State::Closing,
                State::FinWait2 => State::TimeWait,
                // CLOSE-WAIT, CLOSING, LAST-ACK remain; TIME-WAIT remains and restarts 2MSL.
                s => s,
            };
            if profile.broken(Broken::FinOverwritesIrs) && was == State::FinWait2 {
                t.irs = seg.seq;
            }
        }
    }
    out.tcb = t;
    if ack {
        out.send = Some(t.ack_now());
    }
    out
}
