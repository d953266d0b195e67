//! `P leads-to Q` under fairness, on an explored [`Graph`]: a counterexample is a reachable
//! state where P holds and Q does not, from which a *fair* infinite path avoids Q forever (a
//! lasso), or a state where nothing more can happen and Q still does not hold.
//!
//! Fairness, per action (an action is identified by its value, so a segment sent again and
//! again is the same delivery action):
//! * weak: an action enabled in every state of a cycle must be taken on it (a set timer fires);
//! * strong: an action enabled in some state of a cycle must be taken on it (a segment that is
//!   sent again and again is eventually delivered; infinite loss of every copy is excluded).
//!
//! Strong fairness uses the Emerson-Lei refinement: in a component where a strongly fair
//! action is enabled but never taken, the states that enable it cannot be on a fair cycle, so
//! they are removed and the rest is split into components again.

use super::graph::Graph;
use super::scc::{is_cyclic, sccs};
use stateright::Model;
use std::collections::{HashSet, VecDeque};
use std::hash::Hash;

/// How an action must be treated on an infinite path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fairness {
    /// May be postponed forever.
    Unfair,
    Weak,
    Strong,
}

/// A counterexample: `stem` from an initial state to the first state of `cycle`; `cycle`
/// returns to its first state (empty when the stem ends where nothing more can happen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lasso {
    pub stem: Vec<usize>,
    pub cycle: Vec<usize>,
}

/// `None`: P leads to Q on every fair path. `Some`: a counterexample.
pub fn leads_to<M>(
    g: &Graph<M>,
    p: impl Fn(&M::State) -> bool,
    q: impl Fn(&M::State) -> bool,
    fairness: impl Fn(&M::Action) -> Fairness,
) -> Option<Lasso>
where
    M: Model,
    M::Action: Hash + Eq + Clone,
{
    let n = g.states.len();
    let bad: Vec<bool> = g.states.iter().map(|s| !q(s)).collect();
    // Targets: states on a fair cycle of ¬Q states, and ¬Q states with no successor at all.
    let fair = fair_components(g, &bad, &fairness);
    let mut target = vec![false; n];
    for c in &fair {
        for &v in c {
            target[v] = true;
        }
    }
    for v in 0..n {
        if bad[v] && g.succ[v].is_empty() {
            target[v] = true;
        }
    }
    // States that can reach a target staying in ¬Q: backwards search.
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for v in 0..n {
        if bad[v] {
            for (w, _) in &g.succ[v] {
                if bad[*w] {
                    pred[*w].push(v);
                }
            }
        }
    }
    let mut doomed = target.clone();
    let mut todo: Vec<usize> = (0..n).filter(|&v| target[v]).collect();
    while let Some(w) = todo.pop() {
        for &v in &pred[w] {
            if !doomed[v] {
                doomed[v] = true;
                todo.push(v);
            }
        }
    }
    let start = (0..n).find(|&v| doomed[v] && p(&g.states[v]))?;
    // Stem: initial state to `start` (anywhere), then `start` to a target (within ¬Q).
    let mut stem = path(g, &g.init, |v| v == start, |_| true)?;
    let rest = path(g, &[start], |v| target[v], |v| bad[v])?;
    stem.extend(rest.into_iter().skip(1));
    let entry = *stem.last()?;
    let cycle = match fair.iter().find(|c| c.contains(&entry)) {
        None => Vec::new(),
        Some(c) => tour(g, entry, c),
    };
    Some(Lasso { stem, cycle })
}

