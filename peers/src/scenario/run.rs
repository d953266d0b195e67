//! The runner: plays a [`Scenario`] between the tester and a [`Peer`], recording every input
//! the peer gets and what it sends right after as `peer_trace::Step`s.
//!
//! Datagrams cross at once. At each quiet point (nothing in flight) the next scripted call is
//! made if its condition holds; otherwise a held (swapped) datagram is released; otherwise the
//! clock runs until the tester's next timer or until the peer sends on its own (a timer step).
//! A run ends when the script is done and both sides are CLOSED or in TIME-WAIT (TIME-WAIT is
//! not waited out), when the clock passes the limit, or when nothing can happen any more.

use super::faults::Faults;
use super::{Ending, Open, Peer, Scenario, Side};
use crate::ipv4;
use crate::link::summary;
use std::collections::VecDeque;
use std::net::SocketAddrV4;
use std::time::Duration;
use synfin_conformance::peer_trace::{self, Input, Step};
use synfin_model::script::Call;
use synfin_model::{Reading, State as MState};
use synfin_tcp::{Config, Connection, FixedIsn, Instant, Packet, State};

/// The ports of one run (distinct per run for the kernel, whose TIME-WAIT outlives it).
#[derive(Clone, Copy, Debug)]
pub struct Ports {
    pub peer: u16,
    pub tester: u16,
}

/// The tester's ISS: the wrap of 2^32 falls inside the handshake.
pub const TESTER_ISS: u32 = u32::MAX - 3;

/// One run's record.
#[derive(Debug, Default)]
pub struct PeerRun {
    pub steps: Vec<Step>,
    /// Datagrams the peer sent that are no IPv4/TCP segment (left out of the steps).
    pub undecodable: usize,
    /// Ended with both sides CLOSED or in TIME-WAIT.
    pub finished: bool,
    pub log: Vec<String>,
}

/// When a scripted call is made.
#[derive(Clone, Copy, Debug)]
enum When {
    /// At once, before anything in flight moves.
    Now,
    /// Both sides ESTABLISHED.
    Established,
    /// The tester in this state.
    Tester(State),
    /// The peer shows this state.
    Peer(MState),
}

#[derive(Clone, Copy, Debug)]
enum Act {
    Peer(Call),
    TesterOpenActive,
    TesterOpenPassive,
    TesterClose,
    TesterAbort,
}

fn script(sc: &Scenario) -> VecDeque<(When, Act)> {
    use When::*;
    let mut s = VecDeque::new();
    match sc.open {
        Open::PeerActive => {
            s.push_back((Now, Act::TesterOpenPassive));
            s.push_back((Now, Act::Peer(Call::OpenActive)));
        }
        Open::PeerPassive => {
            s.push_back((Now, Act::Peer(Call::OpenPassive)));
            s.push_back((Now, Act::TesterOpenActive));
        }
        Open::Simultaneous => {
            s.push_back((Now, Act::Peer(Call::OpenActive)));
            s.push_back((Now, Act::TesterOpenActive));
        }
    }
    let close = |side| match side {
        Side::Peer => Act::Peer(Call::Close),
        Side::Tester => Act::TesterClose,
    };
    let abort = |side| match side {
        Side::Peer => Act::Peer(Call::Abort),
        Side::Tester => Act::TesterAbort,
    };
    // The side that answers a FIN waits for CLOSE-WAIT.
    let close_wait = |side| match side {
        Side::Peer => Peer(MState::CloseWait),
        Side::Tester => Tester(State::CloseWait),
    };
    let other = |side| match side {
        Side::Peer => Side::Tester,
        Side::Tester => Side::Peer,
    };
    match sc.ending {
        Ending::Close(first) => {
            s.push_back((Established, close(first)));
            s.push_back((close_wait(other(first)), close(other(first))));
        }
        Ending::BothClose => {
            s.push_back((Established, close(Side::Peer)));
            s.push_back((Now, close(Side::Tester)));
        }
        Ending::Abort(side) => s.push_back((Established, abort(side))),
        Ending::AbortAfterClose(side) => {
            s.push_back((Established, close(other(side))));
            s.push_back((close_wait(side), abort(side)));
        }
    }
    s
}

struct Runner<'p, P: Peer> {
    peer: &'p mut P,
    tester: Connection,
    faults: Faults,
    to_tester: VecDeque<Vec<u8>>,
    run: PeerRun,
    /// The peer's state as last recorded.
    last_state: Option<MState>,
    /// The reading the peer's state is inferred with, when it cannot show it.
    reading: Reading,
    /// When a datagram last moved.
    last_activity: Duration,
}

