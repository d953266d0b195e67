//! SEGMENT ARRIVES in SYN-RECEIVED and the synchronized states (RFC 9293 §3.10.7.4): check
//! the sequence number, then RST, SYN, ACK, (URG), text and FIN, in that order. Its twin in the
//! model: `model/src/rules/segment_arrives/synchronized.rs` (the same step names).

use super::closed::reset_for;
use crate::config::Profile;
use crate::conn::Connection;
use crate::event::Event;
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::Instant;
use crate::wire::{Packet, Segment};

/// The outcome of the acceptability test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Acceptable {
    Yes,
    /// RCV.WND is zero and the segment starts at RCV.NXT: "special allowance should be made to
    /// accept valid ACKs, URGs, and RSTs" (§3.10.7.4), but not its text.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made
    //# to accept valid ACKs, URGs, and RSTs.
    ControlOnly,
    No,
}

impl Connection {
    pub(in crate::conn) fn synchronized(&mut self, now: Instant, packet: &Packet) {
        let seg = &packet.segment;
        if self.test_bug(now, packet) {
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# Segments are processed in sequence. Initial tests on arrival are used to discard old
        //# duplicates, but further processing is done in SEG.SEQ order.
        // First, check the sequence number.
        let acceptable = self.acceptable(seg);
        if acceptable == Acceptable::No {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If an incoming segment is not acceptable, an acknowledgment should be sent in reply
            //# (unless the RST bit is set, if so drop the segment and return):
            //# <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# After sending the acknowledgment, drop the unacceptable segment and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If the RST bit is set and the sequence number is outside the current receive window,
            //# silently drop the segment.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
            //# If the connection is in a synchronized state (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2,
            //# CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT), any unacceptable segment (out-of-window
            //# sequence number or unacceptable acknowledgment number) must be responded to with an
            //# empty acknowledgment segment (without any user data) containing the current send
            //# sequence number and an acknowledgment indicating the next sequence number expected
            //# to be received, and the connection remains in the same state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
            //# When the receiving TCP peer has a zero window and a segment arrives, it must still
            //# send an acknowledgment showing its next expected sequence number and current window
            //# (zero).
            // An unacceptable segment draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> unless it is a
            // RST, and is dropped.
            if !seg.flags.rst() {
                self.ack_due = true;
                // TIME-WAIT: "the only thing that can arrive in this state is a retransmission
                // of the remote FIN. Acknowledge it, and restart the 2 MSL timeout." A
                // retransmitted FIN ends at RCV.NXT, which Table 6 rejects, so it is caught here.
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
                //# The only thing that can arrive in this state is a retransmission of the remote
                //# FIN. Acknowledge it, and restart the 2 MSL timeout.
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
                //= type=exception
                //= reason=the Timestamp Option (RFC 6191) is not implemented
                //# Note that for the TIME-WAIT state, there is an improved algorithm described in
                //# [40] for handling incoming SYN segments that utilizes timestamps rather than
                //# relying on the sequence number check described here.
                if self.state == State::TimeWait && seg.flags.fin() && seg.end() == self.tcb.rcv_nxt
                {
                    self.enter_time_wait(now);
                }
            }
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
        //# In all states except SYN-SENT, all reset (RST) segments are validated by checking their
        //# SEQ fields. A reset is valid if its sequence number is in the window.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
        //# TCP implementations SHOULD allow a received RST segment to include data (SHLD-2).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
        //# A TCP receiver MUST process the RST and URG fields of all incoming segments, even when
        //# the receive window is zero (MUST-66).
        // Second, check the RST bit.
        if seg.flags.rst() {
            self.rst_arrives(now, seg);
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //= type=exception
        //= reason=security/compartment (Appendix A.1) is not implemented
        //# If the security/compartment in the segment does not exactly match the
        //# security/compartment in the TCB, then send a reset and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //= type=exception
        //= reason=security/compartment (Appendix A.1) is not implemented
        //# If the security/compartment in the segment does not exactly match the
        //# security/compartment in the TCB, then send a reset; any outstanding RECEIVEs and SEND
        //# should receive "reset" responses.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
        //= type=exception
        //= reason=security/compartment (Appendix A.1) is not implemented
        //# If an incoming segment has a security level or compartment that does not exactly match
        //# the level and compartment requested for the connection, a reset is sent and the
        //# connection goes to the CLOSED state.
        // (Third, security: not implemented.) Fourth, check the SYN bit, if the SYN is in
        // the window.
        if seg.flags.syn() && self.syn_step_applies(seg) {
            self.syn_arrives(now, packet);
            return;
        }
        // Fifth, check the ACK field.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# if the ACK bit is off, drop the segment and return
        if !seg.flags.ack() || !self.ack_arrives(now, packet) {
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //= type=exception
        //= reason=urgent data is not implemented: URG and the urgent pointer are ignored
        //# If the URG bit is set, RCV.UP <- max(RCV.UP,SEG.UP), and signal the user that the remote
        //# side has urgent data if the urgent pointer (RCV.UP) is in advance of the data consumed.
        // (Sixth, URG: urgent data is not implemented; the pointer is ignored.)
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the RCV.WND is zero, no segments will be acceptable, but special allowance should be
        //# made to accept valid ACKs, URGs, and RSTs.
        if acceptable == Acceptable::ControlOnly {
            self.ack_due |= seg.seq_len() > 0;
            return;
        }
        // Seventh and eighth: text, then FIN.
        self.text_and_fin(now, seg);
    }

    /// The deliberate bugs of `config::TestBugs` (test-only, all off by default). Returns
    /// whether one handled the segment.
    fn test_bug(&mut self, now: Instant, packet: &Packet) -> bool {
        let (bugs, seg) = (crate::config::test_bugs(), &packet.segment);
        if bugs.accept_any_rst && seg.flags.rst() {
            // No window test; `rst_arrives` skips the RFC 5961 exact-match test too.
            self.rst_arrives(now, seg);
            return true;
        }
        let handshake_ack = seg.flags.ack() && !seg.flags.rst() && !seg.flags.syn();
        if bugs.unchecked_handshake_ack && self.state == State::SynReceived && handshake_ack {
            // Whatever SEG.SEQ and SEG.ACK say, our SYN counts as acknowledged.
            self.ack_advances(now, self.tcb.snd_nxt);
            self.learn_window(seg);
            self.enter_established();
            if self.fin_queued {
                self.state = State::FinWait1;
            }
            return true;
        }
        false
    }

    /// Table 6: whether any of the segment falls in the receive window.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# There are four cases for the acceptability test for an incoming segment:
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# A segment is judged to occupy a portion of valid receive sequence space if RCV.NXT =<
    //# SEG.SEQ < RCV.NXT+RCV.WND or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
    fn acceptable(&self, seg: &Segment) -> Acceptable {
        let (nxt, wnd, len) = (self.tcb.rcv_nxt, self.tcb.rcv_wnd, seg.seq_len());
        let ok = match (len, wnd) {
            (0, 0) => seg.seq == nxt,
            (0, _) => seg.seq.in_window(nxt, wnd),
            (_, 0) => false,
            _ => seg.seq.in_window(nxt, wnd) || seg.seq.wrapping_add(len - 1).in_window(nxt, wnd),
        };
        if ok {
            Acceptable::Yes
        } else if wnd == 0 && seg.seq == nxt {
            Acceptable::ControlOnly
        } else {
            Acceptable::No
        }
    }

    /// Second step. RFC 5961 §3.2: reset only if SEG.SEQ = RCV.NXT, else send a challenge ACK.
    /// RFC 793: any in-window RST resets. RFC 1337: TIME-WAIT ignores RST.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# For stacks implementing the protection described in RFC 5961, the three checks below apply;
    //# otherwise, processing for these states is indicated further below.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
    //# The receiver of a RST first validates it, then changes state.
    fn rst_arrives(&mut self, now: Instant, seg: &Segment) {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the RST bit is set and the sequence number does not exactly match the next expected
        //# sequence value, yet is within the current receive window, TCP endpoints MUST send an
        //# acknowledgment (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# After sending the challenge ACK, TCP endpoints MUST drop the unacceptable segment and
        //# stop processing the incoming packet further.
        if self.cfg.profile == Profile::Rfc5961
            && seg.seq != self.tcb.rcv_nxt
            && !crate::config::test_bugs().accept_any_rst
        {
            self.challenge_ack(now);
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the RST bit is set and the sequence number exactly matches the next expected sequence
        //# number (RCV.NXT), then TCP endpoints MUST reset the connection in the manner prescribed
        //# below according to the connection state.
        match self.state {
            // From a passive OPEN: back to LISTEN; "the user need not be informed".
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If this connection was initiated with a passive OPEN (i.e., came from the LISTEN
            //# state), then return this connection to LISTEN state and return. The user need not be
            //# informed.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
            //# If the receiver was in SYN-RECEIVED state and had previously been in the LISTEN
            //# state, then the receiver returns to the LISTEN state; otherwise, the receiver aborts
            //# the connection and goes to the CLOSED state.
            State::SynReceived if self.passive => self.back_to_listen(),
            // From an active OPEN: "connection refused".
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If this connection was initiated with an active OPEN (i.e., came from SYN-SENT
            //# state), then the connection was refused; signal the user "connection refused". In
            //# either case, the retransmission queue should be flushed. And in the active OPEN
            //# case, enter the CLOSED state and delete the TCB, and return.
            State::SynReceived => self.close_with(Event::Refused),
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If the RST bit is set, then any outstanding RECEIVEs and SEND should receive "reset"
            //# responses. All segment queues should be flushed. Users should also receive an
            //# unsolicited general "connection reset" signal. Enter the CLOSED state, delete the
            //# TCB, and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
            //# If the receiver was in any other state, it aborts the connection and advises the
            //# user and goes to the CLOSED state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# If the local TCP connection is closed by the remote side due to a FIN or RST
            //# received from the remote side, then the local application MUST be informed whether
            //# it closed normally or was aborted (MUST-12).
            State::Established | State::FinWait1 | State::FinWait2 | State::CloseWait => {
                self.close_with(Event::Reset)
            }
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //= type=exception
            //= reason=RFC 1337 (Config::rfc1337, on by default): TIME-WAIT ignores a RST
            //# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
            State::TimeWait if self.cfg.rfc1337 => {}
            // CLOSING, LAST-ACK, TIME-WAIT: enter CLOSED, delete the TCB.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
            _ => self.close_with(Event::Closed),
        }
    }

    /// Whether the fourth step sees the SYN. An acceptable segment whose SYN lies left of
    /// RCV.NXT (its text or FIN reaches into the window) has the SYN trimmed off: §3.10.7.4
    /// processes "the idealized segment that begins at RCV.NXT", trimming "any portions that
    /// lie outside the window (including SYN and FIN)"; RFC 793: "If the SYN is not in the
    /// window this step would not be reached". RFC 5961 §4.2 still answers any SYN in a
    /// synchronized state with a challenge ACK ("irrespective of the sequence number"); a
    /// passive SYN-RECEIVED does not go back to LISTEN for a trimmed SYN.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# In the following it is assumed that the segment is the idealized segment that begins at
    //# RCV.NXT and does not exceed the window. One could tailor actual segments to fit this
    //# assumption by trimming off any portions that lie outside the window (including SYN and FIN)
    //# and only processing further if the segment then begins at RCV.NXT.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# If the SYN is not in the window, this step would not be reached and an ACK would have been
    //# sent in the first step (sequence number check).
    fn syn_step_applies(&self, seg: &Segment) -> bool {
        let left_of_window = seg.seq.lt(self.tcb.rcv_nxt);
        let passive_syn_received = self.state == State::SynReceived && self.passive;
        !left_of_window || (self.cfg.profile == Profile::Rfc5961 && !passive_syn_received)
    }

    /// Fourth step. SYN-RECEIVED from a passive OPEN returns to LISTEN. Otherwise RFC 5961
    /// §4.2: a challenge ACK whatever the sequence number; RFC 793: the (in-window) SYN is an
    /// error, send a reset, "connection reset", enter CLOSED.
    fn syn_arrives(&mut self, now: Instant, packet: &Packet) {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the connection was initiated with a passive OPEN, then return this connection to the
        //# LISTEN state and return. Otherwise, handle per the directions for synchronized states
        //# below.
        if self.state == State::SynReceived && self.passive {
            self.back_to_listen();
            return;
        }
        match self.cfg.profile {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# RFC 5961 recommends that in these synchronized states, if the SYN bit is set,
            //# irrespective of the sequence number, TCP endpoints MUST send a "challenge ACK" to
            //# the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# After sending the acknowledgment, TCP implementations MUST drop the unacceptable
            //# segment and stop processing further.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //= type=exception
            //= reason=no Timestamp Option: a SYN in TIME-WAIT draws the challenge ACK as elsewhere
            //# For the TIME-WAIT state, new connections can be accepted if the Timestamp Option is
            //# used and meets expectations (per [40]).
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
            //= type=exception
            //= reason=a SYN never reopens TIME-WAIT: challenge ACK (RFC 793 profile: a reset)
            //# However, it MAY accept a new SYN from the remote TCP endpoint to reopen the
            //# connection directly from TIME-WAIT state (MAY-2)
            Profile::Rfc5961 => self.challenge_ack(now),
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# For implementations that do not follow RFC 5961, the original behavior described in
            //# RFC 793 follows in this paragraph. If the SYN is in the window it is an error: send
            //# a reset, any outstanding RECEIVEs and SEND should receive "reset" responses, all
            //# segment queues should be flushed, the user should also receive an unsolicited
            //# general "connection reset" signal, enter the CLOSED state, delete the TCB, and
            //# return.
            Profile::Rfc793 => {
                self.out.extend(reset_for(packet));
                self.close_with(Event::Reset);
            }
        }
    }

    /// A challenge ACK (RFC 5961 §3.2, §4.2, §5.2): owed, unless the limit of
    /// [`crate::Config::challenge_acks`] keeps it back (RFC 5961 §7).
    fn challenge_ack(&mut self, now: Instant) {
        if self.challenges.allows(now) {
            self.ack_due = true;
        } else {
            self.challenges_withheld += 1;
        }
    }

    /// Fifth step. Returns whether processing continues to the text and FIN steps.
    fn ack_arrives(&mut self, now: Instant, packet: &Packet) -> bool {
        let seg = &packet.segment;
        let t = self.tcb;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# RFC 5961 [9], Section 5 describes a potential blind data injection attack, and
        //# mitigation that implementations MAY choose to include (MAY-12). TCP stacks that
        //# implement RFC 5961 MUST add an input check that the ACK value is acceptable only if it
        //# is in the range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming
        //# segments whose ACK value doesn't satisfy the above condition MUST be discarded and an
        //# ACK sent back.
        // RFC 5961 §5.2, which RFC 9293 puts before the per-state rules: an ACK outside
        // SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT is discarded and an ACK sent back.
        if self.cfg.profile == Profile::Rfc5961
            && !(t.snd_una.wrapping_sub(t.max_snd_wnd).le(seg.ack) && seg.ack.le(t.snd_nxt))
        {
            self.challenge_ack(now);
            return false;
        }
        if self.state == State::SynReceived {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue
            //# processing with the variables below set to: SND.WND <- SEG.WND SND.WL1 <- SEG.SEQ
            //# SND.WL2 <- SEG.ACK
            // SND.UNA < SEG.ACK =< SND.NXT: ESTABLISHED, with SND.WND, SND.WL1, SND.WL2 from
            // this segment; otherwise <SEQ=SEG.ACK><CTL=RST>.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If the segment acknowledgment is not acceptable, form a reset segment
            //# <SEQ=SEG.ACK><CTL=RST>
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# and send it.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
            //# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED),
            //# and the incoming segment acknowledges something not yet sent (the segment carries an
            //# unacceptable ACK)
            if !(self.tcb.snd_una.lt(seg.ack) && seg.ack.le(self.tcb.snd_nxt)) {
                self.out.extend(reset_for(packet));
                return false;
            }
            self.learn_window(seg);
            self.enter_established();
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# otherwise, queue for processing after entering ESTABLISHED state.
            // A CLOSE queued in SYN-RECEIVED behind data is processed now (§3.10.4).
            if self.fin_queued {
                self.state = State::FinWait1;
            }
        }
        let t = self.tcb;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
        //# segment, and return.
        // SEG.ACK > SND.NXT acknowledges something not yet sent: send an ACK, drop it.
        if seg.ack.gt(t.snd_nxt) {
            self.ack_due = true;
            return false;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any segments on the
        //# retransmission queue that are thereby entirely acknowledged are removed.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
        //# A new acknowledgment (called an "acceptable ack") is one for which the inequality below
        //# holds: SND.UNA < SEG.ACK =< SND.NXT
        if t.snd_una.lt(seg.ack) {
            self.ack_advances(now, seg.ack);
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated. If (SND.WL1 <
        //# SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, set
        //# SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK.
        // Window update: SND.UNA =< SEG.ACK =< SND.NXT and (SND.WL1 < SEG.SEQ or
        // (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)).
        if t.snd_una.le(seg.ack)
            && (t.snd_wl1.lt(seg.seq) || (t.snd_wl1 == seg.seq && t.snd_wl2.le(seg.ack)))
        {
            self.learn_window(seg);
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
        //# As long as the receiving TCP peer continues to send acknowledgments in response to the
        //# probe segments, the sending TCP peer MUST allow the connection to stay open (MUST-37).
        // A peer that keeps answering a zero-window probe is alive (MUST-37): the probes do
        // not use up the retransmission budget.
        if seg.window == 0 {
            self.retries = 0;
        }
        match self.state {
            // FIN-WAIT-1: once our FIN is acknowledged, FIN-WAIT-2, and continue.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# In addition to the processing for the ESTABLISHED state, if the FIN segment is now
            //# acknowledged, then enter FIN-WAIT-2 and continue processing in that state.
            State::FinWait1 if self.fin_acked() => self.state = State::FinWait2,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# In addition to the processing for the ESTABLISHED state, if the ACK acknowledges our
            //# FIN, then enter the TIME-WAIT state; otherwise, ignore the segment.
            // CLOSING: if our FIN is acknowledged, TIME-WAIT; otherwise ignore the segment.
            State::Closing => {
                if !self.fin_acked() {
                    return false;
                }
                self.enter_time_wait(now);
            }
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# The only thing that can arrive in this state is an acknowledgment of our FIN. If our
            //# FIN is now acknowledged, delete the TCB, enter the CLOSED state, and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# The TCP endpoint then waits until its own FIN is acknowledged whereupon it deletes
            //# the connection.
            // LAST-ACK: the only thing that can arrive is the ACK of our FIN: then CLOSED.
            State::LastAck => {
                if self.fin_acked() {
                    self.close_with(Event::Closed);
                }
                return false;
            }
            _ => {}
        }
        true
    }

    /// SND.UNA moves up to `ack`: drop acknowledged octets, sample the RTT, and restart or
    /// stop the retransmission timer (RFC 6298 (5.2), (5.3)).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# A segment on the retransmission queue is fully acknowledged if the sum of its sequence
    //# number and length is less than or equal to the acknowledgment value in the incoming segment.
    pub(in crate::conn) fn ack_advances(&mut self, now: Instant, ack: SeqNum) {
        let old = self.tcb.snd_una;
        let mut units = ack.since(old) as usize;
        if old == self.tcb.iss {
            units -= 1; // our SYN
        }
        if self.fin_seq.is_some_and(|f| f.lt(ack) && f.ge(old)) {
            units = units.saturating_sub(1); // our FIN
        }
        let n = units.min(self.send_buf.len());
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8
        //# When the data sender receives an acknowledgment, it advances SND.UNA.
        self.send_buf.drain(..n);
        self.tcb.snd_una = ack;
        self.rto.on_ack(ack, now, &self.cfg);
        self.retries = 0;
        self.rtx_deadline = (ack != self.tcb.snd_nxt).then(|| now + self.rto.current());
    }

    /// Seventh, the text: in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2, octets from RCV.NXT
    /// go to the receive buffer (out-of-order text is not held: it is dropped and draws a
    /// duplicate ACK); later states have seen the peer's FIN and ignore text. Eighth, the FIN:
    /// processed only when everything before it has been received.
    pub(in crate::conn) fn text_and_fin(&mut self, now: Instant, seg: &Segment) {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
        //# For sequence number purposes, the SYN is considered to occur before the first actual
        //# data octet of the segment in which it occurs, while the FIN is considered to occur after
        //# the last actual data octet in a segment in which it occurs.
        let start = seg.seq.wrapping_add(u32::from(seg.flags.syn()));
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# Once in the ESTABLISHED state, it is possible to deliver segment data to user RECEIVE
        //# buffers. Data from segments can be moved into buffers until either the buffer is full or
        //# the segment is empty.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# This should not occur since a FIN has been received from the remote side. Ignore the
        //# segment text.
        let receives_text = matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        );
        if !seg.payload.is_empty() && receives_text {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# When the TCP endpoint takes responsibility for delivering the data to the user, it
            //# must also acknowledge the receipt of the data.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Send an acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# A TCP implementation MAY send an ACK segment acknowledging RCV.NXT when a valid
            //# segment arrives that is in the window but not at the left window edge (MAY-13).
            self.ack_due = true;
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //= type=exception
            //= reason=out-of-order text is not held: it is dropped and draws a duplicate ACK
            //# Segments with higher beginning sequence numbers SHOULD be held for later processing
            //# (SHLD-31).
            if start.le(self.tcb.rcv_nxt) {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
                //# If a segment's contents straddle the boundary between old and new, only the new
                //# parts are processed.
                let skip = self.tcb.rcv_nxt.since(start) as usize;
                let fresh = seg.payload.get(skip..).unwrap_or(&[]);
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
                //# One could tailor actual segments to fit this assumption by trimming off any
                //# portions that lie outside the window (including SYN and FIN)
                let take = fresh.len().min(self.tcb.rcv_wnd as usize);
                if take > 0 {
                    self.recv_buf.extend(&fresh[..take]);
                    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
                    //# Once the TCP endpoint takes responsibility for the data, it advances RCV.NXT
                    //# over the data accepted, and adjusts RCV.WND as appropriate to the current
                    //# buffer availability. The total of RCV.NXT and RCV.WND should not be reduced.
                    self.tcb.rcv_nxt = self.tcb.rcv_nxt.wrapping_add(take as u32);
                    self.update_rcv_wnd();
                    self.tell(Event::Readable);
                }
            }
        }
        if !seg.flags.fin() {
            return;
        }
        let fin_at = start.wrapping_add(seg.payload.len() as u32);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# and only processing further if the segment then begins at RCV.NXT.
        if fin_at != self.tcb.rcv_nxt {
            // A FIN beyond RCV.NXT waits for the text before it: duplicate ACK.
            self.ack_due |= receives_text;
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# If the FIN bit is set, signal the user "connection closing" and return any pending
        //# RECEIVEs with same message, advance RCV.NXT over the FIN, and send an acknowledgment for
        //# the FIN.
        self.tcb.rcv_nxt = self.tcb.rcv_nxt.wrapping_add(1);
        self.ack_due = true;
        self.fin_received = true;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# The TCP implementation will signal a user, even if no RECEIVEs are outstanding, that the
        //# remote peer has closed, so the user can terminate their side gracefully.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# If an unsolicited FIN arrives from the network, the receiving TCP endpoint can ACK it
        //# and tell the user that the connection is closing.
        self.tell(Event::PeerClosed);
        match self.state {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Enter the CLOSE-WAIT state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# Note that a TCP endpoint receiving a FIN will ACK but not send its own FIN until its
            //# user has CLOSED the connection also.
            State::SynReceived | State::Established => self.state = State::CloseWait,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start the
            //# time-wait timer, turn off the other timers; otherwise, enter the CLOSING state.
            // FIN-WAIT-1: TIME-WAIT if our FIN is acknowledged, else CLOSING.
            State::FinWait1 if self.fin_acked() => self.enter_time_wait(now),
            State::FinWait1 => self.state = State::Closing,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers.
            State::FinWait2 => self.enter_time_wait(now),
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the CLOSE-WAIT state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the CLOSING state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the LAST-ACK state.
            // CLOSE-WAIT, CLOSING, LAST-ACK remain; TIME-WAIT remains and restarts 2MSL.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout.
            State::TimeWait => self.enter_time_wait(now),
            _ => {}
        }
    }

    /// TIME-WAIT: all other timers off, 2*MSL from now (§3.10.7.4; restarted by a
    /// retransmitted FIN).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
    //# (Maximum Segment Lifetime) (MUST-13).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //= type=exception
    //= reason=the Timestamp Option is not implemented, so TIME-WAIT is never shortened
    //# This algorithm for reducing TIME-WAIT is a Best Current Practice that SHOULD be implemented
    //# since Timestamp Options are commonly used, and using them to reduce TIME-WAIT provides
    //# benefits for busy Internet servers (SHLD-4).
    pub(in crate::conn) fn enter_time_wait(&mut self, now: Instant) {
        self.state = State::TimeWait;
        self.rtx_deadline = None;
        self.time_wait_deadline = Some(now + self.cfg.msl * 2);
    }

    /// A passively opened connection in SYN-RECEIVED returns to LISTEN (§3.10.7.4). If the
    /// user has already called CLOSE (queued behind data, §3.10.4), listening again would
    /// lose that CLOSE: the connection enters CLOSED instead.
    fn back_to_listen(&mut self) {
        if self.fin_queued {
            self.close_with(Event::Closed);
            return;
        }
        let listen_remote = self.listen_remote;
        self.reset_tcb();
        self.state = State::Listen;
        self.passive = true;
        self.remote = listen_remote;
    }
}
