//! Helpers for the RFC 9293 §3.10 unit tests: put one `Connection` into any of the eleven
//! states through real user calls and packets, with sequence variables the test knows; make
//! packets from the peer; drain what the connection sends, and write segments the way the
//! RFC's figures do (`<SEQ=1001><ACK=5001><CTL=ACK>`), with our own formatter so that a
//! mistake in the crate's `Display` cannot hide one in the segments.
//!
//! We are `ADDR_A`; the peer is `ADDR_B`. By default our ISS is 1000 and the peer's is 5000.

#![allow(dead_code)]

use std::time::Duration;
use synfin_tcp::pair::{ADDR_A, ADDR_B};
use synfin_tcp::{
    Config, Connection, Event, FixedIsn, Flags, Instant, Packet, Profile, Segment, SeqNum, State,
};

/// Our initial send sequence number, unless a test picks another.
pub const ISS: u32 = 1000;
/// The peer's initial sequence number (our IRS), unless a test picks another.
pub const IRS: u32 = 5000;
/// The time at which the builder drives the connection.
pub const T0: Instant = Instant::from_millis(10_000);
/// 2 * MSL with the default MSL of 2 minutes (RFC 9293 §3.4.2, MUST-13).
pub const TWO_MSL: Duration = Duration::from_secs(240);

pub const SYN: Flags = Flags::SYN;
pub const ACK: Flags = Flags::ACK;
pub const RST: Flags = Flags::RST;
pub const FIN: Flags = Flags::FIN;

/// `SeqNum(n)`, short.
pub fn s(n: u32) -> SeqNum {
    SeqNum(n)
}

/// A connection in each state where §3.10.7.4 applies, built from `setup`, with SYN-RECEIVED
/// from both a passive and an active OPEN; each with the RFC name to report failures.
pub fn synchronized(setup: Setup) -> Vec<(&'static str, Tcp)> {
    let mut v = vec![
        (
            "SYN-RECEIVED (passive)",
            setup.clone().passive().build(State::SynReceived),
        ),
        (
            "SYN-RECEIVED (active)",
            setup.clone().active().build(State::SynReceived),
        ),
    ];
    for st in &State::ALL[4..] {
        v.push((st.rfc_name(), setup.clone().active().build(*st)));
    }
    v
}

/// How the connection left CLOSED on its way to the target state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// OPEN active: SYN-SENT, then the peer's SYN,ACK (or, for SYN-RECEIVED, its bare SYN:
    /// a simultaneous open).
    Active,
    /// OPEN passive: LISTEN, then the peer's SYN, then (for ESTABLISHED and on) its ACK.
    Passive,
}

/// Builds a [`Tcp`] in a chosen state.
#[derive(Clone, Debug)]
pub struct Setup {
    pub cfg: Config,
    pub iss: u32,
    pub irs: u32,
    pub open: Open,
    /// The window the peer advertises on every segment it sends.
    pub peer_wnd: u16,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            cfg: Config::default(),
            iss: ISS,
            irs: IRS,
            open: Open::Active,
            peer_wnd: 65535,
        }
    }
}

impl Setup {
    pub fn new() -> Setup {
        Setup::default()
    }
    pub fn isns(mut self, iss: u32, irs: u32) -> Setup {
        self.iss = iss;
        self.irs = irs;
        self
    }
    pub fn passive(mut self) -> Setup {
        self.open = Open::Passive;
        self
    }
    pub fn active(mut self) -> Setup {
        self.open = Open::Active;
        self
    }
    pub fn profile(mut self, p: Profile) -> Setup {
        self.cfg.profile = p;
        self
    }
    pub fn rfc1337(mut self, on: bool) -> Setup {
        self.cfg.rfc1337 = on;
        self
    }
    pub fn peer_wnd(mut self, w: u16) -> Setup {
        self.peer_wnd = w;
        self
    }
    pub fn recv_buffer(mut self, n: u16) -> Setup {
        self.cfg.recv_buffer = n;
        self
    }
    pub fn send_buffer(mut self, n: usize) -> Setup {
        self.cfg.send_buffer = n;
        self
    }

