//! Timeouts (RFC 9293 §3.10.8). Its twin in the endpoint: `impl/src/conn/timeouts.rs`.

use super::{Event, Outcome};
use crate::state::State;
use crate::tcb::Tcb;

/// Retransmission timeout: resend the earliest unacknowledged segment, spending one unit of the
/// budget; with the budget spent, the user timeout closes the connection: "error: connection
/// aborted due to user timeout", enter CLOSED. Nothing outstanding: nothing happens.
pub fn retransmission_timeout(tcb: &Tcb) -> Outcome {
    if !tcb.retransmit_armed() {
        return Outcome::unchanged(tcb);
    }
    let mut t = *tcb;
    if t.retries_left == 0 {
        t.state = State::Closed;
        return Outcome::new(t).event(Event::TimedOut);
    }
    t.retries_left -= 1;
    Outcome::new(t).sending(tcb.retransmission())
}

/// Time-wait timeout: after 2MSL in TIME-WAIT, delete the TCB and enter CLOSED.
pub fn time_wait_timeout(tcb: &Tcb) -> Outcome {
    if tcb.state != State::TimeWait {
        return Outcome::unchanged(tcb);
    }
    let mut t = *tcb;
    t.state = State::Closed;
    Outcome::new(t).event(Event::Closed)
}
