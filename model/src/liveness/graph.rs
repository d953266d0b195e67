//! The reachable state graph of a stateright [`Model`], explored once, with each edge labelled
//! by its action, for the liveness search. The graph keeps no states: what the search asks
//! of a state or a step is computed while exploring ([`Observe`]) and kept as a few bits.
//!
//! * Edges are stored compactly: the edges of state `v` are the edge numbers `edges(v)`, each
//!   with a target state, a label (the index of its action in `actions`, where every distinct
//!   action is stored once) and the label of the action the step requests, if any. Edge
//!   numbers are stable, so the liveness search keeps per-edge facts in plain vectors.
//! * Per state: the bits of [`Observe::facts`] (the predicates of the properties checked), and
//!   the actions idle there (enabled, but taking them would change nothing: no edge).
//! * States are told apart by a 64-bit fingerprint of their value, as stateright's own checkers
//!   tell them apart: two distinct states with one fingerprint would be taken for one. With n
//!   states the odds of any such collision are below n² / 2^65 ([`Graph::collision_odds`]):
//!   about 2.5 in 10 million for the 3 million states of `crash`. A state is about 110 bytes;
//!   the graph keeps about 90 bytes per state in all, edges included.
//! * A state is found again, when needed (a counterexample's, a test's), by replaying the
//!   actions that first reached it from an initial state ([`Graph::states`]).

use super::seen::Seen;
use stateright::Model;
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Range;

/// No label: an edge that requests nothing.
pub const NO_LABEL: u16 = u16::MAX;

type Facts<'a, M> = Box<dyn Fn(&<M as Model>::State) -> u32 + 'a>;
type Requests<'a, M> =
    Box<dyn Fn(&<M as Model>::State, &<M as Model>::Action) -> Option<<M as Model>::Action> + 'a>;
type Idle<'a, M> = Box<dyn Fn(&<M as Model>::State, &<M as Model>::Action) -> bool + 'a>;

/// What the exploration records of each state and step, for the search to ask later.
pub struct Observe<'a, M: Model> {
    facts: Facts<'a, M>,
    requests: Requests<'a, M>,
    idle: Idle<'a, M>,
}

impl<'a, M: Model> Default for Observe<'a, M> {
    fn default() -> Self {
        Observe {
            facts: Box::new(|_| 0),
            requests: Box::new(|_, _| None),
            idle: Box::new(|_, _| false),
        }
    }
}

impl<'a, M: Model> Observe<'a, M> {
    /// `facts(s)`: up to 32 bits about state `s` (which predicates hold there), read back with
    /// [`Graph::facts`].
    pub fn facts(mut self, facts: impl Fn(&M::State) -> u32 + 'a) -> Self {
        self.facts = Box::new(facts);
        self
    }

    /// `requests(s, a)`: the action that the step `a` from `s` requests (a step that sends a
    /// segment requests its delivery), read back with [`Graph::asks`].
    pub fn requests(
        mut self,
        requests: impl Fn(&M::State, &M::Action) -> Option<M::Action> + 'a,
    ) -> Self {
        self.requests = Box::new(requests);
        self
    }

    /// `idle(s, a)`, asked of every action `a` that `s` lists but that has no successor:
    /// whether it is enabled there and would change nothing (stateright omits a delivery its
    /// destination ignores). Read back with [`Graph::idle`].
    pub fn idle(mut self, idle: impl Fn(&M::State, &M::Action) -> bool + 'a) -> Self {
        self.idle = Box::new(idle);
        self
    }
}

/// Reachable states (by index, in breadth-first order), their outgoing edges, what was
/// observed of them, and which are initial.
pub struct Graph<M: Model> {
    pub init: Vec<usize>,
    /// The distinct actions that label an edge or are requested by one; a label is an index
    /// into it.
    pub actions: Vec<M::Action>,
    /// `first[v]..first[v + 1]`: the edges of state `v`.
    first: Vec<u32>,
    target: Vec<u32>,
    label: Vec<u16>,
    asks: Vec<u16>,
    facts: Vec<u32>,
    /// `idle_first[v]..idle_first[v + 1]`: the labels in `idle` of the actions idle in `v`.
    idle_first: Vec<u32>,
    idle: Vec<u16>,
}

