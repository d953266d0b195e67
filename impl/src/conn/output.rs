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
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
        //# The window sent in each segment indicates the range of sequence numbers the sender of
        //# the window (the data receiver) is currently prepared to accept.
        if !seg.flags.rst() {
            seg.window = self.tcb.rcv_wnd.min(u32::from(u16::MAX)) as u16;
        }
        self.out.push_back(Packet {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
            //# At all other times, a previous segment has either been sent or received on this
            //# connection, and TCP implementations MUST use the same local address that was used in
            //# those previous segments (MUST-45).
            src: self.local,
            dst: remote,
            segment: seg,
        });
    }

    /// `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# Send an acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
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

    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
    //# TCP endpoints MUST implement both sending and receiving the MSS Option (MUST-14).
    pub(super) fn syn_segment(&self, ack: Option<SeqNum>) -> Segment {
        Segment {
            seq: self.tcb.iss,
            ack: ack.unwrap_or_default(),
            flags: if ack.is_some() {
                Flags::SYN | Flags::ACK
            } else {
                Flags::SYN
            },
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
            //# TCP implementations SHOULD send an MSS Option in every SYN segment when its receive
            //# MSS differs from the default 536 for IPv4 or 1220 for IPv6 (SHLD-5), and MAY send it
            //# always (MAY-3).
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.2
            //# This field may be sent in the initial connection request (i.e., in segments with the
            //# SYN control bit set) and MUST NOT be sent in other segments (MUST-65).
            mss: Some(self.cfg.mss),
            ..Segment::default()
        }
    }

    /// RFC 6298 (5.1): start the timer when a segment goes out and it is not running.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
    //# the retransmission timeout (RTO) must be dynamically determined.
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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
    //# The maximum size of a segment that a TCP endpoint really sends, the "effective send MSS",
    //# MUST be the smaller (MUST-16) of the send MSS (that reflects the available reassembly buffer
    //# size at the remote host, the EMTU_R [19]) and the largest transmission size permitted by the
    //# IP layer (EMTU_S [19]):
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
    //# Eff.snd.MSS = min(SendMSS+20, MMS_S) - TCPhdrsize - IPoptionsize
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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.4
    //= type=exception
    //= reason=no Nagle algorithm (so it is never on): a SEND goes out as far as the window allows
    //# A TCP implementation SHOULD implement the Nagle algorithm to coalesce short segments
    //# (SHLD-7). However, there MUST be a way for an application to disable the Nagle algorithm on
    //# an individual connection (MUST-17).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.3
    //= type=exception
    //= reason=no delayed ACK: an owed ACK goes out at once, with the data if there is any
    //# A TCP endpoint SHOULD implement a delayed ACK (SHLD-18), but an ACK should not be
    //# excessively delayed; in particular, the delay MUST be less than 0.5 seconds (MUST-40).
    pub(super) fn flush(&mut self, now: Instant) {
        if self.may_send() && self.fin_seq.is_none() {
            while self.send_segment(now, false) {}
            if self.fin_queued
                && self.fin_seq.is_none()
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
                //# Queue this until all preceding SENDs have been segmentized, then form a FIN
                //# segment and send it.
                && self.sent_octets() == self.send_buf.len()
            {
                let seg = Segment {
                    flags: Flags::FIN | Flags::ACK,
                    ..self.ack_segment()
                };
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
                //# The SYN and FIN are the only controls requiring this protection, and these
                //# controls are used only at connection opening and closing.
                self.fin_seq = Some(self.tcb.snd_nxt);
                self.tcb.snd_nxt = self.tcb.snd_nxt.wrapping_add(1);
                self.sent_new(now, seg);
            }
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# This acknowledgment should be piggybacked on a segment being transmitted if possible
        //# without incurring undue delay.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# In general, the processing of received segments MUST be implemented to aggregate ACK
        //# segments whenever possible (MUST-58).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //= type=exception
        //= reason=sans-IO: handle_packet takes one segment and owes at most one ACK for it
        //# For example, if the TCP endpoint is processing a series of queued segments, it MUST
        //# process them all before sending any ACK segments (MUST-59).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.3
        //= type=implication
        //# An ACK SHOULD be generated for at least every second full-sized segment or 2*RMSS bytes
        //# of new data (where RMSS is the MSS specified by the TCP endpoint receiving the segments
        //# to be acknowledged, or the default value if not specified) (SHLD-19).
        if self.ack_due {
            let ack = self.ack_segment();
            self.push(ack);
            self.ack_due = false;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
        //# Probing of zero (offered) windows MUST be supported (MUST-36).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
        //# If the window shrinks to zero, the TCP implementation MUST probe it in the standard way
        //# (described below) (MUST-35).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
        //# The transmitting host SHOULD send the first zero-window probe when a zero window has
        //# existed for the retransmission timeout period (SHLD-29) (Section 3.8.1)
        // Zero window with data waiting and nothing in flight: the timer becomes the persist
        // timer; its expiry sends a probe (RFC 9293 §3.8.6.1, MUST-36).
        if self.may_send() && self.sent_octets() < self.send_buf.len() {
            self.arm_rtx(now);
        }
    }

    /// Sends one new data segment (a FIN rides on the last one after CLOSE). `probe` sends one
    /// octet even into a closed window. Returns whether a segment went out.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
    //# The sending TCP endpoint packages the data to be transmitted into segments that fit the
    //# current window
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.2.1
    //= type=exception
    //= reason=no sender SWS avoidance: what the window allows goes out at once
    //# A TCP implementation MUST include a SWS avoidance algorithm in the sender (MUST-38).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.2
    //= type=exception
    //= reason=no congestion control: only the peer's window and MSS limit sending
    //# A TCP endpoint MUST implement the basic congestion control algorithms slow start, congestion
    //# avoidance,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.2
    //= type=exception
    //= reason=no ECN: ECE and CWR are parsed and sent as given, never acted on
    //# A TCP endpoint SHOULD implement ECN as described in RFC 3168 (SHLD-8).
    pub(super) fn send_segment(&mut self, now: Instant, probe: bool) -> bool {
        let sent = self.sent_octets();
        let unsent = self.send_buf.len() - sent;
        if unsent == 0 {
            return false;
        }
        let wnd_end = self.tcb.snd_una.wrapping_add(self.tcb.snd_wnd);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.2.1
        //# U = SND.UNA + SND.WND - SND.NXT
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
        //# However, a sending TCP peer MUST be robust against window shrinking, which may cause the
        //# "usable window" (see Section 3.8.6.2.1) to become negative (MUST-34). If this happens,
        //# the sender SHOULD NOT send new data (SHLD-15)
        let usable = if self.tcb.snd_nxt.lt(wnd_end) {
            wnd_end.since(self.tcb.snd_nxt) as usize
        } else {
            0
        };
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
        //# The sending TCP peer must regularly transmit at least one octet of new data (if
        //# available), or retransmit to the receiving TCP peer even if the send window is zero, in
        //# order to "probe" the window.
        let usable = if probe { usable.max(1) } else { usable };
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.2
        //# However, a TCP implementation SHOULD send a maximum-sized segment whenever possible
        //# (SHLD-28)
        let n = unsent.min(usable).min(self.eff_snd_mss());
        if n == 0 {
            return false;
        }
        let last = n == unsent;
        let fin = last && self.fin_queued;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8
        //# Note that, once in the ESTABLISHED state, all segments must carry current acknowledgment
        //# information.
        let mut flags = Flags::ACK;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.2
        //# If PUSH flags are not implemented, then the sending TCP peer: (1) MUST NOT buffer data
        //# indefinitely (MUST-60), and (2) MUST set the PSH bit in the last buffered segment (i.e.,
        //# when there is no more queued data to be sent) (MUST-61).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.2
        //# The transmitter SHOULD collapse successive bits when it packetizes data, to send the
        //# largest possible segment (SHLD-27).
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
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8
        //# When the sender creates a segment and transmits it, the sender advances SND.NXT.
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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
    //# and may repackage segments on the retransmission queue.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
    //# but SHOULD retransmit normally the old unacknowledged data between SND.UNA and
    //# SND.UNA+SND.WND (SHLD-16). The sender MAY also retransmit old data beyond SND.UNA+SND.WND
    //# (MAY-7)
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# All segments preceding and including FIN will be retransmitted until acknowledged.
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
