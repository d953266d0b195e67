//! The reachable state graph of a stateright [`Model`], explored once, with each edge labelled
//! by its action, for the liveness search.

use stateright::Model;
use std::collections::HashMap;
use std::hash::Hash;

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
        let mut index: HashMap<M::State, usize> = HashMap::new();
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

    fn intern(&mut self, index: &mut HashMap<M::State, usize>, s: M::State) -> usize {
        if let Some(&i) = index.get(&s) {
            return i;
        }
        let i = self.states.len();
        index.insert(s.clone(), i);
        self.states.push(s);
        self.succ.push(Vec::new());
        i
    }
}
