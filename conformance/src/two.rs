//! Two-endpoint conformance: two `synfin-tcp` endpoints run a named configuration's user
//! scripts over a network whose losses, duplicates and reorderings the caller chooses (a
//! proptest strategy, in the tests). After every step the concrete run is mapped to a model
//! state ([`TwoEndpointRun::sys_state`]) and the model's safety properties (the predicates
//! `synfin check` uses) are evaluated on it; at the end the run is driven to quiescence and
//! the model's `good-terminal-states` must accept where it stopped.
//!
//! The model state carries ghost bits that no single host state can tell; the harness derives
//! them from each concrete step with the model's own checks: [`Host::record`] for every step,
//! and for a delivery [`Host::track_incarnations`] (`no-stale-accepted`, and the peer
//! incarnation a connection belongs to) and [`ghost::delivery_ghost`] (`resets-justified`, the
//! event half of `no-half-open`), which read the model states before and after. Segments
//! carry the model's ghost tags ([`Host::tag`]), the configuration's old duplicates
//! [`Tag::EARLIER`], and a later OPEN begins a new incarnation with the model's next ISS.

use crate::endpoint::{self, Observation};
use crate::hosts::{self, side, Observed};
use stateright::actor::{ActorModelState, Envelope, Id, Network};
use stateright::Expectation;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use synfin_model::ghost::{self, Ghost};
use synfin_model::host::{Host, HostState, Input, Timer};
use synfin_model::model::SysState;
use synfin_model::properties::{self, Prop};
use synfin_model::rules::Outcome;
use synfin_model::seed::SeedProgress;
use synfin_model::segment::Tag;
use synfin_model::state::Cause;
use synfin_model::{Config, Segment, State, TcpModel};
use synfin_tcp::pair::Pair;
use synfin_tcp::{Packet, SeqNum};

/// One network or host event, chosen by the caller. Indices pick an in-flight segment modulo
/// the number in flight; an op that does not apply (nothing in flight, loss not allowed by
/// the configuration, no timer set, script done) does nothing.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    /// Host i's user makes its next call (SEND waits until the connection is open).
    User(usize),
    /// The k-th segment in flight arrives (any order: the network reorders).
    Deliver(usize),
    /// The k-th segment in flight is lost.
    Lose(usize),
    /// The k-th segment in flight is duplicated.
    Duplicate(usize),
    /// Host i's timer expires.
    Timer(usize),
}

/// A concrete run of a configuration.
pub struct TwoEndpointRun {
    pub model: TcpModel,
    /// The two endpoints and the packets in flight between them.
    pair: Pair<()>,
    /// The model's view of each host: abstracted TCB, script position, ghost bits.
    views: [HostState; 2],
    /// Each packet in flight as the model's segment, with its ghost tag, by the pair's number
    /// for it.
    tags: HashMap<u64, Segment>,
    /// The ISS each endpoint takes for its next connection: the model's ISS of the host's
    /// current incarnation ([`Host::iss_of`]), moved on by a later OPEN.
    iss: [Arc<AtomicU32>; 2],
    /// What happened, one line per step (for failure reports).
    pub log: Vec<String>,
}

impl TwoEndpointRun {
    pub fn new(cfg: Config) -> Result<TwoEndpointRun, String> {
        let model = TcpModel::new(cfg)?;
        let cfg = model.cfg();
        let iss = [0, 1].map(|i| Arc::new(AtomicU32::new(cfg.isn[i].0)));
        let [a, b] = [0, 1].map(|i| {
            let next_iss = Arc::clone(&iss[i]);
            hosts::connection(
                i,
                endpoint::config(&cfg.profile, cfg.retries),
                move |_, _, _| SeqNum(next_iss.load(Ordering::Relaxed)),
            )
        });
        let mut pair = hosts::pair(a, b);
        let views = [0, 1].map(|i| model.host(i).initial());
        // Old duplicates of an earlier incarnation are in the network from the start, tagged
        // as the model tags them.
        let mut tags = HashMap::new();
        for &(src, seg) in cfg.stale {
            let packet = Packet {
                src: pair.conn(side(src)).local(),
                dst: pair.conn(side(1 - src)).local(),
                segment: crate::abstraction::wire(&seg, u16::MAX),
            };
            let now = pair.now();
            pair.net.push(side(1 - src), packet, now);
            let id = pair.net.in_flight().last().expect("just pushed").id;
            tags.insert(id, seg.tagged(Tag::EARLIER));
        }
        Ok(TwoEndpointRun {
            model,
            pair,
            views,
            tags,
            iss,
            log: Vec::new(),
        })
    }

    fn cfg(&self) -> &Config {
        self.model.cfg()
    }

    /// The packet in flight at `k` and its model segment (with its ghost tag).
    fn in_flight_at(&self, k: usize) -> (usize, u64, Segment) {
        let f = &self.pair.net.in_flight()[k];
        let src = if f.to == side(0) { 1 } else { 0 };
        (src, f.id, self.tags[&f.id])
    }

