//! The stateright model: two [`Host`] actors over a configurable network.
//!
//! [`TcpModel`] wraps stateright's `ActorModel` for one reason: the duplicating network of
//! stateright 0.31 remembers the last delivered message (`last_msg`), which multiplies the
//! state space without telling the properties anything. The wrapper clears it after each step.

use crate::config::Config;
use crate::ghost::{delivery_ghost, Ghost};
use crate::host::{Host, HostState, Timer};
use crate::properties;
use crate::seed;
use crate::seed::SeedProgress;
use crate::segment::Segment;
use crate::system::{self, SystemState, TcpSystem};
use stateright::actor::{
    ActorModel, ActorModelAction, ActorModelState, Envelope, Id, LossyNetwork, Network,
};
use stateright::{Model, Path, Property};

pub type SysState = ActorModelState<Host, SeedProgress>;
pub type SysAction = ActorModelAction<Segment, Timer, ()>;
type Sys = ActorModel<Host, Config, SeedProgress>;

/// The checked model of one configuration.
#[derive(Clone)]
pub struct TcpModel {
    pub sys: Sys,
    /// Generate drop actions even on a duplicating network (slow; used to test that implicit
    /// loss loses nothing).
    pub explicit_loss: bool,
}

impl TcpModel {
    pub fn new(cfg: Config) -> Result<TcpModel, String> {
        cfg.network.validate()?;
        let hosts = [0usize, 1].map(|i| Host {
            name: cfg.names[i],
            peer: Id::from(1 - i),
            iss: cfg.isn[i],
            isn_policy: cfg.isn_policy,
            tags: cfg.incarnations(),
            retries: cfg.retries,
            script: cfg.scripts[i],
            profile: cfg.profile,
            attack_budget: cfg.attack_budget(i),
        });
        let net = cfg.network;
        let stale = cfg
            .initial_segments()
            .into_iter()
            .map(|(src, msg)| Envelope {
                src: Id::from(src),
                dst: Id::from(1 - src),
                msg,
            });
        let network = match (net.duplication, net.reordering) {
            (true, _) => Network::new_unordered_duplicating(stale),
            (false, true) => Network::new_unordered_nonduplicating(stale),
            (false, false) => Network::new_ordered(stale),
        };
        let cfg_crashes = usize::from(cfg.crashes);
        let tracks_seed = cfg.reach.iter().any(|r| r.is_seed());
        let lossy = if net.loss {
            LossyNetwork::Yes
        } else {
            LossyNetwork::No
        };
        let mut sys = ActorModel::new(cfg, SeedProgress::default())
            .actors(hosts)
            .init_network(network)
            .lossy_network(lossy)
            .max_crashes(cfg_crashes);
        if tracks_seed {
            sys = sys.record_msg_out(seed::record);
        }
        Ok(TcpModel {
            sys,
            explicit_loss: false,
        })
    }

    /// Loss on a duplicating network is implicit: a segment that is never delivered again is
    /// indistinguishable, for the hosts, from one that was dropped, and the network keeps every
    /// segment ever sent, so no host behaviour is lost by not generating drops. Only the
    /// terminal-state check must know: see [`crate::properties::quiescent`].
    pub fn implicit_loss(&self) -> bool {
        self.cfg().network.loss && self.cfg().network.duplication && !self.explicit_loss
    }

    pub fn cfg(&self) -> &Config {
        &self.sys.cfg
    }

    pub fn host(&self, i: usize) -> &Host {
        &self.sys.actors[i]
    }

    /// The path from the initial state through `actions`; `None` if an action does not apply.
    pub fn path(&self, actions: &[SysAction]) -> Option<Path<SysState, SysAction>> {
        let init = self.init_states().into_iter().next()?;
        Path::from_actions(self, init, actions)
    }
}

impl TcpModel {
    /// Whether host `id`'s 2MSL timer must wait: see [`crate::system::time_wait_holds`].
    pub fn time_wait_holds(&self, s: &SysState, id: Id) -> bool {
        system::time_wait_holds(self.cfg(), s, usize::from(id))
    }
}

impl SystemState for SysState {
    fn host(&self, i: usize) -> &HostState {
        &self.actor_states[i]
    }

    fn crashed(&self, i: usize) -> bool {
        self.crashed[i]
    }

    fn seed(&self) -> SeedProgress {
        self.history
    }
}

impl TcpSystem for TcpModel {
    fn config(&self) -> &Config {
        self.cfg()
    }

    fn host_actor(&self, i: usize) -> &Host {
        self.host(i)
    }

    fn loss_is_implicit(&self) -> bool {
        self.implicit_loss()
    }

    fn timer_set(&self, s: &SysState, i: usize, t: Timer) -> bool {
        s.timers_set[i].iter().any(|x| *x == t)
    }

