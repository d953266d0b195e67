//! The world a fuzzed endpoint lives in: it, its peer, two queues between them, a clock.

use super::check::{check_step, snap, Cause, Snap, REACH};
use super::drive::drive;
use super::input::{Action, Call};
use super::mutation::apply;
use proptest::prelude::*;
use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::time::Duration;
use synfin_tcp::pair::{Pair, Side};
use synfin_tcp::{CallError, Config, Connection, InputError, Instant, Packet, State};

pub struct World {
    pub target: Connection,
    peer: Connection,
    /// Sent by the peer, not yet delivered to the target.
    to_target: VecDeque<Packet>,
    /// Sent by the target, not yet delivered to the peer.
    to_peer: VecDeque<Packet>,
    /// Everything the peer ever sent, for replays (old duplicates).
    peer_history: Vec<Packet>,
    now: Instant,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who {
    Target,
    Peer,
}

impl World {
    pub fn new(state: State, route: u8, cfg: &Config, isn_a: u32, isn_b: u32) -> World {
        let (pair, side) = drive(state, route, cfg, isn_a, isn_b);
        let now = pair.now();
        let in_flight = pair.net.in_flight().to_vec();
        let Pair { a, b, .. } = pair;
        let (target, peer) = match side {
            Side::A => (a, b),
            Side::B => (b, a),
        };
        let mut w = World {
            target,
            peer,
            to_target: VecDeque::new(),
            to_peer: VecDeque::new(),
            peer_history: Vec::new(),
            now,
        };
        for f in in_flight {
            if f.to == side {
                w.peer_history.push(f.packet.clone());
                w.to_target.push_back(f.packet);
            } else {
                w.to_peer.push_back(f.packet);
            }
        }
        w
    }

    fn conn(&mut self, who: Who) -> &mut Connection {
        match who {
            Who::Target => &mut self.target,
            Who::Peer => &mut self.peer,
        }
    }

    /// Runs `f` on one endpoint, checks the step, and moves what it sent into the queue
    /// towards the other.
    fn step<R>(
        &mut self,
        who: Who,
        cause: Cause<'_>,
        f: impl FnOnce(&mut Connection, Instant) -> R,
    ) -> Result<(R, Snap, usize), TestCaseError> {
        let now = self.now;
        let c = self.conn(who);
        let before = snap(c);
        let r = f(c, now);
        let (packets, events) = check_step(c, before, cause, now)?;
        let emitted = packets.len() + events.len();
        for p in packets {
            match who {
                Who::Target => self.to_peer.push_back(p),
                Who::Peer => {
                    self.peer_history.push(p.clone());
                    self.to_target.push_back(p);
                }
            }
        }
        Ok((r, before, emitted))
    }

    /// Hands `packet` to `who` (as bytes when `bytes` is given) and checks the answer:
    /// bytes that do not decode and packets for another socket change nothing.
    fn input(
        &mut self,
        who: Who,
        packet: Option<&Packet>,
        bytes: Option<(Ipv4Addr, Ipv4Addr, &[u8])>,
    ) -> Result<(), TestCaseError> {
        let decoded = match bytes {
            Some((src, dst, b)) => Packet::decode(src, dst, b).map_err(InputError::Wire),
            None => Ok(packet.expect("a packet or bytes").clone()),
        };
        let cause = match &decoded {
            Ok(p) => Cause::Packet(p),
            Err(_) => Cause::Call, // nothing arrives
        };
        let (r, before, emitted) = self.step(who, cause, |c, now| match bytes {
            Some((src, dst, b)) => c.handle_bytes(now, src, dst, b),
            None => c.handle_packet(now, packet.unwrap()),
        })?;
        let c = self.conn(who);
        let ours = |p: &Packet| {
            p.dst == c.local()
                && (before.state == State::Closed || before.remote.is_none_or(|r| r == p.src))
        };
        let expected = match &decoded {
            Err(e) => Err(e.clone()),
            Ok(p) if !ours(p) => Err(InputError::NotOurs),
            Ok(_) => Ok(()),
        };
        prop_assert_eq!(&r, &expected);
        let kind = match &r {
            Ok(()) => "Ok".to_string(),
            Err(InputError::NotOurs) => "NotOurs".to_string(),
            Err(InputError::Wire(e)) => format!("{e:?}")
                .split([' ', '{'])
                .next()
                .unwrap_or("")
                .to_string(),
        };
        REACH.with(|reach| *reach.borrow_mut().inputs.entry(kind).or_default() += 1);
        if r.is_err() {
            prop_assert_eq!(snap(c), before, "refused input changed the connection");
            prop_assert_eq!(emitted, 0, "refused input produced packets or events");
        }
        Ok(())
    }

