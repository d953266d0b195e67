//! Two endpoints joined by an in-memory network with a virtual clock: the one two-endpoint
//! harness of this workspace (the endpoint's own tests, the live fuzz, the conformance sweep
//! and the replay of the model's scenarios all drive a [`Pair`]).
//!
//! In the style of quinn-proto's test `Pair`: every operation is a step of one endpoint (a
//! user call through [`Pair::with`], a delivery, a timer), ends by moving what that endpoint
//! sent into the network, and returns a [`Step`] saying what went in and what came out. An
//! [`Observer`] is called before and after every step and on every change the network makes on
//! command; the default one, [`Log`], keeps a [`Record`] of it all. Delivery goes through the
//! wire codec (encode, then `handle_bytes`) unless [`Pair::set_wire`] turns that off.
//!
//! The network holds every packet in flight, in order, each with the time it becomes
//! deliverable; the harness chooses which to deliver, lose, duplicate, reorder or delay. The
//! clock is one for both endpoints and moves only when told to ([`Pair::advance`],
//! [`Pair::fire_timer`], [`Pair::run`]).

mod network;
mod observer;

pub use network::{InFlight, Network};
pub use observer::{Input, Log, NetChange, Observer, Record, Step};

use crate::config::Config;
use crate::conn::Connection;
use crate::event::InputError;
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

/// The address of endpoint A (TEST-NET-1, RFC 5737; nothing leaves the process).
pub const ADDR_A: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 1), 40000);
/// The address of endpoint B.
pub const ADDR_B: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 2), 80);

/// Two connections, a network between them, a clock, and an observer (by default a [`Log`]).
pub struct Pair<O: Observer = Log> {
    /// Endpoint A.
    pub a: Connection,
    /// Endpoint B.
    pub b: Connection,
    /// The packets in flight between them.
    pub net: Network,
    now: Instant,
    wire: bool,
    read_all: bool,
    read: [u64; 2],
    observer: O,
}

impl Pair<Log> {
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

    /// A pair of existing connections (A's packets go to B and back), logged.
    pub fn from_connections(a: Connection, b: Connection) -> Pair {
        Pair::observed(a, b, Log::default())
    }

    /// Whether to keep a [`Record`] log (default: yes).
    pub fn set_record(&mut self, record: bool) {
        self.observer.set_on(record);
    }

    /// The log so far.
    pub fn log(&self) -> &[Record] {
        self.observer.records()
    }

    /// Takes the log, leaving it empty.
    pub fn take_log(&mut self) -> Vec<Record> {
        self.observer.take()
    }

    /// The packets each side sent, in order, from the log.
    pub fn sent(&self) -> impl Iterator<Item = (Side, &Packet)> {
        self.log().iter().filter_map(|r| match r {
            Record::Sent { from, packet, .. } => Some((*from, packet)),
            _ => None,
        })
    }
}

impl<O: Observer> Pair<O> {
    /// A pair of existing connections watched by `observer`.
    pub fn observed(a: Connection, b: Connection, observer: O) -> Pair<O> {
        Pair {
            a,
            b,
            net: Network::default(),
            now: Instant::ZERO,
            wire: true,
            read_all: false,
            read: [0; 2],
            observer,
        }
    }

    /// The observer.
    pub fn observer(&self) -> &O {
        &self.observer
    }

    /// The observer, to change.
    pub fn observer_mut(&mut self) -> &mut O {
        &mut self.observer
    }

    /// Whether deliveries go through encode / decode (default: yes).
    pub fn set_wire(&mut self, wire: bool) {
        self.wire = wire;
    }

    /// Whether, after every step, the pair reads everything the endpoint has received, as a
    /// user who always reads at once would (default: no). The octets are counted
    /// ([`Step::read`], [`Pair::read`]) and dropped.
    pub fn set_read_all(&mut self, read_all: bool) {
        self.read_all = read_all;
    }

