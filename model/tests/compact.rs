//! The compact engine and the actor model are the same system: walked in lockstep from the
//! initial state, every state pair has the same hosts, crash flags, seed progress, timers and
//! segments in flight (with copies), the same actions in the same order, the same successors
//! (or none) for each action, and the same verdict for every property. Exhaustive on the small
//! configurations; on the large ones, the first states of a breadth-first walk (the whole
//! state spaces are compared by count in `tests/configs.rs`, which checks with the compact
//! engine and pins the actor model's counts).

use stateright::actor::{Envelope, Network};
use stateright::Model;
use std::collections::{HashMap, HashSet, VecDeque};
use synfin_model::compact::{CompactModel, Packed};
use synfin_model::host::{HostState, Timer};
use synfin_model::model::SysState;
use synfin_model::system::TcpSystem;
use synfin_model::{config, Broken, Config, Segment, TcpModel};

/// Everything either representation says about a state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Seen {
    hosts: [HostState; 2],
    crashed: [bool; 2],
    seed: u8,
    timers: [[bool; 3]; 2],
    /// (sender, segment, copies), sorted.
    net: Vec<(usize, Segment, usize)>,
}

const TIMERS: [Timer; 3] = [Timer::User, Timer::Retransmit, Timer::TimeWait];

fn seen_actor(m: &TcpModel, s: &SysState) -> Seen {
    let mut net: Vec<(usize, Segment, usize)> = match &s.network {
        Network::UnorderedDuplicating(set, last) => {
            assert!(last.is_none(), "TcpModel clears last_msg");
            set.iter().map(|e| (usize::from(e.src), e.msg, 1)).collect()
        }
        Network::UnorderedNonDuplicating(bag) => bag
            .iter()
            .map(|(e, n): (&Envelope<Segment>, &usize)| (usize::from(e.src), e.msg, *n))
            .collect(),
        Network::Ordered(_) => panic!("no ordered networks here"),
    };
    net.sort();
    for i in 0..2 {
        // The actor storage is the incarnation: the compact state does not keep it.
        assert_eq!(s.actor_storages[i], Some(s.actor_states[i].incarnation));
        assert!(s.random_choices[i].map.is_empty());
    }
    Seen {
        hosts: [*s.actor_states[0], *s.actor_states[1]],
        crashed: [s.crashed[0], s.crashed[1]],
        seed: s.history.0,
        timers: [0, 1].map(|i| TIMERS.map(|t| m.timer_set(s, i, t))),
        net,
    }
}

fn seen_compact(m: &CompactModel, s: &Packed) -> Seen {
    let mut net: Vec<(usize, Segment, usize)> = Vec::new();
    for &id in s.net.ids() {
        let (src, seg) = m.segment(id);
        match net.last_mut() {
            Some(last) if (last.0, last.1) == (usize::from(src), seg) => last.2 += 1,
            _ => net.push((usize::from(src), seg, 1)),
        }
    }
    net.sort();
    Seen {
        hosts: s.hosts,
        crashed: s.crashed,
        seed: s.seed.0,
        timers: [0, 1].map(|i| TIMERS.map(|t| m.timer_set(s, i, t))),
        net,
    }
}

