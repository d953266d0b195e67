//! The reachable state graph of a stateright [`Model`], explored once, with each edge labelled
//! by its action, for the liveness search.
//!
//! Edges are stored compactly: the edges of state `v` are the edge numbers `edges(v)`, each
//! with a target state and a label, the index of its action in `actions` (every distinct
//! action is stored once). Edge numbers are stable, so the liveness search can keep per-edge
//! facts (is it still part of the subgraph, what does it request) in plain vectors.

use stateright::Model;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Range;

/// Reachable states (by index, in breadth-first order), their outgoing edges and which are
/// initial.
pub struct Graph<M: Model> {
    pub states: Vec<M::State>,
    pub init: Vec<usize>,
    /// The distinct actions that label edges; a label is an index into it.
    pub actions: Vec<M::Action>,
    /// `first[v]..first[v + 1]`: the edges of state `v`.
    first: Vec<usize>,
    target: Vec<u32>,
    label: Vec<u32>,
}

impl<M: Model> Graph<M> {
    /// The edges (edge numbers) leaving state `v`: one per action enabled in `v`.
    pub fn edges(&self, v: usize) -> Range<usize> {
        self.first[v]..self.first[v + 1]
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
        self.first.partition_point(|&f| f <= e) - 1
    }
}

impl<M> Graph<M>
where
    M: Model,
    M::State: Hash + Eq,
    M::Action: Hash + Eq + Clone,
{
    /// Explores `model` breadth-first; `Err` past `max_states` unique states.
    ///
    /// One thread: the exploration is bound by memory (each successor is a cloned state, most
    /// of them already known), and computing successors on a second core measured slower. The
    /// successors of a state are all computed (and hashed) into a fresh vector before any is
    /// looked up: that measured a third faster than looking each up as it comes, or than
    /// reusing one vector.
    pub fn explore(model: &M, max_states: usize) -> Result<Graph<M>, String> {
        let cap = max_states.min(u32::MAX as usize - 1);
        let mut index = Index::default();
        let mut labels: HashMap<M::Action, u32, BuildHasherDefault<Fx>> = HashMap::default();
        let mut g = Graph {
            states: Vec::new(),
            init: Vec::new(),
            actions: Vec::new(),
            first: vec![0],
            target: Vec::new(),
            label: Vec::new(),
        };
        for s in model.init_states() {
            let h = hash(&s);
            let i = index.intern(&mut g.states, s, h);
            if !g.init.contains(&i) {
                g.init.push(i);
            }
        }
        let mut v = 0;
        while v < g.states.len() {
            if g.states.len() > cap {
                return Err(format!("more than {cap} states"));
            }
            let s = &g.states[v];
            let mut actions = Vec::new();
            model.actions(s, &mut actions);
            let successors: Vec<_> = actions
                .into_iter()
                .filter_map(|a| {
                    let next = model.next_state(s, a.clone())?;
                    let h = hash(&next);
                    Some((a, next, h))
                })
                .collect();
            for (a, next, h) in successors {
                let w = index.intern(&mut g.states, next, h);
                let next_label = g.actions.len() as u32;
                let l = *labels.entry(a).or_insert_with_key(|a| {
                    g.actions.push(a.clone());
                    next_label
                });
                g.target.push(w as u32);
                g.label.push(l);
            }
            g.first.push(g.target.len());
            v += 1;
        }
        Ok(g)
    }
}

fn hash<S: Hash>(s: &S) -> u64 {
    let mut h = Fx(0);
    s.hash(&mut h);
    h.finish()
}

/// A fast, non-cryptographic hasher (the multiply-rotate scheme of rustc's FxHasher) for the
/// state index: states are compared in full on a hash match, so only speed and spread matter.
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

/// Each state stored once, in `states`; the index maps a state's hash to its position, with
/// the rare hash collisions kept aside. The keys are hashes already: the maps use them as they
/// are ([`Identity`]).
#[derive(Default)]
struct Index {
    first: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    more: HashMap<u64, Vec<u32>, BuildHasherDefault<Identity>>,
}

/// A hasher for keys that are well-spread 64-bit hashes already.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Index {
    fn intern<S: Eq>(&mut self, states: &mut Vec<S>, s: S, h: u64) -> usize {
        let new = states.len() as u32;
        match self.first.get(&h) {
            None => {
                self.first.insert(h, new);
            }
            Some(&i) if states[i as usize] == s => return i as usize,
            Some(_) => {
                let bucket = self.more.entry(h).or_default();
                if let Some(&i) = bucket.iter().find(|&&i| states[i as usize] == s) {
                    return i as usize;
                }
                bucket.push(new);
            }
        }
        states.push(s);
        new as usize
    }
}
