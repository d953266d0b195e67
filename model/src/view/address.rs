//! The explorer's address of a path. stateright 0.31's explorer addresses a path by indices:
//! the initial state's index, then, at each state, the index of the action taken among that
//! state's `Model::actions` (`http://127.0.0.1:3000/#/steps/0/3/...`). stateright sorts an
//! actor model's actions, so an address computed in one process (`synfin check`) opens the
//! same path in another (`synfin explore`); `tests/explorer_links.rs` checks it.

use stateright::Model;

/// The address of the path from the first initial state through `actions`; `None` if an
/// action is not among its state's actions or does not apply.
pub fn indices<M>(model: &M, actions: &[M::Action]) -> Option<Vec<usize>>
where
    M: Model,
    M::Action: PartialEq,
{
    let mut state = model.init_states().into_iter().next()?;
    let mut out = vec![0];
    let mut choices = Vec::new();
    for a in actions {
        choices.clear();
        model.actions(&state, &mut choices);
        let i = choices.iter().position(|c| c == a)?;
        out.push(i);
        state = model.next_state(&state, choices.swap_remove(i))?;
    }
    Some(out)
}

/// The states and actions along an address: `(initial state, [])` for `[i]`, and one
/// `(action, state after it)` per further index. `None` if an index is out of range or its
/// action does not apply.
#[allow(clippy::type_complexity)]
pub fn replay<M: Model>(
    model: &M,
    indices: &[usize],
) -> Option<(M::State, Vec<(M::Action, M::State)>)>
where
    M::State: Clone,
    M::Action: Clone,
{
    let (first, rest) = indices.split_first()?;
    let init = model.init_states().into_iter().nth(*first)?;
    let mut state = init.clone();
    let mut steps = Vec::with_capacity(rest.len());
    let mut choices = Vec::new();
    for &i in rest {
        choices.clear();
        model.actions(&state, &mut choices);
        if i >= choices.len() {
            return None;
        }
        let action = choices.swap_remove(i);
        let next = model.next_state(&state, action.clone())?;
        steps.push((action, next.clone()));
        state = next;
    }
    Some((init, steps))
}

/// The URL fragment of an address: `#/steps/0/3/5`.
pub fn fragment(indices: &[usize]) -> String {
    let mut s = String::from("#/steps");
    for i in indices {
        s.push('/');
        s.push_str(&i.to_string());
    }
    s
}