/// The components of the ¬Q subgraph that contain a fair cycle.
fn fair_components<M>(
    g: &Graph<M>,
    bad: &[bool],
    fairness: &impl Fn(&M::Action) -> Fairness,
) -> Vec<Vec<usize>>
where
    M: Model,
    M::Action: Hash + Eq + Clone,
{
    let mut found = Vec::new();
    let mut work: Vec<Vec<usize>> = vec![(0..g.states.len()).filter(|&v| bad[v]).collect()];
    while let Some(nodes) = work.pop() {
        for comp in components_within(g, &nodes) {
            let inside: HashSet<usize> = comp.iter().copied().collect();
            let taken: HashSet<&M::Action> = comp
                .iter()
                .flat_map(|&v| g.succ[v].iter())
                .filter(|(w, _)| inside.contains(w))
                .map(|(_, a)| a)
                .collect();
            // Weak: an action enabled everywhere in the component and never taken in it makes
            // every cycle in it unfair.
            let enabled_everywhere =
                |a: &M::Action| comp.iter().all(|&v| g.succ[v].iter().any(|(_, b)| b == a));
            let weak_violated = g.succ[comp[0]].iter().any(|(_, a)| {
                fairness(a) == Fairness::Weak && !taken.contains(a) && enabled_everywhere(a)
            });
            if weak_violated {
                continue;
            }
            // Strong: states enabling a strongly fair action never taken here are off limits.
            let off: Vec<usize> = comp
                .iter()
                .copied()
                .filter(|&v| {
                    g.succ[v]
                        .iter()
                        .any(|(_, a)| fairness(a) == Fairness::Strong && !taken.contains(a))
                })
                .collect();
            if off.is_empty() {
                found.push(comp);
            } else if off.len() < comp.len() {
                let off: HashSet<usize> = off.into_iter().collect();
                work.push(comp.into_iter().filter(|v| !off.contains(v)).collect());
            }
        }
    }
    found
}

/// The cyclic strongly connected components of the subgraph induced by `nodes`.
fn components_within<M: Model>(g: &Graph<M>, nodes: &[usize]) -> Vec<Vec<usize>> {
    let local: std::collections::HashMap<usize, usize> =
        nodes.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    let succ: Vec<Vec<usize>> = nodes
        .iter()
        .map(|v| {
            g.succ[*v]
                .iter()
                .filter_map(|(w, _)| local.get(w).copied())
                .collect()
        })
        .collect();
    sccs(&succ)
        .into_iter()
        .filter(|c| is_cyclic(c, &succ))
        .map(|c| c.into_iter().map(|i| nodes[i]).collect())
        .collect()
}

/// A shortest path (as states) from one of `from` to a state satisfying `to`, through states
/// satisfying `allowed`.
fn path<M: Model>(
    g: &Graph<M>,
    from: &[usize],
    to: impl Fn(usize) -> bool,
    allowed: impl Fn(usize) -> bool,
) -> Option<Vec<usize>> {
    let mut parent = vec![usize::MAX; g.states.len()];
    let mut queue = VecDeque::new();
    for &s in from {
        parent[s] = s;
        queue.push_back(s);
    }
    while let Some(v) = queue.pop_front() {
        if to(v) {
            let mut out = vec![v];
            let mut at = v;
            while parent[at] != at {
                at = parent[at];
                out.push(at);
            }
            out.reverse();
            return Some(out);
        }
        for (w, _) in &g.succ[v] {
            if parent[*w] == usize::MAX && allowed(*w) {
                parent[*w] = v;
                queue.push_back(*w);
            }
        }
    }
    None
}

/// A closed walk from `entry` through every state of the component and back. (The verdict
/// rests on the component: a fair cycle exists in it. The walk shows its states; it is not
/// guaranteed to take every fair action.)
fn tour<M: Model>(g: &Graph<M>, entry: usize, comp: &[usize]) -> Vec<usize> {
    let inside: HashSet<usize> = comp.iter().copied().collect();
    let within = |v: usize| inside.contains(&v);
    let mut walk = vec![entry];
    let mut at = entry;
    for &next in comp.iter().filter(|&&v| v != entry) {
        if let Some(leg) = path(g, &[at], |v| v == next, within) {
            walk.extend(leg.into_iter().skip(1));
            at = next;
        }
    }
    // Close the walk: one step inside the component, then back to the entry.
    let steps: Vec<usize> = g.succ[at]
        .iter()
        .map(|(w, _)| *w)
        .filter(|w| within(*w))
        .collect();
    if let Some(leg) = path(g, &steps, |v| v == entry, within) {
        walk.extend(leg);
    }
    walk
}
