//! Which engine explores a configuration, decided in one place: the compact engine
//! ([`CompactModel`]) wherever it represents the configuration, the actor model ([`TcpModel`])
//! for ordered networks, and the actor model again when a state did not fit the compact engine
//! (more segments in flight, or more distinct segments, than it holds), so that no run is
//! silently incomplete. `synfin check`'s search and shortest examples, its liveness check and
//! the proofs all go through [`on_engine`].

use crate::compact::CompactModel;
use crate::config::Config;
use crate::model::TcpModel;
use crate::system::TcpSystem;
use std::fmt::Debug;
use std::hash::Hash;

/// Which engine explored the state space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Compact,
    Actor,
}

impl Engine {
    /// As reported (`engine` in `synfin check --json`).
    pub fn name(self) -> &'static str {
        match self {
            Engine::Compact => "compact",
            Engine::Actor => "actor",
        }
    }
}

/// A computation over either model of the TCP system (a closure cannot be generic over the
/// model, a trait method can).
pub trait OnEngine {
    type Output;

    fn run<M>(&mut self, model: &M) -> Self::Output
    where
        M: TcpSystem + Clone + Send + Sync + 'static,
        M::State: Hash + Eq + Clone + Debug + Send + Sync + 'static;

    /// Told when a state did not fit the compact engine, before `run` starts again on the
    /// actor model.
    fn overflowed(&mut self, _cfg: &Config) {}
}

/// Runs `f` on the compact engine where it represents `cfg`, else on the actor model; runs it
/// again on the actor model if a state did not fit the compact engine. `Err` for an invalid
/// configuration.
pub fn on_engine<F: OnEngine>(cfg: &Config, f: &mut F) -> Result<(Engine, F::Output), String> {
    if let Ok(compact) = CompactModel::new(cfg.clone()) {
        let out = f.run(&compact);
        if !compact.overflowed() {
            return Ok((Engine::Compact, out));
        }
        f.overflowed(cfg);
    }
    let actor = TcpModel::new(cfg.clone())?;
    Ok((Engine::Actor, f.run(&actor)))
}