impl<M: Model> Graph<M> {
    /// The number of states.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Whether there is no state (no initial state).
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The edges (edge numbers) leaving state `v`: one per action enabled in `v`.
    pub fn edges(&self, v: usize) -> Range<usize> {
        self.first[v] as usize..self.first[v + 1] as usize
    }

    /// The state edge `e` leads to.
    pub fn target(&self, e: usize) -> usize {
        self.target[e] as usize
    }

    /// The label of edge `e`: its action's index in `actions`.
    pub fn label(&self, e: usize) -> usize {
        self.label[e] as usize
    }

    /// The action of edge `e`.
    pub fn action(&self, e: usize) -> &M::Action {
        &self.actions[self.label(e)]
    }

    /// The label of the action edge `e` requests ([`Observe::requests`]), if any.
    pub fn asks(&self, e: usize) -> Option<usize> {
        let r = self.asks[e];
        (r != NO_LABEL).then_some(r as usize)
    }

    /// The bits [`Observe::facts`] gave for state `v`.
    pub fn facts(&self, v: usize) -> u32 {
        self.facts[v]
    }

    /// The labels of the actions idle in state `v` ([`Observe::idle`]).
    pub fn idle(&self, v: usize) -> &[u16] {
        &self.idle[self.idle_first[v] as usize..self.idle_first[v + 1] as usize]
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.target.len()
    }

    /// (target, action) for every action enabled in state `v`.
    pub fn succ(&self, v: usize) -> impl Iterator<Item = (usize, &M::Action)> + '_ {
        self.edges(v).map(|e| (self.target(e), self.action(e)))
    }

    /// The state an edge leaves from (a binary search: for lassos, not for inner loops).
    pub fn source(&self, e: usize) -> usize {
        self.first.partition_point(|&f| f as usize <= e) - 1
    }

    /// An upper bound on the odds that two of the graph's distinct states share a fingerprint
    /// (and were taken for one): n(n-1)/2 pairs, each colliding with odds 2^-64.
    pub fn collision_odds(&self) -> f64 {
        let n = self.len() as f64;
        n * (n - 1.0) / 2.0 / 2f64.powi(64)
    }

    /// The bytes the graph holds (its vectors' lengths, not their spare capacity).
    pub fn bytes(&self) -> usize {
        4 * (self.first.len() + self.target.len() + self.facts.len() + self.idle_first.len())
            + 2 * (self.label.len() + self.asks.len() + self.idle.len())
    }

    /// Every state, by index, found again by replaying from an initial state the edges that
    /// first reached it (breadth-first, as explored). `Err` if a replay does not reach the
    /// state the graph says (a fingerprint collision, or a model that is not deterministic).
    pub fn states(&self, model: &M) -> Result<Vec<M::State>, String>
    where
        M::State: Hash + Clone,
        M::Action: Clone,
    {
        let mut states: Vec<Option<M::State>> = vec![None; self.len()];
        // The initial states took the first indices, in the order listed, each once.
        let mut firsts: Vec<u64> = Vec::new();
        for s in model.init_states() {
            let h = fingerprint(&s);
            if !firsts.contains(&h) {
                firsts.push(h);
                let i = firsts.len() - 1;
                *states
                    .get_mut(i)
                    .ok_or("more initial states than explored")? = Some(s);
            }
        }
        if firsts.len() != self.init.len() {
            return Err("the initial states differ from those explored".into());
        }
        let mut reached = firsts.len();
        let mut queue: VecDeque<usize> = self.init.iter().copied().collect();
        while let Some(v) = queue.pop_front() {
            for e in self.edges(v) {
                let w = self.target(e);
                if states[w].is_some() {
                    continue;
                }
                let from = states[v].as_ref().expect("set before queued");
                let next = model
                    .next_state(from, self.action(e).clone())
                    .ok_or_else(|| format!("edge {e} does not replay"))?;
                states[w] = Some(next);
                reached += 1;
                queue.push_back(w);
            }
        }
        if reached != self.len() {
            return Err(format!("{} of {} states replayed", reached, self.len()));
        }
        Ok(states
            .into_iter()
            .map(|s| s.expect("all reached"))
            .collect())
    }
}