fn decode(d: &[u8]) -> synfin_tcp::Segment {
    let (src, dst, tcp) = ipv4::unwrap(d).expect("IPv4/TCP from the tester");
    Packet::decode(src, dst, &tcp).expect("TCP").segment
}

impl<P: Peer> Runner<'_, P> {
    fn now(&mut self) -> Instant {
        Instant::from_epoch(self.peer.now())
    }

    /// Records a step: `input`, the datagrams the peer sent after it, its state.
    fn record(&mut self, input: Input, out: Vec<Vec<u8>>) {
        let at = self.peer.now();
        let state = self.peer.state();
        // A datagram that is no IPv4/TCP segment (bytes off the wire from a stack under test)
        // is logged and left out: it is no input the model's rules can answer.
        let mut sent = Vec::new();
        for d in &out {
            match ipv4::unwrap(d).and_then(|(src, dst, tcp)| {
                Packet::decode(src, dst, &tcp).map_err(|e| e.to_string())
            }) {
                Ok(p) => sent.push(p.segment),
                Err(e) => {
                    self.run.undecodable += 1;
                    self.run.log.push(format!(
                        "{:>8.3}s peer sent no TCP segment: {e}",
                        at.as_secs_f64()
                    ));
                }
            }
        }
        for d in &out {
            self.run.log.push(format!(
                "{:>8.3}s peer -> tester {}",
                at.as_secs_f64(),
                summary(d)
            ));
        }
        if !out.is_empty() {
            self.last_activity = at;
        }
        self.to_tester.extend(out);
        self.run.steps.push(Step {
            at,
            input,
            sent,
            state,
        });
        self.last_state = state;
    }

    fn inject(&mut self, d: Vec<u8>) {
        let at = self.peer.now();
        self.last_activity = at;
        self.run.log.push(format!(
            "{:>8.3}s tester -> peer {}",
            at.as_secs_f64(),
            summary(&d)
        ));
        let seg = decode(&d);
        self.peer.inject(&d);
        let out = self.peer.sent();
        self.record(Input::Arrive(seg), out);
    }

    /// What the tester sends now (its timer first, if due), through the faults.
    fn tester_output(&mut self) -> bool {
        let now = self.now();
        if self.tester.poll_timeout().is_some_and(|t| t <= now) {
            self.tester.handle_timeout(now);
        }
        let mut any = false;
        while let Some(p) = self.tester.poll_transmit() {
            any = true;
            let tcp = p.encode().expect("the tester's segment encodes");
            let d = ipv4::wrap(*p.src.ip(), *p.dst.ip(), &tcp).expect("fits IPv4");
            let before = self.faults.log.len();
            let through = self.faults.push(d);
            for l in &self.faults.log[before..] {
                self.run.log.push(format!("          fault: {l}"));
            }
            for x in through {
                self.inject(x);
            }
        }
        any
    }

    /// Moves datagrams both ways until nothing moves.
    fn exchange(&mut self) {
        loop {
            let mut moved = self.tester_output();
            while let Some(d) = self.to_tester.pop_front() {
                moved = true;
                let now = self.now();
                if let Ok((src, dst, tcp)) = ipv4::unwrap(&d) {
                    // What the tester refuses (not its connection's) changes nothing.
                    let _ = self.tester.handle_bytes(now, src, dst, &tcp);
                }
            }
            if !moved {
                return;
            }
        }
    }

    /// The peer's state: its own, or for a peer that cannot show it, the model's after the
    /// steps so far (`peer_trace::model_state`), to decide when the scenario's calls are due.
    /// The recorded steps keep only what the peer showed.
    fn peer_state(&mut self) -> Option<MState> {
        self.peer
            .state()
            .or_else(|| peer_trace::model_state(&self.run.steps, self.reading))
    }

    fn holds(&mut self, w: When) -> bool {
        match w {
            When::Now => true,
            When::Established => {
                self.tester.state() == State::Established
                    && self.peer_state() == Some(MState::Established)
            }
            When::Tester(s) => self.tester.state() == s,
            When::Peer(s) => self.peer_state() == Some(s),
        }
    }

    fn act(&mut self, a: Act, ports: Ports) {
        let (peer_ip, tester_ip) = self.peer.addrs();
        let now = self.now();
        let at = self.peer.now().as_secs_f64();
        self.run.log.push(format!("{at:>8.3}s call {a:?}"));
        let tester_result = match a {
            Act::Peer(c) => {
                let r = match c {
                    Call::OpenActive => self
                        .peer
                        .open_active(ports.peer, SocketAddrV4::new(tester_ip, ports.tester)),
                    Call::OpenPassive => self.peer.open_passive(ports.peer),
                    Call::Close => self.peer.close(),
                    Call::Abort => self.peer.abort(),
                    Call::Send => unreachable!("the scenarios send no data"),
                };
                if let Err(e) = r {
                    self.run
                        .log
                        .push(format!("          peer call failed: {e}"));
                }
                let out = self.peer.sent();
                self.record(Input::Call(c), out);
                Ok(())
            }
            Act::TesterOpenActive => self
                .tester
                .open_active(now, SocketAddrV4::new(peer_ip, ports.peer)),
            Act::TesterOpenPassive => self.tester.open_passive(None),
            Act::TesterClose => self.tester.close(now),
            Act::TesterAbort => self.tester.abort(),
        };
        if let Err(e) = tester_result {
            self.run
                .log
                .push(format!("          tester call failed: {e:?}"));
        }
    }

    fn done(&mut self) -> bool {
        let ended = |s: Option<MState>| matches!(s, None | Some(MState::Closed | MState::TimeWait));
        matches!(self.tester.state(), State::Closed | State::TimeWait)
            && ended(self.peer_state())
            && !self.faults.holding()
    }

    /// Lets time pass; a timer step if the peer sent something or changed state. `false` when
    /// nothing can happen any more.
    fn idle(&mut self, limit: Duration) -> bool {
        let tester_timer = self.tester.poll_timeout().map(|t| t.since_epoch());
        let until = match tester_timer {
            Some(t) => Some(t.min(limit)),
            None if self.peer.quiet_limit().is_some() => Some(limit),
            None => None,
        };
        let Some(out) = self.peer.idle(until) else {
            return false;
        };
        let state = self.peer.state();
        if !out.is_empty() || state != self.last_state {
            self.record(Input::Timer, out);
        }
        true
    }
}

