//! The world a fuzzed endpoint lives in: a [`Pair`] whose observer ([`Checker`]) checks every
//! step of both endpoints; one endpoint is the target, the other its peer.

use super::check::{Checker, REACH};
use super::drive::drive;
use super::input::{Action, Call};
use super::tamper::apply;
use proptest::prelude::*;
use std::net::Ipv4Addr;
use std::time::Duration;
use synfin_tcp::pair::{Pair, Side, Step};
use synfin_tcp::{CallError, Config, Connection, InputError, Packet, State};

pub struct World {
    pair: Pair<Checker>,
    target: Side,
    /// Everything the peer ever sent, for replays (old duplicates).
    peer_history: Vec<Packet>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who {
    Target,
    Peer,
}

impl World {
    pub fn new(state: State, route: u8, cfg: &Config, isn_a: u32, isn_b: u32) -> World {
        let (driven, target) = drive(state, route, cfg, isn_a, isn_b);
        let now = driven.now();
        let in_flight = driven.net.in_flight().to_vec();
        let Pair { a, b, .. } = driven;
        let mut pair = Pair::observed(a, b, Checker::default());
        // The fuzz moves packets one at a time, by hand; deliveries of parsed packets go to
        // `handle_packet`, of bytes to `handle_bytes`.
        pair.set_wire(false);
        pair.set_clock(now);
        let mut peer_history = Vec::new();
        for f in in_flight {
            if f.to == target {
                peer_history.push(f.packet.clone());
            }
            pair.net.push(f.to, f.packet, pair.now());
        }
        World {
            pair,
            target,
            peer_history,
        }
    }

    /// The endpoint under test.
    pub fn target(&self) -> &Connection {
        self.pair.conn(self.target)
    }

    fn side(&self, who: Who) -> Side {
        match who {
            Who::Target => self.target,
            Who::Peer => self.target.other(),
        }
    }

    /// The checker's verdict on the steps so far, and the peer's packets kept for replays.
    fn checked(&mut self, step: &Step) -> Result<(), TestCaseError> {
        if step.side != self.target {
            self.peer_history
                .extend(step.sent.iter().map(|f| f.packet.clone()));
        }
        self.pair.observer_mut().take()
    }

    /// Hands `packet` (or, with `bytes`, the bytes) to `who` and checks the answer: bytes
    /// that do not decode and packets for another socket change nothing.
    fn input(
        &mut self,
        who: Who,
        packet: Option<&Packet>,
        bytes: Option<(Ipv4Addr, Ipv4Addr, &[u8])>,
    ) -> Result<(), TestCaseError> {
        let side = self.side(who);
        let decoded = match bytes {
            Some((src, dst, b)) => Packet::decode(src, dst, b).map_err(InputError::Wire),
            None => Ok(packet.expect("a packet or bytes").clone()),
        };
        let c = self.pair.conn(side);
        let (state, remote, local) = (c.state(), c.remote(), c.local());
        let step = match bytes {
            Some((src, dst, b)) => self.pair.inject_bytes(side, src, dst, b),
            None => self.pair.inject(side, packet.unwrap().clone()),
        };
        self.checked(&step)?;
        let ours = |p: &Packet| {
            p.dst == local && (state == State::Closed || remote.is_none_or(|r| r == p.src))
        };
        let expected = match &decoded {
            Err(e) => Some(e.clone()),
            Ok(p) if !ours(p) => Some(InputError::NotOurs),
            Ok(_) => None,
        };
        prop_assert_eq!(&step.refused, &expected);
        let kind = match &step.refused {
            None => "Ok".to_string(),
            Some(InputError::NotOurs) => "NotOurs".to_string(),
            Some(InputError::Wire(e)) => format!("{e:?}")
                .split([' ', '{'])
                .next()
                .unwrap_or("")
                .to_string(),
        };
        REACH.with(|reach| *reach.borrow_mut().inputs.entry(kind).or_default() += 1);
        Ok(())
    }

    /// Delivers, as bytes, the oldest packet in flight to `who`.
    fn deliver(&mut self, who: Who) -> Result<(), TestCaseError> {
        let Some(i) = self.pair.net.first_to(self.side(who)) else {
            return Ok(());
        };
        let p = self.pair.net.drop(i).expect("in flight").packet;
        let bytes = p
            .encode()
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        self.input(who, None, Some((*p.src.ip(), *p.dst.ip(), &bytes)))
    }