    fn deliver(&mut self, who: Who) -> Result<(), TestCaseError> {
        let queue = match who {
            Who::Target => &mut self.to_target,
            Who::Peer => &mut self.to_peer,
        };
        let Some(p) = queue.pop_front() else {
            return Ok(());
        };
        let bytes = p
            .encode()
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        self.input(who, None, Some((*p.src.ip(), *p.dst.ip(), &bytes)))
    }

    fn timers(&mut self) -> Result<(), TestCaseError> {
        for who in [Who::Target, Who::Peer] {
            self.step(who, Cause::Timer, |c, now| c.handle_timeout(now))?;
        }
        Ok(())
    }

    fn call(&mut self, who: Who, call: &Call) -> Result<(), TestCaseError> {
        let other = match who {
            Who::Target => self.peer.local(),
            Who::Peer => self.target.local(),
        };
        let (r, before, emitted) =
            self.step(who, Cause::Call, |c, now| -> Result<(), CallError> {
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
            })?;
        if r.is_err() {
            prop_assert_eq!(
                snap(self.conn(who)),
                before,
                "a refused call ({:?}: {:?}) changed the connection",
                call,
                r
            );
            prop_assert_eq!(emitted, 0, "a refused call produced packets or events");
        }
        Ok(())
    }

    pub fn run(&mut self, action: &Action) -> Result<(), TestCaseError> {
        match action {
            Action::Packet(spec) => {
                let p = spec.resolve(&self.target, self.peer.local());
                self.input(Who::Target, Some(&p), None)
            }
            Action::Bytes(spec, corrupt) => {
                let p = spec.resolve(&self.target, self.peer.local());
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
                let (src, dst) = (*self.peer.local().ip(), *self.target.local().ip());
                self.input(Who::Target, None, Some((src, dst, b)))
            }
            Action::Deliver(who) => self.deliver(*who),
            Action::Lose(who) => {
                match who {
                    Who::Target => self.to_target.pop_front(),
                    Who::Peer => self.to_peer.pop_front(),
                };
                Ok(())
            }
            Action::Replay(i) => {
                if self.peer_history.is_empty() {
                    return Ok(());
                }
                let p = self.peer_history[i.index(self.peer_history.len())].clone();
                self.input(Who::Target, Some(&p), None)
            }
            Action::Mutated(i, mutations) => {
                if self.peer_history.is_empty() {
                    return Ok(());
                }
                let mut p = self.peer_history[i.index(self.peer_history.len())].clone();
                for m in mutations {
                    apply(&mut p, m);
                }
                let b = p
                    .encode()
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                self.input(Who::Target, None, Some((*p.src.ip(), *p.dst.ip(), &b)))
            }
            Action::Call(who, call) => self.call(*who, call),
            Action::Advance(ms) => {
                self.now = self.now + Duration::from_millis(*ms);
                self.timers()
            }
            Action::FireNext => {
                let next = [self.target.poll_timeout(), self.peer.poll_timeout()]
                    .into_iter()
                    .flatten()
                    .min();
                if let Some(t) = next {
                    self.now = self.now.max(t);
                }
                self.timers()
            }
        }
    }

    pub fn check_both(&mut self) -> Result<(), TestCaseError> {
        for who in [Who::Target, Who::Peer] {
            self.step(who, Cause::Call, |_, _| ())?;
        }
        Ok(())
    }
}
