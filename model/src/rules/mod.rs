//! The reference rules of RFC 9293 connection management: one function per rule, each pure.
//!
//! Every rule takes the current [`Tcb`] and returns an [`Outcome`]: the new block, at most one
//! segment to send, and the user-visible events. The rules know nothing of stateright; the actor
//! model wraps them and a conformance harness can call them directly as an oracle.

pub mod allowed;
pub mod segment_arrives;
mod timeouts;
mod user_calls;

pub use segment_arrives::segment_arrives;
pub use timeouts::{retransmission_timeout, time_wait_timeout};
pub use user_calls::{abort, close, open_active, open_passive, send};

use crate::segment::Segment;
use crate::tcb::Tcb;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A user-visible event (RFC 9293 §3.9.1 responses and signals). Several may happen at once
/// (data and a FIN in one segment), so an [`Outcome`] carries a set of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Event {
    /// The connection reached ESTABLISHED.
    Connected,
    /// "error: connection refused": a RST answered our SYN.
    Refused,
    /// "connection reset": a RST closed a synchronized connection.
    Reset,
    /// "connection closing": the peer's FIN arrived.
    Closing,
    /// The connection is gone after an orderly close, a CLOSE or an ABORT.
    Closed,
    /// "error: connection aborted due to user timeout" (§3.10.8).
    TimedOut,
    /// A data byte was delivered to the user.
    Data,
    /// "error: connection already exists" (OPEN on an open connection).
    ErrorExists,
    /// "error: connection does not exist" (a call on CLOSED).
    ErrorNoConnection,
    /// "error: connection closing" (SEND or CLOSE after CLOSE).
    ErrorClosing,
    /// SEND before ESTABLISHED: RFC 9293 queues the data; this model does not queue, and its
    /// scripts only SEND once connected, so the rule refuses instead.
    ErrorNotQueued,
}

impl Event {
    const ALL: [Event; 11] = [
        Event::Connected,
        Event::Refused,
        Event::Reset,
        Event::Closing,
        Event::Closed,
        Event::TimedOut,
        Event::Data,
        Event::ErrorExists,
        Event::ErrorNoConnection,
        Event::ErrorClosing,
        Event::ErrorNotQueued,
    ];

    const fn bit(self) -> u16 {
        1 << self as u16
    }

    pub const fn name(self) -> &'static str {
        match self {
            Event::Connected => "connected",
            Event::Refused => "connection refused",
            Event::Reset => "connection reset",
            Event::Closing => "connection closing",
            Event::Closed => "closed",
            Event::TimedOut => "timed out",
            Event::Data => "data",
            Event::ErrorExists => "error: connection already exists",
            Event::ErrorNoConnection => "error: connection does not exist",
            Event::ErrorClosing => "error: connection closing",
            Event::ErrorNotQueued => "error: send before established (not queued by the model)",
        }
    }
}

/// A set of [`Event`]s.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Events(u16);

impl Events {
    pub const NONE: Events = Events(0);

    pub fn of(e: Event) -> Events {
        Events(e.bit())
    }
    pub fn add(&mut self, e: Event) {
        self.0 |= e.bit();
    }
    pub fn remove(&mut self, e: Event) {
        self.0 &= !e.bit();
    }
    pub fn contains(self, e: Event) -> bool {
        self.0 & e.bit() != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Event> {
        Event::ALL.into_iter().filter(move |e| self.contains(*e))
    }
}

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(Event::name)).finish()
    }
}

/// What a rule did: the new TCB, the segment to send (at most one), the user-visible events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub tcb: Tcb,
    pub send: Option<Segment>,
    pub events: Events,
}

impl Outcome {
    /// Nothing changes, nothing is sent.
    pub fn unchanged(tcb: &Tcb) -> Outcome {
        Outcome {
            tcb: *tcb,
            send: None,
            events: Events::NONE,
        }
    }

    pub(crate) fn new(tcb: Tcb) -> Outcome {
        Outcome {
            tcb,
            send: None,
            events: Events::NONE,
        }
    }

    pub(crate) fn sending(mut self, seg: Segment) -> Outcome {
        self.send = Some(seg);
        self
    }

    pub(crate) fn event(mut self, e: Event) -> Outcome {
        self.events.add(e);
        self
    }
}