    fn timers(&mut self) -> Result<(), TestCaseError> {
        for who in [Who::Target, Who::Peer] {
            let step = self.pair.timer(self.side(who));
            self.checked(&step)?;
        }
        Ok(())
    }

    fn call(&mut self, who: Who, call: &Call) -> Result<(), TestCaseError> {
        let side = self.side(who);
        let other = self.pair.conn(side.other()).local();
        let before = super::check::snap(self.pair.conn(side));
        let (r, step) = self.pair.call(side, |c, now| -> Result<(), CallError> {
            match call {
                Call::OpenActive => c.open_active(now, other),
                Call::OpenPassive(specified) => c.open_passive(specified.then_some(other)),
                Call::Send(n) => {
                    let data: Vec<u8> = (0..*n).map(|i| i as u8).collect();
                    let taken = c.send(now, &data)?;
                    assert!(taken <= data.len());
                    Ok(())
                }
                Call::Recv(n) => {
                    let mut buf = vec![0; *n];
                    c.recv(&mut buf).map(|got| assert!(got <= *n))
                }
                Call::Close => c.close(now),
                Call::Abort => c.abort(),
            }
        });
        self.checked(&step)?;
        if r.is_err() {
            prop_assert_eq!(
                super::check::snap(self.pair.conn(side)),
                before,
                "a refused call ({:?}: {:?}) changed the connection",
                call,
                r
            );
            prop_assert!(
                step.sent.is_empty() && step.events.is_empty(),
                "a refused call produced packets or events"
            );
        }
        Ok(())
    }

    pub fn run(&mut self, action: &Action) -> Result<(), TestCaseError> {
        let peer = self.pair.conn(self.target.other()).local();
        match action {
            Action::Packet(spec) => {
                let p = spec.resolve(self.target(), peer);
                self.input(Who::Target, Some(&p), None)
            }
            Action::Bytes(spec, corrupt) => {
                let p = spec.resolve(self.target(), peer);
                let mut b = p
                    .encode()
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                if let Some((at, x)) = corrupt {
                    let i = at.index(b.len());
                    b[i] ^= x;
                }
                self.input(Who::Target, None, Some((*p.src.ip(), *p.dst.ip(), &b)))
            }
            Action::Garbage(b) => {
                let (src, dst) = (*peer.ip(), *self.target().local().ip());
                self.input(Who::Target, None, Some((src, dst, b)))
            }
            Action::Deliver(who) => self.deliver(*who),
            Action::Lose(who) => {
                if let Some(i) = self.pair.net.first_to(self.side(*who)) {
                    self.pair.drop_packet(i);
                }
                Ok(())
            }
            Action::Replay(i) => {
                if self.peer_history.is_empty() {
                    return Ok(());
                }
                let p = self.peer_history[i.index(self.peer_history.len())].clone();
                self.input(Who::Target, Some(&p), None)
            }
            Action::Tampered(i, tampers) => {
                if self.peer_history.is_empty() {
                    return Ok(());
                }
                let mut p = self.peer_history[i.index(self.peer_history.len())].clone();
                for m in tampers {
                    apply(&mut p, m);
                }
                let b = p
                    .encode()
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                self.input(Who::Target, None, Some((*p.src.ip(), *p.dst.ip(), &b)))
            }
            Action::Call(who, call) => self.call(*who, call),
            Action::Advance(ms) => {
                self.pair
                    .set_clock(self.pair.now() + Duration::from_millis(*ms));
                self.timers()
            }
            Action::FireNext => {
                let next = [Side::A, Side::B]
                    .into_iter()
                    .filter_map(|s| self.pair.conn(s).poll_timeout())
                    .min();
                if let Some(t) = next {
                    self.pair.set_clock(self.pair.now().max(t));
                }
                self.timers()
            }
        }
    }

    /// Checks both endpoints as they stand (a step with no input).
    pub fn check_both(&mut self) -> Result<(), TestCaseError> {
        for who in [Who::Target, Who::Peer] {
            let step = self.pair.call(self.side(who), |_, _| ()).1;
            self.checked(&step)?;
        }
        Ok(())
    }
}
