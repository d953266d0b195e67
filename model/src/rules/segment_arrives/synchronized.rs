//! SEGMENT ARRIVES in SYN-RECEIVED and the synchronized states (RFC 9293 §3.10.7.4), step by
//! step: sequence number, RST, SYN, ACK, text, FIN. Its twin in the endpoint:
//! `impl/src/conn/segment_arrives/synchronized.rs` (the same step names).

use super::closed::reset_for;
use crate::rules::{Event, Outcome};
use crate::segment::Segment;
use crate::seq::Seq;
use crate::state::State;
use crate::tcb::{Reading, Rfc, Tcb};

/// §3.10.7.4 for SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING,
/// LAST-ACK and TIME-WAIT.
pub fn synchronized(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=No queue of received segments: each segment is processed alone as it arrives, and
    //= reason=answered with at most one segment.
    //# For example, if the TCP endpoint is processing a series of queued segments, it MUST process
    //# them all before sending any ACK segments (MUST-59).
    // First, check the sequence number. An unacceptable segment draws
    // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (none for a RST) and is dropped. "If the RCV.WND
    // is zero, no segments will be acceptable, but special allowance should be made to
    // accept valid ACKs, URGs, and RSTs": a segment at RCV.NXT goes on for its control bits
    // and ACK; its text and FIN are not processed.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made
    //# to accept valid ACKs, URGs, and RSTs.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# Note that when the receive window is zero no segments should be acceptable except ACK
    //# segments. Thus, it is possible for a TCP implementation to maintain a zero receive window
    //# while transmitting data and receiving ACKs.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# A TCP receiver MUST process the RST and URG fields of all incoming segments, even when the
    //# receive window is zero (MUST-66).
    let controls_only =
        profile.window == 0 && seg.seq == tcb.rcv_nxt && !acceptable(tcb, seg, profile);
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If an incoming segment is not acceptable, an acknowledgment should be sent in reply (unless
    //# the RST bit is set, if so drop the segment and return): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
    //# If the connection is in a synchronized state (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2,
    //# CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT), any unacceptable segment (out-of-window sequence
    //# number or unacceptable acknowledgment number) must be responded to with an empty
    //# acknowledgment segment (without any user data) containing the current send sequence number
    //# and an acknowledgment indicating the next sequence number expected to be received, and the
    //# connection remains in the same state.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# The only thing that can arrive in this state is a retransmission of the remote FIN.
    //# Acknowledge it, and restart the 2 MSL timeout.
    if !acceptable(tcb, seg, profile) && !controls_only {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the RST bit is set and the sequence number is outside the current receive window,
        //# silently drop the segment.
        let ack = (!seg.rst()).then(|| tcb.ack_now());
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# After sending the acknowledgment, drop the unacceptable segment and return.
        return Outcome {
            send: ack,
            ..Outcome::unchanged(tcb)
        };
    }
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
    //# In all states except SYN-SENT, all reset (RST) segments are validated by checking their SEQ
    //# fields. A reset is valid if its sequence number is in the window.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
    //# The receiver of a RST first validates it, then changes state.
    // Second, check the RST bit.
    if seg.rst() {
        return rst_arrives(tcb, seg, profile);
    }
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=Segments carry no security/compartment (outdated, RFC 9293 Appendix A.1), so every
    //= reason=segment matches the TCB.
    //# If the security/compartment in the segment does not exactly match the security/compartment
    //# in the TCB, then send a reset and return.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=Segments carry no security/compartment (outdated, RFC 9293 Appendix A.1), so every
    //= reason=segment matches the TCB.
    //# If the security/compartment in the segment does not exactly match the security/compartment
    //# in the TCB, then send a reset; any outstanding RECEIVEs and SEND should receive "reset"
    //# responses.
    // Fourth, check the SYN bit.
    if seg.syn() && syn_step_applies(tcb, seg, profile) {
        return syn_arrives(tcb, seg, profile);
    }
    // Fifth, check the ACK field: without it, drop the segment.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# if the ACK bit is off, drop the segment and return
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
    out
}

/// The acceptability test of Table 6.
pub fn acceptable(tcb: &Tcb, seg: &Segment, profile: &Reading) -> bool {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# Initial tests on arrival are used to discard old duplicates,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# There are four cases for the acceptability test for an incoming segment:
    let (nxt, wnd) = (tcb.rcv_nxt, profile.window);
    let len = seg.seg_len();
    match (len, wnd) {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# | 0 | 0 | SEG.SEQ = RCV.NXT |
        (0, 0) => seg.seq == nxt,
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# | 0 | >0 | RCV.NXT =< SEG.SEQ < | | | | RCV.NXT+RCV.WND |
        (0, _) => seg.seq.in_window(nxt, wnd),
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# | >0 | 0 | not acceptable |
        (_, 0) => false,
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
        //# A segment is judged to occupy a portion of valid receive sequence space if RCV.NXT =<
        //# SEG.SEQ < RCV.NXT+RCV.WND or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
        _ => seg.seq.in_window(nxt, wnd) || seg.seq.add(len - 1).in_window(nxt, wnd),
    }
}

/// Second step, RST. RFC 5961 §3.2: only SEG.SEQ = RCV.NXT resets; any other in-window RST
/// draws a challenge ACK. RFC 793: any acceptable RST resets. RFC 1337: TIME-WAIT ignores RST.
fn rst_arrives(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the RST bit is set and the sequence number does not exactly match the next expected
    //# sequence value, yet is within the current receive window, TCP endpoints MUST send an
    //# acknowledgment (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# After sending the challenge ACK, TCP endpoints MUST drop the unacceptable segment and stop
    //# processing the incoming packet further.
    if profile.rfc == Rfc::Rfc5961 && seg.seq != tcb.rcv_nxt {
        return Outcome::unchanged(tcb).sending(tcb.ack_now());
    }
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=TIME-WAIT only, where the reading has RFC 1337 (Reading::rfc1337, the default): a RST
    //= reason=in TIME-WAIT is ignored, against TIME-WAIT assassination.
    //# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
    if tcb.state == State::TimeWait && profile.rfc1337 {
        return Outcome::unchanged(tcb);
    }
    let mut t = *tcb;
    t.state = State::Closed;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the RST bit is set and the sequence number exactly matches the next expected sequence
    //# number (RCV.NXT), then TCP endpoints MUST reset the connection in the manner prescribed
    //# below according to the connection state.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# For stacks implementing the protection described in RFC 5961, the three checks below apply;
    //# otherwise, processing for these states is indicated further below.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
    //# TCP implementations SHOULD allow a received RST segment to include data (SHLD-2).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
    //# If the TCP peer is in one of the synchronized states (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2,
    //# CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT), it aborts the connection and informs its user.
    match tcb.state {
        // Passive OPEN: back to LISTEN, the user need not be told.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If this connection was initiated with a passive OPEN (i.e., came from the LISTEN state),
        //# then return this connection to LISTEN state and return. The user need not be informed.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
        //# If the receiver was in SYN-RECEIVED state and had previously been in the LISTEN state,
        //# then the receiver returns to the LISTEN state; otherwise, the receiver aborts the
        //# connection and goes to the CLOSED state.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
        //# Note that a TCP implementation MUST keep track of whether a connection has reached
        //# SYN-RECEIVED state as the result of a passive OPEN or an active OPEN (MUST-11).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
        //# TCP Peer B, on receiving the RST, returns to the LISTEN state.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
        //# TCP Peer B accepts the reset and returns to its passive LISTEN state.
        State::SynReceived if tcb.passive => back_to_listen(tcb),
        // Active OPEN: "connection refused".
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If this connection was initiated with an active OPEN (i.e., came from SYN-SENT state),
        //# then the connection was refused; signal the user "connection refused".
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# And in the active OPEN case, enter the CLOSED state and delete the TCB, and return.
        State::SynReceived => Outcome::new(t).event(Event::Refused),
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the RST bit is set, then any outstanding RECEIVEs and SEND should receive "reset"
        //# responses. All segment queues should be flushed. Users should also receive an
        //# unsolicited general "connection reset" signal. Enter the CLOSED state, delete the TCB,
        //# and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
        //# Such a message indicates to the site B TCP endpoint that something is wrong, and it is
        //# expected to abort the connection.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
        //# If the receiver was in any other state, it aborts the connection and advises the user
        //# and goes to the CLOSED state.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# If the local TCP connection is closed by the remote side due to a FIN or RST received
        //# from the remote side, then the local application MUST be informed whether it closed
        //# normally or was aborted (MUST-12).
        State::Established | State::FinWait1 | State::FinWait2 | State::CloseWait => {
            Outcome::new(t).event(Event::Reset)
        }
        // CLOSING, LAST-ACK, TIME-WAIT: enter CLOSED, delete the TCB.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //= type=exception
        //= reason=In CLOSING and LAST-ACK (and TIME-WAIT without RFC 1337) a RST is signalled as
        //= reason=Event::Closed, the same event as the orderly end by the ACK of our FIN: Section
        //= reason=3.10.7.4 names no signal there, and the model does not tell the two apart.
        //# If the local TCP connection is closed by the remote side due to a FIN or RST received
        //# from the remote side, then the local application MUST be informed whether it closed
        //# normally or was aborted (MUST-12).
        _ => Outcome::new(t).event(Event::Closed),
    }
}

/// A passively opened connection returns to LISTEN, forgetting the peer (§3.10.7.4). The
/// model keeps SND.UNA and SND.NXT: they record that our SYN was sent in this run, and a new
/// SYN would set them to the same values again (the ISS is fixed per run). The retry budget
/// belonged to the connection that is gone: the next one starts with all of it.
fn back_to_listen(tcb: &Tcb) -> Outcome {
    let mut t = *tcb;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# In either case, the retransmission queue should be flushed.
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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# In the following it is assumed that the segment is the idealized segment that begins at
    //# RCV.NXT and does not exceed the window. One could tailor actual segments to fit this
    //# assumption by trimming off any portions that lie outside the window (including SYN and FIN)
    //# and only processing further if the segment then begins at RCV.NXT.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the SYN is not in the window, this step would not be reached and an ACK would have been
    //# sent in the first step (sequence number check).
    let left_of_window = seg.seq.lt(tcb.rcv_nxt);
    let passive_syn_received = tcb.state == State::SynReceived && tcb.passive;
    !left_of_window || (profile.rfc == Rfc::Rfc5961 && !passive_syn_received)
}

/// Fourth step, SYN. SYN-RECEIVED from a passive OPEN returns to LISTEN. Otherwise RFC 5961
/// §4.2: a challenge ACK whatever the sequence number; RFC 793: the in-window SYN is an error,
/// send a reset, "connection reset", enter CLOSED.
fn syn_arrives(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the connection was initiated with a passive OPEN, then return this connection to the
    //# LISTEN state and return.
    if tcb.state == State::SynReceived && tcb.passive {
        return back_to_listen(tcb);
    }
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# Otherwise, handle per the directions for synchronized states below.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=No TCP options, so no timestamps: a SYN in TIME-WAIT is answered as in the other
    //= reason=synchronized states.
    //# For the TIME-WAIT state, new connections can be accepted if the Timestamp Option is used and
    //# meets expectations (per [40]).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //= type=exception
    //= reason=Not taken: a SYN in TIME-WAIT draws the challenge ACK (RFC 5961) or a reset (RFC
    //= reason=793); the connection never reopens from TIME-WAIT.
    //# However, it MAY accept a new SYN from the remote TCP endpoint to reopen the connection
    //# directly from TIME-WAIT state (MAY-2), if it:
    match profile.rfc {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# RFC 5961 recommends that in these synchronized states, if the SYN bit is set,
        //# irrespective of the sequence number, TCP endpoints MUST send a "challenge ACK" to the
        //# remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# After sending the acknowledgment, TCP implementations MUST drop the unacceptable segment
        //# and stop processing further.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
        //# When the SYN arrives at line 3, TCP Peer B, being in a synchronized state, and the
        //# incoming segment outside the window, responds with an acknowledgment indicating what
        //# sequence it next expects to hear (ACK 100).
        Rfc::Rfc5961 => Outcome::unchanged(tcb).sending(tcb.ack_now()),
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# For implementations that do not follow RFC 5961, the original behavior described in RFC
        //# 793 follows in this paragraph. If the SYN is in the window it is an error: send a reset,
        //# any outstanding RECEIVEs and SEND should receive "reset" responses, all segment queues
        //# should be flushed, the user should also receive an unsolicited general "connection
        //# reset" signal, enter the CLOSED state, delete the TCB, and return.
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
pub(crate) fn ack_arrives(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Result<Tcb, Outcome> {
    let mut t = *tcb;
    // RFC 5961 §5.2, which RFC 9293 places before the per-state rules: SEG.ACK outside
    // SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT is discarded with an ACK, in SYN-RECEIVED too.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# RFC 5961 [9], Section 5 describes a potential blind data injection attack, and mitigation
    //# that implementations MAY choose to include (MAY-12).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# TCP stacks that implement RFC 5961 MUST add an input check that the ACK value is acceptable
    //# only if it is in the range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT).
    let too_old =
        profile.rfc == Rfc::Rfc5961 && seg.ack.lt(Seq(t.snd_una.0.wrapping_sub(profile.window)));
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# All incoming segments whose ACK value doesn't satisfy the above condition MUST be discarded
    //# and an ACK sent back.
    if profile.rfc == Rfc::Rfc5961 && (seg.ack.gt(t.snd_nxt) || too_old) {
        return Err(Outcome::unchanged(tcb).sending(tcb.ack_now()));
    }
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# When the ACK value is acceptable, the per-state processing below applies:
    if t.state == State::SynReceived {
        // SND.UNA < SEG.ACK =< SND.NXT: enter ESTABLISHED and continue; else send
        // <SEQ=SEG.ACK><CTL=RST>.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the segment acknowledgment is not acceptable, form a reset segment
        //# <SEQ=SEG.ACK><CTL=RST>
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
        //# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED), and
        //# the incoming segment acknowledges something not yet sent (the segment carries an
        //# unacceptable ACK),
        if !(t.snd_una.lt(seg.ack) && seg.ack.le(t.snd_nxt)) {
            return Err(Outcome {
                send: reset_for(seg),
                ..Outcome::unchanged(tcb)
            });
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing
        t.state = State::Established;
    }
    // SEG.ACK > SND.NXT acknowledges something not yet sent: send an ACK, drop the segment.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
    //# segment, and return.
    if seg.ack.gt(t.snd_nxt) {
        return Err(Outcome::unchanged(tcb).sending(tcb.ack_now()));
    }
    // SND.UNA < SEG.ACK =< SND.NXT: SND.UNA = SEG.ACK; older ACKs are duplicates, ignored.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any segments on the
    //# retransmission queue that are thereby entirely acknowledged are removed.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=Segments carry no window field: the send window is the fixed window of the reading
    //= reason=(Reading::window), never updated.
    //# If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated.
    if t.snd_una.lt(seg.ack) {
        t.acknowledge(seg.ack);
    }
    match t.state {
        // FIN-WAIT-1: once our FIN is acknowledged, enter FIN-WAIT-2 and continue.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# In addition to the processing for the ESTABLISHED state, if the FIN segment is now
        //# acknowledged, then enter FIN-WAIT-2 and continue processing in that state.
        State::FinWait1 if t.fin_acked() => t.state = State::FinWait2,
        // CLOSING: once our FIN is acknowledged, enter TIME-WAIT; otherwise ignore the segment.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# In addition to the processing for the ESTABLISHED state, if the ACK acknowledges our
        //# FIN, then enter the TIME-WAIT state; otherwise, ignore the segment.
        State::Closing => {
            if t.fin_acked() {
                t.state = State::TimeWait;
            } else {
                return Err(Outcome::new(t));
            }
        }
        // LAST-ACK: the only thing that can arrive is the ACK of our FIN; then enter CLOSED.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# The only thing that can arrive in this state is an acknowledgment of our FIN. If our FIN
        //# is now acknowledged, delete the TCB, enter the CLOSED state, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# The TCP endpoint then waits until its own FIN is acknowledged whereupon it deletes the
        //# connection.
        State::LastAck => {
            if t.fin_acked() {
                t.state = State::Closed;
                return Err(Outcome::new(t).event(Event::Closed));
            }
            return Err(Outcome::new(t));
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# In addition to the processing for the ESTABLISHED state, if the retransmission queue is
        //# empty, the user's CLOSE can be acknowledged ("ok") but do not delete the TCB.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# Do the same processing as for the ESTABLISHED state.
        _ => {}
    }
    Ok(t)
}

/// Seventh and eighth steps: deliver text at RCV.NXT, then process a FIN that follows it.
/// Acknowledges whatever it accepted (and out-of-order text, which the model does not hold).
pub(crate) fn text_and_fin(mut t: Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=Segments carry no URG bit or urgent pointer (segment.rs): the model has no urgent
    //= reason=data.
    //# If the URG bit is set, RCV.UP <- max(RCV.UP,SEG.UP), and signal the user that the remote
    //# side has urgent data if the urgent pointer (RCV.UP) is in advance of the data consumed.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=Segments carry no URG bit or urgent pointer (segment.rs): the model has no urgent
    //= reason=data.
    //# However, TCP implementations MUST still include support for the urgent mechanism (MUST-30).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=Segments carry no URG bit or urgent pointer (segment.rs): the model has no urgent
    //= reason=data.
    //# A TCP implementation MUST support a sequence of urgent data of any length (MUST-31) [19].
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=Segments carry no URG bit or urgent pointer (segment.rs): the model has no urgent
    //= reason=data.
    //# The urgent pointer MUST point to the sequence number of the octet following the urgent data
    //# (MUST-62).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=Segments carry no URG bit or urgent pointer (segment.rs): the model has no urgent
    //= reason=data.
    //# A TCP implementation MUST (MUST-32) inform the application layer asynchronously whenever it
    //# receives an urgent pointer and there was previously no pending urgent data, or whenever the
    //# urgent pointer advances in the data stream.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.5
    //= type=exception
    //= reason=Segments carry no URG bit or urgent pointer (segment.rs): the model has no urgent
    //= reason=data.
    //# The TCP implementation MUST (MUST-33) provide a way for the application to learn how much
    //# urgent data remains to be read from the connection, or at least to determine whether more
    //# urgent data remains to be read [19].
    let mut out = Outcome::new(t);
    let mut ack = false;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# For sequence number purposes, the SYN is considered to occur before the first actual data
    //# octet of the segment in which it occurs, while the FIN is considered to occur after the last
    //# actual data octet in a segment in which it occurs.
    let start = seg.seq.add(seg.syn() as u32);
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# Once in the ESTABLISHED state, it is possible to deliver segment data to user RECEIVE
    //# buffers.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# This should not occur since a FIN has been received from the remote side. Ignore the segment
    //# text.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# RECEIVEs are allowed in this state.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //# Since the two directions of a TCP connection are closed independently, it is possible for a
    //# connection to be "half closed", i.e., closed in only one direction,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //= type=exception
    //= reason=Not taken: the model closes full-duplex; text is still delivered in FIN-WAIT-1 and
    //= reason=FIN-WAIT-2.
    //# A host MAY implement a "half-duplex" TCP close sequence, so that an application that has
    //# called CLOSE cannot continue to read data from the connection (MAY-1).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //= type=exception
    //= reason=Applies to half-duplex closes (MAY-1), which the model does not implement: no data is
    //= reason=lost after CLOSE.
    //# If such a host issues a CLOSE call while received data is still pending in the TCP
    //# connection, or if new data is received after CLOSE is called, its TCP implementation SHOULD
    //# send a RST to show that data was lost (SHLD-3).
    let receives_text = matches!(
        t.state,
        State::Established | State::FinWait1 | State::FinWait2
    );
    // Seventh, process the segment text (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2; later states have
    // seen the peer's FIN and ignore text).
    if seg.len > 0 && receives_text {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# When the TCP endpoint takes responsibility for delivering the data to the user, it must
        //# also acknowledge the receipt of the data.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# A TCP implementation MAY send an ACK segment acknowledging RCV.NXT when a valid segment
        //# arrives that is in the window but not at the left window edge (MAY-13).
        ack = true;
        // §3.10.7.4 first step: what follows processes "the idealized segment that begins at
        // RCV.NXT and does not exceed the window": octets before RCV.NXT (a segment that
        // straddles old and new) and octets past the window are trimmed off.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If a segment's contents straddle the boundary between old and new, only the new parts
        //# are processed.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# In the following it is assumed that the segment is the idealized segment that begins at
        //# RCV.NXT and does not exceed the window.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //= type=exception
        //= reason=No reassembly queue: text beyond RCV.NXT is acknowledged (MAY-13) and dropped,
        //= reason=left for the peer to retransmit. Its ACK field has already been processed in the
        //= reason=fifth step.
        //# Segments with higher beginning sequence numbers SHOULD be held for later processing
        //# (SHLD-31).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //= type=exception
        //= reason=Nothing is held for SEG.SEQ order: a segment beyond RCV.NXT has its controls and
        //= reason=ACK processed on arrival, and its text and FIN dropped (SHLD-31).
        //# Segments are processed in sequence.
        let end = start.add(seg.len as u32);
        let fresh = end.since(t.rcv_nxt).min(profile.window);
        if start.le(t.rcv_nxt) && t.rcv_nxt.lt(end) && fresh > 0 {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Once the TCP endpoint takes responsibility for the data, it advances RCV.NXT over
            //# the data accepted,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //= type=exception
            //= reason=RCV.WND is fixed for the run (Reading::window): text is handed to the user at
            //= reason=once, nothing is buffered.
            //# and adjusts RCV.WND as appropriate to the current buffer availability.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //= type=implication
            //# The total of RCV.NXT and RCV.WND should not be reduced.
            t.rcv_nxt = t.rcv_nxt.add(fresh);
            t.delivered = t.delivered.saturating_add(fresh as u8);
            out.events.add(Event::Data);
        }
    }
    // Eighth, check the FIN bit: only a FIN at RCV.NXT (all text before it received).
    let fin_at = start.add(seg.len as u32);
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.3
    //# More complete discussion of delayed ACK behavior is in Section 4.2 of RFC 5681 [8],
    //# including recommendations to immediately acknowledge out-of-order segments, segments above a
    //# gap in sequence space,
    if seg.fin() && fin_at != t.rcv_nxt && receives_text {
        // A FIN beyond RCV.NXT is not processed yet; like out-of-order text it draws a
        // duplicate ACK (RFC 9293 §3.8.6.3, RFC 5681 §4.2).
        ack = true;
    }
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the FIN bit is set, signal the user "connection closing" and return any pending RECEIVEs
    //# with same message, advance RCV.NXT over the FIN, and send an acknowledgment for the FIN.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=implication
    //# Note that FIN implies PUSH for any segment text not yet delivered to the user.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# If an unsolicited FIN arrives from the network, the receiving TCP endpoint can ACK it and
    //# tell the user that the connection is closing.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# Note that a TCP endpoint receiving a FIN will ACK but not send its own FIN until its user
    //# has CLOSED the connection also.
    if seg.fin() && fin_at == t.rcv_nxt {
        ack = true;
        t.rcv_nxt = t.rcv_nxt.add(1);
        t.fin_rcvd = true;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# If the local TCP connection is closed by the remote side due to a FIN or RST
        //# received from the remote side, then the local application MUST be informed whether
        //# it closed normally or was aborted (MUST-12).
        out.events.add(Event::Closing);
        t.state = match t.state {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Enter the CLOSE-WAIT state.
            State::SynReceived | State::Established => State::CloseWait,
            // FIN-WAIT-1: TIME-WAIT if our FIN is acknowledged (perhaps by this segment),
            // otherwise CLOSING.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start
            //# the time-wait timer, turn off the other timers; otherwise, enter the CLOSING
            //# state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# A simultaneous CLOSE by users at both ends of a connection causes FIN segments
            //# to be exchanged (Figure 13).
            State::FinWait1 if t.fin_acked() => State::TimeWait,
            State::FinWait1 => State::Closing,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# When the other TCP peer has both acknowledged the FIN and sent a FIN of its own,
            //# the first TCP peer can ACK this FIN.
            State::FinWait2 => State::TimeWait,
            // CLOSE-WAIT, CLOSING, LAST-ACK remain; TIME-WAIT remains and restarts 2MSL.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the CLOSE-WAIT state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the CLOSING state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the LAST-ACK state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout.
            s => s,
        };
    }
    out.tcb = t;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# Send an acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# In general, the processing of received segments MUST be implemented to aggregate ACK
    //# segments whenever possible (MUST-58).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=SEND segmentizes at once, so there is never a queued segment to piggyback on: the
    //= reason=acknowledgment goes alone.
    //# This acknowledgment should be piggybacked on a segment being transmitted if possible without
    //# incurring undue delay.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.3
    //= type=exception
    //= reason=No delayed ACKs: every acknowledgment goes with the step that calls for it (the model
    //= reason=has no clock).
    //# A TCP endpoint SHOULD implement a delayed ACK (SHLD-18),
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.3
    //= type=implication
    //# but an ACK should not be excessively delayed; in particular, the delay MUST be less than 0.5
    //# seconds (MUST-40).
    if ack {
        out.send = Some(t.ack_now());
    }
    out
}
