//! The reachable state graph of a stateright [`Model`], explored once, with each edge labelled
//! by its action, for the liveness search.

use stateright::Model;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Reachable states (by index), their outgoing edges and which are initial.
pub struct Graph<M: Model> {
    pub states: Vec<M::State>,
    /// `succ[v]`: (target, action) for every action enabled in state `v`.
    pub succ: Vec<Vec<(usize, M::Action)>>,
    pub init: Vec<usize>,
}

impl<M> Graph<M>
where
    M: Model,
    M::State: Hash + Eq + Clone,
    M::Action: Clone,
{
    /// Explores `model` breadth-first; `Err` past `max_states` unique states.
    pub fn explore(model: &M, max_states: usize) -> Result<Graph<M>, String> {
        // Each state is stored once, in `states`; the index maps a hash to the states with it.
        let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut g = Graph {
            states: Vec::new(),
            succ: Vec::new(),
            init: Vec::new(),
        };
        for s in model.init_states() {
            let i = g.intern(&mut index, s);
            if !g.init.contains(&i) {
                g.init.push(i);
            }
        }
        let mut actions = Vec::new();
        let mut v = 0;
        while v < g.states.len() {
            if g.states.len() > max_states {
                return Err(format!("more than {max_states} states"));
            }
            actions.clear();
            model.actions(&g.states[v], &mut actions);
            let mut edges = Vec::with_capacity(actions.len());
            for a in actions.drain(..) {
                if let Some(next) = model.next_state(&g.states[v], a.clone()) {
                    let w = g.intern(&mut index, next);
                    edges.push((w, a));
                }
            }
            g.succ[v] = edges;
            v += 1;
        }
        Ok(g)
    }

    fn intern(&mut self, index: &mut HashMap<u64, Vec<usize>>, s: M::State) -> usize {
        let mut h = DefaultHasher::new();
        s.hash(&mut h);
        let bucket = index.entry(h.finish()).or_default();
        if let Some(&i) = bucket.iter().find(|&&i| self.states[i] == s) {
            return i;
        }
        let i = self.states.len();
        bucket.push(i);
        self.states.push(s);
        self.succ.push(Vec::new());
        i
    }
}
