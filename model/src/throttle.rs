//! RFC 5961 §7's limit on challenge ACKs ("An implementation SHOULD include an ACK throttling
//! mechanism to be conservative"), around the reference rules as `broken.rs` is: the rule
//! decides that a challenge ACK is due ([`crate::rules::allowed::is_challenge_ack`]), the
//! limit decides whether it goes out. The model's time is an explicit tick: when a period ends
//! the caller starts a new [`Budget`].
//!
//! A limit counts per connection (RFC 5961's reading), for the whole host (Linux before 2016,
//! `tcp_challenge_ack_limit`, the side channel of CVE-2016-5696: [`crate::side_channel`]), or
//! both (Linux from 4.7 to 5.x: a per-socket rate limit, then the host-wide one).

use crate::rules::{allowed::is_challenge_ack, Outcome};
use crate::segment::Segment;
use crate::tcb::{Reading, Tcb};
use serde::Serialize;

/// Challenge ACKs a period allows, per connection and for the whole host (`None`: no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Limit {
    pub per_connection: Option<u8>,
    pub shared: Option<u8>,
}

/// What is left of a [`Limit`] in the current period, for a host of two connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Budget {
    connection: [u8; 2],
    shared: u8,
}

impl Budget {
    /// A full period (the first, or the next once a period ends).
    pub fn new(limit: &Limit) -> Budget {
        let full = |n: Option<u8>| n.unwrap_or(u8::MAX);
        Budget {
            connection: [full(limit.per_connection); 2],
            shared: full(limit.shared),
        }
    }

    /// Whether one more challenge ACK of connection `c` may go out (if so, it is counted).
    fn take(&mut self, limit: &Limit, c: usize) -> bool {
        let conn_ok = limit.per_connection.is_none() || self.connection[c] > 0;
        let shared_ok = limit.shared.is_none() || self.shared > 0;
        if !(conn_ok && shared_ok) {
            return false;
        }
        if limit.per_connection.is_some() {
            self.connection[c] -= 1;
        }
        if limit.shared.is_some() {
            self.shared -= 1;
        }
        true
    }
}

/// SEGMENT ARRIVES on connection `c` of a host whose challenge ACKs are limited: the reference
/// rule's outcome, its challenge ACK withheld when the period's budget is spent.
pub fn segment_arrives(
    tcb: &Tcb,
    seg: &Segment,
    reading: &Reading,
    limit: &Limit,
    budget: &mut Budget,
    c: usize,
) -> Outcome {
    let out = crate::broken::segment_arrives(tcb, seg, reading);
    if is_challenge_ack(tcb, seg, reading, &out) && !budget.take(limit, c) {
        return Outcome { send: None, ..out };
    }
    out
}
