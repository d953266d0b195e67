//! Liveness for the TCP model: the fairness of its actions and the `ends-at-goal` property.

use super::graph::Graph;
use super::leads_to::{leads_to, Fairness, Lasso};
use crate::config::Config;
use crate::model::{host, SysAction, SysState, TcpModel};
use crate::script::Call;
use crate::state::State;
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

/// A `P leads-to Q` property of one host (`i`), checked for both hosts.
type HostPred = fn(usize, &TcpModel, &SysState) -> bool;

/// A liveness property: its name, what it says, and P and Q.
pub struct LiveProperty {
    pub name: &'static str,
    pub about: &'static str,
    pub p: HostPred,
    pub q: HostPred,
}

fn state_of(i: usize, s: &SysState) -> State {
    host(s, i).tcb.state
}

/// The liveness properties checked for `cfg`.
pub fn properties(cfg: &Config) -> Vec<LiveProperty> {
    let mut v = vec![
        LiveProperty {
            name: "ends-at-goal",
            about: "every fair run reaches a state where both users made all their calls and the \
                    goal accepts (eventually, from the initial state)",
            p: |_, _, _| true,
            q: |_, m, s| ends_at_goal(s, m),
        },
        LiveProperty {
            name: "syn-sent-resolves",
            about: "SYN-SENT leads to ESTABLISHED, LISTEN or CLOSED (the TLA+ specification's \
                    property)",
            p: |i, _, s| state_of(i, s) == State::SynSent,
            q: |i, _, s| {
                matches!(
                    state_of(i, s),
                    State::Established | State::Listen | State::Closed
                )
            },
        },
        LiveProperty {
            name: "syn-received-resolves",
            about: "SYN-RECEIVED leads to ESTABLISHED, FIN-WAIT-1, CLOSED or LISTEN (RFCNLP's \
                    phi4, plus the passive return to LISTEN of RFC 9293 §3.10.7.4, which phi4 \
                    omits)",
            p: |i, _, s| state_of(i, s) == State::SynReceived,
            q: |i, _, s| {
                matches!(
                    state_of(i, s),
                    State::Established | State::FinWait1 | State::Closed | State::Listen
                )
            },
        },
    ];
    // "CLOSE called leads to CLOSED on both ends", where both users' scripts CLOSE.
    if cfg.scripts.iter().all(|s| s.contains(&Call::Close)) {
        v.push(LiveProperty {
            name: "close-leads-to-closed",
            about: "once an end's user has called CLOSE, both ends reach CLOSED",
            p: |i, m, s| {
                let script = m.cfg().scripts[i];
                let close = script.iter().position(|c| *c == Call::Close).unwrap_or(0);
                host(s, i).next_call as usize > close
            },
            q: |_, _, s| (0..2).all(|k| state_of(k, s) == State::Closed),
        });
    }
    // RFCNLP's phi3 (no end stays forever in a state other than CLOSED) only where both users
    // end their script with CLOSE or ABORT; elsewhere ending in LISTEN or ESTABLISHED is the
    // point of the configuration.
    let closes = |script: &[Call]| matches!(script.last(), Some(Call::Close | Call::Abort));
    if cfg.scripts.iter().all(|s| closes(s)) {
        v.push(LiveProperty {
            name: "not-stuck",
            about: "once both users have made all their calls, every end reaches CLOSED (RFCNLP's \
                    phi3, for configurations whose users close)",
            p: |_, m, s| (0..2).all(|k| host(s, k).next_call as usize == m.cfg().scripts[k].len()),
            q: |i, _, s| state_of(i, s) == State::Closed,
        });
    }
    v
}

/// A lasso as actions from the initial state, and how many of them lead to the cycle.
pub type LassoActions = (Vec<SysAction>, usize);

/// Every liveness property of `model`'s configuration, for both hosts: `(property, None)` if
/// it holds, `(property, Some(lasso))` if not. `Err` past `max_states` states.
pub fn check(
    model: &TcpModel,
    max_states: usize,
) -> Result<Vec<(LiveProperty, Option<LassoActions>)>, String> {
    let g = Graph::explore(model, max_states)?;
    let mut out = Vec::new();
    for prop in properties(model.cfg()) {
        let mut verdict = None;
        for i in 0..2 {
            let lasso = leads_to(
                &g,
                |s| (prop.p)(i, model, s),
                |s| (prop.q)(i, model, s),
                fairness,
            );
            if let Some(l) = lasso {
                verdict = Some(actions_of(&g, &l));
                break;
            }
        }
        out.push((prop, verdict));
    }
    Ok(out)
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
