//! Shortest counterexamples. stateright 0.31's breadth-first checker runs on several threads
//! and does not return the shortest path to what it discovers; this is a plain single-thread
//! breadth-first search with parent pointers over any stateright [`Model`], which does.
//! `synfin check` runs it for each violated property, after the checker has given its verdict.

use stateright::{Model, Path};
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// A shortest path from an initial state of `model` to a state where `target` holds, or
/// `None` if no reachable state satisfies it. Breadth-first: every state at a smaller depth
/// was examined first, so no shorter path exists. Explores at most `max_states` unique states
/// (`None` beyond that).
pub fn shortest_path<M>(
    model: &M,
    target: impl Fn(&M::State) -> bool,
    max_states: usize,
) -> Option<Path<M::State, M::Action>>
where
    M: Model,
    M::State: Hash + Eq + Clone,
    M::Action: Clone + PartialEq,
{
    shortest_paths(model, &[&target], max_states)
        .pop()
        .flatten()
}

/// A shortest path to each of `targets`, in one breadth-first search that stops when every
/// target is found; `None` for a target no state within `max_states` unique states satisfies.
#[allow(clippy::type_complexity)]
pub fn shortest_paths<M>(
    model: &M,
    targets: &[&dyn Fn(&M::State) -> bool],
    max_states: usize,
) -> Vec<Option<Path<M::State, M::Action>>>
where
    M: Model,
    M::State: Hash + Eq + Clone,
    M::Action: Clone + PartialEq,
{
    let mut found: Vec<Option<Path<M::State, M::Action>>> = targets.iter().map(|_| None).collect();
    let mut left = targets.len();
    // Per unique state: its parent and the action from there (None for an initial state).
    let mut parent: Vec<Option<(usize, M::Action)>> = Vec::new();
    let mut seen: HashMap<M::State, usize> = HashMap::new();
    let mut queue: VecDeque<(usize, M::State)> = VecDeque::new();
    let inits = model.init_states();
    for s in &inits {
        if !seen.contains_key(s) {
            seen.insert(s.clone(), parent.len());
            queue.push_back((parent.len(), s.clone()));
            parent.push(None);
        }
    }
    let mut actions = Vec::new();
    while let Some((i, state)) = queue.pop_front() {
        for (t, target) in targets.iter().enumerate() {
            if found[t].is_none() && target(&state) {
                found[t] = Some(rebuild(model, &inits, &seen, &parent, i));
                left -= 1;
            }
        }
        if left == 0 {
            return found;
        }
        actions.clear();
        model.actions(&state, &mut actions);
        for action in actions.drain(..) {
            let Some(next) = model.next_state(&state, action.clone()) else {
                continue;
            };
            if seen.contains_key(&next) {
                continue;
            }
            if parent.len() >= max_states {
                return found;
            }
            seen.insert(next.clone(), parent.len());
            queue.push_back((parent.len(), next));
            parent.push(Some((i, action)));
        }
    }
    found
}

/// The path to state `i`: walk the parent pointers back to an initial state, then replay the
/// actions forward.
fn rebuild<M>(
    model: &M,
    inits: &[M::State],
    seen: &HashMap<M::State, usize>,
    parent: &[Option<(usize, M::Action)>],
    i: usize,
) -> Path<M::State, M::Action>
where
    M: Model,
    M::State: Hash + Eq + Clone,
    M::Action: Clone + PartialEq,
{
    let mut actions = Vec::new();
    let mut at = i;
    while let Some((p, a)) = &parent[at] {
        actions.push(a.clone());
        at = *p;
    }
    actions.reverse();
    let init = inits
        .iter()
        .find(|s| seen.get(*s) == Some(&at))
        .expect("the walk ends at an initial state")
        .clone();
    Path::from_actions(model, init, &actions).expect("the recorded actions replay")
}