    /// Octets read from `side` for its user so far ([`Pair::set_read_all`]).
    pub fn read(&self, side: Side) -> u64 {
        self.read[side as usize]
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

    /// The endpoint on `side`, to change. What it sends or reports is collected by the next
    /// step of that side (or [`Pair::collect`]).
    pub fn conn_mut(&mut self, side: Side) -> &mut Connection {
        conn_of(&mut self.a, &mut self.b, side)
    }

    /// Puts `conn` in place of the endpoint on `side` (a reboot, say): the packets in flight
    /// stay, the read count starts again. Returns the connection it replaces.
    pub fn replace(&mut self, side: Side, conn: Connection) -> Connection {
        self.read[side as usize] = 0;
        std::mem::replace(self.conn_mut(side), conn)
    }

    /// One step of `side`: tells the observer, runs `f` on the connection, then collects.
    fn step<R>(
        &mut self,
        side: Side,
        input: Input,
        f: impl FnOnce(&mut Connection, Instant) -> R,
    ) -> (R, Step) {
        let now = self.now;
        let conn = conn_of(&mut self.a, &mut self.b, side);
        self.observer.before(now, side, conn, &input);
        let r = f(conn, now);
        let step = self.finish(side, input, None);
        (r, step)
    }

    /// Reads (when asked), moves what `side` sent into the network and its events into a
    /// [`Step`], and shows the step to the observer.
    fn finish(&mut self, side: Side, input: Input, refused: Option<InputError>) -> Step {
        let step = self.gather(side, input, refused);
        self.observer
            .after(&step, conn_of(&mut self.a, &mut self.b, side));
        step
    }

    /// The [`Step`] `side` has just taken: reads (when asked), moves what it sent into the
    /// network, takes its events.
    fn gather(&mut self, side: Side, input: Input, refused: Option<InputError>) -> Step {
        let now = self.now;
        let conn = conn_of(&mut self.a, &mut self.b, side);
        let mut read = 0;
        if self.read_all {
            let mut buf = [0u8; 512];
            while let Ok(n @ 1..) = conn.recv(&mut buf) {
                read += n;
            }
        }
        self.read[side as usize] += read as u64;
        let first = self.net.queue.len();
        while let Some(packet) = conn.poll_transmit() {
            self.net.push(side.other(), packet, now);
        }
        let events = std::iter::from_fn(|| conn.poll_event()).collect();
        Step {
            at: now,
            side,
            input,
            refused,
            sent: self.net.queue[first..].to_vec(),
            events,
            read,
        }
    }

    /// Calls `f` on one endpoint with the current time, then collects what it sent.
    pub fn with<R>(&mut self, side: Side, f: impl FnOnce(&mut Connection, Instant) -> R) -> R {
        self.step(side, Input::Call, f).0
    }

    /// As [`Pair::with`], and also returns the [`Step`].
    pub fn call<R>(
        &mut self,
        side: Side,
        f: impl FnOnce(&mut Connection, Instant) -> R,
    ) -> (R, Step) {
        self.step(side, Input::Call, f)
    }

    /// Collects what either endpoint sent or reported since its last step (after calls made
    /// on [`Pair::a`] or [`Pair::b`] directly), as a step of each that has something.
    pub fn collect(&mut self) {
        for side in [Side::A, Side::B] {
            let step = self.gather(side, Input::Call, None);
            if !(step.sent.is_empty() && step.events.is_empty() && step.read == 0) {
                self.observer
                    .after(&step, conn_of(&mut self.a, &mut self.b, side));
            }
        }
    }

    /// Delivers in-flight packet `i` now, whatever its `ready_at`. Returns the step, or `None`
    /// if there is no such packet.
    pub fn deliver(&mut self, i: usize) -> Option<Step> {
        let f = self.net.drop(i)?;
        Some(self.inject(f.to, f.packet))
    }

    /// Loses in-flight packet `i`. Returns it.
    pub fn drop_packet(&mut self, i: usize) -> Option<Packet> {
        let f = self.net.drop(i)?;
        self.observer.network(self.now, &NetChange::Lost(f.clone()));
        Some(f.packet)
    }

    /// Puts a copy of in-flight packet `i` right behind it. Returns whether it exists.
    pub fn duplicate(&mut self, i: usize) -> bool {
        let Some(f) = self.net.in_flight().get(i).cloned() else {
            return false;
        };
        self.net.duplicate(i);
        self.observer.network(self.now, &NetChange::Duplicated(f));
        true
    }

    /// Hands `packet` to `to` now, as if it came off the network (an old duplicate, say).
    /// A packet the endpoint refuses (not addressed to it, bytes that do not parse) changes
    /// nothing, as with a real stack; the step says why ([`Step::refused`]).
    pub fn inject(&mut self, to: Side, packet: Packet) -> Step {
        let now = self.now;
        let conn = conn_of(&mut self.a, &mut self.b, to);
        let input = Input::Packet(packet);
        self.observer.before(now, to, conn, &input);
        let Input::Packet(packet) = &input else {
            unreachable!("built as a packet above")
        };
        let result = match self.wire.then(|| packet.encode()) {
            Some(Ok(bytes)) => conn.handle_bytes(now, *packet.src.ip(), *packet.dst.ip(), &bytes),
            _ => conn.handle_packet(now, packet),
        };
        self.finish(to, input, result.err())
    }

    /// Hands raw `bytes` to `to` now, as an IP datagram from `src` to `dst` would carry them.
    /// The step's input is the decoded packet, or [`Input::Garbage`] when they do not decode.
    pub fn inject_bytes(&mut self, to: Side, src: Ipv4Addr, dst: Ipv4Addr, bytes: &[u8]) -> Step {
        let now = self.now;
        let input = match Packet::decode(src, dst, bytes) {
            Ok(p) => Input::Packet(p),
            Err(_) => Input::Garbage(bytes.to_vec()),
        };
        let conn = conn_of(&mut self.a, &mut self.b, to);
        self.observer.before(now, to, conn, &input);
        let result = conn.handle_bytes(now, src, dst, bytes);
        self.finish(to, input, result.err())
    }

    /// Moves the clock to `t` (never back), firing nothing: timers that fall due wait for
    /// [`Pair::timer`] or [`Pair::fire_timer`].
    pub fn set_clock(&mut self, t: Instant) {
        self.now = self.now.max(t);
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

    /// Moves the clock to `side`'s timer deadline (if it is later than now) and fires that
    /// endpoint's timer alone. `None` when it has no timer set.
    pub fn fire_timer(&mut self, side: Side) -> Option<Step> {
        let t = self.conn(side).poll_timeout()?;
        self.now = self.now.max(t);
        Some(self.timer(side))
    }

    /// `handle_timeout` on `side` at the current time, as a step (whether or not a timer is
    /// due).
    pub fn timer(&mut self, side: Side) -> Step {
        self.step(side, Input::Timer, |c, now| c.handle_timeout(now))
            .1
    }

    fn next_deadline(&self) -> Option<Instant> {
        match (self.a.poll_timeout(), self.b.poll_timeout()) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    }

    fn fire_timers(&mut self) {
        self.timer(Side::A);
        self.timer(Side::B);
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
}

/// The connection on `side`, borrowed apart from the pair's other fields.
fn conn_of<'a>(a: &'a mut Connection, b: &'a mut Connection, side: Side) -> &'a mut Connection {
    match side {
        Side::A => a,
        Side::B => b,
    }
}
