//! The compact engine: the same system as [`TcpModel`] (the same [`Host`] reactions, the same
//! pure rules, the same ghost checks and properties), over a flat `Copy` state ([`Packed`])
//! instead of stateright's generic actor state. The checker explores this model; the explorer,
//! traces and links replay its counterexamples on the actor model, action for action: both
//! list the same actions, in the same order, so a path found here is a path there
//! (`model/tests/compact.rs` checks the two equivalent on every named configuration).
//!
//! What it mirrors of stateright 0.31's `ActorModel` (`actor/model.rs`) and `TcpModel`:
//! * actions: drops (lossy networks without implicit loss), then one delivery per distinct
//!   segment in flight, then the timers set (user, retransmission, 2MSL unless held), then
//!   crashes (while fewer hosts are down than `max_crashes`, each host once), then reboots; in
//!   stateright's sort order;
//! * a delivery to a crashed host, and a delivery or timeout that changes nothing and sends
//!   nothing, is no step (`None`);
//! * a delivery takes a copy away from a non-duplicating network and leaves a duplicating one
//!   as it was (`TcpModel` clears `last_msg`); what the host sends is added, and the seed's
//!   progress recorded where the configuration tracks it;
//! * a reboot restarts the host from its stable storage (its incarnation) and keeps the ghost
//!   bits of failures already seen, as `TcpModel` does.
//!
//! Ordered networks (`--no-dup --no-reorder`) are left to the actor model.

pub mod net;
pub mod state;

use crate::config::Config;
use crate::ghost::{delivery_ghost, Ghost};
use crate::host::{Host, Input, Reaction, Timer};
use crate::model::{SysAction, TcpModel};
use crate::properties;
use crate::seed;
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::system::{time_wait_holds, TcpSystem};
use net::{Interner, Net};
use stateright::actor::{ActorModelAction, Envelope, Id};
use stateright::{Model, Property};
use std::sync::Arc;

pub use state::Packed;

/// The checked model of one configuration, on compact states.
#[derive(Clone)]
pub struct CompactModel {
    cfg: Config,
    hosts: [Host; 2],
    interner: Arc<Interner>,
    /// A duplicating network (a set), else a multiset.
    duplicating: bool,
    implicit_loss: bool,
    tracks_seed: bool,
}

impl CompactModel {
    /// The compact model of `cfg`; `Err` for an ordered network, which it does not represent.
    pub fn new(cfg: Config) -> Result<CompactModel, String> {
        if !cfg.network.duplication && !cfg.network.reordering {
            return Err("the compact engine has no ordered network (--no-dup --no-reorder)".into());
        }
        let duplicating = cfg.network.duplication;
        let tracks_seed = cfg.reach.iter().any(|r| r.is_seed());
        let actor = TcpModel::new(cfg.clone())?;
        Ok(CompactModel {
            hosts: [0, 1].map(|i| actor.host(i).clone()),
            interner: Arc::new(Interner::default()),
            duplicating,
            implicit_loss: actor.implicit_loss(),
            tracks_seed,
            cfg,
        })
    }

    pub fn cfg(&self) -> &Config {
        &self.cfg
    }

    /// Whether some state did not fit the compact representation (more segments in flight, or
    /// more distinct segments, than it holds): an exploration that met one is incomplete.
    pub fn overflowed(&self) -> bool {
        self.interner.has_overflowed()
    }

    /// The (sender, segment) pair that id `id` names.
    pub fn segment(&self, id: u8) -> (u8, Segment) {
        self.interner.pair(id)
    }

    /// Sends `seg` from host `src` into `net`: `false` if it does not fit.
    fn send(&self, net: &mut Net, src: usize, seg: Segment) -> bool {
        let Some(id) = self.interner.id(src as u8, seg) else {
            return false;
        };
        if !net.insert(id, self.duplicating) {
            self.interner.overflowed();
            return false;
        }
        true
    }

    /// Applies reaction `r` of host `i` to `input`: `base` is the state before it, with the
    /// network already relieved of a delivered copy. `None` for a reaction that changes
    /// nothing and sends nothing (stateright's no-op, which leaves even the network as it was).
    fn apply(&self, base: Packed, i: usize, r: Reaction, input: &Input) -> Option<Packed> {
        let send = r
            .outcome
            .send
            .map(|seg| self.hosts[i].tag(&r.next, seg, input));
        if r.next == base.hosts[i] && send.is_none() {
            return None;
        }
        let mut next = base;
        next.hosts[i] = r.next;
        if let Some(seg) = send {
            if !self.send(&mut next.net, i, seg) {
                return None;
            }
            if self.tracks_seed {
                let env = Envelope {
                    src: Id::from(i),
                    dst: Id::from(1 - i),
                    msg: &seg,
                };
                if let Some(h) = seed::record(&self.cfg, &next.seed, env) {
                    next.seed = h;
                }
            }
        }
        Some(next)
    }
}

impl Model for CompactModel {
    type State = Packed;
    type Action = SysAction;

