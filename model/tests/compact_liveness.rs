//! Liveness on the compact engine and on the actor model: the same graph (states and edges,
//! numbered alike, since both list the same actions in the same order and are explored
//! breadth-first), the same verdict for every property, and the same lassos, which replay on
//! the actor model. On the configurations whose actor-model graphs build in seconds, and on
//! broken variants whose liveness fails.

use synfin_model::compact::CompactModel;
use synfin_model::liveness::tcp;
use synfin_model::{config, Broken, Config, TcpModel};

fn same_liveness(cfg: Config) {
    let name = cfg.name;
    let compact = CompactModel::new(cfg.clone()).unwrap();
    let actor = TcpModel::new(cfg).unwrap();
    let c = tcp::check(&compact, 2_000_000).unwrap();
    let a = tcp::check(&actor, 2_000_000).unwrap();
    assert!(!compact.overflowed(), "{name}: a state did not fit");
    assert_eq!(c.graph.states, a.graph.states, "{name}: states");
    assert_eq!(c.graph.edges, a.graph.edges, "{name}: edges");
    let cv: Vec<(&str, bool)> = c
        .verdicts
        .iter()
        .map(|(p, l)| (p.name, l.is_some()))
        .collect();
    let av: Vec<(&str, bool)> = a
        .verdicts
        .iter()
        .map(|(p, l)| (p.name, l.is_some()))
        .collect();
    assert_eq!(cv, av, "{name}");
    for ((p, cl), (_, al)) in c.verdicts.iter().zip(&a.verdicts) {
        assert_eq!(cl, al, "{name}: the lasso of {}", p.name);
        if let Some((actions, _)) = cl {
            assert!(actor.path(actions).is_some(), "{name}: {} replays", p.name);
        }
    }
}

#[test]
fn named_configurations_have_the_same_liveness_on_both_engines() {
    for name in [
        "lifecycle",
        "handshake",
        "abort",
        "two-listeners",
        "simultaneous-open",
    ] {
        same_liveness(config(name).unwrap());
    }
}

#[test]
fn broken_variants_fail_liveness_alike_on_both_engines() {
    for (name, broken) in [
        ("handshake", Broken::AckEveryAck),
        ("lifecycle", Broken::CloseWaitIgnoresClose),
        ("lifecycle", Broken::FinNeverRetransmitted),
    ] {
        let mut cfg = config(name).unwrap();
        cfg.profile.broken = Some(broken);
        let checked = tcp::check(&CompactModel::new(cfg.clone()).unwrap(), 2_000_000).unwrap();
        assert!(
            checked.verdicts.iter().any(|(_, l)| l.is_some()),
            "{name} with {broken:?}: some liveness property fails"
        );
        same_liveness(cfg);
    }
}
