//! Liveness for the TCP model: the fairness of its actions and the `ends-at-goal` property.

use super::graph::Graph;
use super::leads_to::{leads_to, Fairness, Lasso};
use crate::model::{host, SysAction, SysState, TcpModel};
use stateright::actor::ActorModelAction;

/// The fairness assumption, as printed with every liveness verdict.
pub const FAIRNESS: &str = "delivery strongly fair (a segment that stays deliverable, as every \
     segment does in a duplicating network, or is sent again and again, is delivered); timers \
     and user calls weakly fair; loss unfair";

/// Delivery strong, timers (user calls are timers too) weak, drops unfair. Excluded cycles:
/// those that postpone forever a delivery enabled again and again, and those that keep a timer
/// set without ever letting it fire. Not excluded: losing every copy of a segment when the
/// network is not duplicating (each drop is a choice the network may make), and a user that
/// has made all its calls.
pub fn fairness(a: &SysAction) -> Fairness {
    match a {
        ActorModelAction::Deliver { .. } => Fairness::Strong,
        ActorModelAction::Timeout(..) => Fairness::Weak,
        _ => Fairness::Unfair,
    }
}

/// `ends-at-goal`: from the initial state, every fair run reaches a state where both users
/// have made all their calls and the configuration's goal accepts both ends' states. The
/// goal's allowance for loss (an end stranded in FIN-WAIT-2) applies only where the network can
/// lose every copy of a segment, a lossy non-duplicating one: in a duplicating network a lost
/// FIN stays deliverable and strong fairness delivers it.
pub fn ends_at_goal(s: &SysState, model: &TcpModel) -> bool {
    let cfg = model.cfg();
    let finite_loss_strands = cfg.network.loss && !cfg.network.duplication;
    (0..2).all(|i| host(s, i).next_call as usize == cfg.scripts[i].len())
        && cfg.goal.accepts(
            host(s, 0).tcb.state,
            host(s, 1).tcb.state,
            finite_loss_strands,
        )
}

/// The verdict of `ends-at-goal` on `model`: `Ok(None)` holds, `Ok(Some(actions, cycle_start))`
/// is a lasso as the actions from the initial state (the cycle starts after `cycle_start` of
/// them), `Err` if the graph has more than `max_states` states.
pub fn check_ends_at_goal(
    model: &TcpModel,
    max_states: usize,
) -> Result<Option<(Vec<SysAction>, usize)>, String> {
    let g = Graph::explore(model, max_states)?;
    let lasso = leads_to(&g, |_| true, |s| ends_at_goal(s, model), fairness);
    Ok(lasso.map(|l| actions_of(&g, &l)))
}

/// The actions along a lasso's states, and where the cycle begins.
fn actions_of(g: &Graph<TcpModel>, l: &Lasso) -> (Vec<SysAction>, usize) {
    let states: Vec<usize> = l
        .stem
        .iter()
        .chain(l.cycle.iter().skip(1))
        .copied()
        .collect();
    let mut actions = Vec::new();
    for w in states.windows(2) {
        if let Some((_, a)) = g.succ[w[0]].iter().find(|(t, _)| *t == w[1]) {
            actions.push(a.clone());
        }
    }
    (actions, l.stem.len() - 1)
}
