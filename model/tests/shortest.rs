//! The shortest-counterexample search: it finds a shortest path (checked on a small hand-made
//! model where the answer is known), and on the real model it is never longer than what
//! stateright's checker reports.

use stateright::{Checker, Model, Property};
use synfin_model::properties::{info, Prop};
use synfin_model::shortest::shortest_path;
use synfin_model::{config, Broken, TcpModel};

/// Counting from 0 by +1 or +10, up to 100.
struct Steps;

impl Model for Steps {
    type State = u32;
    type Action = u32;

    fn init_states(&self) -> Vec<u32> {
        vec![0]
    }

    fn actions(&self, s: &u32, actions: &mut Vec<u32>) {
        if *s < 100 {
            actions.extend([1, 10]);
        }
    }

    fn next_state(&self, s: &u32, a: u32) -> Option<u32> {
        Some(s + a)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![]
    }
}

#[test]
fn finds_the_path_with_fewest_actions() {
    let path = shortest_path(&Steps, |s| *s == 32, usize::MAX).expect("32 is reachable");
    assert_eq!(*path.last_state(), 32);
    // 10+10+10+1+1: five actions; no path of four reaches 32.
    assert_eq!(path.into_actions().len(), 5);
    let path = shortest_path(&Steps, |s| *s == 0, usize::MAX).expect("the start");
    assert!(path.into_actions().is_empty());
}

#[test]
fn unreachable_targets_and_exhausted_budgets_give_none() {
    assert!(shortest_path(&Steps, |s| *s == 1000, usize::MAX).is_none());
    assert!(shortest_path(&Steps, |s| *s == 99, 5).is_none());
}

/// A broken rule (SYN-SENT records IRS = SEG.SEQ + 1): the shortest violation of
/// `isn-agreement` is the plain handshake, and stateright's own path is no shorter.
#[test]
fn shortest_counterexample_for_a_broken_rule_is_the_handshake() {
    let mut cfg = config("handshake").unwrap();
    cfg.profile.broken = Some(Broken::WrongIrs);
    let model = TcpModel::new(cfg).unwrap();
    let cond = info::<TcpModel>(Prop::IsnAgreement).condition;
    let path = shortest_path(&model, |s| !cond(&model, s), usize::MAX).expect("violated");
    assert!(!cond(&model, path.last_state()));
    // Both OPENs, SYN to B, SYN,ACK to A, ACK to B: five actions, as in Figure 6.
    let ours = path.into_actions().len();
    assert_eq!(ours, 5);
    let checker = model.clone().checker().spawn_bfs().join();
    let theirs = checker
        .discovery("isn-agreement")
        .expect("stateright finds it too")
        .into_actions()
        .len();
    assert!(ours <= theirs, "ours {ours}, stateright's {theirs}");
}
