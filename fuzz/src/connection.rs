//! The `connection` target: one live `synfin_tcp::Connection` fed a sequence of user calls,
//! arriving segments and clock moves decoded from the fuzz input, with [`check_step`] after
//! every step.
//!
//! Included as a module by the fuzz crate and by `impl/tests/fuzz_corpus_connection.rs`, so
//! the corpus replay runs the same checks as the fuzzer. It uses nothing but `std` and
//! `synfin_tcp`: the input is read with the small [`Input`] reader below rather than
//! `arbitrary`, so that the replay test needs no extra dependency.
//!
//! Input layout: three octets of configuration, four of ISS, then operations until the
//! input runs out, each an opcode octet and its operands (see [`Op`]). Sequence and
//! acknowledgment numbers of arriving segments are mostly chosen relative to the live
//! RCV.NXT / SND.UNA / SND.NXT, so that the fuzzer reaches every state quickly.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;
use synfin_tcp::pair::{ADDR_A, ADDR_B};
use synfin_tcp::{
    CallError, Config, Connection, Event, FixedIsn, Flags, InputError, Instant, Packet, Profile,
    Segment, SeqNum, State, Tcb,
};

/// We are `ADDR_A`; the peer is `ADDR_B`; a third socket sends now and then.
const STRANGER: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 7), 1234);

/// A reader over the fuzz input that answers zeros once it runs out.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Input<'a> {
        Input { data }
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }
    pub fn u32(&mut self) -> u32 {
        u32::from_be_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    pub fn u64(&mut self) -> u64 {
        (u64::from(self.u32()) << 32) | u64::from(self.u32())
    }
    pub fn i8(&mut self) -> i8 {
        self.u8() as i8
    }
    /// Up to `n` octets (fewer at the end of the input).
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }
}

/// The configuration: profile and RFC 1337 switch, buffer sizes, MSS, retry budgets, MSL and
/// RTO bounds, all within what a caller may sensibly set (min RTO =< initial =< max, MSL at
/// most a day).
pub fn config(input: &mut Input<'_>) -> Config {
    let (a, b, c) = (input.u8(), input.u8(), input.u8());
    let mut cfg = Config::default();
    if a & 1 != 0 {
        cfg.profile = Profile::Rfc793;
    }
    cfg.rfc1337 = a & 2 == 0;
    cfg.recv_buffer = match (a >> 2) & 3 {
        0 => 65535,
        1 => u16::from(b),
        2 => 1,
        _ => 0,
    };
    cfg.send_buffer = match (a >> 4) & 3 {
        0 => 65536,
        1 => usize::from(b) * 4,
        2 => 1,
        _ => 0,
    };
    if a & 0x40 != 0 {
        cfg.syn_retries = u32::from(c & 3);
        cfg.retries = u32::from((c >> 2) & 3);
    }
    if a & 0x80 != 0 {
        cfg.msl = Duration::from_millis(u64::from(b) * 1000 + 1);
    }
    match (c >> 4) & 3 {
        0 => {}
        1 => {
            cfg.min_rto = Duration::from_millis(1);
            cfg.initial_rto = Duration::from_millis(1);
            cfg.max_rto = Duration::from_millis(4);
        }
        2 => {
            cfg.min_rto = Duration::ZERO;
            cfg.initial_rto = Duration::from_millis(200);
        }
        _ => {
            cfg.max_rto = Duration::from_secs(86_400);
            cfg.initial_rto = Duration::from_secs(3);
        }
    }
    cfg.mss = match c >> 6 {
        0 => 1460,
        1 => 1,
        2 => 0,
        _ => 536,
    };
    cfg
}

/// The user calls and the two other kinds of input.
#[derive(Clone, Debug)]
pub enum Op {
    OpenActive(SocketAddrV4),
    OpenPassive(Option<SocketAddrV4>),
    Send(usize),
    Recv(usize),
    Close,
    Abort,
    SetProfile(Profile),
    /// A parsed packet, through `handle_packet`.
    Packet(Packet),
    /// Octets, through `handle_bytes`: a packet encoded (possibly with octets changed), or raw
    /// fuzz octets.
    Bytes(Ipv4Addr, Ipv4Addr, Vec<u8>),
    /// The clock moves on by this much, then `handle_timeout`.
    Clock(Duration),
    /// The clock moves to the next deadline (if any), then `handle_timeout`.
    ToDeadline,
}