    fn all_in_flight(&self, s: &SysState, mut f: impl FnMut(usize, &Segment) -> bool) -> bool {
        match &s.network {
            Network::UnorderedDuplicating(set, _) => set.iter().all(|e| f(e.dst.into(), &e.msg)),
            Network::UnorderedNonDuplicating(bag) => bag.keys().all(|e| f(e.dst.into(), &e.msg)),
            Network::Ordered(flows) => flows
                .iter()
                .all(|((_, dst), q)| q.iter().all(|m| f((*dst).into(), m))),
        }
    }

    fn same_state(&self, a: &SysState, b: &SysState) -> bool {
        let msgs = |s: &SysState| match &s.network {
            Network::UnorderedDuplicating(set, _) => Some(set.clone()),
            _ => None,
        };
        a.actor_states == b.actor_states
            && a.timers_set == b.timers_set
            && a.history == b.history
            && match (msgs(a), msgs(b)) {
                (Some(x), Some(y)) => x == y,
                _ => a.network == b.network,
            }
    }
}

/// Sets a ghost bit on host `i` of `s`.
fn mark(s: &mut SysState, i: usize, bit: u16) {
    let mut h = *s.actor_states[i];
    h.ghost.set(bit);
    s.actor_states[i] = std::sync::Arc::new(h);
}

/// Host `i`'s state in `s`.
pub fn host(s: &SysState, i: usize) -> &HostState {
    &s.actor_states[i]
}

fn forget_last_msg(mut s: SysState) -> SysState {
    if let Network::UnorderedDuplicating(_, last) = &mut s.network {
        *last = None;
    }
    s
}

impl Model for TcpModel {
    type State = SysState;
    type Action = SysAction;

    fn init_states(&self) -> Vec<SysState> {
        self.sys.init_states()
    }

    fn actions(&self, state: &SysState, actions: &mut Vec<SysAction>) {
        self.sys.actions(state, actions);
        let implicit_loss = self.implicit_loss();
        actions.retain(|a| match a {
            ActorModelAction::Drop(_) => !implicit_loss,
            // Each host reboots at most once.
            ActorModelAction::Crash(id) => {
                !host(state, usize::from(*id)).ghost.has(Ghost::REBOOTED)
            }
            ActorModelAction::Timeout(id, Timer::TimeWait) => !self.time_wait_holds(state, *id),
            _ => true,
        });
        // stateright 0.31 sorts the actions it lists (`ActorModel::actions`) and `retain`
        // keeps that order, so the explorer's action indices (`#/steps/0/3/...`) mean the same
        // path in every process: a link printed by `synfin check` opens in `synfin explore`.
    }

    fn next_state(&self, last: &SysState, action: SysAction) -> Option<SysState> {
        // What the ghost checks below need, taken before `action` moves (all `Copy`).
        let delivery = match &action {
            ActorModelAction::Deliver { src, dst, msg } => Some((*src, *dst, *msg)),
            _ => None,
        };
        let reboot = match &action {
            ActorModelAction::Recover(id) => Some(usize::from(*id)),
            _ => None,
        };
        let mut next = forget_last_msg(self.sys.next_state(last, action)?);
        if let Some((src, dst, msg)) = delivery {
            let (s, d) = (usize::from(src), usize::from(dst));
            let bits = delivery_ghost(last, s, d, &msg, host(&next, d));
            if bits != 0 {
                mark(&mut next, d, bits);
            }
        }
        if let Some(i) = reboot {
            // The reboot keeps the failures already recorded (they are not state the host
            // has; they are what the checker has seen).
            let sticky = host(last, i).ghost.bits() & Ghost::STICKY;
            if sticky != 0 {
                mark(&mut next, i, sticky);
            }
        }
        Some(next)
    }

    fn format_action(&self, action: &SysAction) -> String {
        self.sys.format_action(action)
    }

    /// What the step did, in the trace's words (stateright's explorer shows it as the state's
    /// summary; synfin's explorer shows it above the state panel).
    fn format_step(&self, last: &SysState, action: SysAction) -> Option<String> {
        let next = self.next_state(last, action.clone())?;
        let names = crate::trace::Names::for_model(self);
        Some(crate::view::label::outcome(
            self, &names, last, &action, &next,
        ))
    }

    /// The sequence diagram of `path` in RFC notation, with both hosts' states after every
    /// step ([`crate::view::svg`]).
    fn as_svg(&self, path: Path<SysState, SysAction>) -> Option<String> {
        let steps = crate::trace::steps(self, &path);
        let names = crate::trace::Names::for_model(self);
        Some(crate::view::svg::sequence(
            self,
            &names,
            &steps,
            crate::view::svg::Marks::default(),
        ))
    }

    fn properties(&self) -> Vec<Property<Self>> {
        properties::for_config(self.cfg())
    }
}