    /// A connection in `target`, reached through real calls and packets; its output and
    /// events on the way are drained.
    ///
    /// | state        | SND.UNA | SND.NXT | RCV.NXT | how                                     |
    /// |--------------|---------|---------|---------|-----------------------------------------|
    /// | SYN-SENT     | ISS     | ISS+1   | -       | OPEN active                             |
    /// | SYN-RECEIVED | ISS     | ISS+1   | IRS+1   | LISTEN + SYN, or SYN-SENT + SYN         |
    /// | ESTABLISHED  | ISS+1   | ISS+1   | IRS+1   | SYN-SENT + SYN,ACK, or SYN-RCVD + ACK   |
    /// | FIN-WAIT-1   | ISS+1   | ISS+2   | IRS+1   | CLOSE (our FIN is ISS+1)                |
    /// | FIN-WAIT-2   | ISS+2   | ISS+2   | IRS+1   | ACK of our FIN                          |
    /// | CLOSE-WAIT   | ISS+1   | ISS+1   | IRS+2   | peer FIN (its FIN is IRS+1)             |
    /// | CLOSING      | ISS+1   | ISS+2   | IRS+2   | FIN-WAIT-1 + peer FIN not acking ours   |
    /// | LAST-ACK     | ISS+1   | ISS+2   | IRS+2   | CLOSE-WAIT + CLOSE                      |
    /// | TIME-WAIT    | ISS+2   | ISS+2   | IRS+2   | FIN-WAIT-2 + peer FIN                   |
    pub fn build(self, target: State) -> Tcp {
        let conn = Connection::with_isn(self.cfg.clone(), ADDR_A, FixedIsn(self.iss));
        let iss = SeqNum(self.iss);
        let irs = SeqNum(self.irs);
        let mut t = Tcp {
            conn,
            now: T0,
            iss,
            irs,
            snd_nxt: iss + 1,
            rcv_nxt: irs + 1,
            peer_wnd: self.peer_wnd,
        };
        if target == State::Closed {
            return t;
        }
        let passive = self.open == Open::Passive;
        if passive {
            t.conn.open_passive(None).unwrap();
            t.step(State::Listen);
            if target == State::Listen {
                return t;
            }
            t.conn_arrive(Flags::SYN, irs, SeqNum(0), b"");
            t.step(State::SynReceived);
        } else {
            assert_ne!(target, State::Listen, "LISTEN needs a passive open");
            t.conn.open_active(t.now, ADDR_B).unwrap();
            t.step(State::SynSent);
            if target == State::SynSent {
                return t;
            }
            if target == State::SynReceived {
                t.conn_arrive(Flags::SYN, irs, SeqNum(0), b"");
                t.step(State::SynReceived);
                return t;
            }
            t.conn_arrive(Flags::SYN | Flags::ACK, irs, iss + 1, b"");
            t.step(State::Established);
        }
        if target == State::SynReceived {
            return t;
        }
        if passive {
            t.conn_arrive(Flags::ACK, irs + 1, iss + 1, b"");
            t.step(State::Established);
        }
        let (fin, ack) = (Flags::FIN | Flags::ACK, Flags::ACK);
        match target {
            State::Established => {}
            State::FinWait1 | State::FinWait2 | State::Closing | State::TimeWait => {
                t.conn.close(t.now).unwrap();
                t.snd_nxt = iss + 2;
                t.step(State::FinWait1);
                match target {
                    State::FinWait2 => {
                        t.conn_arrive(ack, irs + 1, iss + 2, b"");
                        t.step(State::FinWait2);
                    }
                    State::Closing => {
                        t.conn_arrive(fin, irs + 1, iss + 1, b"");
                        t.rcv_nxt = irs + 2;
                        t.step(State::Closing);
                    }
                    State::TimeWait => {
                        t.conn_arrive(ack, irs + 1, iss + 2, b"");
                        t.step(State::FinWait2);
                        t.conn_arrive(fin, irs + 1, iss + 2, b"");
                        t.rcv_nxt = irs + 2;
                        t.step(State::TimeWait);
                    }
                    _ => {}
                }
            }
            State::CloseWait | State::LastAck => {
                t.conn_arrive(fin, irs + 1, iss + 1, b"");
                t.rcv_nxt = irs + 2;
                t.step(State::CloseWait);
                if target == State::LastAck {
                    t.conn.close(t.now).unwrap();
                    t.snd_nxt = iss + 2;
                    t.step(State::LastAck);
                }
            }
            other => unreachable!("no path to {other}"),
        }
        t
    }
}

/// The connection under test in a known state: `ADDR_A`, with the peer at `ADDR_B`.
pub struct Tcp {
    pub conn: Connection,
    pub now: Instant,
    pub iss: SeqNum,
    pub irs: SeqNum,
    /// SND.NXT as the builder drove it (not read back from the connection).
    pub snd_nxt: SeqNum,
    /// RCV.NXT as the builder drove it (not read back from the connection).
    pub rcv_nxt: SeqNum,
    pub peer_wnd: u16,
}

