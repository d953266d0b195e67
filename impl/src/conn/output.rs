//! Forming outgoing segments: SYN and SYN,ACK, data and FIN from the send buffer, pure ACKs.

use super::Connection;
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::Instant;
use crate::wire::{Flags, Packet, Segment};

impl Connection {
    /// Queues `seg` for the peer, stamping the receive window on everything but a RST.
    pub(super) fn push(&mut self, mut seg: Segment) {
        let Some(remote) = self.remote else {
            return;
        };
        if !seg.flags.rst() {
            seg.window = self.tcb.rcv_wnd.min(u32::from(u16::MAX)) as u16;
        }
        self.out.push_back(Packet {
            src: self.local,
            dst: remote,
            segment: seg,
        });
    }

    /// `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
    pub(super) fn ack_segment(&self) -> Segment {
        Segment {
            seq: self.tcb.snd_nxt,
            ack: self.tcb.rcv_nxt,
            flags: Flags::ACK,
            ..Segment::default()
        }
    }

    /// `<SEQ=ISS><CTL=SYN>` or, with `ack`, `<SEQ=ISS><ACK=ack><CTL=SYN,ACK>`, carrying our
    /// MSS (RFC 9293 §3.7.1); starts the retransmission timer.
    pub(super) fn send_syn(&mut self, now: Instant, ack: Option<SeqNum>) {
        let seg = self.syn_segment(ack);
        self.push(seg);
        self.rto.on_send(self.tcb.iss.wrapping_add(1), now);
        self.arm_rtx(now);
    }

    pub(super) fn syn_segment(&self, ack: Option<SeqNum>) -> Segment {
        Segment {
            seq: self.tcb.iss,
            ack: ack.unwrap_or_default(),
            flags: if ack.is_some() {
                Flags::SYN | Flags::ACK
            } else {
                Flags::SYN
            },
            mss: Some(self.cfg.mss),
            ..Segment::default()
        }
    }

    /// RFC 6298 (5.1): start the timer when a segment goes out and it is not running.
    pub(super) fn arm_rtx(&mut self, now: Instant) {
        if self.rtx_deadline.is_none() {
            self.rtx_deadline = Some(now + self.rto.current());
        }
    }

    /// The sequence number of the first octet of the send buffer.
    pub(super) fn buf_seq(&self) -> SeqNum {
        if self.tcb.snd_una == self.tcb.iss {
            self.tcb.iss.wrapping_add(1)
        } else {
            self.tcb.snd_una
        }
    }

    /// Octets of the send buffer already sent (so between SND.UNA and SND.NXT).
    pub(super) fn sent_octets(&self) -> usize {
        if self.fin_seq.is_some() {
            return self.send_buf.len();
        }
        (self.tcb.snd_nxt.since(self.buf_seq()) as usize).min(self.send_buf.len())
    }

    /// The most text one segment may carry (RFC 9293 §3.7.1, Eff.snd.MSS): the peer's MSS,
    /// but no more than fits in an IPv4 datagram (MMS_S = 65535 - 20 octets of IP header)
    /// behind our 20-octet TCP header; an MSS of 65535 would make segments that cannot be
    /// encoded. At least one octet.
    fn eff_snd_mss(&self) -> usize {
        const MMS_S: u16 = 65535 - 20;
        const TCP_HEADER: u16 = 20;
        usize::from(self.peer_mss.clamp(1, MMS_S - TCP_HEADER))
    }

    /// States in which data and the FIN may go out (the FIN only once CLOSE was called).
    fn may_send(&self) -> bool {
        matches!(
            self.state,
            State::Established
                | State::CloseWait
                | State::FinWait1
                | State::Closing
                | State::LastAck
        )
    }

    /// Sends what the window allows of the send buffer, then the FIN when CLOSE was called and
    /// the buffer is all sent, then a pure ACK if one is still owed.
    pub(super) fn flush(&mut self, now: Instant) {
        if self.may_send() && self.fin_seq.is_none() {
            while self.send_segment(now, false) {}
            if self.fin_queued
                && self.fin_seq.is_none()
                && self.sent_octets() == self.send_buf.len()
            {
                let seg = Segment {
                    flags: Flags::FIN | Flags::ACK,
                    ..self.ack_segment()
                };
                self.fin_seq = Some(self.tcb.snd_nxt);
                self.tcb.snd_nxt = self.tcb.snd_nxt.wrapping_add(1);
                self.sent_new(now, seg);
            }
        }
        if self.ack_due {
            let ack = self.ack_segment();
            self.push(ack);
            self.ack_due = false;
        }
        // Zero window with data waiting and nothing in flight: the timer becomes the persist
        // timer; its expiry sends a probe (RFC 9293 §3.8.6.1, MUST-36).
        if self.may_send() && self.sent_octets() < self.send_buf.len() {
            self.arm_rtx(now);
        }
    }

    /// Sends one new data segment (a FIN rides on the last one after CLOSE). `probe` sends one
    /// octet even into a closed window. Returns whether a segment went out.
    pub(super) fn send_segment(&mut self, now: Instant, probe: bool) -> bool {
        let sent = self.sent_octets();
        let unsent = self.send_buf.len() - sent;
        if unsent == 0 {
            return false;
        }
        let wnd_end = self.tcb.snd_una.wrapping_add(self.tcb.snd_wnd);
        let usable = if self.tcb.snd_nxt.lt(wnd_end) {
            wnd_end.since(self.tcb.snd_nxt) as usize
        } else {
            0
        };
        let usable = if probe { usable.max(1) } else { usable };
        let n = unsent.min(usable).min(self.eff_snd_mss());
        if n == 0 {
            return false;
        }
        let last = n == unsent;
        let fin = last && self.fin_queued;
        let mut flags = Flags::ACK;
        if last {
            flags |= Flags::PSH;
        }
        if fin {
            flags |= Flags::FIN;
        }
        let seg = Segment {
            flags,
            payload: self.send_buf.range(sent..sent + n).copied().collect(),
            ..self.ack_segment()
        };
        if fin {
            self.fin_seq = Some(self.tcb.snd_nxt.wrapping_add(n as u32));
        }
        self.tcb.snd_nxt = self.tcb.snd_nxt.wrapping_add(n as u32 + u32::from(fin));
        self.sent_new(now, seg);
        true
    }

    /// Book-keeping for a segment carrying new sequence space.
    fn sent_new(&mut self, now: Instant, seg: Segment) {
        self.push(seg);
        self.ack_due = false;
        self.rto.on_send(self.tcb.snd_nxt, now);
        self.arm_rtx(now);
    }

    /// The earliest unacknowledged segment, formed again for retransmission: the SYN (or
    /// SYN,ACK) while it is unacknowledged, else up to one MSS from SND.UNA, with the FIN if
    /// the whole rest fits.
    pub(super) fn retransmission(&self) -> Segment {
        if self.tcb.snd_una == self.tcb.iss {
            let ack = (self.state != State::SynSent).then_some(self.tcb.rcv_nxt);
            return self.syn_segment(ack);
        }
        let sent = self.sent_octets();
        let n = sent.min(self.eff_snd_mss());
        let fin = self.fin_seq.is_some() && n == sent;
        let mut flags = Flags::ACK;
        if fin {
            flags |= Flags::FIN;
        }
        Segment {
            seq: self.tcb.snd_una,
            flags,
            payload: self.send_buf.range(..n).copied().collect(),
            ..self.ack_segment()
        }
    }
}
