//! One `synfin-tcp` endpoint driven by the model's inputs (a user call, a segment, a timer)
//! and observed in the model's terms: the segments it sent, the events it reported, its state.
//! The harness owns the clock: a timer "fires" by moving the clock to `poll_timeout`.

use crate::abstraction;
use std::net::SocketAddrV4;
use synfin_model::rules::Events;
use synfin_model::script::Call;
use synfin_model::{Segment as MSegment, Tcb as MTcb};
use synfin_tcp::pair::{ADDR_A, ADDR_B};
use synfin_tcp::{CallError, Config, Connection, Event, FixedIsn, Instant, Packet, Profile};

/// What one input made the endpoint do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Observation {
    /// Every segment it sent, in order, in the model's terms.
    pub sent: Vec<MSegment>,
    pub events: Events,
}

/// The endpoint's configuration for a model profile: the same RFC 5961 / RFC 793 choice and
/// RFC 1337 switch, a receive buffer of the model's window (the harness reads everything at
/// once, so RCV.WND stays at it), and one retry budget for SYNs and data (the model has one).
pub fn config(profile: &synfin_model::Reading, retries: u8) -> Config {
    Config {
        profile: match profile.rfc {
            synfin_model::Rfc::Rfc5961 => Profile::Rfc5961,
            synfin_model::Rfc::Rfc793 => Profile::Rfc793,
        },
        rfc1337: profile.rfc1337,
        recv_buffer: u16::try_from(profile.window).unwrap_or(u16::MAX),
        syn_retries: u32::from(retries),
        retries: u32::from(retries),
        ..Config::default()
    }
}

/// Whether `next`, sent right after `prev` in answer to one input, only repeats the ACK `prev`
/// with a larger window: the window update a
/// receiver sends once the user has read what filled it (RFC 9293 §3.8.6.2.2). The model has
/// no window field and no such step, so the harness does not count it as a segment sent.
fn window_update(prev: &Packet, next: &Packet) -> bool {
    let (a, b) = (&prev.segment, &next.segment);
    b.payload.is_empty()
        && b.flags == a.flags
        && !b.flags.syn()
        && !b.flags.fin()
        && !b.flags.rst()
        && a.payload.is_empty()
        && (a.seq, a.ack) == (b.seq, b.ack)
        && b.window > a.window
}

/// A user call on `conn`, as the model's scripts make them, to `remote` for an active OPEN.
/// SEND sends one octet.
pub fn user_call(
    conn: &mut Connection,
    now: Instant,
    remote: SocketAddrV4,
    call: Call,
) -> Result<(), CallError> {
    match call {
        Call::OpenActive => conn.open_active(now, remote),
        Call::OpenPassive => conn.open_passive(None),
        Call::Send => conn.send(now, b"x").map(|_| ()),
        Call::Close => conn.close(now),
        Call::Abort => conn.abort(),
    }
}

/// Adds the model's event for a refused call to `obs`.
pub fn add_call_error(obs: &mut Observation, call: Call, result: Result<(), CallError>) {
    if let Err(e) = result {
        match abstraction::call_error(e) {
            Some(ev) => obs.events.add(ev),
            None => panic!("{call:?} failed with an error the model has no word for: {e}"),
        }
    }
}

/// What one input made an endpoint send and report, in the model's terms, and the indices
/// of the packets that count as the model's segments (all but window updates, which the
/// model has no step for: see [`window_update`]). Panics on a segment the model cannot
/// represent (more than one octet of text).
pub fn observe(packets: &[Packet], events: &[Event]) -> (Observation, Vec<usize>) {
    let mut obs = Observation::default();
    let mut kept = Vec::new();
    let mut last: Option<&Packet> = None;
    for (k, p) in packets.iter().enumerate() {
        if last.is_some_and(|prev| window_update(prev, p)) {
            continue;
        }
        last = Some(p);
        match abstraction::segment(&p.segment) {
            Some(s) => obs.sent.push(s),
            None => panic!(
                "endpoint sent {} octets in one segment",
                p.segment.payload.len()
            ),
        }
        kept.push(k);
    }
    for &e in events {
        obs.events.add(abstraction::event(e));
    }
    (obs, kept)
}

/// A `synfin-tcp` connection at `local`, talking to `remote`, with the clock beside it.
pub struct Endpoint {
    pub conn: Connection,
    pub local: SocketAddrV4,
    pub remote: SocketAddrV4,
    pub now: Instant,
    /// Octets read from the connection so far (the model's `delivered`).
    pub delivered: u32,
    /// The window the peer advertises in every segment the harness sends.
    pub peer_window: u16,
}

impl Endpoint {
    /// Host `i` of a pair (0 is A at `ADDR_A`, 1 is B at `ADDR_B`) with ISS `iss`.
    pub fn new(i: usize, iss: u32, cfg: Config) -> Endpoint {
        let (local, remote) = if i == 0 {
            (ADDR_A, ADDR_B)
        } else {
            (ADDR_B, ADDR_A)
        };
        Endpoint {
            conn: Connection::with_isn(cfg, local, FixedIsn(iss)),
            local,
            remote,
            now: Instant::ZERO,
            delivered: 0,
            peer_window: u16::MAX,
        }
    }

    /// A user call, as the model's scripts make them. SEND sends one octet.
    pub fn call(&mut self, call: Call) -> Observation {
        let result = user_call(&mut self.conn, self.now, self.remote, call);
        let mut obs = self.collect();
        add_call_error(&mut obs, call, result);
        obs
    }

    /// A segment from the peer.
    pub fn arrive(&mut self, seg: &MSegment) -> Observation {
        let packet = Packet {
            src: self.remote,
            dst: self.local,
            segment: abstraction::wire(seg, self.peer_window),
        };
        self.arrive_packet(&packet)
    }

    /// A packet from the peer, as it came off the network.
    pub fn arrive_packet(&mut self, packet: &Packet) -> Observation {
        // Addressed to us, from our peer: `NotOurs` cannot happen.
        if let Err(e) = self.conn.handle_packet(self.now, packet) {
            panic!("endpoint refused a packet addressed to it: {e}");
        }
        self.collect()
    }

    /// The next deadline passes: the clock moves to it and the endpoint handles it. `None`
    /// when no timer is set.
    pub fn fire_timer(&mut self) -> Option<Observation> {
        let at = self.conn.poll_timeout()?;
        self.now = self.now.max(at);
        self.conn.handle_timeout(self.now);
        Some(self.collect())
    }

    /// Whether a timer is set.
    pub fn timer_set(&self) -> bool {
        self.conn.poll_timeout().is_some()
    }

    /// Drains what the last input produced: reads all received data (so the window stays
    /// fully open, as the model assumes), and collects segments and events.
    fn collect(&mut self) -> Observation {
        let mut buf = [0u8; 64];
        loop {
            let n = self.conn.recv(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            self.delivered += n as u32;
        }
        let packets: Vec<Packet> = std::iter::from_fn(|| self.conn.poll_transmit()).collect();
        let events: Vec<Event> = std::iter::from_fn(|| self.conn.poll_event()).collect();
        observe(&packets, &events).0
    }

    /// The model's TCB for this endpoint (see [`abstraction::tcb`]).
    pub fn tcb(&self, like: &MTcb) -> MTcb {
        abstraction::tcb(&self.conn, self.delivered, like)
    }
}