impl<M> Graph<M>
where
    M: Model,
    M::State: Hash,
    M::Action: Hash + Eq + Clone,
{
    /// Explores `model` breadth-first, observing nothing (see [`Graph::observed`]).
    pub fn explore(model: &M, max_states: usize) -> Result<Graph<M>, String> {
        Self::observed(model, max_states, &Observe::default())
    }

    /// Explores `model` breadth-first, recording what `observe` asks of each state and step;
    /// `Err` past `max_states` unique states (or past 2^32 - 2 edges).
    ///
    /// One thread: the exploration is bound by memory (each successor is a new state, most of
    /// them already known), and computing successors on a second core measured slower. The
    /// successors of a state are all computed and fingerprinted before any is looked up: that
    /// measured a third faster than looking each up as it comes.
    pub fn observed(
        model: &M,
        max_states: usize,
        observe: &Observe<M>,
    ) -> Result<Graph<M>, String> {
        let cap = max_states.min(u32::MAX as usize - 1);
        let mut seen = Seen::default();
        let mut labels: HashMap<M::Action, u16, BuildHasherDefault<Fx>> = HashMap::default();
        let mut g = Graph {
            init: Vec::new(),
            actions: Vec::new(),
            first: vec![0],
            target: Vec::new(),
            label: Vec::new(),
            asks: Vec::new(),
            facts: Vec::new(),
            idle_first: vec![0],
            idle: Vec::new(),
        };
        let mut label_of = |a: M::Action, actions: &mut Vec<M::Action>| -> Result<u16, String> {
            if let Some(&l) = labels.get(&a) {
                return Ok(l);
            }
            let l = u16::try_from(actions.len())
                .ok()
                .filter(|&l| l != NO_LABEL)
                .ok_or("more than 65,535 distinct actions")?;
            actions.push(a.clone());
            labels.insert(a, l);
            Ok(l)
        };
        // States found and not yet expanded; their numbers follow on from those expanded, so a
        // new state's number is the number of states found before it.
        let mut queue: VecDeque<M::State> = VecDeque::new();
        for s in model.init_states() {
            let (i, new) = seen.insert(fingerprint(&s), seen.len() as u32);
            if new {
                queue.push_back(s);
                g.init.push(i as usize);
            }
        }
        let mut actions = Vec::new();
        let mut successors = Vec::new();
        while let Some(s) = queue.pop_front() {
            if seen.len() > cap {
                return Err(format!("more than {cap} states"));
            }
            g.facts.push((observe.facts)(&s));
            model.actions(&s, &mut actions);
            for a in actions.drain(..) {
                match model.next_state(&s, a.clone()) {
                    Some(next) => {
                        let fp = fingerprint(&next);
                        successors.push((a, next, fp));
                    }
                    None if (observe.idle)(&s, &a) => {
                        let l = label_of(a, &mut g.actions)?;
                        g.idle.push(l);
                    }
                    None => {}
                }
            }
            // One tight loop of independent reads: their cache misses overlap.
            let touched = successors
                .iter()
                .fold(0, |t, (_, _, fp)| t ^ seen.touch(*fp));
            std::hint::black_box(touched);
            for (a, next, fp) in successors.drain(..) {
                let asked = (observe.requests)(&s, &a);
                let (w, new) = seen.insert(fp, seen.len() as u32);
                if new {
                    queue.push_back(next);
                }
                g.target.push(w);
                g.label.push(label_of(a, &mut g.actions)?);
                g.asks.push(match asked {
                    Some(r) => label_of(r, &mut g.actions)?,
                    None => NO_LABEL,
                });
            }
            let edges = u32::try_from(g.target.len()).map_err(|_| "more than 2^32 edges")?;
            g.first.push(edges);
            g.idle_first.push(g.idle.len() as u32);
        }
        Ok(g)
    }
}

/// A state's 64-bit fingerprint.
pub fn fingerprint<S: Hash>(s: &S) -> u64 {
    let mut h = Fx(0);
    s.hash(&mut h);
    h.finish()
}

/// A fast, non-cryptographic hasher (the multiply-rotate scheme of rustc's FxHasher) for
/// fingerprints and the action labels: only speed and spread matter.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn write_u16(&mut self, i: u16) {
        self.add(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // Spread the last word's bits (the map's bucket index uses the low ones).
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
    }
}
