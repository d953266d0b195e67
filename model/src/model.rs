//! The stateright model: two [`Host`] actors over a configurable network.
//!
//! [`TcpModel`] wraps stateright's `ActorModel` for one reason: the duplicating network of
//! stateright 0.31 remembers the last delivered message (`last_msg`), which multiplies the
//! state space without telling the properties anything. The wrapper clears it after each step.

use crate::config::Config;
use crate::host::{Host, HostState, Timer};
use crate::properties;
use crate::seed::{self, SeedProgress};
use crate::segment::Segment;
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
            retries: cfg.retries,
            script: cfg.scripts[i],
            profile: cfg.profile,
        });
        let net = cfg.network;
        let stale = cfg.stale.iter().map(|&(src, msg)| Envelope {
            src: Id::from(src),
            dst: Id::from(1 - src),
            msg,
        });
        let network = match (net.duplication, net.reordering) {
            (true, _) => Network::new_unordered_duplicating(stale),
            (false, true) => Network::new_unordered_nonduplicating(stale),
            (false, false) => Network::new_ordered(stale),
        };
        let tracks_seed = cfg.reach.iter().any(|r| r.starts_with("seed-"));
        let lossy = if net.loss {
            LossyNetwork::Yes
        } else {
            LossyNetwork::No
        };
        let mut sys = ActorModel::new(cfg, SeedProgress::default())
            .actors(hosts)
            .init_network(network)
            .lossy_network(lossy);
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
        if self.implicit_loss() {
            actions.retain(|a| !matches!(a, ActorModelAction::Drop(_)));
        }
    }

    fn next_state(&self, last: &SysState, action: SysAction) -> Option<SysState> {
        self.sys.next_state(last, action).map(forget_last_msg)
    }

    fn format_action(&self, action: &SysAction) -> String {
        self.sys.format_action(action)
    }

    fn format_step(&self, last: &SysState, action: SysAction) -> Option<String> {
        self.sys.format_step(last, action)
    }

    fn as_svg(&self, path: Path<SysState, SysAction>) -> Option<String> {
        self.sys.as_svg(path)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        properties::for_config(self.cfg())
    }
}
