//! SEGMENT ARRIVES in SYN-SENT (RFC 9293 §3.10.7.3). Its twin in the endpoint:
//! `impl/src/conn/segment_arrives/syn_sent.rs`.

use super::closed::reset_for;
use super::synchronized::text_and_fin;
use crate::rules::{Event, Outcome};
use crate::segment::{Flags, Segment};
use crate::state::State;
use crate::tcb::{Reading, Tcb};

/// §3.10.7.3 SYN-SENT.
pub fn syn_sent(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    // First, check the ACK bit: SEG.ACK =< ISS or SEG.ACK > SND.NXT is unacceptable: send
    // <SEQ=SEG.ACK><CTL=RST> (unless the segment is a RST) and discard it.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //# If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so drop
    //# the segment and return) <SEQ=SEG.ACK><CTL=RST>
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
    //# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED), and the
    //# incoming segment acknowledges something not yet sent (the segment carries an unacceptable
    //# ACK),
    let mut ack_ok = false;
    if seg.ack_bit() {
        if seg.ack.le(tcb.iss) || seg.ack.gt(tcb.snd_nxt) {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
            //# and discard the segment. Return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
            //# The connection remains in the same state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
            //# TCP Peer A detects that the ACK field is incorrect and returns a RST (reset) with
            //# its SEQ field selected to make the segment believable.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
            //# TCP Peer A sees that this segment does not acknowledge anything it sent and, being
            //# unsynchronized, sends a reset (RST) because it has detected a half-open connection.
            return Outcome {
                send: reset_for(seg),
                ..Outcome::unchanged(tcb)
            };
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# If SND.UNA < SEG.ACK =< SND.NXT, then the ACK is acceptable.
        ack_ok = tcb.snd_una.lt(seg.ack) && seg.ack.le(tcb.snd_nxt);
    }
    let syn = seg.syn();
    // Second, check the RST bit: with an acceptable ACK, "connection refused" (the RFC's
    // "connection reset" signal for an unsynchronized connection), enter CLOSED; else drop.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
    //# In the SYN-SENT state (a RST received in response to an initial SYN), the RST is acceptable
    //# if the ACK field acknowledges the SYN.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //= type=exception
    //= reason=RCV.NXT is not known in SYN-SENT; RFC 5961 Section 3.2 itself accepts a RST in
    //= reason=SYN-SENT on its ACK alone, so both readings validate it by the ACK field, whatever
    //= reason=its SEQ.
    //# A TCP implementation that supports the mitigation described in RFC 5961 SHOULD first check
    //# that the sequence number exactly matches RCV.NXT prior to executing the action in the next
    //# paragraph.
    if seg.rst() {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# Otherwise (no ACK), drop the segment and return.
        if !ack_ok {
            return Outcome::unchanged(tcb);
        }
        let mut t = *tcb;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# If the ACK was acceptable, then signal to the user "error: connection reset", drop
        //# the segment, enter CLOSED state, delete TCB, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
        //# If the receiver was in any other state, it aborts the connection and advises the
        //# user and goes to the CLOSED state.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
        //= type=exception
        //= reason=Follows Sections 3.10.7.3 and 3.5.3 instead: an actively opened connection
        //= reason=goes to CLOSED; only a passively opened SYN-RECEIVED returns to LISTEN
        //= reason=(synchronized.rs).
        //# If the receiving TCP peer is in a non-synchronized state (i.e., SYN-SENT,
        //# SYN-RECEIVED), it returns to LISTEN on receiving an acceptable reset.
        t.state = State::Closed;
        return Outcome::new(t).event(Event::Refused);
    }
    // Fifth, neither SYN nor RST: drop the segment.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //= type=exception
    //= reason=Segments carry no security/compartment (outdated, RFC 9293 Appendix A.1), so every
    //= reason=segment matches the TCB.
    //# If the security/compartment in the segment does not exactly match the security/compartment
    //# in the TCB, send a reset:
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //# Fifth, if neither of the SYN or RST bits is set, then drop the segment and return.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //# Do not process the FIN if the state is CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ cannot
    //# be validated; drop the segment and return.
    if !syn {
        return Outcome::unchanged(tcb);
    }
    // Fourth, check the SYN bit: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, SND.UNA = SEG.ACK.
    let mut t = *tcb;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //= type=implication
    //# This step should be reached only if the ACK is ok, or there is no ACK, and the segment did
    //# not contain a RST.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //# If the SYN bit is on and the security/compartment is acceptable, then RCV.NXT is set to
    //# SEG.SEQ+1, IRS is set to SEG.SEQ.
    t.irs = seg.seq;
    t.rcv_nxt = seg.seq.add(1);
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //# SND.UNA should be advanced to equal SEG.ACK (if there is an ACK), and any segments on the
    //# retransmission queue that are thereby acknowledged should be removed.
    if ack_ok {
        t.acknowledge(seg.ack);
    }
    if t.snd_una.gt(t.iss) {
        // Our SYN is acknowledged: enter ESTABLISHED, send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>,
        // and continue at the sixth step with any text or FIN on the segment.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# If SND.UNA > ISS (our SYN has been ACKed), change the connection state to ESTABLISHED,
        //# form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
        t.state = State::Established;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# If there are other controls or text in the segment, then continue processing at the
        //# sixth step under Section 3.10.7.4 where the URG bit is checked; otherwise, return.
        let out = text_and_fin(t, seg, profile).event(Event::Connected);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# and send it.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
        //# Some TCP implementations suppress sending this segment when the received segment
        //# contains data that will anyways generate an acknowledgment in the later processing
        //# steps, saving this extra acknowledgment of the SYN from being sent.
        return out.sending(out.tcb.ack_now());
    }
    // Simultaneous open (Figure 7): enter SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    // Text or controls on the SYN would be queued until ESTABLISHED; the model's SYNs carry none.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
    //# A TCP implementation MUST support simultaneous open attempts (MUST-10).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
    //# When simultaneous open occurs, each TCP peer receives a SYN segment that carries no
    //# acknowledgment after it has sent a SYN.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //# Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
    t.state = State::SynReceived;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //# and send it. Set the variables:
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //= type=exception
    //= reason=Segments carry no window field: both ends keep the window of the reading
    //= reason=(Reading::window) open throughout.
    //# SND.WND <- SEG.WND SND.WL1 <- SEG.SEQ SND.WL2 <- SEG.ACK
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
    //= type=exception
    //= reason=The model never sends text or FIN on a bare SYN; any would be dropped, not queued.
    //# If there are other controls or text in the segment, queue them for processing after the
    //# ESTABLISHED state has been reached, return.
    Outcome::new(t).sending(Segment::new(Flags::SYN_ACK, t.iss, t.rcv_nxt))
}
