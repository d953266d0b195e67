//! Timeouts (RFC 9293 §3.10.8). Its twin in the endpoint: `impl/src/conn/timeouts.rs`.

use super::{Event, Outcome};
use crate::state::State;
use crate::tcb::Tcb;

/// Retransmission timeout: resend the earliest unacknowledged segment, spending one unit of the
/// budget; with the budget spent, the user timeout closes the connection: "error: connection
/// aborted due to user timeout", enter CLOSED. Nothing outstanding: nothing happens.
pub fn retransmission_timeout(tcb: &Tcb) -> Outcome {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
    //# For any state if the retransmission timeout expires on a segment in the retransmission
    //# queue,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
    //= type=exception
    //= reason=The model has no clock: a retransmission timeout may fire at any moment while
    //= reason=something is outstanding, which covers every RTO an algorithm could compute.
    //# The RTO MUST be computed according to the algorithm in [10], including Karn's algorithm for
    //# taking RTT samples (MUST-18).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.2
    //= type=exception
    //= reason=Congestion control is out of scope: each user sends at most one byte, and timers
    //= reason=are untimed.
    //# A TCP endpoint MUST implement the basic congestion control algorithms slow start, congestion
    //# avoidance, and exponential backoff of RTO to avoid creating congestion collapse conditions
    //# (MUST-19).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.4
    //= type=exception
    //= reason=No keep-alives: an idle connection sends nothing.
    //# Implementers MAY include "keep-alives" in their TCP implementations (MAY-5), although this
    //# practice is not universally accepted.
    if !tcb.retransmit_armed() {
        return Outcome::unchanged(tcb);
    }
    let mut t = *tcb;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# The following procedure MUST be used to handle excessive retransmissions of data segments
    //# (MUST-20):
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# When the number of transmissions of the same segment reaches a threshold R2 greater than R1,
    //# close the connection.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# SYN retransmissions MUST be handled in the general way just described for data
    //# retransmissions, including notification of the application layer.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# If an ACK is not forthcoming, after the user timeout the connection is aborted and the user
    //# is told.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //= type=exception
    //= reason=No IP layer and no R1: only R2, the retry budget, is modelled.
    //# When the number of transmissions of the same segment reaches or exceeds threshold R1, pass
    //# negative advice (see Section 3.3.1.4 of [19]) to the IP layer, to trigger dead-gateway
    //# diagnosis.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //= type=exception
    //= reason=No R1: the user hears only of the user timeout at R2.
    //# TCP implementations SHOULD inform the application of the delivery problem (unless such
    //# information has been disabled by the application; see the "Asynchronous Reports" section
    //# (Section 3.9.1.8)), when R1 is reached and before R2 (SHLD-9).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //= type=exception
    //= reason=R2 is a parameter of the run (Config::retries, synfin check --retries), the same for
    //= reason=both hosts; the user has no call to set it.
    //# An application MUST (MUST-21) be able to set the value for R2 for a particular connection.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //= type=exception
    //= reason=The budget is 0 to 3 retransmissions, kept small so that the state space stays
    //= reason=finite; there is no clock to measure seconds.
    //# The value of R1 SHOULD correspond to at least 3 retransmissions, at the current RTO
    //# (SHLD-10). The value of R2 SHOULD correspond to at least 100 seconds (SHLD-11).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //= type=exception
    //= reason=No clock, and the budget is kept small so that the state space stays finite.
    //# In particular, R2 for a SYN segment MUST be set large enough to provide retransmission of
    //# the segment for at least 3 minutes (MUST-23).
    if t.retries_left == 0 {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
        //# For any state if the user timeout expires, flush all queues, signal the user "error:
        //# connection aborted due to user timeout" in general and for any outstanding calls, delete
        //# the TCB, enter the CLOSED state, and return.
        t.state = State::Closed;
        return Outcome::new(t).event(Event::TimedOut);
    }
    t.retries_left -= 1;
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
    //# send the segment at the front of the retransmission queue again, reinitialize the
    //# retransmission timer, and return.
    Outcome::new(t).sending(tcb.retransmission())
}

/// Time-wait timeout: after 2MSL in TIME-WAIT, delete the TCB and enter CLOSED.
pub fn time_wait_timeout(tcb: &Tcb) -> Outcome {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
    //# If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state,
    //# and return.
    if tcb.state != State::TimeWait {
        return Outcome::unchanged(tcb);
    }
    let mut t = *tcb;
    t.state = State::Closed;
    Outcome::new(t).event(Event::Closed)
}
