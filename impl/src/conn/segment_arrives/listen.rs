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
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //# An incoming RST segment could not be valid since it could not have been sent in response
        //# to anything sent by this incarnation of the connection. An incoming RST should be
        //# ignored.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
        //# If the receiver was in the LISTEN state, it ignores it.
        // First, check for a RST: an incoming RST should be ignored.
        if seg.flags.rst() {
            return;
        }
        // Second, check for an ACK: any acknowledgment is bad in LISTEN.
        if seg.flags.ack() {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
            //# Any acknowledgment is bad if it arrives on a connection still in the LISTEN state.
            //# An acceptable reset segment should be formed for any arriving ACK-bearing segment.
            //# The RST should be formatted as follows: <SEQ=SEG.ACK><CTL=RST>
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
            //# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED),
            //# and the incoming segment acknowledges something not yet sent (the segment carries an
            //# unacceptable ACK)
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
            //# If the incoming segment has an ACK field, the reset takes its sequence number from
            //# the ACK field of the segment; otherwise, the reset has sequence number zero and the
            //# ACK field is set to the sum of the sequence number and segment length of the
            //# incoming segment. The connection remains in the same state.
            // <SEQ=SEG.ACK><CTL=RST>, as from CLOSED.
            self.out.extend(reset_for(packet));
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //= type=exception
        //= reason=security/compartment (Appendix A.1) is not implemented
        //# If the SYN bit is set, check the security. If the security/compartment on the incoming
        //# segment does not exactly match the security/compartment in the TCB, then send a reset
        //# and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
        //= type=exception
        //= reason=security/compartment (Appendix A.1) is not implemented
        //# or if an incoming segment has a security level or compartment (Appendix A.1) that does
        //# not exactly match the level and compartment requested for the connection, a reset is
        //# sent.
        // Third, check for a SYN. (Security/compartment checks are not implemented.)
        if seg.flags.syn() {
            let listen_remote = self.listen_remote;
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
            //# If the listen was not fully specified (i.e., the remote socket was not fully
            //# specified), then the unspecified fields should be filled in now.
            self.start(now, packet.src);
            self.listen_remote = listen_remote;
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
            //# Note that a TCP implementation MUST keep track of whether a connection has reached
            //# SYN-RECEIVED state as the result of a passive OPEN or an active OPEN (MUST-11).
            self.passive = true;
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
            //# Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ,
            self.tcb.rcv_nxt = seg.seq.wrapping_add(1);
            self.tcb.irs = seg.seq;
            self.learn_window(seg);
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
            //# SND.NXT is set to ISS+1 and SND.UNA to ISS. The connection state should be changed
            //# to SYN-RECEIVED.
            self.state = State::SynReceived;
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
            //= type=exception
            //= reason=text on a SYN is not queued; RCV.NXT excludes it, so the peer resends it
            //# any other control or text should be queued for processing later.
            // Text on the SYN is not queued: RCV.NXT does not cover it, so the peer sends it
            // again once the connection is synchronized.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
            //# ISS should be selected and a SYN segment sent of the form:
            //# <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
            self.send_syn(now, Some(self.tcb.rcv_nxt));
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
        //# This should not be reached. Drop the segment and return. Any other control or
        //# data-bearing segment (not containing SYN) must have an ACK and thus would have been
        //# discarded by the ACK processing in the second step, unless it was first discarded by RST
        //# checking in the first step.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
        //# Do not process the FIN if the state is CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ
        //# cannot be validated; drop the segment and return.
        // Fourth, other text or control: drop.
    }
}