/// Walks both models in lockstep, breadth first, up to `limit` distinct states; returns how
/// many were compared and whether that was all of them.
fn lockstep(cfg: Config, limit: usize) -> (usize, bool) {
    let name = cfg.name;
    let actor = TcpModel::new(cfg.clone()).unwrap();
    let compact = CompactModel::new(cfg).unwrap();
    let (pa, pc) = (actor.properties(), compact.properties());
    assert_eq!(
        pa.iter().map(|p| p.name).collect::<Vec<_>>(),
        pc.iter().map(|p| p.name).collect::<Vec<_>>()
    );
    let mut queue: VecDeque<(SysState, Packed)> = VecDeque::new();
    let (a0, c0) = (actor.init_states(), compact.init_states());
    assert_eq!(
        (a0.len(), c0.len()),
        (1, 1),
        "{name}: one initial state each"
    );
    queue.push_back((a0[0].clone(), c0[0]));
    let mut seen: HashMap<Packed, Seen> = HashMap::new();
    let mut abstracts: HashSet<Seen> = HashSet::new();
    let (mut aa, mut ca) = (Vec::new(), Vec::new());
    while let Some((a, c)) = queue.pop_front() {
        let view = seen_compact(&compact, &c);
        assert_eq!(seen_actor(&actor, &a), view, "{name}: the states differ");
        if seen.contains_key(&c) {
            continue;
        }
        // One compact state per abstract state: the compact state is canonical.
        assert!(
            abstracts.insert(view.clone()),
            "{name}: two encodings of {view:?}"
        );
        seen.insert(c, view);
        if seen.len() > limit {
            return (seen.len(), false);
        }
        for (p, q) in pa.iter().zip(&pc) {
            assert_eq!(
                (p.condition)(&actor, &a),
                (q.condition)(&compact, &c),
                "{name}: {} differs at {:?}",
                p.name,
                seen[&c]
            );
        }
        aa.clear();
        ca.clear();
        actor.actions(&a, &mut aa);
        compact.actions(&c, &mut ca);
        assert_eq!(aa, ca, "{name}: the actions differ at {:?}", seen[&c]);
        for act in &aa {
            match (
                actor.next_state(&a, act.clone()),
                compact.next_state(&c, act.clone()),
            ) {
                (None, None) => {}
                (Some(na), Some(nc)) => queue.push_back((na, nc)),
                (x, y) => panic!(
                    "{name}: {act:?} at {:?}: actor {}, compact {}",
                    seen[&c],
                    if x.is_some() { "steps" } else { "does not" },
                    if y.is_some() { "steps" } else { "does not" }
                ),
            }
        }
    }
    assert!(!compact.overflowed(), "{name}: a state did not fit");
    (seen.len(), true)
}

#[test]
fn small_configurations_are_identical_in_every_state() {
    for (name, states) in [
        ("lifecycle", 31_672),
        ("handshake", 156),
        ("abort", 2_477),
        ("two-listeners", 64),
    ] {
        assert_eq!(lockstep(config(name).unwrap(), usize::MAX), (states, true));
    }
}

#[test]
fn large_configurations_agree_on_their_first_states() {
    for name in ["simultaneous-open", "reincarnation", "crash", "data"] {
        let (n, _) = lockstep(config(name).unwrap(), 30_000);
        assert!(n > 30_000, "{name}: {n}");
    }
    // With a retransmission per end.
    for name in ["reincarnation", "crash", "data"] {
        let mut cfg = config(name).unwrap();
        cfg.retries = 1;
        let limit: usize = std::env::var("SYNFIN_LOCKSTEP")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30_000);
        let (n, _) = lockstep(cfg, limit);
        assert!(n > limit, "{name} --retries 1: {n}");
    }
}

/// Network and profile variants: no duplication, no loss, RFC 793 without RFC 1337, broken
/// rules that change what is reachable (exhaustively where they fit in 50,000 states).
#[test]
fn variants_are_identical_too() {
    let mut variants: Vec<Config> = Vec::new();
    let base = config("lifecycle").unwrap();
    let mut c = base.clone();
    c.network.duplication = false;
    variants.push(c);
    let mut c = base.clone();
    c.network.loss = false;
    variants.push(c);
    let mut c = base.clone();
    c.profile.rfc = synfin_model::Rfc::Rfc793;
    c.profile.rfc1337 = false;
    variants.push(c);
    for m in [
        Broken::NoTimeWait,
        Broken::FinNeverRetransmitted,
        Broken::RstNoSeqCheck,
        Broken::AckEveryAck,
    ] {
        let mut c = base.clone();
        c.profile.broken = Some(m);
        variants.push(c);
    }
    let mut c = config("two-listeners").unwrap();
    c.profile.broken = Some(Broken::TwoWayHandshake);
    variants.push(c);
    for c in variants {
        let what = format!("{:?} {:?}", c.network, c.profile);
        let (n, complete) = lockstep(c, 50_000);
        assert!(complete || n > 50_000, "{what}");
    }
}
