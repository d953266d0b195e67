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
        let ack_ok = seg.flags.ack() && t.snd_una.lt(seg.ack) && seg.ack.le(t.snd_nxt);
        if seg.flags.ack() && !ack_ok {
            // `reset_for` sends nothing in reply to a RST.
            self.out.extend(reset_for(packet));
            return;
        }
        // Second, the RST bit: with an acceptable ACK, "connection reset" (reported as
        // refused: our SYN was answered by a reset); without an ACK, drop (RFC 5961 §3.2 and
        // RFC 9293 both).
        if seg.flags.rst() {
            if ack_ok {
                self.close_with(Event::Refused);
            }
            return;
        }
        // Fourth, the SYN bit.
        if !seg.flags.syn() {
            return;
        }
        self.tcb.rcv_nxt = seg.seq.wrapping_add(1);
        self.tcb.irs = seg.seq;
        if let Some(mss) = seg.mss {
            self.peer_mss = mss;
        }
        if ack_ok {
            self.ack_advances(now, seg.ack);
        }
        self.learn_window(seg);
        if self.tcb.snd_una.gt(self.tcb.iss) {
            // Our SYN is acknowledged: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
            self.enter_established();
            self.ack_due = true;
            // Text or FIN on the SYN,ACK: continue with the sixth step onwards.
            if !seg.payload.is_empty() || seg.flags.fin() {
                self.text_and_fin(now, seg);
            }
        } else {
            // Simultaneous open (Figure 7): SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
            self.state = State::SynReceived;
            self.send_syn(now, Some(self.tcb.rcv_nxt));
        }
    }

    /// SND.WND, SND.WL1, SND.WL2 from a segment (§3.10.7.3, and the window update rule).
    pub(in crate::conn) fn learn_window(&mut self, seg: &Segment) {
        self.tcb.snd_wnd = u32::from(seg.window);
        self.tcb.max_snd_wnd = self.tcb.max_snd_wnd.max(self.tcb.snd_wnd);
        self.tcb.snd_wl1 = seg.seq;
        self.tcb.snd_wl2 = seg.ack;
        if seg.flags.syn() {
            if let Some(mss) = seg.mss {
                self.peer_mss = mss;
            }
        }
    }

    /// The handshake is complete.
    pub(in crate::conn) fn enter_established(&mut self) {
        self.state = State::Established;
        self.tell(Event::Connected);
        if self.syn_timed_out {
            self.rto.after_syn_timeout();
        }
    }
}
