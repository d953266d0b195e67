//! Two endpoints joined by an in-memory network with a virtual clock.
//!
//! Every operation ends by moving what the endpoints want to send into the network, so the
//! network always holds every packet in flight. Delivery goes through the wire codec (encode,
//! then `handle_bytes`) unless [`Pair::set_wire`] turns that off.

mod network;

pub use network::{InFlight, Network};

use crate::config::Config;
use crate::conn::Connection;
use crate::event::Event;
use crate::isn::IsnSource;
use crate::time::Instant;
use crate::wire::Packet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

/// One of the two endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The endpoint at [`ADDR_A`].
    A,
    /// The endpoint at [`ADDR_B`].
    B,
}

impl Side {
    /// The other endpoint.
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

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

/// The address of endpoint A (TEST-NET-1, RFC 5737; nothing leaves the process).
pub const ADDR_A: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 1), 40000);
/// The address of endpoint B.
pub const ADDR_B: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 2), 80);

/// Two connections, a network between them, and a clock.
pub struct Pair {
    /// Endpoint A.
    pub a: Connection,
    /// Endpoint B.
    pub b: Connection,
    /// The packets in flight between them.
    pub net: Network,
    now: Instant,
    wire: bool,
    record: bool,
    log: Vec<Record>,
}

impl Pair {
    /// A at [`ADDR_A`] and B at [`ADDR_B`], both CLOSED, with the given configs and ISNs.
    pub fn new(
        cfg_a: Config,
        isn_a: impl IsnSource + 'static,
        cfg_b: Config,
        isn_b: impl IsnSource + 'static,
    ) -> Pair {
        Pair::from_connections(
            Connection::with_isn(cfg_a, ADDR_A, isn_a),
            Connection::with_isn(cfg_b, ADDR_B, isn_b),
        )
    }

    /// A pair of existing connections (A's packets go to B and back).
    pub fn from_connections(a: Connection, b: Connection) -> Pair {
        Pair {
            a,
            b,
            net: Network::default(),
            now: Instant::ZERO,
            wire: true,
            record: true,
            log: Vec::new(),
        }
    }

    /// Whether deliveries go through encode / decode (default: yes).
    pub fn set_wire(&mut self, wire: bool) {
        self.wire = wire;
    }

    /// Whether to keep a [`Record`] log (default: yes).
    pub fn set_record(&mut self, record: bool) {
        self.record = record;
    }

    /// The virtual clock.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The endpoint on `side`.
    pub fn conn(&self, side: Side) -> &Connection {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// The endpoint on `side`, to change.
    pub fn conn_mut(&mut self, side: Side) -> &mut Connection {
        match side {
            Side::A => &mut self.a,
            Side::B => &mut self.b,
        }
    }

    /// Calls `f` on one endpoint with the current time, then collects what it sent.
    pub fn with<R>(&mut self, side: Side, f: impl FnOnce(&mut Connection, Instant) -> R) -> R {
        let now = self.now;
        let r = f(self.conn_mut(side), now);
        self.collect();
        r
    }

    /// The log so far.
    pub fn log(&self) -> &[Record] {
        &self.log
    }

    /// Takes the log, leaving it empty.
    pub fn take_log(&mut self) -> Vec<Record> {
        std::mem::take(&mut self.log)
    }

    /// Moves outgoing packets from both endpoints into the network, and their events into the
    /// log (events are discarded when the log is off).
    pub fn collect(&mut self) {
        for side in [Side::A, Side::B] {
            while let Some(packet) = self.conn_mut(side).poll_transmit() {
                if self.record {
                    self.log.push(Record::Sent {
                        at: self.now,
                        from: side,
                        packet: packet.clone(),
                    });
                }
                self.net.send(side.other(), packet, self.now);
            }
            while let Some(event) = self.conn_mut(side).poll_event() {
                if self.record {
                    self.log.push(Record::Event {
                        at: self.now,
                        side,
                        event,
                    });
                }
            }
        }
    }

    /// Delivers in-flight packet `i` now, whatever its `ready_at`. Returns it.
    pub fn deliver(&mut self, i: usize) -> Option<Packet> {
        let f = self.net.drop(i)?;
        self.inject(f.to, f.packet.clone());
        Some(f.packet)
    }

    /// Loses in-flight packet `i`. Returns it.
    pub fn drop_packet(&mut self, i: usize) -> Option<Packet> {
        let f = self.net.drop(i)?;
        if self.record {
            self.log.push(Record::Dropped {
                at: self.now,
                packet: f.packet.clone(),
            });
        }
        Some(f.packet)
    }

    /// Hands `packet` to `to` now, as if it came off the network (an old duplicate, say).
    /// A packet the endpoint refuses (not addressed to it, bytes that do not parse) is
    /// dropped, as a real stack would.
    pub fn inject(&mut self, to: Side, packet: Packet) {
        let now = self.now;
        if self.record {
            self.log.push(Record::Delivered {
                at: now,
                to,
                packet: packet.clone(),
            });
        }
        let wire = self.wire;
        let conn = self.conn_mut(to);
        let _refused = match wire.then(|| packet.encode()) {
            Some(Ok(bytes)) => conn.handle_bytes(now, *packet.src.ip(), *packet.dst.ip(), &bytes),
            _ => conn.handle_packet(now, &packet),
        };
        self.collect();
    }

    /// Moves the clock forward by `d`, firing every timer that falls due on the way.
    pub fn advance(&mut self, d: Duration) {
        let end = self.now + d;
        while let Some(t) = self.next_deadline().filter(|&t| t <= end) {
            self.now = self.now.max(t);
            self.fire_timers();
        }
        self.now = end;
    }

    /// Moves the clock to the next timer deadline of either endpoint and fires it. Returns
    /// whether there was one.
    pub fn fire_next_timer(&mut self) -> bool {
        match self.next_deadline() {
            Some(t) => {
                self.now = self.now.max(t);
                self.fire_timers();
                true
            }
            None => false,
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        match (self.a.poll_timeout(), self.b.poll_timeout()) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    }

    fn fire_timers(&mut self) {
        let now = self.now;
        self.a.handle_timeout(now);
        self.b.handle_timeout(now);
        self.collect();
    }

    /// Runs the pair until nothing is in flight and no timer is set, or `max_steps` steps
    /// (deliveries and timer firings) have been taken. Packets are delivered in order of
    /// readiness; a timer due before the next packet is ready fires first. Returns the
    /// number of steps taken.
    pub fn run(&mut self, max_steps: usize) -> usize {
        self.collect();
        for step in 0..max_steps {
            let packet = self
                .net
                .next_ready()
                .map(|i| (i, self.net.queue[i].ready_at));
            let timer = self.next_deadline();
            match (packet, timer) {
                (Some((_, ready)), Some(t)) if t < ready => {
                    self.now = self.now.max(t);
                    self.fire_timers();
                }
                (Some((i, ready)), _) => {
                    self.now = self.now.max(ready);
                    self.deliver(i);
                }
                (None, Some(t)) => {
                    self.now = self.now.max(t);
                    self.fire_timers();
                }
                (None, None) => return step,
            }
        }
        max_steps
    }

    /// The packets each side sent, in order, from the log.
    pub fn sent(&self) -> impl Iterator<Item = (Side, &Packet)> {
        self.log.iter().filter_map(|r| match r {
            Record::Sent { from, packet, .. } => Some((*from, packet)),
            _ => None,
        })
    }
}