/// Runs `sc` against `peer` until it ends or its clock passes `limit`.
pub fn run<P: Peer>(peer: &mut P, sc: &Scenario, ports: Ports, limit: Duration) -> PeerRun {
    run_reading(peer, sc, ports, limit, Reading::default())
}

/// [`run`], inferring the states of a peer that cannot show them with `reading` (the one
/// its trace is replayed with).
pub fn run_reading<P: Peer>(
    peer: &mut P,
    sc: &Scenario,
    ports: Ports,
    limit: Duration,
    reading: Reading,
) -> PeerRun {
    let (_, tester_ip) = peer.addrs();
    let tester = Connection::with_isn(
        Config::default(),
        SocketAddrV4::new(tester_ip, ports.tester),
        FixedIsn(TESTER_ISS),
    );
    let start = peer.now();
    let mut r = Runner {
        peer,
        tester,
        faults: Faults::new(sc.faults.clone()),
        to_tester: VecDeque::new(),
        run: PeerRun::default(),
        last_state: None,
        reading,
        last_activity: start,
    };
    let limit = start + limit;
    let mut script = script(sc);
    loop {
        r.exchange();
        if let Some(&(w, a)) = script.front() {
            if r.holds(w) {
                script.pop_front();
                r.act(a, ports);
                // Calls at the same instant go before anything moves.
                while let Some(&(When::Now, a)) = script.front() {
                    script.pop_front();
                    r.act(a, ports);
                }
                continue;
            }
        } else if r.done() {
            r.run.finished = true;
            break;
        }
        if let Some(d) = r.faults.release() {
            r.run
                .log
                .push("          fault: held datagram released".into());
            r.inject(d);
            continue;
        }
        let now = r.peer.now();
        if now >= limit {
            r.run.log.push("          limit reached".into());
            break;
        }
        // A peer whose timers are hidden: give up once nothing has moved for a while and the
        // tester has no timer before the limit (TIME-WAIT's is long after it).
        let tester_waits = r
            .tester
            .poll_timeout()
            .is_some_and(|t| t.since_epoch() < limit);
        if let Some(q) = r.peer.quiet_limit().filter(|_| !tester_waits) {
            if now.saturating_sub(r.last_activity) > q {
                r.run.log.push("          quiet for too long".into());
                break;
            }
        }
        if !r.idle(limit) {
            r.run.log.push("          nothing left to happen".into());
            break;
        }
    }
    let at = r.peer.now().as_secs_f64();
    r.run.log.push(format!(
        "{at:>8.3}s end: tester {:?}, peer {:?}",
        r.tester.state(),
        r.peer.state()
    ));
    r.run
}