/// A sequence number relative to one of the connection's live variables, or anywhere.
fn relative(input: &mut Input<'_>, bases: [SeqNum; 3]) -> SeqNum {
    let sel = input.u8();
    match sel & 3 {
        3 => SeqNum(input.u32()),
        i => bases[usize::from(i)].wrapping_add(i32::from(input.i8()) as u32),
    }
}

/// The segment an arriving-packet operation builds against the connection as it is now.
fn segment(input: &mut Input<'_>, c: &Connection) -> (SocketAddrV4, SocketAddrV4, Segment) {
    let t = c.tcb();
    let how = input.u8();
    let flags = Flags(input.u8());
    let seq = relative(input, [t.rcv_nxt, t.irs, t.rcv_nxt.wrapping_add(t.rcv_wnd)]);
    let ack = relative(input, [t.snd_nxt, t.snd_una, t.iss]);
    let window = match how & 3 {
        0 => 65535,
        1 => 0,
        _ => input.u16(),
    };
    let mss = (how & 4 != 0).then(|| input.u16());
    let len = match (how >> 3) & 3 {
        0 => 0,
        1 => usize::from(input.u8() & 7),
        2 => usize::from(input.u8()),
        _ => usize::from(input.u16() & 0x0fff),
    };
    let payload = (0..len).map(|i| i as u8).collect();
    let urgent = if how & 0x20 != 0 { input.u16() } else { 0 };
    let (src, dst) = match how >> 6 {
        0 | 1 => (ADDR_B, ADDR_A),
        2 => (STRANGER, ADDR_A),
        _ => (
            ADDR_B,
            SocketAddrV4::new(*ADDR_A.ip(), ADDR_A.port().wrapping_add(1)),
        ),
    };
    let seg = Segment {
        seq,
        ack,
        flags,
        window,
        urgent,
        mss,
        payload,
    };
    (src, dst, seg)
}

/// Reads the next operation; `c` is the connection as it is before it.
pub fn op(input: &mut Input<'_>, c: &Connection) -> Op {
    match input.u8() % 16 {
        0 => Op::OpenActive(if input.u8() & 7 == 0 {
            STRANGER
        } else {
            ADDR_B
        }),
        1 => Op::OpenPassive(match input.u8() & 3 {
            0 => Some(ADDR_B),
            1 => Some(STRANGER),
            _ => None,
        }),
        2 => Op::Send(match input.u8() {
            0xff => usize::from(input.u16()),
            n => usize::from(n),
        }),
        3 => Op::Recv(usize::from(input.u16())),
        4 => Op::Close,
        5 => Op::Abort,
        6 => Op::SetProfile(if input.u8() & 1 == 0 {
            Profile::Rfc5961
        } else {
            Profile::Rfc793
        }),
        7..=10 => {
            let (src, dst, segment) = segment(input, c);
            Op::Packet(Packet { src, dst, segment })
        }
        11 => {
            // Encoded, then (maybe) one octet changed or cut short.
            let (src, dst, segment) = segment(input, c);
            let p = Packet { src, dst, segment };
            let mut bytes = p.encode().unwrap_or_default();
            let at = usize::from(input.u16());
            let x = input.u8();
            match x & 3 {
                0 => {}
                1 if !bytes.is_empty() => {
                    let i = at % bytes.len();
                    bytes[i] ^= x | 1;
                }
                _ => bytes.truncate(at % (bytes.len() + 1)),
            }
            Op::Bytes(*src.ip(), *dst.ip(), bytes)
        }
        12 => {
            let n = usize::from(input.u8());
            Op::Bytes(*ADDR_B.ip(), *ADDR_A.ip(), input.bytes(n).to_vec())
        }
        13 => Op::Clock(Duration::from_millis(u64::from(input.u16()))),
        14 => Op::Clock(match input.u8() {
            0xff => Duration::from_secs(input.u64()),
            s => Duration::from_secs(u64::from(s) * 60),
        }),
        _ => Op::ToDeadline,
    }
}

/// Runs a whole input: the checks of [`check_step`] after every operation.
pub fn check(data: &[u8]) -> Result<(), String> {
    run(data, false)
}

