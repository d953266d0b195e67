//! User calls: OPEN, SEND, CLOSE, ABORT (RFC 9293 §3.10.1, §3.10.2, §3.10.4, §3.10.5). Its
//! twin in the endpoint: `impl/src/conn/user_calls.rs`.

use super::{Event, Outcome};
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::state::State;
use crate::tcb::Tcb;

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//= type=exception
//= reason=The model has no RECEIVE call: text at RCV.NXT is delivered to the user as it arrives
//= reason=(Event::Data).
//# If insufficient incoming segments are queued to satisfy the request, queue the request.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//= type=exception
//= reason=The model has no RECEIVE call and buffers nothing: all text was delivered before the FIN
//= reason=was processed.
//# Since the remote side has already sent FIN, RECEIVEs must be satisfied by data already on hand,
//# but not yet delivered to the user.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.6
//= type=exception
//= reason=The model has no STATUS call: the state is read from the TCB directly.
//# Return "state = ESTABLISHED" and the TCB pointer.
/// §3.10.1 OPEN, active. CLOSED (and LISTEN with a foreign socket): send <SEQ=ISS><CTL=SYN>,
/// SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT. Otherwise "connection already exists".
pub fn open_active(tcb: &Tcb) -> Outcome {
    match tcb.state {
        State::Closed | State::Listen => {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
            //# Create a new transmission control block (TCB) to hold connection state information.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
            //= type=exception
            //= reason=One connection between two fixed hosts: no sockets, Diffserv or
            //= reason=security/compartment to fill in; the user timeout is the retry budget of the
            //= reason=run.
            //# Fill in local socket identifier, remote socket, Diffserv field,
            //# security/compartment, and user timeout information.
            let mut t = tcb.fresh();
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
            //# An initial send sequence number (ISS) is selected. A SYN segment of the form
            //# <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT
            //# state, and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
            //# If the OPEN call is active and the remote socket is specified, then change the
            //# connection from passive to active, select an ISS. Send a SYN segment, set SND.UNA to
            //# ISS, SND.NXT to ISS+1. Enter SYN-SENT state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
            //# On an active OPEN command, the TCP endpoint will begin the procedure to synchronize
            //# (i.e., establish) the connection at once.
            t.state = State::SynSent;
            t.passive = false;
            t.snd_una = t.iss;
            t.snd_nxt = t.iss.add(1);
            Outcome::new(t).sending(Segment::new(Flags::SYN, t.iss, Seq(0)))
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
        //# Return "error: connection already exists".
        _ => Outcome::unchanged(tcb).event(Event::ErrorExists),
    }
}

/// §3.10.1 OPEN, passive. CLOSED: enter LISTEN. Otherwise "connection already exists".
pub fn open_passive(tcb: &Tcb) -> Outcome {
    match tcb.state {
        State::Closed => {
            let mut t = tcb.fresh();
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
            //# If passive, enter the LISTEN state and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
            //# If the active/passive flag is set to passive, then this is a call to LISTEN for an
            //# incoming connection.
            t.state = State::Listen;
            t.passive = true;
            Outcome::new(t)
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
        //# Every passive OPEN call either creates a new connection record in LISTEN state, or it
        //# returns an error; it MUST NOT affect any previously created connection record (MUST-41).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
        //= type=exception
        //= reason=Each host has exactly one connection block; the model does not support concurrent
        //= reason=connections.
        //# A TCP implementation that supports multiple concurrent connections MUST provide an OPEN
        //# call that will functionally allow an application to LISTEN on a port while a connection
        //# block with the same local port is in SYN-SENT or SYN-RECEIVED state (MUST-42).
        _ => Outcome::unchanged(tcb).event(Event::ErrorExists),
    }
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//= type=exception
//= reason=SEND has no URGENT flag: the model has no urgent data.
//# If the URGENT flag is set, then SND.UP <- SND.NXT and set the urgent pointer in the outgoing
//# segments.
/// §3.10.2 SEND of one byte. ESTABLISHED and CLOSE-WAIT segmentize it at once:
/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with one byte, SND.NXT += 1.
pub fn send(tcb: &Tcb) -> Outcome {
    match tcb.state {
        State::Established | State::CloseWait => {
            let mut t = *tcb;
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
            //# Segmentize the buffer and send it with a piggybacked acknowledgment (acknowledgment
            //# value = RCV.NXT).
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
            //# and a host is permitted to continue sending data in the open direction on a
            //# half-closed connection.
            let seg = Segment::new(Flags::ACK, t.snd_nxt, t.rcv_nxt).with_len(1);
            t.snd_nxt = t.snd_nxt.add(1);
            Outcome::new(t).sending(seg)
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
        //# Otherwise, return "error: connection does not exist".
        State::Closed => Outcome::unchanged(tcb).event(Event::ErrorNoConnection),
        // The RFC queues data here (and LISTEN with a foreign socket turns active); the model
        // does not queue. See [`Event::ErrorNotQueued`].
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
        //= type=exception
        //= reason=The model does not queue data: SEND before ESTABLISHED is refused
        //= reason=(Event::ErrorNotQueued) and changes nothing; the scripts SEND only once
        //= reason=connected.
        //# If the remote socket is specified, then change the connection from passive to active,
        //# select an ISS.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
        //= type=exception
        //= reason=The model does not queue data: SEND before ESTABLISHED is refused
        //= reason=(Event::ErrorNotQueued) and changes nothing; the scripts SEND only once
        //= reason=connected.
        //# Queue the data for transmission after entering ESTABLISHED state.
        State::Listen | State::SynSent | State::SynReceived => {
            Outcome::unchanged(tcb).event(Event::ErrorNotQueued)
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
        //# Return "error: connection closing" and do not service request.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# No further SENDs from the user will be accepted by the TCP implementation,
        State::FinWait1 | State::FinWait2 | State::Closing | State::LastAck | State::TimeWait => {
            Outcome::unchanged(tcb).event(Event::ErrorClosing)
        }
    }
}

/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>; SND.NXT += 1.
fn send_fin(t: &mut Tcb) -> Segment {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# In this case, a FIN segment can be constructed and placed on the outgoing segment queue.
    let seg = Segment::new(Flags::FIN_ACK, t.snd_nxt, t.rcv_nxt);
    t.snd_nxt = t.snd_nxt.add(1);
    t.fin_sent = true;
    seg
}

/// §3.10.4 CLOSE.
pub fn close(tcb: &Tcb) -> Outcome {
    let mut t = *tcb;
    match tcb.state {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# Otherwise, return "error: connection does not exist".
        State::Closed => Outcome::unchanged(tcb).event(Event::ErrorNoConnection),
        // LISTEN and SYN-SENT: delete the TCB, enter CLOSED.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# Delete TCB, enter CLOSED state, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# Delete the TCB and return "error: closing" responses to any queued SENDs, or RECEIVEs.
        State::Listen | State::SynSent => {
            t.state = State::Closed;
            Outcome::new(t).event(Event::Closed)
        }
        // SYN-RECEIVED with nothing queued, and ESTABLISHED: send FIN, enter FIN-WAIT-1.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# If no SENDs have been issued and there is no pending data to send, then form a FIN
        //# segment and send it, and enter FIN-WAIT-1 state;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# Queue this until all preceding SENDs have been segmentized, then form a FIN segment and
        //# send it. In any case, enter FIN-WAIT-1 state.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# and it enters the FIN-WAIT-1 state.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# All segments preceding and including FIN will be retransmitted until acknowledged.
        State::SynReceived | State::Established => {
            let fin = send_fin(&mut t);
            t.state = State::FinWait1;
            Outcome::new(t).sending(fin)
        }
        // CLOSE-WAIT: send FIN, enter LAST-ACK.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# Queue this request until all preceding SENDs have been segmentized; then send a FIN
        //# segment, enter LAST-ACK state.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# The user will respond with a CLOSE, upon which the TCP endpoint can send a FIN to the
        //# other TCP peer after sending any remaining data.
        State::CloseWait => {
            let fin = send_fin(&mut t);
            t.state = State::LastAck;
            Outcome::new(t).sending(fin)
        }
        // FIN-WAIT-1/2: "strictly speaking, this is an error"; CLOSING, LAST-ACK, TIME-WAIT:
        // "error: connection closing".
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# Strictly speaking, this is an error and should receive an "error: connection closing"
        //# response. An "ok" response would be acceptable, too, as long as a second FIN is not
        //# emitted (the first FIN may be retransmitted, though).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
        //# Respond with "error: connection closing".
        _ => Outcome::unchanged(tcb).event(Event::ErrorClosing),
    }
}

/// §3.10.5 ABORT.
pub fn abort(tcb: &Tcb) -> Outcome {
    let mut t = *tcb;
    t.state = State::Closed;
    match tcb.state {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
        //# Otherwise, return "error: connection does not exist".
        State::Closed => Outcome::unchanged(tcb).event(Event::ErrorNoConnection),
        // LISTEN, SYN-SENT: delete the TCB. CLOSING, LAST-ACK, TIME-WAIT: respond "ok",
        // delete the TCB.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
        //# Delete TCB, enter CLOSED state, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
        //# Delete the TCB, enter CLOSED state, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
        //# Respond with "ok" and delete the TCB, enter CLOSED state, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
        //= type=exception
        //= reason=Nothing is queued in the model; ABORT answers Event::Closed.
        //# All queued SENDs and RECEIVEs should be given "connection reset" notification.
        State::Listen | State::SynSent | State::Closing | State::LastAck | State::TimeWait => {
            Outcome::new(t).event(Event::Closed)
        }
        // SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: send <SEQ=SND.NXT><CTL=RST>.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
        //# Send a reset segment: <SEQ=SND.NXT><CTL=RST>
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
        //# all segments queued for transmission (except for the RST formed above) or retransmission
        //# should be flushed. Delete the TCB, enter CLOSED state, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# and (2) an "abort" in which one or more RST segments are sent and the connection state
        //# is immediately discarded.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
        //# A TCP user or application can issue a reset on a connection at any time,
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
        //= type=exception
        //= reason=ABORT enters CLOSED, as Section 3.10.5 prescribes; the model keeps no TIME-WAIT
        //= reason=for a reset it issued.
        //# The side of a connection issuing a reset should enter the TIME-WAIT state, as this
        //# generally helps to reduce the load on busy servers for reasons described in [70].
        State::SynReceived
        | State::Established
        | State::FinWait1
        | State::FinWait2
        | State::CloseWait => Outcome::new(t)
            .sending(Segment::new(Flags::RST, tcb.snd_nxt, Seq(0)))
            .event(Event::Closed),
    }
}
