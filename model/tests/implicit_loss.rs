//! Loss on a duplicating network is implicit in `TcpModel` (no drop actions). This checks the
//! claim behind that: with and without explicit drops, the hosts reach exactly the same pairs
//! of states and every property gets the same verdict.

use stateright::{Checker, Model};
use std::collections::{HashSet, VecDeque};
use synfin_model::host::HostState;
use synfin_model::model::{host, SysState};
use synfin_model::{config, TcpModel};

fn reachable_host_pairs(model: &TcpModel) -> HashSet<(HostState, HostState)> {
    let mut seen: HashSet<SysState> = HashSet::new();
    let mut queue: VecDeque<SysState> = model.init_states().into();
    let mut pairs = HashSet::new();
    let mut actions = Vec::new();
    while let Some(s) = queue.pop_front() {
        if !seen.insert(s.clone()) {
            continue;
        }
        pairs.insert((*host(&s, 0), *host(&s, 1)));
        model.actions(&s, &mut actions);
        for a in actions.drain(..) {
            if let Some(n) = model.next_state(&s, a) {
                if !seen.contains(&n) {
                    queue.push_back(n);
                }
            }
        }
    }
    pairs
}

fn verdicts(model: &TcpModel) -> Vec<(&'static str, bool)> {
    let found = model
        .clone()
        .checker()
        .threads(2)
        .spawn_bfs()
        .join()
        .discoveries();
    let mut v: Vec<_> = model
        .properties()
        .iter()
        .map(|p| (p.name, found.contains_key(p.name)))
        .collect();
    v.sort();
    v
}

fn same_with_explicit_drops(name: &str) {
    let implicit = TcpModel::new(config(name).unwrap()).unwrap();
    let explicit = TcpModel {
        explicit_loss: true,
        ..implicit.clone()
    };
    assert!(implicit.implicit_loss() && !explicit.implicit_loss());
    assert_eq!(
        reachable_host_pairs(&implicit),
        reachable_host_pairs(&explicit),
        "{name}"
    );
    assert_eq!(verdicts(&implicit), verdicts(&explicit), "{name}");
}

#[test]
fn handshake_is_the_same_with_explicit_drops() {
    same_with_explicit_drops("handshake");
}

#[test]
fn abort_is_the_same_with_explicit_drops() {
    same_with_explicit_drops("abort");
}
