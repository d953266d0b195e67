//! The liveness search validated on small hand-made models: a lasso it must find, a cycle that
//! fairness must exclude, weak and strong fairness told apart, and agreement with stateright's
//! `eventually` on acyclic models.

use stateright::{Checker, Model, Property};
use synfin_model::liveness::graph::Graph;
use synfin_model::liveness::leads_to::{leads_to, Fairness};

/// Edges (from, action, to) over states 0..n; state 0 is initial.
#[derive(Clone)]
struct Edges(Vec<(u8, char, u8)>);

impl Model for Edges {
    type State = u8;
    type Action = char;

    fn init_states(&self) -> Vec<u8> {
        vec![0]
    }

    fn actions(&self, s: &u8, actions: &mut Vec<char>) {
        actions.extend(self.0.iter().filter(|(f, _, _)| f == s).map(|(_, a, _)| *a));
    }

    fn next_state(&self, s: &u8, a: char) -> Option<u8> {
        self.0
            .iter()
            .find(|(f, b, _)| f == s && *b == a)
            .map(|(_, _, t)| *t)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::eventually("reaches 3", |_, s: &u8| *s == 3)]
    }
}

/// 0 -a-> 1 -b-> 2 -c-> 1, and 2 -d-> 3 (the goal). The cycle 1,2 can avoid 3 forever unless
/// `d` must eventually be taken.
fn loop_with_exit() -> Edges {
    Edges(vec![(0, 'a', 1), (1, 'b', 2), (2, 'c', 1), (2, 'd', 3)])
}

fn check(
    m: &Edges,
    fair: fn(&char) -> Fairness,
) -> Option<synfin_model::liveness::leads_to::Lasso> {
    let g = Graph::explore(m, 1000).unwrap();
    leads_to(&g, |s| *s == 0, |s| *s == 3, fair)
}

#[test]
fn without_fairness_the_loop_is_a_lasso_counterexample() {
    let m = loop_with_exit();
    let lasso = check(&m, |_| Fairness::Unfair).expect("the loop avoids 3");
    let g = Graph::explore(&m, 1000).unwrap();
    let states: Vec<u8> = lasso.stem.iter().map(|&i| g.states[i]).collect();
    assert_eq!(states.first(), Some(&0));
    let cycle: Vec<u8> = lasso.cycle.iter().map(|&i| g.states[i]).collect();
    assert!(cycle.len() >= 3, "a closed walk: {cycle:?}");
    assert_eq!(cycle.first(), cycle.last());
    assert!(cycle.contains(&1) && cycle.contains(&2) && !cycle.contains(&3));
    // stateright's `eventually` misses it: the loop has no terminal state.
    let checker = m.checker().spawn_bfs().join();
    assert!(checker.discovery("reaches 3").is_none());
}

/// `d` is enabled in state 2 every time round the loop: strong fairness makes it happen, so
/// the loop is not a counterexample.
#[test]
fn strong_fairness_excludes_the_loop() {
    assert_eq!(check(&loop_with_exit(), |_| Fairness::Strong), None);
}

/// Weak fairness only forces actions enabled continuously; `d` is disabled in state 1, so the
/// loop stays a counterexample.
#[test]
fn weak_fairness_does_not_exclude_an_intermittently_enabled_exit() {
    assert!(check(&loop_with_exit(), |_| Fairness::Weak).is_some());
}

/// A self-loop with the exit enabled in the same state: weak fairness suffices.
#[test]
fn weak_fairness_excludes_a_self_loop_with_a_continuously_enabled_exit() {
    let m = Edges(vec![(0, 'a', 1), (1, 'r', 1), (1, 'd', 3)]);
    assert!(check(&m, |_| Fairness::Unfair).is_some());
    assert_eq!(
        check(&m, |a| if *a == 'd' {
            Fairness::Weak
        } else {
            Fairness::Unfair
        }),
        None
    );
}

/// On acyclic models `leads_to(init, Q)` agrees with stateright's `eventually Q`.
#[test]
fn agrees_with_eventually_on_acyclic_models() {
    let models = [
        Edges(vec![(0, 'a', 1), (1, 'b', 3)]),
        Edges(vec![(0, 'a', 1), (0, 'b', 2), (1, 'c', 3)]),
        Edges(vec![(0, 'a', 1), (0, 'b', 2), (1, 'c', 3), (2, 'd', 3)]),
        Edges(vec![(0, 'a', 3), (3, 'b', 4)]),
    ];
    for (k, m) in models.iter().enumerate() {
        let ours = check(m, |_| Fairness::Strong).is_some();
        let theirs = m
            .clone()
            .checker()
            .spawn_bfs()
            .join()
            .discovery("reaches 3")
            .is_some();
        assert_eq!(ours, theirs, "model {k}");
        if let Some(l) = check(m, |_| Fairness::Strong) {
            assert!(l.cycle.is_empty(), "model {k}: a dead end, not a cycle");
        }
    }
}