/// A connection in `state` with the default setup (active open, ISS 1000, IRS 5000).
pub fn at(state: State) -> Tcp {
    Setup::new().build(state)
}

impl Tcp {
    /// One builder step: the state must be `expected`; output and events are dropped.
    fn step(&mut self, expected: State) {
        assert_eq!(self.conn.state(), expected, "builder: state");
        self.out();
        self.events();
    }

    fn conn_arrive(&mut self, flags: Flags, seq: SeqNum, ack: SeqNum, data: &[u8]) {
        let p = self.pkt(flags, seq, ack, data);
        self.conn.handle_packet(self.now, &p).unwrap();
    }

    /// A packet from the peer to us, advertising `peer_wnd`.
    pub fn pkt(&self, flags: Flags, seq: SeqNum, ack: SeqNum, data: &[u8]) -> Packet {
        peer_packet(flags, seq, ack, self.peer_wnd, data)
    }

    /// The peer's segment arrives now; returns what we send in reply.
    pub fn arrive(&mut self, flags: Flags, seq: SeqNum, ack: SeqNum, data: &[u8]) -> Vec<Segment> {
        let p = self.pkt(flags, seq, ack, data);
        self.arrive_pkt(&p)
    }

    /// The peer's segment arrives now and draws no reply.
    #[track_caller]
    pub fn quiet(&mut self, flags: Flags, seq: SeqNum, ack: SeqNum, data: &[u8]) {
        let out = self.arrive(flags, seq, ack, data);
        assert_segs(&out, &[]);
    }

    /// A given packet arrives now; returns what we send in reply.
    pub fn arrive_pkt(&mut self, p: &Packet) -> Vec<Segment> {
        self.conn
            .handle_packet(self.now, p)
            .expect("packet is ours");
        self.out()
    }

    /// Drains `poll_transmit`; every packet must go from us to the peer.
    pub fn out(&mut self) -> Vec<Segment> {
        let mut v = Vec::new();
        while let Some(p) = self.conn.poll_transmit() {
            assert_eq!((p.src, p.dst), (ADDR_A, ADDR_B), "addresses of {p:?}");
            v.push(p.segment);
        }
        v
    }

    /// Drains `poll_event`.
    pub fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.conn.poll_event()).collect()
    }

    pub fn state(&self) -> State {
        self.conn.state()
    }

    /// Asserts the state and drains and asserts the events since the last drain.
    #[track_caller]
    pub fn check(&mut self, state: State, events: &[Event]) {
        assert_eq!(self.conn.state(), state, "state");
        assert_eq!(self.events(), events, "events in {state}");
    }

    /// Reads everything received so far.
    pub fn read_all(&mut self) -> Vec<u8> {
        let mut buf = vec![0; 1 << 17];
        let n = self.conn.recv(&mut buf).unwrap_or(0);
        buf.truncate(n);
        buf
    }

    /// Moves the clock and fires due timers.
    pub fn advance(&mut self, d: Duration) {
        self.now = self.now + d;
        self.conn.handle_timeout(self.now);
    }
}

/// A packet from `ADDR_B` to `ADDR_A`.
pub fn peer_packet(flags: Flags, seq: SeqNum, ack: SeqNum, wnd: u16, data: &[u8]) -> Packet {
    Packet {
        src: ADDR_B,
        dst: ADDR_A,
        segment: Segment {
            seq,
            ack: if flags.ack() { ack } else { SeqNum(0) },
            flags,
            window: wnd,
            payload: data.to_vec(),
            ..Segment::default()
        },
    }
}

fn flag_names(f: Flags) -> String {
    let names = [
        (Flags::SYN, "SYN"),
        (Flags::FIN, "FIN"),
        (Flags::RST, "RST"),
        (Flags::PSH, "PSH"),
        (Flags::ACK, "ACK"),
        (Flags::URG, "URG"),
    ];
    let set: Vec<&str> = names
        .iter()
        .filter(|(b, _)| f.0 & b.0 != 0)
        .map(|(_, n)| *n)
        .collect();
    set.join(",")
}

fn render(flags: Flags, seq: SeqNum, ack: SeqNum, len: usize) -> String {
    let mut s = format!("<SEQ={}>", seq.0);
    if flags.0 & Flags::ACK.0 != 0 {
        s += &format!("<ACK={}>", ack.0);
    }
    s += &format!("<CTL={}>", flag_names(flags));
    if len > 0 {
        s += &format!("<DATA={len}>");
    }
    s
}