    fn init_states(&self) -> Vec<Packed> {
        let mut s = Packed {
            hosts: [0, 1].map(|i| self.hosts[i].initial()),
            net: Net::EMPTY,
            crashed: [false; 2],
            seed: Default::default(),
        };
        for (src, msg) in self.cfg.initial_segments() {
            if !self.send(&mut s.net, src, msg) {
                return Vec::new();
            }
        }
        vec![s]
    }

    fn actions(&self, s: &Packed, actions: &mut Vec<SysAction>) {
        // In flight, in stateright's order: by sender (the receiver is the other host), then
        // segment. On the stack: no allocation per state.
        let blank = (0u8, Segment::new(Flags::NONE, Seq(0), Seq(0)));
        let mut buf = [blank; net::CAPACITY];
        let mut n = 0;
        s.all_segments(&self.interner, |src, seg| {
            buf[n] = (src, *seg);
            n += 1;
            true
        });
        let inflight = &mut buf[..n];
        inflight.sort_unstable();
        let envs = inflight.iter().map(|&(src, msg)| Envelope {
            src: Id::from(usize::from(src)),
            dst: Id::from(1 - usize::from(src)),
            msg,
        });
        if self.cfg.network.loss && !self.implicit_loss {
            actions.extend(envs.clone().map(ActorModelAction::Drop));
        }
        actions.extend(envs.map(|e| ActorModelAction::Deliver {
            src: e.src,
            dst: e.dst,
            msg: e.msg,
        }));
        for i in 0..2 {
            for t in [Timer::User, Timer::Retransmit, Timer::TimeWait] {
                let held = t == Timer::TimeWait && time_wait_holds(&self.cfg, s, i);
                if self.timer_set(s, i, t) && !held {
                    actions.push(ActorModelAction::Timeout(Id::from(i), t));
                }
            }
        }
        let down = s.crashed.iter().filter(|c| **c).count();
        if down < usize::from(self.cfg.crashes) {
            for i in 0..2 {
                if !s.crashed[i] && !s.hosts[i].ghost.has(Ghost::REBOOTED) {
                    actions.push(ActorModelAction::Crash(Id::from(i)));
                }
            }
        }
        for i in 0..2 {
            if s.crashed[i] {
                actions.push(ActorModelAction::Recover(Id::from(i)));
            }
        }
    }

    fn next_state(&self, last: &Packed, action: SysAction) -> Option<Packed> {
        match action {
            ActorModelAction::Drop(env) => {
                let id = self.interner.id(usize::from(env.src) as u8, env.msg)?;
                let mut next = *last;
                next.net.remove(id);
                Some(next)
            }
            ActorModelAction::Deliver { src, dst, msg } => {
                let (s, d) = (usize::from(src), usize::from(dst));
                if d > 1 || last.crashed[d] {
                    return None;
                }
                let input = Input::Segment(msg);
                let r = self.hosts[d].react(&last.hosts[d], input)?;
                let mut base = *last;
                if !self.duplicating {
                    base.net.remove(self.interner.id(s as u8, msg)?);
                }
                let mut next = self.apply(base, d, r, &input)?;
                let bits = delivery_ghost(last, s, d, &msg, &next.hosts[d]);
                if bits != 0 {
                    next.hosts[d].ghost.set(bits);
                }
                Some(next)
            }
            ActorModelAction::Timeout(id, t) => {
                let i = usize::from(id);
                let input = Input::Timeout(t);
                let r = self.hosts[i].react(&last.hosts[i], input)?;
                self.apply(*last, i, r, &input)
            }
            ActorModelAction::Crash(id) => {
                let mut next = *last;
                next.crashed[usize::from(id)] = true;
                Some(next)
            }
            ActorModelAction::Recover(id) => {
                let i = usize::from(id);
                let mut next = *last;
                let before = last.hosts[i];
                next.hosts[i] = self.hosts[i].rebooted(before.incarnation, Ghost::default());
                next.crashed[i] = false;
                // The reboot keeps the failures already recorded, as `TcpModel` does.
                next.hosts[i].ghost.set(before.ghost.bits() & Ghost::STICKY);
                Some(next)
            }
            ActorModelAction::SelectRandom { .. } => None,
        }
    }

    fn properties(&self) -> Vec<Property<Self>> {
        properties::for_config(&self.cfg)
    }
}

impl TcpSystem for CompactModel {
    fn config(&self) -> &Config {
        &self.cfg
    }

    fn host_actor(&self, i: usize) -> &Host {
        &self.hosts[i]
    }

    fn loss_is_implicit(&self) -> bool {
        self.implicit_loss
    }

    fn timer_set(&self, s: &Packed, i: usize, t: Timer) -> bool {
        !s.crashed[i] && self.hosts[i].timers(&s.hosts[i])[t as usize]
    }

    fn same_state(&self, a: &Packed, b: &Packed) -> bool {
        a == b
    }

    fn all_in_flight(&self, s: &Packed, mut f: impl FnMut(usize, &Segment) -> bool) -> bool {
        s.all_segments(&self.interner, |src, seg| f(1 - usize::from(src), seg))
    }
}
