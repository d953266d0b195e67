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
    fn retransmission_timeout(&mut self, now: Instant) {
        if self.tcb.snd_una == self.tcb.snd_nxt {
            // Nothing in flight: this was the persist timer; send a probe.
            self.send_segment(now, true);
            return;
        }
        let syn = self.tcb.snd_una == self.tcb.iss;
        let budget = if syn {
            self.cfg.syn_retries
        } else {
            self.cfg.retries
        };
        if self.retries >= budget {
            self.close_with(Event::TimedOut);
            return;
        }
        self.retries += 1;
        self.syn_timed_out |= syn;
        self.rto.on_retransmit();
        self.rto.back_off(&self.cfg);
        let seg = self.retransmission();
        self.push(seg);
        self.rtx_deadline = Some(now + self.rto.current());
    }
}