/// [`check`], printing every operation and the state it leads to on stderr when `trace`
/// (for a look at what an input does: `SYNFIN_FUZZ_TRACE=1` in the replay test).
pub fn run(data: &[u8], trace: bool) -> Result<(), String> {
    let mut input = Input::new(data);
    let cfg = config(&mut input);
    let iss = input.u32();
    let mut c = Connection::with_isn(cfg, ADDR_A, FixedIsn(iss));
    let mut now = Instant::from_millis(1_000);
    let mut connected = false;
    let mut steps = 0usize;
    while !input.is_empty() {
        let op = op(&mut input, &c);
        let before = snap(&c);
        let outcome = match &op {
            Op::OpenActive(r) => Outcome::Call(c.open_active(now, *r).map(|()| 0)),
            Op::OpenPassive(r) => Outcome::Call(c.open_passive(*r).map(|()| 0)),
            Op::Send(n) => {
                let data: Vec<u8> = (0..*n).map(|i| (i * 7) as u8).collect();
                Outcome::Call(c.send(now, &data))
            }
            Op::Recv(n) => Outcome::Call(c.recv(&mut vec![0; *n])),
            Op::Close => Outcome::Call(c.close(now).map(|()| 0)),
            Op::Abort => Outcome::Call(c.abort().map(|()| 0)),
            Op::SetProfile(p) => {
                c.set_profile(*p);
                Outcome::Call(Ok(0))
            }
            Op::Packet(p) => Outcome::Input(c.handle_packet(now, p)),
            Op::Bytes(src, dst, b) => Outcome::Input(c.handle_bytes(now, *src, *dst, b)),
            Op::Clock(d) => {
                now = now + *d;
                c.handle_timeout(now);
                Outcome::Timer
            }
            Op::ToDeadline => {
                if let Some(d) = c.poll_timeout() {
                    now = now.max(d);
                }
                c.handle_timeout(now);
                Outcome::Timer
            }
        };
        let step = Step {
            op: &op,
            outcome: &outcome,
            before,
            now,
        };
        if trace {
            eprintln!(
                "{steps:3} {:?} -> {op:?} -> {outcome:?} -> {:?}",
                before.state,
                c.state()
            );
        }
        check_step(&mut c, &step, &mut connected)
            .map_err(|e| format!("step {steps}: {op:?} in {:?}: {e}", before.state))?;
        // A connection that is gone, or listening again, has not been connected.
        if matches!(c.state(), State::Closed | State::Listen) {
            connected = false;
        }
        steps += 1;
    }
    Ok(())
}

/// What an operation returned.
#[derive(Clone, Debug)]
pub enum Outcome {
    Call(Result<usize, CallError>),
    Input(Result<(), InputError>),
    Timer,
}

/// What of a connection a step may change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap {
    pub state: State,
    pub tcb: Tcb,
    pub remote: Option<SocketAddrV4>,
    pub send_q: usize,
    pub recv_q: usize,
    pub timeout: Option<Instant>,
    pub fin_received: bool,
}

pub fn snap(c: &Connection) -> Snap {
    Snap {
        state: c.state(),
        tcb: *c.tcb(),
        remote: c.remote(),
        send_q: c.send_queue_len(),
        recv_q: c.recv_queue_len(),
        timeout: c.poll_timeout(),
        fin_received: c.fin_received(),
    }
}

pub struct Step<'a> {
    pub op: &'a Op,
    pub outcome: &'a Outcome,
    pub before: Snap,
    pub now: Instant,
}

fn is_terminal(e: &Event) -> bool {
    matches!(
        e,
        Event::Closed | Event::Reset | Event::Refused | Event::TimedOut
    )
}

/// ESTABLISHED and every state after it in Figure 5.
fn established_or_later(s: State) -> bool {
    s.is_synchronized() && s != State::SynReceived
}

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)*) => {
        if !$cond {
            return Err(format!($($fmt)*));
        }
    };
}