/// A segment written as in RFC 9293's figures (ACK shown only with the ACK bit).
pub fn show(s: &Segment) -> String {
    render(s.flags, s.seq, s.ack, s.payload.len())
}

/// All segments, written with [`show`].
pub fn shows(v: &[Segment]) -> Vec<String> {
    v.iter().map(show).collect()
}

/// `<SEQ=seq><ACK=ack><CTL=ACK>`.
pub fn ack(seq: SeqNum, ack: SeqNum) -> String {
    render(Flags::ACK, seq, ack, 0)
}
/// `<SEQ=seq><CTL=SYN>`.
pub fn syn(seq: SeqNum) -> String {
    render(Flags::SYN, seq, SeqNum(0), 0)
}
/// `<SEQ=seq><ACK=ack><CTL=SYN,ACK>`.
pub fn syn_ack(seq: SeqNum, ack: SeqNum) -> String {
    render(Flags::SYN | Flags::ACK, seq, ack, 0)
}
/// `<SEQ=seq><ACK=ack><CTL=FIN,ACK>`.
pub fn fin_ack(seq: SeqNum, ack: SeqNum) -> String {
    render(Flags::FIN | Flags::ACK, seq, ack, 0)
}
/// `<SEQ=seq><CTL=RST>`.
pub fn rst(seq: SeqNum) -> String {
    render(Flags::RST, seq, SeqNum(0), 0)
}
/// `<SEQ=seq><ACK=ack><CTL=RST,ACK>`.
pub fn rst_ack(seq: SeqNum, ack: SeqNum) -> String {
    render(Flags::RST | Flags::ACK, seq, ack, 0)
}
/// A data segment, the last of a SEND: `<SEQ=seq><ACK=ack><CTL=PSH,ACK><DATA=len>`.
pub fn data(seq: SeqNum, ack: SeqNum, len: usize) -> String {
    render(Flags::PSH | Flags::ACK, seq, ack, len)
}
/// The last data segment carrying the FIN: `<CTL=FIN,PSH,ACK><DATA=len>`.
pub fn data_fin(seq: SeqNum, ack: SeqNum, len: usize) -> String {
    render(Flags::FIN | Flags::PSH | Flags::ACK, seq, ack, len)
}

/// Asserts the exact segments, in order.
#[track_caller]
pub fn assert_segs(out: &[Segment], expected: &[String]) {
    assert_eq!(shows(out), expected, "segments sent");
}

/// Asserts that `out` is `len` octets of data from `seq` followed by a FIN, either on the last
/// data segment or on a segment of its own (RFC 9293 §3.10.4 allows both: "form a FIN segment
/// and send it" once the data is segmentized). Only the positions are checked.
#[track_caller]
pub fn assert_data_then_fin(out: &[Segment], seq: SeqNum, ack: SeqNum, len: usize) {
    let mut next = seq;
    let mut sent = 0;
    for (i, s) in out.iter().enumerate() {
        assert_eq!(
            s.seq,
            next,
            "segment {i} of {:?} starts where the last ended",
            shows(out)
        );
        assert!(
            s.flags.ack() && s.ack == ack,
            "segment {i} carries <ACK={}>",
            ack.0
        );
        assert!(!s.flags.syn() && !s.flags.rst());
        next = next + s.payload.len() as u32;
        sent += s.payload.len();
        if s.flags.fin() {
            assert_eq!(i, out.len() - 1, "nothing after the FIN: {:?}", shows(out));
            assert_eq!(sent, len, "FIN after all {len} octets: {:?}", shows(out));
            return;
        }
    }
    panic!("no FIN in {:?}", shows(out));
}

/// Two endpoints with the default configuration joined by a `Pair`: A (ISS 100) and B (ISS 300).
pub fn pair() -> synfin_tcp::pair::Pair {
    synfin_tcp::pair::Pair::new(
        synfin_tcp::Config::default(),
        synfin_tcp::FixedIsn(100),
        synfin_tcp::Config::default(),
        synfin_tcp::FixedIsn(300),
    )
}

/// [`pair`] over a network of one-way `latency`: B listens, A opens, the SYN is in flight.
pub fn pair_connecting(latency: Duration) -> synfin_tcp::pair::Pair {
    use synfin_tcp::pair::Side;
    let mut p = pair();
    p.net.latency = latency;
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    p
}
