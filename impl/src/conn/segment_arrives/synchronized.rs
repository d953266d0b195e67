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
    ControlOnly,
    No,
}

impl Connection {
    pub(in crate::conn) fn synchronized(&mut self, now: Instant, packet: &Packet) {
        let seg = &packet.segment;
        if self.test_bug(now, packet) {
            return;
        }
        // First, check the sequence number.
        let acceptable = self.acceptable(seg);
        if acceptable == Acceptable::No {
            // An unacceptable segment draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> unless it is a
            // RST, and is dropped.
            if !seg.flags.rst() {
                self.ack_due = true;
                // TIME-WAIT: "the only thing that can arrive in this state is a retransmission
                // of the remote FIN. Acknowledge it, and restart the 2 MSL timeout." A
                // retransmitted FIN ends at RCV.NXT, which Table 6 rejects, so it is caught here.
                if self.state == State::TimeWait && seg.flags.fin() && seg.end() == self.tcb.rcv_nxt
                {
                    self.enter_time_wait(now);
                }
            }
            return;
        }
        // Second, check the RST bit.
        if seg.flags.rst() {
            self.rst_arrives(seg);
            return;
        }
        // (Third, security: not implemented.) Fourth, check the SYN bit, if the SYN is in
        // the window.
        if seg.flags.syn() && self.syn_step_applies(seg) {
            self.syn_arrives(packet);
            return;
        }
        // Fifth, check the ACK field.
        if !seg.flags.ack() || !self.ack_arrives(now, packet) {
            return;
        }
        // (Sixth, URG: urgent data is not implemented; the pointer is ignored.)
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
            self.rst_arrives(seg);
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
    fn rst_arrives(&mut self, seg: &Segment) {
        if self.cfg.profile == Profile::Rfc5961
            && seg.seq != self.tcb.rcv_nxt
            && !crate::config::test_bugs().accept_any_rst
        {
            self.ack_due = true;
            return;
        }
        match self.state {
            // From a passive OPEN: back to LISTEN; "the user need not be informed".
            State::SynReceived if self.passive => self.back_to_listen(),
            // From an active OPEN: "connection refused".
            State::SynReceived => self.close_with(Event::Refused),
            State::Established | State::FinWait1 | State::FinWait2 | State::CloseWait => {
                self.close_with(Event::Reset)
            }
            State::TimeWait if self.cfg.rfc1337 => {}
            // CLOSING, LAST-ACK, TIME-WAIT: enter CLOSED, delete the TCB.
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
    fn syn_step_applies(&self, seg: &Segment) -> bool {
        let left_of_window = seg.seq.lt(self.tcb.rcv_nxt);
        let passive_syn_received = self.state == State::SynReceived && self.passive;
        !left_of_window || (self.cfg.profile == Profile::Rfc5961 && !passive_syn_received)
    }

    /// Fourth step. SYN-RECEIVED from a passive OPEN returns to LISTEN. Otherwise RFC 5961
    /// §4.2: a challenge ACK whatever the sequence number; RFC 793: the (in-window) SYN is an
    /// error, send a reset, "connection reset", enter CLOSED.
    fn syn_arrives(&mut self, packet: &Packet) {
        if self.state == State::SynReceived && self.passive {
            self.back_to_listen();
            return;
        }
        match self.cfg.profile {
            Profile::Rfc5961 => self.ack_due = true,
            Profile::Rfc793 => {
                self.out.extend(reset_for(packet));
                self.close_with(Event::Reset);
            }
        }
    }

    /// Fifth step. Returns whether processing continues to the text and FIN steps.
    fn ack_arrives(&mut self, now: Instant, packet: &Packet) -> bool {
        let seg = &packet.segment;
        let t = self.tcb;
        // RFC 5961 §5.2, which RFC 9293 puts before the per-state rules: an ACK outside
        // SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT is discarded and an ACK sent back.
        if self.cfg.profile == Profile::Rfc5961
            && !(t.snd_una.wrapping_sub(t.max_snd_wnd).le(seg.ack) && seg.ack.le(t.snd_nxt))
        {
            self.ack_due = true;
            return false;
        }
        if self.state == State::SynReceived {
            // SND.UNA < SEG.ACK =< SND.NXT: ESTABLISHED, with SND.WND, SND.WL1, SND.WL2 from
            // this segment; otherwise <SEQ=SEG.ACK><CTL=RST>.
            if !(self.tcb.snd_una.lt(seg.ack) && seg.ack.le(self.tcb.snd_nxt)) {
                self.out.extend(reset_for(packet));
                return false;
            }
            self.learn_window(seg);
            self.enter_established();
            // A CLOSE queued in SYN-RECEIVED behind data is processed now (§3.10.4).
            if self.fin_queued {
                self.state = State::FinWait1;
            }
        }
        let t = self.tcb;
        // SEG.ACK > SND.NXT acknowledges something not yet sent: send an ACK, drop it.
        if seg.ack.gt(t.snd_nxt) {
            self.ack_due = true;
            return false;
        }
        if t.snd_una.lt(seg.ack) {
            self.ack_advances(now, seg.ack);
        }
        // Window update: SND.UNA =< SEG.ACK =< SND.NXT and (SND.WL1 < SEG.SEQ or
        // (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)).
        if t.snd_una.le(seg.ack)
            && (t.snd_wl1.lt(seg.seq) || (t.snd_wl1 == seg.seq && t.snd_wl2.le(seg.ack)))
        {
            self.learn_window(seg);
        }
        // A peer that keeps answering a zero-window probe is alive (MUST-37): the probes do
        // not use up the retransmission budget.
        if seg.window == 0 {
            self.retries = 0;
        }
        match self.state {
            // FIN-WAIT-1: once our FIN is acknowledged, FIN-WAIT-2, and continue.
            State::FinWait1 if self.fin_acked() => self.state = State::FinWait2,
            // CLOSING: if our FIN is acknowledged, TIME-WAIT; otherwise ignore the segment.
            State::Closing => {
                if !self.fin_acked() {
                    return false;
                }
                self.enter_time_wait(now);
            }
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
        let start = seg.seq.wrapping_add(u32::from(seg.flags.syn()));
        let receives_text = matches!(
            self.state,
            State::Established | State::FinWait1 | State::FinWait2
        );
        if !seg.payload.is_empty() && receives_text {
            self.ack_due = true;
            if start.le(self.tcb.rcv_nxt) {
                let skip = self.tcb.rcv_nxt.since(start) as usize;
                let fresh = seg.payload.get(skip..).unwrap_or(&[]);
                let take = fresh.len().min(self.tcb.rcv_wnd as usize);
                if take > 0 {
                    self.recv_buf.extend(&fresh[..take]);
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
        if fin_at != self.tcb.rcv_nxt {
            // A FIN beyond RCV.NXT waits for the text before it: duplicate ACK.
            self.ack_due |= receives_text;
            return;
        }
        self.tcb.rcv_nxt = self.tcb.rcv_nxt.wrapping_add(1);
        self.ack_due = true;
        self.fin_received = true;
        self.tell(Event::PeerClosed);
        match self.state {
            State::SynReceived | State::Established => self.state = State::CloseWait,
            // FIN-WAIT-1: TIME-WAIT if our FIN is acknowledged, else CLOSING.
            State::FinWait1 if self.fin_acked() => self.enter_time_wait(now),
            State::FinWait1 => self.state = State::Closing,
            State::FinWait2 => self.enter_time_wait(now),
            // CLOSE-WAIT, CLOSING, LAST-ACK remain; TIME-WAIT remains and restarts 2MSL.
            State::TimeWait => self.enter_time_wait(now),
            _ => {}
        }
    }

    /// TIME-WAIT: all other timers off, 2*MSL from now (§3.10.7.4; restarted by a
    /// retransmitted FIN).
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
