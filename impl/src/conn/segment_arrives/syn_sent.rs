//! SEGMENT ARRIVES in SYN-SENT (RFC 9293 §3.10.7.3). Its twin in the model:
//! `model/src/rules/segment_arrives/syn_sent.rs`.

use super::closed::reset_for;
use crate::conn::Connection;
use crate::event::Event;
use crate::state::State;
use crate::time::Instant;
use crate::wire::{Packet, Segment};

impl Connection {
    /// SYN-SENT: check the ACK, then RST, then SYN (§3.10.7.3).
    pub(in crate::conn) fn syn_sent(&mut self, now: Instant, packet: &Packet) {
        let seg = &packet.segment;
        let t = self.tcb;
        // First, the ACK bit: SEG.ACK =< ISS or SEG.ACK > SND.NXT is unacceptable; answer with
        // <SEQ=SEG.ACK><CTL=RST> unless this is a RST, and drop.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# If SND.UNA < SEG.ACK =< SND.NXT, then the ACK is acceptable.
        let ack_ok = seg.flags.ack() && t.snd_una.lt(seg.ack) && seg.ack.le(t.snd_nxt);
        if seg.flags.ack() && !ack_ok {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //# If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if
            //# so drop the segment and return) <SEQ=SEG.ACK><CTL=RST>
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //# and discard the segment. Return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
            //# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED),
            //# and the incoming segment acknowledges something not yet sent (the segment carries an
            //# unacceptable ACK)
            // `reset_for` sends nothing in reply to a RST.
            self.out.extend(reset_for(packet));
            return;
        }
        // Second, the RST bit: with an acceptable ACK, "connection reset" (reported as
        // refused: our SYN was answered by a reset); without an ACK, drop (RFC 5961 §3.2 and
        // RFC 9293 both).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //= type=exception
        //= reason=RCV.NXT is unknown in SYN-SENT; RFC 5961 3.2 validates the RST by its ACK
        //# A TCP implementation that supports the mitigation described in RFC 5961 SHOULD first
        //# check that the sequence number exactly matches RCV.NXT prior to executing the action in
        //# the next paragraph.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
        //# In the SYN-SENT state (a RST received in response to an initial SYN), the RST is
        //# acceptable if the ACK field acknowledges the SYN.
        if seg.flags.rst() {
            if ack_ok {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
                //= type=exception
                //= reason=the signal is Event::Refused (a RST answering our SYN), not Event::Reset
                //# If the ACK was acceptable, then signal to the user "error: connection reset"
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
                //# drop the segment, enter CLOSED state, delete TCB, and return. Otherwise (no
                //# ACK), drop the segment and return.
                self.close_with(Event::Refused);
            }
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //= type=exception
        //= reason=security/compartment (Appendix A.1) is not implemented
        //# If the security/compartment in the segment does not exactly match the
        //# security/compartment in the TCB, send a reset:
        // Fourth, the SYN bit.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# if neither of the SYN or RST bits is set, then drop the segment and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# Do not process the FIN if the state is CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ
        //# cannot be validated; drop the segment and return.
        if !seg.flags.syn() {
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# If the SYN bit is on and the security/compartment is acceptable, then RCV.NXT is set to
        //# SEG.SEQ+1, IRS is set to SEG.SEQ.
        self.tcb.rcv_nxt = seg.seq.wrapping_add(1);
        self.tcb.irs = seg.seq;
        if let Some(mss) = seg.mss {
            self.peer_mss = mss;
        }
        if ack_ok {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //# SND.UNA should be advanced to equal SEG.ACK (if there is an ACK), and any segments
            //# on the retransmission queue that are thereby acknowledged should be removed.
            self.ack_advances(now, seg.ack);
        }
        self.learn_window(seg);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# If SND.UNA > ISS (our SYN has been ACKed), change the connection state to ESTABLISHED,
        //# form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
        if self.tcb.snd_una.gt(self.tcb.iss) {
            // Our SYN is acknowledged: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
            self.enter_established();
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //# and send it. Data or controls that were queued for transmission MAY be included.
            self.ack_due = true;
            // Text or FIN on the SYN,ACK: continue with the sixth step onwards.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //# If there are other controls or text in the segment, then continue processing at the
            //# sixth step under Section 3.10.7.4 where the URG bit is checked; otherwise, return.
            if !seg.payload.is_empty() || seg.flags.fin() {
                self.text_and_fin(now, seg);
            }
        } else {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
            //# A TCP implementation MUST support simultaneous open attempts (MUST-10).
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //# Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
            //# <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //= type=exception
            //= reason=text or FIN on a bare SYN is not queued; the peer sends it again
            //# If there are other controls or text in the segment, queue them for processing after
            //# the ESTABLISHED state has been reached, return.
            // Simultaneous open (Figure 7): SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            self.state = State::SynReceived;
            self.send_syn(now, Some(self.tcb.rcv_nxt));
        }
    }

    /// SND.WND, SND.WL1, SND.WL2 from a segment (§3.10.7.3, and the window update rule).
    pub(in crate::conn) fn learn_window(&mut self, seg: &Segment) {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# and send it. Set the variables: SND.WND <- SEG.WND SND.WL1 <- SEG.SEQ SND.WL2 <- SEG.ACK
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# The window size MUST be treated as an unsigned number, or else large window sizes will
        //# appear like negative windows and TCP will not work (MUST-1). It is RECOMMENDED that
        //# implementations will reserve 32-bit fields for the send and receive window sizes in the
        //# connection record and do all window computations with 32 bits (REC-1).
        self.tcb.snd_wnd = u32::from(seg.window);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# The new state variable MAX.SND.WND is defined as the largest window that the local
        //# sender has ever received from its peer (subject to window scaling) or may be hard-coded
        //# to a maximum permissible window value.
        self.tcb.max_snd_wnd = self.tcb.max_snd_wnd.max(self.tcb.snd_wnd);
        self.tcb.snd_wl1 = seg.seq;
        self.tcb.snd_wl2 = seg.ack;
        if seg.flags.syn() {
            if let Some(mss) = seg.mss {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
                //# TCP endpoints MUST implement both sending and receiving the MSS Option
                //# (MUST-14).
                self.peer_mss = mss;
            }
        }
    }

    /// The handshake is complete.
    pub(in crate::conn) fn enter_established(&mut self) {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# The synchronization requires each side to send its own initial sequence number and to
        //# receive a confirmation of it in acknowledgment from the remote TCP peer. Each side must
        //# also receive the remote peer's initial sequence number and send a confirming
        //# acknowledgment.
        self.state = State::Established;
        self.tell(Event::Connected);
        if self.syn_timed_out {
            self.rto.after_syn_timeout();
        }
    }
}
