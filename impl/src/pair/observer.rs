//! What a [`super::Pair`] tells about each step, and who listens: the [`Step`] every operation
//! returns, the [`Observer`] hook called around it, and [`Log`], the default observer, which
//! keeps a [`Record`] of everything in order.

use super::network::InFlight;
use super::Side;
use crate::conn::Connection;
use crate::event::{Event, InputError};
use crate::time::Instant;
use crate::wire::Packet;

/// What one endpoint was given in a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A user call (or anything else done to the connection through [`super::Pair::with`]).
    Call,
    /// This packet arrived (decoded, when it came as bytes).
    Packet(Packet),
    /// Bytes that do not decode as a TCP segment arrived.
    Garbage(Vec<u8>),
    /// `handle_timeout` was called at the step's time.
    Timer,
}

/// One step of one endpoint: what it was given and everything it emitted in answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// When (the pair's clock).
    pub at: Instant,
    /// The endpoint that took the step.
    pub side: Side,
    /// What it was given.
    pub input: Input,
    /// Why it refused an arriving packet or bytes (it then changes nothing).
    pub refused: Option<InputError>,
    /// What it sent, as the network now carries it (the packets are at the end of the queue).
    pub sent: Vec<InFlight>,
    /// What it reported, in order.
    pub events: Vec<Event>,
    /// Octets the pair read from it for its user ([`super::Pair::set_read_all`]).
    pub read: usize,
}

/// A change the network made on command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetChange {
    /// This packet was lost.
    Lost(InFlight),
    /// This packet was copied (the copy is right behind it).
    Duplicated(InFlight),
}

/// A hook called around every step of a [`super::Pair`]: in the style of a test harness's
/// tracer, it sees each endpoint before and after each input, and every change the network
/// makes on command. Every method does nothing unless overridden.
pub trait Observer {
    /// At `at`, `side` is about to take `input`; `conn` is its connection as it is now.
    fn before(&mut self, _at: Instant, _side: Side, _conn: &Connection, _input: &Input) {}
    /// `step` is done and collected; `conn` is the connection after it. The observer may
    /// probe it (for instance call `handle_timeout` far ahead to check that nothing happens);
    /// whatever that makes it emit is its own business.
    fn after(&mut self, _step: &Step, _conn: &mut Connection) {}
    /// The network changed on command at `at`.
    fn network(&mut self, _at: Instant, _change: &NetChange) {}
}

/// An observer that does nothing.
impl Observer for () {}

/// Something that happened in the pair, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// `from` handed `packet` to the network.
    Sent {
        /// When.
        at: Instant,
        /// The sender.
        from: Side,
        /// What was sent.
        packet: Packet,
    },
    /// `packet` reached `to`.
    Delivered {
        /// When.
        at: Instant,
        /// The receiver.
        to: Side,
        /// What arrived.
        packet: Packet,
    },
    /// The network lost `packet` on command.
    Dropped {
        /// When.
        at: Instant,
        /// What was lost.
        packet: Packet,
    },
    /// `side` reported `event`.
    Event {
        /// When.
        at: Instant,
        /// The endpoint that reported it.
        side: Side,
        /// What it reported.
        event: Event,
    },
}

/// The default observer: a [`Record`] of every packet delivered (bytes that do not decode
/// are not recorded), packet sent, loss and event, in order, unless switched off.
#[derive(Clone, Debug)]
pub struct Log {
    records: Vec<Record>,
    on: bool,
}

impl Default for Log {
    fn default() -> Log {
        Log {
            records: Vec::new(),
            on: true,
        }
    }
}

impl Log {
    /// Whether to record (default: yes).
    pub fn set_on(&mut self, on: bool) {
        self.on = on;
    }

    /// The records so far.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Takes the records, leaving none.
    pub fn take(&mut self) -> Vec<Record> {
        std::mem::take(&mut self.records)
    }
}

impl Observer for Log {
    fn before(&mut self, at: Instant, side: Side, _conn: &Connection, input: &Input) {
        if let (true, Input::Packet(packet)) = (self.on, input) {
            self.records.push(Record::Delivered {
                at,
                to: side,
                packet: packet.clone(),
            });
        }
    }

    fn after(&mut self, step: &Step, _conn: &mut Connection) {
        if !self.on {
            return;
        }
        for f in &step.sent {
            self.records.push(Record::Sent {
                at: step.at,
                from: step.side,
                packet: f.packet.clone(),
            });
        }
        for &event in &step.events {
            self.records.push(Record::Event {
                at: step.at,
                side: step.side,
                event,
            });
        }
    }

    fn network(&mut self, at: Instant, change: &NetChange) {
        if let (true, NetChange::Lost(f)) = (self.on, change) {
            self.records.push(Record::Dropped {
                at,
                packet: f.packet.clone(),
            });
        }
    }
}
