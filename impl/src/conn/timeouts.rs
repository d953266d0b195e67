//! Timeouts (RFC 9293 §3.10.8): retransmission with RFC 6298 backoff and a retry budget
//! (§3.8.3, R2), the persist probe, and the 2MSL TIME-WAIT timeout. Its twin in the model:
//! `model/src/rules/timeouts.rs`.

use super::Connection;
use crate::event::Event;
use crate::time::Instant;

impl Connection {
    /// Fires every timer whose deadline is at or before `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.time_wait_deadline.is_some_and(|d| d <= now) {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
            //# If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED
            //# state, and return.
            // Time-wait timeout: delete the TCB, enter CLOSED.
            self.close_with(Event::Closed);
            return;
        }
        if self.rtx_deadline.is_some_and(|d| d <= now) {
            self.rtx_deadline = None;
            self.retransmission_timeout(now);
        }
    }

    /// RFC 6298 (5.4)–(5.6): retransmit the earliest unacknowledged segment, double the RTO,
    /// restart the timer. When the budget is spent (R2 of §3.8.3), the connection times out.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# The following procedure MUST be used to handle excessive retransmissions of data segments
    //# (MUST-20):
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# There are two thresholds R1 and R2 measuring the amount of retransmission that has occurred
    //# for the same segment. R1 and R2 might be measured in time units or as a count of
    //# retransmissions (with the current RTO and corresponding backoffs as a conversion factor, if
    //# needed).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //= type=exception
    //= reason=no R1: sans-IO, there is no IP layer to advise
    //# When the number of transmissions of the same segment reaches or exceeds threshold R1, pass
    //# negative advice (see Section 3.3.1.4 of [19]) to the IP layer, to trigger dead-gateway
    //# diagnosis.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //= type=exception
    //= reason=no R1 and no soft-error event: the application hears only of R2 (TimedOut)
    //# TCP implementations SHOULD inform the application of the delivery problem (unless such
    //# information has been disabled by the application; see the "Asynchronous Reports" section
    //# (Section 3.9.1.8)), when R1 is reached and before R2 (SHLD-9).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.8
    //= type=exception
    //= reason=events report hard outcomes only; no ICMP input, no R1 report, no urgent data
    //# There MUST be a mechanism for reporting soft TCP error conditions to the application
    //# (MUST-47).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.4
    //= type=exception
    //= reason=no keep-alives (so MUST-24..MUST-29 do not arise; MUST-25: off)
    //# Implementers MAY include "keep-alives" in their TCP implementations (MAY-5), although this
    //# practice is not universally accepted.
    fn retransmission_timeout(&mut self, now: Instant) {
        if self.tcb.snd_una == self.tcb.snd_nxt {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
            //# Probing of zero (offered) windows MUST be supported (MUST-36).
            // Nothing in flight: this was the persist timer; send a probe.
            self.send_segment(now, true);
            return;
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
        //# However, the values of R1 and R2 may be different for SYN and data segments.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
        //# SYN retransmissions MUST be handled in the general way just described for data
        //# retransmissions, including notification of the application layer.
        let syn = self.tcb.snd_una == self.tcb.iss;
        let budget = if syn {
            self.cfg.syn_retries
        } else {
            self.cfg.retries
        };
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
        //# When the number of transmissions of the same segment reaches a threshold R2 greater than
        //# R1, close the connection.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
        //# For any state if the user timeout expires, flush all queues, signal the user "error:
        //# connection aborted due to user timeout" in general and for any outstanding calls, delete
        //# the TCB, enter the CLOSED state, and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# If an ACK is not forthcoming, after the user timeout the connection is aborted and the
        //# user is told.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
        //= type=exception
        //= reason=the budget counts every retransmission of the oldest segment, window or not
        //# but SHOULD NOT time out the connection if data beyond the right window edge is not
        //# acknowledged (SHLD-17).
        if self.retries >= budget {
            self.close_with(Event::TimedOut);
            return;
        }
        self.retries += 1;
        self.syn_timed_out |= syn;
        self.rto.on_retransmit();
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.2
        //# and exponential backoff of RTO to avoid creating congestion collapse conditions
        //# (MUST-19).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
        //# and SHOULD increase exponentially the interval between successive probes (SHLD-30).
        self.rto.back_off(&self.cfg);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
        //# For any state if the retransmission timeout expires on a segment in the retransmission
        //# queue, send the segment at the front of the retransmission queue again, reinitialize the
        //# retransmission timer, and return.
        let seg = self.retransmission();
        self.push(seg);
        self.rtx_deadline = Some(now + self.rto.current());
    }
}
