//! The exhaustive search of `synfin check`: stateright's depth-first checker on the compact
//! engine (`synfin_model::compact`), or on the actor model where the compact engine has no
//! representation (ordered networks). Depth-first because it keeps only the states on the
//! current path and a set of fingerprints, where stateright's breadth-first checker keeps a
//! parent pointer per state and the whole frontier, each job with its path: on
//! `simultaneous-open` 16 MB and 1.25 s against 70 MB and 1.8 s. Its discovery paths are not
//! shortest; `check` shows shortest counterexamples from its own search (`shortest`). Paths
//! found are replayed on the actor model, action for action, so traces, links and the
//! explorer see the same runs either way.

use crate::guard::{Limits, Stopped};
use stateright::{Checker, Path};
use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::time::{Duration, Instant};
use synfin_model::engine::{on_engine, OnEngine};
use synfin_model::model::{SysAction, SysState};
use synfin_model::system::TcpSystem;
use synfin_model::{Config, TcpModel};

/// What the search found.
pub struct Explored {
    /// Which engine explored it (`compact`, or `actor`).
    pub engine: &'static str,
    pub states: usize,
    pub unique_states: usize,
    pub max_depth: usize,
    pub seconds: f64,
    /// The discovery path of each property found (a counterexample of an `always` property,
    /// an example of a `sometimes` one), on the actor model.
    pub discoveries: HashMap<&'static str, Path<SysState, SysAction>>,
}

/// Explores `model`'s state space with `threads` threads, within `limits`, on the engine
/// [`on_engine`] picks.
pub fn explore(model: &TcpModel, threads: usize, limits: Limits) -> Result<Explored, Stopped> {
    struct Search<'a>(&'a TcpModel, usize, Limits);
    impl OnEngine for Search<'_> {
        type Output = Result<Explored, Stopped>;
        fn run<M>(&mut self, m: &M) -> Self::Output
        where
            M: TcpSystem + Clone + Send + Sync + 'static,
            M::State: Hash + Eq + Clone + Debug + Send + Sync + 'static,
        {
            run(self.0, m.clone(), self.1, self.2)
        }
        fn overflowed(&mut self, cfg: &Config) {
            errln!(
                "note: a state of {} did not fit the compact engine; exploring with the actor \
                 model",
                cfg.name
            );
        }
    }
    let (engine, explored) = on_engine(model.cfg(), &mut Search(model, threads, limits))
        .expect("the model was built from this configuration");
    explored.map(|e| Explored {
        engine: engine.name(),
        ..e
    })
}

fn run<M>(actor: &TcpModel, m: M, threads: usize, limits: Limits) -> Result<Explored, Stopped>
where
    M: TcpSystem + Clone + Send + Sync + 'static,
    M::State: Hash + Eq + Send + Sync + Debug + Clone + 'static,
{
    let start = Instant::now();
    let name = actor.cfg().name;
    let checker = m.clone().checker().threads(threads).spawn_dfs();
    let mut next_note = Duration::from_secs(2);
    while !checker.is_done() {
        std::thread::sleep(Duration::from_millis(20));
        if let Some((why, limit)) = limits.exceeded(checker.unique_state_count()) {
            return Err(Stopped {
                config: name,
                stopped: why,
                limit,
                states: checker.state_count(),
                unique_states: checker.unique_state_count(),
                max_depth: checker.max_depth(),
                seconds: start.elapsed().as_secs_f64(),
            });
        }
        if start.elapsed() >= next_note {
            errln!(
                "checking {name}: {} states, {} unique, depth {}, {:.0} s",
                checker.state_count(),
                checker.unique_state_count(),
                checker.max_depth(),
                start.elapsed().as_secs_f64()
            );
            next_note += Duration::from_secs(2);
        }
    }
    let checker = checker.join();
    let seconds = start.elapsed().as_secs_f64();
    let discoveries = checker
        .discoveries()
        .into_iter()
        .filter_map(|(name, path)| Some((name, actor.path(&path.into_actions())?)))
        .collect();
    Ok(Explored {
        engine: "",
        states: checker.state_count(),
        unique_states: checker.unique_state_count(),
        max_depth: checker.max_depth(),
        seconds,
        discoveries,
    })
}

/// A shortest path to a state where each target holds, in one breadth-first search (see
/// `synfin_model::shortest`): `(property, violated)` targets a state where the property's
/// condition is false (`true`) or true (`false`). Run on the compact engine where it applies,
/// and replayed on the actor model. `None` for a target not met within `budget` unique states.
pub fn shortest(
    model: &TcpModel,
    targets: &[(&'static str, bool)],
    budget: usize,
) -> Vec<Option<Path<SysState, SysAction>>> {
    struct Shortest<'a>(&'a TcpModel, &'a [(&'static str, bool)], usize);
    impl OnEngine for Shortest<'_> {
        type Output = Vec<Option<Path<SysState, SysAction>>>;
        fn run<M>(&mut self, m: &M) -> Self::Output
        where
            M: TcpSystem + Clone + Send + Sync + 'static,
            M::State: Hash + Eq + Clone + Debug + Send + Sync + 'static,
        {
            shortest_on(self.0, m, self.1, self.2)
        }
    }
    on_engine(model.cfg(), &mut Shortest(model, targets, budget))
        .map(|(_, paths)| paths)
        .unwrap_or_else(|_| vec![None; targets.len()])
}

/// A condition on states.
type Target<'a, S> = dyn Fn(&S) -> bool + 'a;
type Cond<'a, S> = Box<dyn Fn(&S) -> bool + 'a>;

fn shortest_on<M>(
    actor: &TcpModel,
    m: &M,
    targets: &[(&'static str, bool)],
    budget: usize,
) -> Vec<Option<Path<SysState, SysAction>>>
where
    M: TcpSystem,
    M::State: Hash + Eq + Clone,
{
    let props = synfin_model::properties::for_config::<M>(m.config());
    let conds: Vec<Cond<M::State>> = targets
        .iter()
        .map(|(name, violated)| {
            let cond = props.iter().find(|p| p.name == *name).map(|p| p.condition);
            let violated = *violated;
            Box::new(move |s: &M::State| cond.is_some_and(|c| c(m, s) != violated))
                as Cond<M::State>
        })
        .collect();
    let refs: Vec<&Target<M::State>> = conds.iter().map(|c| c.as_ref()).collect();
    synfin_model::shortest::shortest_paths(m, &refs, budget)
        .into_iter()
        .map(|p| actor.path(&p?.into_actions()))
        .collect()
}