    /// Applies `op`; returns whether anything happened.
    pub fn step(&mut self, op: Op) -> bool {
        let n = self.pair.net.len();
        match op {
            Op::User(i) => self.user(i),
            Op::Deliver(k) if n > 0 => {
                // The model state before the delivery: the delivery checks compare with it.
                let before = self.sys_state();
                let (src, id, seg) = self.in_flight_at(k % n);
                self.tags.remove(&id);
                let dst = 1 - src;
                let seen = hosts::deliver(&mut self.pair, k % n).unwrap_or_else(|e| panic!("{e}"));
                self.after(
                    dst,
                    Input::Segment(seg),
                    Some(&before),
                    seen,
                    format!("{} receives {:?}", self.cfg().names[dst], seg),
                );
                true
            }
            Op::Lose(k) if n > 0 && self.cfg().network.loss => {
                let (_, id, seg) = self.in_flight_at(k % n);
                self.tags.remove(&id);
                self.pair.drop_packet(k % n);
                self.log.push(format!("network loses {seg:?}"));
                true
            }
            Op::Duplicate(k) if n > 0 && self.cfg().network.duplication => {
                // The copy goes to the back of the network, with the original's tag.
                let (_, _, seg) = self.in_flight_at(k % n);
                let f = self.pair.net.in_flight()[k % n].clone();
                let now = self.pair.now();
                self.pair.net.push(f.to, f.packet, now);
                let id = self.pair.net.in_flight().last().expect("just pushed").id;
                self.tags.insert(id, seg);
                self.log.push(format!("network duplicates {seg:?}"));
                true
            }
            Op::Timer(i) => {
                let timer = if self.pair.conn(side(i)).state() == synfin_tcp::State::TimeWait {
                    // The model's reading of 2MSL: TIME-WAIT outlasts the peer's FIN
                    // retransmissions (`TcpModel::time_wait_holds`).
                    if self.model.time_wait_holds(&self.sys_state(), Id::from(i)) {
                        return false;
                    }
                    Timer::TimeWait
                } else {
                    Timer::Retransmit
                };
                match hosts::fire_timer(&mut self.pair, i) {
                    Some(seen) => {
                        let what = format!("{} timer", self.cfg().names[i]);
                        self.after(i, Input::Timeout(timer), None, seen, what);
                        true
                    }
                    None => false,
                }
            }
            _ => false,
        }
    }

    fn user(&mut self, i: usize) -> bool {
        let script = self.cfg().scripts[i];
        let Some(&call) = script.get(self.views[i].next_call as usize) else {
            return false;
        };
        if !call.ready(self.views[i].tcb.state) {
            return false;
        }
        if Host::begins_incarnation(&self.views[i], call) {
            // A later OPEN: the model's next incarnation, and its ISS for the endpoint.
            self.views[i] = self.model.host(i).next_incarnation(&self.views[i]);
            self.iss[i].store(self.views[i].tcb.iss.0, Ordering::Relaxed);
        }
        let seen = hosts::call(&mut self.pair, i, call);
        self.views[i].next_call += 1;
        self.after(
            i,
            Input::User,
            None,
            seen,
            format!("{}: {}", self.cfg().names[i], call.name()),
        );
        true
    }

    /// Books what host `i` did in reaction to `input`: its view and ghost bits follow, and
    /// its segments go in flight, tagged. For a delivery, `before` is the model state before
    /// it, which the delivery checks compare with.
    fn after(
        &mut self,
        i: usize,
        input: Input,
        before: Option<&SysState>,
        seen: Observed,
        what: String,
    ) {
        let obs: &Observation = &seen.obs;
        let cause = match input {
            Input::User => {
                let call = self.cfg().scripts[i][self.views[i].next_call as usize - 1];
                call.cause()
            }
            Input::Segment(seg) => Cause::arrival(&seg),
            Input::Timeout(Timer::TimeWait) => Cause::TimeWait,
            Input::Timeout(_) => Cause::Retransmit,
        };
        let conn = self.pair.conn(side(i));
        let delivered = self.pair.read(side(i)) as u32;
        let mut tcb = crate::abstraction::tcb(conn, delivered, &self.views[i].tcb);
        let prev = self.views[i].tcb;
        let opens = matches!(cause, Cause::OpenActive | Cause::OpenPassive);
        if matches!(tcb.state, State::Listen | State::Closed)
            && prev.syn_sent()
            && !tcb.syn_sent()
            && !opens
        {
            // The endpoint dropped its TCB (a return to LISTEN, and a CLOSE from there); the
            // model keeps ISS, SND.UNA and SND.NXT as the record that this run sent a SYN
            // (`honest-acks` and `no-half-open` read it). The abstraction keeps them too.
            (tcb.iss, tcb.snd_una, tcb.snd_nxt) = (prev.iss, prev.snd_una, prev.snd_nxt);
        }
        let outcome = Outcome {
            tcb,
            send: obs.sent.first().copied(),
            events: obs.events,
        };
        let last = self.views[i];
        let mut next = Host::record(&last, &outcome, cause);
        if let Input::Segment(seg) = input {
            // The model's checks of a delivery, as `Host::react` and `TcpModel::next_state`
            // make them.
            Host::track_incarnations(&last, &mut next, &seg);
            if let Some(before) = before {
                next.ghost
                    .set(ghost::delivery_ghost(before, 1 - i, i, &seg, &next));
            }
        }
        self.views[i] = next;
        let host = self.model.host(i);
        for (&id, m) in seen.ids.iter().zip(&obs.sent) {
            self.tags.insert(id, host.tag(&next, *m, &input));
        }
        self.log.push(format!(
            "{what}: {} sends {:?} {:?} | A {} B {}",
            self.cfg().names[i],
            obs.sent,
            obs.events,
            self.views[0].tcb.state.rfc_name(),
            self.views[1].tcb.state.rfc_name()
        ));
    }

