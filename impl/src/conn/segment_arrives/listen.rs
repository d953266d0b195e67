//! SEGMENT ARRIVES in LISTEN (RFC 9293 §3.10.7.2). Its twin in the model:
//! `model/src/rules/segment_arrives/listen.rs`.

use super::closed::reset_for;
use crate::conn::Connection;
use crate::state::State;
use crate::time::Instant;
use crate::wire::Packet;

impl Connection {
    /// LISTEN: ignore RST; answer an ACK with `<SEQ=SEG.ACK><CTL=RST>`; a SYN selects an ISS
    /// and sends `<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>`, entering SYN-RECEIVED; drop the rest.
    pub(in crate::conn) fn listen(&mut self, now: Instant, packet: &Packet) {
        let seg = &packet.segment;
        // First, check for a RST: an incoming RST should be ignored.
        if seg.flags.rst() {
            return;
        }
        // Second, check for an ACK: any acknowledgment is bad in LISTEN.
        if seg.flags.ack() {
            // <SEQ=SEG.ACK><CTL=RST>, as from CLOSED.
            self.out.extend(reset_for(packet));
            return;
        }
        // Third, check for a SYN. (Security/compartment checks are not implemented.)
        if seg.flags.syn() {
            let listen_remote = self.listen_remote;
            self.start(now, packet.src);
            self.listen_remote = listen_remote;
            self.passive = true;
            self.tcb.rcv_nxt = seg.seq.wrapping_add(1);
            self.tcb.irs = seg.seq;
            self.learn_window(seg);
            self.state = State::SynReceived;
            // Text on the SYN is not queued: RCV.NXT does not cover it, so the peer sends it
            // again once the connection is synchronized.
            self.send_syn(now, Some(self.tcb.rcv_nxt));
        }
        // Fourth, other text or control: drop.
    }
}
