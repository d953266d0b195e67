//! The compact engine and the actor model over the whole state space of the large named
//! configurations (the small ones are walked in lockstep in `compact.rs`): the same number of
//! unique states, the same set of (host A, host B) pairs with crash flags, and the same verdict
//! summary for every property (whether it ever holds, whether it ever fails). Each model is
//! explored on its own, depth first, keeping only 64-bit fingerprints of the states seen.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use synfin_model::compact::CompactModel;
use synfin_model::host::HostState;
use synfin_model::system::{SystemState, TcpSystem};
use synfin_model::{config, TcpModel};

type Pair = ([HostState; 2], [bool; 2]);

/// What a whole exploration saw.
#[derive(Debug, PartialEq, Eq)]
struct Summary {
    unique: usize,
    pairs: HashSet<Pair>,
    /// Per property: (held somewhere, failed somewhere).
    verdicts: BTreeMap<&'static str, (bool, bool)>,
}

fn fingerprint<S: Hash>(s: &S) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

fn explore<M>(m: &M) -> Summary
where
    M: TcpSystem,
    M::State: Hash + Clone,
{
    let props = m.properties();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut summary = Summary {
        unique: 0,
        pairs: HashSet::new(),
        verdicts: props.iter().map(|p| (p.name, (false, false))).collect(),
    };
    let mut stack: Vec<M::State> = m.init_states();
    for s in &stack {
        seen.insert(fingerprint(s));
    }
    let mut actions = Vec::new();
    while let Some(s) = stack.pop() {
        summary.unique += 1;
        summary
            .pairs
            .insert(([*s.host(0), *s.host(1)], [s.crashed(0), s.crashed(1)]));
        for p in &props {
            let v = summary.verdicts.get_mut(p.name).expect("listed");
            if (p.condition)(m, &s) {
                v.0 = true;
            } else {
                v.1 = true;
            }
        }
        actions.clear();
        m.actions(&s, &mut actions);
        for a in actions.drain(..) {
            if let Some(next) = m.next_state(&s, a) {
                if seen.insert(fingerprint(&next)) {
                    stack.push(next);
                }
            }
        }
    }
    summary
}

#[test]
fn large_configurations_are_the_same_over_their_whole_state_spaces() {
    for name in ["simultaneous-open", "data", "reincarnation", "crash"] {
        let cfg = config(name).unwrap();
        let compact = CompactModel::new(cfg.clone()).unwrap();
        let c = explore(&compact);
        assert!(!compact.overflowed(), "{name}: a state did not fit");
        let a = explore(&TcpModel::new(cfg).unwrap());
        assert_eq!(a.unique, c.unique, "{name}: unique states");
        assert_eq!(a.pairs.len(), c.pairs.len(), "{name}: host pairs");
        assert!(a.pairs == c.pairs, "{name}: the host pairs differ");
        assert_eq!(a.verdicts, c.verdicts, "{name}: verdicts");
    }
}
