//! Two-endpoint conformance: two `synfin-tcp` endpoints run a named configuration's user
//! scripts over a network whose losses, duplicates and reorderings the caller chooses (a
//! proptest strategy, in the tests). After every step the concrete run is mapped to a model
//! state ([`Run::sys_state`]) and the model's safety properties (the predicates
//! `synfin check` uses) are evaluated on it; at the end the run is driven to quiescence and
//! the model's `good-terminal-states` must accept where it stopped.

use crate::endpoint::{self, Endpoint, Observation};
use stateright::actor::{ActorModelState, Envelope, Id, Network};
use stateright::Expectation;
use std::sync::Arc;
use synfin_model::host::{Ghost, Host, HostState, Timer};
use synfin_model::model::SysState;
use synfin_model::properties;
use synfin_model::rules::Outcome;
use synfin_model::seed::SeedProgress;
use synfin_model::state::Cause;
use synfin_model::{Config, Segment, State, TcpModel};
use synfin_tcp::Packet;

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

/// A segment on its way, in the endpoint's form and the model's.
#[derive(Clone, Debug)]
struct InFlight {
    src: usize,
    packet: Packet,
    model: Segment,
}

/// A concrete run of a configuration.
pub struct Run {
    pub model: TcpModel,
    hosts: [Endpoint; 2],
    /// The model's view of each host: abstracted TCB, script position, ghost bits.
    views: [HostState; 2],
    net: Vec<InFlight>,
    /// What happened, one line per step (for failure reports).
    pub log: Vec<String>,
}

impl Run {
    pub fn new(cfg: Config) -> Result<Run, String> {
        let model = TcpModel::new(cfg)?;
        let cfg = model.cfg();
        let hosts = [0, 1]
            .map(|i| Endpoint::new(i, cfg.isn[i].0, endpoint::config(&cfg.profile, cfg.retries)));
        let views = [0, 1].map(|i| model.host(i).initial());
        // Old duplicates of an earlier incarnation are in the network from the start.
        let net = cfg
            .stale
            .iter()
            .map(|&(src, model)| InFlight {
                src,
                packet: Packet {
                    src: hosts[src].local,
                    dst: hosts[src].remote,
                    segment: crate::abstraction::wire(&model, u16::MAX),
                },
                model,
            })
            .collect();
        Ok(Run {
            model,
            hosts,
            views,
            net,
            log: Vec::new(),
        })
    }

    fn cfg(&self) -> &Config {
        self.model.cfg()
    }

    /// Applies `op`; returns whether anything happened.
    pub fn step(&mut self, op: Op) -> bool {
        let n = self.net.len();
        match op {
            Op::User(i) => self.user(i),
            Op::Deliver(k) if n > 0 => {
                let m = self.net.remove(k % n);
                let dst = 1 - m.src;
                let obs = self.hosts[dst].arrive_packet(&m.packet);
                self.after(
                    dst,
                    Cause::arrival(&m.model),
                    &obs,
                    format!("{} receives {:?}", self.cfg().names[dst], m.model),
                );
                true
            }
            Op::Lose(k) if n > 0 && self.cfg().network.loss => {
                let m = self.net.remove(k % n);
                self.log.push(format!("network loses {:?}", m.model));
                true
            }
            Op::Duplicate(k) if n > 0 && self.cfg().network.duplication => {
                let m = self.net[k % n].clone();
                self.log.push(format!("network duplicates {:?}", m.model));
                self.net.push(m);
                true
            }
            Op::Timer(i) => {
                let cause = if self.hosts[i].conn.state() == synfin_tcp::State::TimeWait {
                    Cause::TimeWait
                } else {
                    Cause::Retransmit
                };
                match self.hosts[i].fire_timer() {
                    Some(obs) => {
                        self.after(i, cause, &obs, format!("{} timer", self.cfg().names[i]));
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
        let obs = self.hosts[i].call(call);
        self.views[i].next_call += 1;
        self.after(
            i,
            call.cause(),
            &obs,
            format!("{}: {}", self.cfg().names[i], call.name()),
        );
        true
    }

    /// Books what host `i` did: its segments go in flight, its view and ghost bits follow.
    fn after(&mut self, i: usize, cause: Cause, obs: &Observation, what: String) {
        for (packet, model) in self.hosts[i].take_packets().into_iter().zip(&obs.sent) {
            self.net.push(InFlight {
                src: i,
                packet,
                model: *model,
            });
        }
        let mut tcb = self.hosts[i].tcb(&self.views[i].tcb);
        let prev = self.views[i].tcb;
        if matches!(tcb.state, State::Listen | State::Closed) && prev.syn_sent() && !tcb.syn_sent()
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
        self.views[i] = Host::record(&self.views[i], &outcome, cause);
        self.log.push(format!(
            "{what}: {} sends {:?} {:?} | A {} B {}",
            self.cfg().names[i],
            obs.sent,
            obs.events,
            self.views[0].tcb.state.name(),
            self.views[1].tcb.state.name()
        ));
    }

    /// The concrete run as a state of the model: the hosts' abstracted TCBs, script positions
    /// and ghost bits, the segments in flight, and the timers that are set.
    pub fn sys_state(&self) -> SysState {
        let envelopes = self.net.iter().map(|m| Envelope {
            src: Id::from(m.src),
            dst: Id::from(1 - m.src),
            msg: m.model,
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
                if self.hosts[i].timer_set() {
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
    /// `good-terminal-states`, which speaks of terminal states: see [`Run::settle`]).
    pub fn violations(&self) -> Vec<&'static str> {
        let s = self.sys_state();
        properties::catalog()
            .into_iter()
            .filter(|p| p.expectation == Expectation::Always)
            .filter(|p| p.name != "good-terminal-states")
            .filter(|p| p.name != "data-integrity" || self.cfg().has_data())
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
        properties::catalog()
            .into_iter()
            .find(|p| p.name == "good-terminal-states")
            .is_some_and(|p| (p.condition)(&self.model, &s))
    }

    pub fn states(&self) -> [State; 2] {
        [self.views[0].tcb.state, self.views[1].tcb.state]
    }

    /// A host's ghost bits.
    pub fn ghost(&self, i: usize) -> Ghost {
        self.views[i].ghost
    }
}