/// Drains what one step made `c` send and report, and checks (RFC 9293 sections named):
///
/// * sequence variables: SND.UNA =< SND.NXT modulo 2^32 (§3.4, Figure 3); outside CLOSED and
///   LISTEN at most the send buffer plus SYN and FIN in flight; RCV.WND never more than the
///   free receive buffer (§3.8.6);
/// * timers: none in CLOSED; the 2MSL timer in TIME-WAIT (§3.10.8); a retransmission timer
///   whenever sequence space is outstanding (RFC 6298 (5.1)); no due deadline is left after
///   `handle_timeout`;
/// * input that is refused (not ours, not a segment) changes nothing; CLOSED stays CLOSED
///   until an OPEN, reports nothing, and answers only with resets (§3.10.7.1);
/// * user calls move between states as §3.10.1–§3.10.5 say and return their errors in the
///   states where those apply; OPEN active sends exactly `<SEQ=ISS><CTL=SYN>`; ABORT sends
///   `<SEQ=SND.NXT><CTL=RST>` exactly from SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2 and
///   CLOSE-WAIT;
/// * events: a step into CLOSED reports exactly one terminal event (Closed, Reset, Refused,
///   TimedOut), as its last event, and no other step reports one; "connected" only from
///   SYN-SENT or SYN-RECEIVED into ESTABLISHED-or-later, once per connection, and always on
///   that move by a segment; "connection refused" only from SYN-SENT / SYN-RECEIVED,
///   "connection reset" only from a synchronized state, "timed out" only on a timer;
///   Readable exactly when received text was queued; PeerClosed exactly when the peer's FIN
///   was processed (§3.10.7.4, eighth step) and then in CLOSE-WAIT, CLOSING, LAST-ACK or
///   TIME-WAIT;
/// * segments: from our socket, to the peer or to the sender of the segment answered;
///   each encodes and decodes back unchanged; a RST carries no text, SYN or FIN, never
///   answers a RST, never comes from a timer, and answering a segment has the form of
///   §3.10.7.1; every other segment but our first SYN carries ACK = RCV.NXT and only
///   sequence space between SND.UNA and SND.NXT; a SYN only while our SYN is unacknowledged.
pub fn check_step(c: &mut Connection, step: &Step<'_>, connected: &mut bool) -> Result<(), String> {
    let packets: Vec<Packet> = std::iter::from_fn(|| c.poll_transmit()).collect();
    let events: Vec<Event> = std::iter::from_fn(|| c.poll_event()).collect();
    let before = step.before;
    let after = snap(c);
    let (state, t) = (after.state, after.tcb);
    let detail = || {
        format!(
            "now {:?}; tcb {t:?}; sent {packets:?}; events {events:?}",
            step.now
        )
    };

    // Sequence variables.
    ensure!(
        t.snd_una.le(t.snd_nxt),
        "SND.UNA > SND.NXT in {state:?}: {}",
        detail()
    );
    if !matches!(state, State::Closed | State::Listen) {
        ensure!(
            t.snd_nxt.since(t.snd_una) as usize <= after.send_q + 2,
            "more in flight than the send buffer ({}) + SYN + FIN: {}",
            after.send_q,
            detail()
        );
    }
    ensure!(
        t.rcv_wnd as usize + after.recv_q <= usize::from(c.config().recv_buffer),
        "RCV.WND beyond the free receive buffer ({} queued): {}",
        after.recv_q,
        detail()
    );

    // Timers.
    match state {
        State::Closed => {
            ensure!(after.timeout.is_none(), "a timer in CLOSED: {}", detail());
            ensure!(after.remote.is_none(), "a TCB kept in CLOSED: {}", detail());
        }
        State::TimeWait => ensure!(
            after.timeout.is_some(),
            "TIME-WAIT without its timer: {}",
            detail()
        ),
        State::Listen => {}
        _ => ensure!(
            t.snd_una == t.snd_nxt || after.timeout.is_some(),
            "sequence space outstanding without a retransmission timer in {state:?}: {}",
            detail()
        ),
    }
    // At the end of time (`Instant` saturates) a timer restarted "now + RTO" is due at once.
    let end_of_time = step.now + Duration::from_nanos(1) == step.now;
    if matches!(step.outcome, Outcome::Timer) && !end_of_time {
        ensure!(
            after.timeout.is_none_or(|d| d > step.now),
            "a due deadline {:?} is left after handle_timeout: {}",
            after.timeout,
            detail()
        );
    }

    // Refused input changes nothing.
    let arrived = match step.op {
        Op::Packet(p) => Some(p.clone()),
        Op::Bytes(src, dst, b) => Packet::decode(*src, *dst, b).ok(),
        _ => None,
    };
    if let Outcome::Input(r) = step.outcome {
        // `InputError::NotOurs`: another local socket, or (outside CLOSED) another remote one.
        let not_ours = |p: &Packet| {
            p.dst != c.local()
                || (before.state != State::Closed && before.remote.is_some_and(|r| r != p.src))
        };
        match r {
            Ok(()) => ensure!(
                arrived.as_ref().is_some_and(|p| !not_ours(p)),
                "accepted input that is not a segment for us: {}",
                detail()
            ),
            Err(InputError::Wire(e)) => ensure!(
                arrived.is_none(),
                "decodable input refused as {e}: {}",
                detail()
            ),
            Err(InputError::NotOurs) => ensure!(
                arrived.as_ref().is_some_and(not_ours),
                "our peer's segment refused as not ours: {}",
                detail()
            ),
        }
        if r.is_err() {
            ensure!(
                after == before && packets.is_empty() && events.is_empty(),
                "refused input ({r:?}) changed something: {before:?} -> {after:?}; {}",
                detail()
            );
        }
    }
    if before.state == State::Closed && !matches!(step.outcome, Outcome::Call(_)) {
        ensure!(
            state == State::Closed && events.is_empty(),
            "CLOSED moved without a call: {}",
            detail()
        );
        ensure!(
            packets.iter().all(|p| p.segment.flags.rst()),
            "CLOSED sent something other than a reset: {}",
            detail()
        );
    }

    // User calls (§3.10.1–§3.10.5).
    if let Outcome::Call(r) = step.outcome {
        let unchanged = state == before.state;
        match (step.op, r) {
            (Op::OpenActive(r), Ok(_)) => {
                ensure!(
                    matches!(before.state, State::Closed | State::Listen)
                        && state == State::SynSent,
                    "OPEN active from {:?} to {state:?}",
                    before.state
                );
                let syn = Segment {
                    seq: t.iss,
                    flags: Flags::SYN,
                    mss: Some(c.config().mss),
                    window: packets.first().map_or(0, |p| p.segment.window),
                    ..Segment::default()
                };
                ensure!(
                    packets.len() == 1 && packets[0].segment == syn && packets[0].dst == *r,
                    "OPEN active did not send <SEQ=ISS><CTL=SYN> to {r}: {}",
                    detail()
                );
            }
            (Op::OpenPassive(_), Ok(_)) => ensure!(
                before.state == State::Closed && state == State::Listen && packets.is_empty(),
                "OPEN passive from {:?} to {state:?}: {}",
                before.state,
                detail()
            ),
            (Op::OpenActive(_), Err(e)) => ensure!(
                *e == CallError::ConnectionExists
                    && !matches!(before.state, State::Closed | State::Listen),
                "OPEN active in {:?}: {e:?}",
                before.state
            ),
            (Op::OpenPassive(_), Err(e)) => ensure!(
                *e == CallError::ConnectionExists && before.state != State::Closed,
                "OPEN passive in {:?}: {e:?}",
                before.state
            ),
            (Op::Send(n), Ok(k)) => {
                ensure!(k <= n, "SEND of {n} octets took {k}");
                ensure!(
                    before.state != State::Closed && !before.state.we_closed(),
                    "SEND accepted in {:?}",
                    before.state
                );
                ensure!(
                    after.send_q == before.send_q + k,
                    "SEND took {k} octets but the queue went from {} to {}",
                    before.send_q,
                    after.send_q
                );
            }
            (Op::Send(n), Err(e)) => {
                let ok = match e {
                    CallError::ConnectionDoesNotExist => before.state == State::Closed,
                    CallError::ForeignSocketUnspecified => before.state == State::Listen,
                    CallError::ConnectionClosing => {
                        before.state.we_closed() || matches!(before.state, State::SynReceived)
                    }
                    CallError::InsufficientResources => {
                        *n > 0 && before.send_q >= c.config().send_buffer
                    }
                    CallError::ConnectionExists => false,
                };
                // §3.10.2, LISTEN with a foreign socket: the connection turns active (SYN,
                // SYN-SENT) before the data is buffered, so a full buffer is reported after
                // that move.
                let moved_ok = unchanged
                    || (*e == CallError::InsufficientResources
                        && before.state == State::Listen
                        && state == State::SynSent);
                ensure!(
                    ok && moved_ok,
                    "SEND in {:?} -> {state:?}: {e:?}",
                    before.state
                );
            }
            (Op::Recv(n), Ok(k)) => ensure!(
                k <= n && after.recv_q + k == before.recv_q && unchanged,
                "RECEIVE of {n}: {k}, queue {} -> {}, {:?} -> {state:?}",
                before.recv_q,
                after.recv_q,
                before.state
            ),
            // §3.10.3: refused only with nothing on hand, "connection does not exist" in
            // CLOSED, "connection closing" once the peer's FIN has arrived.
            (Op::Recv(_), Err(e)) => {
                let ok = match e {
                    CallError::ConnectionDoesNotExist => before.state == State::Closed,
                    CallError::ConnectionClosing => matches!(
                        before.state,
                        State::CloseWait | State::Closing | State::LastAck | State::TimeWait
                    ),
                    _ => false,
                };
                ensure!(
                    ok && before.recv_q == 0 && unchanged,
                    "RECEIVE in {:?} with {} on hand: {e:?}",
                    before.state,
                    before.recv_q
                );
            }
            (Op::Close, Ok(_)) => {
                let to = match before.state {
                    State::Listen | State::SynSent => state == State::Closed,
                    State::SynReceived => matches!(state, State::SynReceived | State::FinWait1),
                    State::Established => state == State::FinWait1,
                    State::CloseWait => state == State::LastAck,
                    _ => false,
                };
                ensure!(to, "CLOSE from {:?} to {state:?}", before.state);
            }
            (Op::Close, Err(e)) => {
                let ok = match e {
                    CallError::ConnectionDoesNotExist => before.state == State::Closed,
                    CallError::ConnectionClosing => before.state.we_closed(),
                    _ => false,
                };
                ensure!(ok && unchanged, "CLOSE in {:?}: {e:?}", before.state);
            }
            (Op::Abort, Ok(_)) => {
                ensure!(
                    before.state != State::Closed && state == State::Closed,
                    "ABORT from {:?} to {state:?}",
                    before.state
                );
                let rst = matches!(
                    before.state,
                    State::SynReceived
                        | State::Established
                        | State::FinWait1
                        | State::FinWait2
                        | State::CloseWait
                );
                let expected: Vec<Segment> = if rst {
                    vec![Segment {
                        seq: before.tcb.snd_nxt,
                        flags: Flags::RST,
                        ..Segment::default()
                    }]
                } else {
                    vec![]
                };
                let sent: Vec<Segment> = packets.iter().map(|p| p.segment.clone()).collect();
                ensure!(
                    sent == expected,
                    "ABORT in {:?} sent {sent:?}",
                    before.state
                );
            }
            (Op::Abort, Err(e)) => ensure!(
                *e == CallError::ConnectionDoesNotExist && before.state == State::Closed,
                "ABORT in {:?}: {e:?}",
                before.state
            ),
            (Op::SetProfile(_), _) => {
                ensure!(unchanged && packets.is_empty(), "a profile change moved")
            }
            (op, r) => return Err(format!("unexpected {op:?} -> {r:?}")),
        }
    }

    // What went out.
    let answered = match step.outcome {
        Outcome::Input(Ok(())) => arrived.as_ref(),
        _ => None,
    };
    for p in &packets {
        let s = &p.segment;
        ensure!(p.src == c.local(), "a packet from {}: {}", p.src, detail());
        ensure!(
            Some(p.dst) == before.remote
                || Some(p.dst) == after.remote
                || Some(p.dst) == answered.map(|a| a.src),
            "a packet to an unknown socket {}: {}",
            p.dst,
            detail()
        );
        let bytes = p
            .encode()
            .map_err(|e| format!("cannot encode {p:?}: {e}"))?;
        let back = Packet::decode(*p.src.ip(), *p.dst.ip(), &bytes);
        ensure!(
            back.as_ref() == Ok(p),
            "{p:?} encodes and decodes as {back:?}"
        );
        if s.flags.rst() {
            ensure!(
                s.payload.is_empty() && !s.flags.syn() && !s.flags.fin(),
                "a RST with text, SYN or FIN: {}",
                detail()
            );
            match (step.outcome, answered) {
                (Outcome::Input(_), Some(a)) => {
                    let i = &a.segment;
                    ensure!(!i.flags.rst(), "a RST answers a RST: {}", detail());
                    ensure!(
                        p.dst == a.src,
                        "a RST to other than the sender: {}",
                        detail()
                    );
                    let form = if i.flags.ack() {
                        (s.seq, s.flags) == (i.ack, Flags::RST)
                    } else {
                        (s.seq, s.ack, s.flags) == (SeqNum(0), i.end(), Flags::RST | Flags::ACK)
                    };
                    ensure!(
                        form,
                        "a RST not of the form of §3.10.7.1 for {i:?}: {}",
                        detail()
                    );
                }
                (Outcome::Call(_), _) => ensure!(
                    matches!(step.op, Op::Abort),
                    "a RST from a call other than ABORT: {}",
                    detail()
                ),
                _ => return Err(format!("a RST on a timer: {}", detail())),
            }
            continue;
        }
        ensure!(
            !matches!(state, State::Closed | State::Listen),
            "{s:?} sent on the way to {state:?}: {}",
            detail()
        );
        ensure!(
            t.snd_una.le(s.seq) && s.end().le(t.snd_nxt),
            "{s:?} outside SND.UNA..SND.NXT: {}",
            detail()
        );
        ensure!(
            s.flags.ack() || (s.flags.syn() && state == State::SynSent),
            "{s:?} without ACK: {}",
            detail()
        );
        if s.flags.ack() {
            ensure!(
                s.ack == t.rcv_nxt,
                "{s:?} acknowledges other than RCV.NXT: {}",
                detail()
            );
        }
        if s.flags.syn() {
            ensure!(
                t.snd_una == t.iss && s.seq == t.iss,
                "a SYN after our SYN was acknowledged: {}",
                detail()
            );
        }
        if state == State::TimeWait {
            ensure!(
                s.payload.is_empty() && !s.flags.syn() && !s.flags.fin(),
                "TIME-WAIT sends more than an ACK: {}",
                detail()
            );
        }
    }

    // Events.
    let terminal = events.iter().filter(|e| is_terminal(e)).count();
    let entered_closed = before.state != State::Closed && state == State::Closed;
    ensure!(
        terminal == usize::from(entered_closed),
        "{terminal} terminal events on {:?} -> {state:?}: {}",
        before.state,
        detail()
    );
    if entered_closed {
        ensure!(
            events.last().is_some_and(is_terminal),
            "events after the terminal one: {}",
            detail()
        );
    }
    let count = |e: Event| events.iter().filter(|&&x| x == e).count();
    let by_segment = matches!(step.outcome, Outcome::Input(Ok(())));
    for e in &events {
        let ok = match e {
            Event::Connected => {
                matches!(before.state, State::SynSent | State::SynReceived)
                    && established_or_later(state)
                    && by_segment
                    && !*connected
            }
            Event::Refused => {
                matches!(before.state, State::SynSent | State::SynReceived) && by_segment
            }
            Event::Reset => before.state.is_synchronized() && by_segment,
            Event::TimedOut => matches!(step.outcome, Outcome::Timer),
            Event::Readable => by_segment,
            Event::PeerClosed => {
                by_segment
                    && matches!(
                        state,
                        State::CloseWait | State::Closing | State::LastAck | State::TimeWait
                    )
                    && after.fin_received
            }
            Event::Closed => true,
        };
        ensure!(
            ok,
            "{e:?} out of place on {:?} -> {state:?}: {}",
            before.state,
            detail()
        );
    }
    ensure!(
        count(Event::Connected) <= 1,
        "two Connected in one step: {}",
        detail()
    );
    if by_segment
        && matches!(before.state, State::SynSent | State::SynReceived)
        && established_or_later(state)
    {
        ensure!(
            count(Event::Connected) == 1,
            "ESTABLISHED reached without Connected: {}",
            detail()
        );
    }
    if count(Event::Connected) == 1 {
        *connected = true;
    }
    ensure!(
        count(Event::Readable)
            == usize::from(after.recv_q > before.recv_q && state != State::Closed),
        "Readable {} times while the receive queue went {} -> {}: {}",
        count(Event::Readable),
        before.recv_q,
        after.recv_q,
        detail()
    );
    if by_segment && !before.fin_received && after.fin_received {
        ensure!(
            count(Event::PeerClosed) == 1,
            "the peer's FIN without PeerClosed: {}",
            detail()
        );
    }
    Ok(())
}
