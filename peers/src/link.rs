//! A link between two stacks on one virtual clock: each side is a [`Stack`] (synfin-tcp's
//! `Connection`, or a smoltcp host), IPv4 datagrams cross in both directions, and a loss rule
//! may drop any of them. The clock jumps to the next timer when nothing is in flight.

use crate::ipv4;
use crate::smol::SmolHost;
use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::time::Duration;
use synfin_tcp::{Connection, Instant, Packet};

/// What a link needs of a stack.
pub trait Stack {
    /// Datagrams the stack sends at `now` (after processing what arrived and its timers).
    fn output(&mut self, now: Duration) -> Vec<Vec<u8>>;
    /// A datagram arrives at `now`.
    fn input(&mut self, now: Duration, datagram: Vec<u8>);
    /// When the stack next wants the clock, if ever.
    fn next_timer(&mut self, now: Duration) -> Option<Duration>;
}

impl Stack for Connection {
    fn output(&mut self, now: Duration) -> Vec<Vec<u8>> {
        if self
            .poll_timeout()
            .is_some_and(|t| t <= Instant::from_epoch(now))
        {
            self.handle_timeout(Instant::from_epoch(now));
        }
        let mut out = Vec::new();
        while let Some(p) = self.poll_transmit() {
            if let Ok(d) = ipv4::wrap_packet(&p) {
                out.push(d);
            }
        }
        out
    }

    fn input(&mut self, now: Duration, datagram: Vec<u8>) {
        if let Ok((src, dst, tcp)) = ipv4::split(&datagram) {
            // A datagram that does not parse, or is not ours, changes nothing.
            let _ = self.handle_bytes(Instant::from_epoch(now), src, dst, tcp);
        }
    }

    fn next_timer(&mut self, _now: Duration) -> Option<Duration> {
        self.poll_timeout().map(|t| t.since_epoch())
    }
}

impl Stack for SmolHost {
    fn output(&mut self, now: Duration) -> Vec<Vec<u8>> {
        self.poll(now)
    }

    fn input(&mut self, _now: Duration, datagram: Vec<u8>) {
        self.inject(datagram);
    }

    fn next_timer(&mut self, now: Duration) -> Option<Duration> {
        self.poll_delay(now).map(|d| now + d)
    }
}

/// One datagram that crossed (or was lost on) the link, for reports.
#[derive(Clone, Debug)]
pub struct Crossing {
    pub at: Duration,
    /// 0: from side A, 1: from side B.
    pub from: usize,
    pub dropped: bool,
    pub summary: String,
}

/// The loss rule: `drop(n, from)` for the `n`-th datagram overall, sent by side `from`.
pub type Loss = Box<dyn FnMut(usize, usize) -> bool>;

/// Two stacks, A and B, and the datagrams between them.
pub struct Link<A: Stack, B: Stack> {
    pub a: A,
    pub b: B,
    pub now: Duration,
    in_flight: [VecDeque<Vec<u8>>; 2],
    loss: Loss,
    sent: usize,
    pub log: Vec<Crossing>,
    pub record: bool,
}

/// "S. 0:0(0) ack 1"-like text for a datagram.
pub fn summary(datagram: &[u8]) -> String {
    match ipv4::unwrap(datagram) {
        Ok((src, dst, tcp)) => match Packet::decode(src, dst, &tcp) {
            Ok(p) => format!("{:?}", p.segment),
            Err(e) => format!("unparsable TCP: {e}"),
        },
        Err(e) => format!("not IPv4/TCP: {e}"),
    }
}

impl<A: Stack, B: Stack> Link<A, B> {
    pub fn new(a: A, b: B) -> Link<A, B> {
        Link {
            a,
            b,
            now: Duration::ZERO,
            in_flight: Default::default(),
            loss: Box::new(|_, _| false),
            sent: 0,
            log: Vec::new(),
            record: true,
        }
    }

    /// Drops the datagrams `loss` picks.
    pub fn with_loss(mut self, loss: impl FnMut(usize, usize) -> bool + 'static) -> Self {
        self.loss = Box::new(loss);
        self
    }

    fn collect(&mut self) -> bool {
        let out = [self.a.output(self.now), self.b.output(self.now)];
        let mut any = false;
        for (from, datagrams) in out.into_iter().enumerate() {
            for d in datagrams {
                let dropped = (self.loss)(self.sent, from);
                self.sent += 1;
                if self.record {
                    self.log.push(Crossing {
                        at: self.now,
                        from,
                        dropped,
                        summary: summary(&d),
                    });
                }
                if !dropped {
                    self.in_flight[from].push_back(d);
                }
                any = true;
            }
        }
        any
    }

    fn deliver(&mut self) -> bool {
        let mut any = false;
        while let Some(d) = self.in_flight[0].pop_front() {
            self.b.input(self.now, d);
            any = true;
        }
        while let Some(d) = self.in_flight[1].pop_front() {
            self.a.input(self.now, d);
            any = true;
        }
        any
    }

    /// Runs until `done` holds (true) or the clock passes `limit` or nothing is left to happen
    /// (false). Datagrams cross instantly; when none is in flight the clock jumps to the next
    /// timer of either stack (at least 1 ms ahead).
    pub fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&mut Self) -> bool) -> bool {
        loop {
            let moved = self.collect() | self.deliver();
            if done(self) {
                return true;
            }
            if moved {
                continue;
            }
            let next = [self.a.next_timer(self.now), self.b.next_timer(self.now)]
                .into_iter()
                .flatten()
                .min();
            match next {
                Some(t) if t <= limit => {
                    self.now = t.max(self.now + Duration::from_millis(1));
                }
                _ => return false,
            }
        }
    }
}

/// Addresses of the two sides (TEST-NET-1, RFC 5737: never routed).
pub const IP_A: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
pub const IP_B: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);