    /// The concrete run as a state of the model: the hosts' abstracted TCBs, script positions
    /// and ghost bits, the segments in flight, and the timers that are set.
    pub fn sys_state(&self) -> SysState {
        let envelopes = (0..self.pair.net.len()).map(|k| {
            let (src, _, msg) = self.in_flight_at(k);
            Envelope {
                src: Id::from(src),
                dst: Id::from(1 - src),
                msg,
            }
        });
        let timers_set = [0, 1]
            .map(|i| {
                let mut t = stateright::actor::Timers::new();
                if self.cfg().scripts[i]
                    .get(self.views[i].next_call as usize)
                    .is_some()
                {
                    t.set(Timer::User);
                }
                if self.pair.conn(side(i)).poll_timeout().is_some() {
                    t.set(if self.views[i].tcb.state == State::TimeWait {
                        Timer::TimeWait
                    } else {
                        Timer::Retransmit
                    });
                }
                t
            })
            .to_vec();
        ActorModelState {
            actor_states: self.views.iter().map(|v| Arc::new(*v)).collect(),
            network: Network::new_unordered_nonduplicating(envelopes),
            timers_set,
            random_choices: vec![Default::default(); 2],
            crashed: vec![false; 2],
            history: SeedProgress::default(),
            actor_storages: vec![None; 2],
        }
    }

    /// The safety properties that fail in the current state (all `always` properties but
    /// `good-terminal-states`, which speaks of terminal states: see [`TwoEndpointRun::settle`]).
    pub fn violations(&self) -> Vec<&'static str> {
        let s = self.sys_state();
        properties::catalog()
            .into_iter()
            .filter(|p| p.expectation == Expectation::Always)
            .filter(|p| p.id != Prop::GoodTerminalStates)
            .filter(|p| p.id != Prop::DataIntegrity || self.cfg().has_data())
            .filter(|p| !(p.condition)(&self.model, &s))
            .map(|p| p.name)
            .collect()
    }

    /// Runs to quiescence without further loss: deliver everything in flight, make the
    /// remaining user calls, fire timers, until nothing happens. Returns the number of steps,
    /// or `Err` if the run does not settle within `max` steps.
    pub fn settle(&mut self, max: usize) -> Result<usize, String> {
        for n in 0..max {
            let moved = self.step(Op::Deliver(0))
                || self.step(Op::User(0))
                || self.step(Op::User(1))
                || self.step(Op::Timer(0))
                || self.step(Op::Timer(1));
            if !moved {
                return Ok(n);
            }
            let bad = self.violations();
            if !bad.is_empty() {
                return Err(format!("while settling: {bad:?} violated"));
            }
        }
        Err(format!("no quiescence after {max} steps"))
    }

    /// Whether the model's `good-terminal-states` accepts the current (quiescent) state.
    pub fn good_terminal(&self) -> bool {
        let s = self.sys_state();
        (properties::info::<TcpModel>(Prop::GoodTerminalStates).condition)(&self.model, &s)
    }

    pub fn states(&self) -> [State; 2] {
        [self.views[0].tcb.state, self.views[1].tcb.state]
    }

    /// A host's ghost bits.
    pub fn ghost(&self, i: usize) -> Ghost {
        self.views[i].ghost
    }

    /// A host's incarnation (0 until a later OPEN).
    pub fn incarnation(&self, i: usize) -> u8 {
        self.views[i].incarnation
    }

    /// The segments in flight, in the order `Op::Deliver(k)` picks them: sender and segment
    /// (with its ghost tag).
    pub fn in_flight(&self) -> Vec<(usize, Segment)> {
        (0..self.pair.net.len())
            .map(|k| {
                let (src, _, seg) = self.in_flight_at(k);
                (src, seg)
            })
            .collect()
    }
}
