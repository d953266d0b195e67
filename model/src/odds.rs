//! The odds table of a configuration with the off-path attacker ([`crate::attack`]): for each
//! attack and each reading of RST and SYN handling (RFC 5961, RFC 793), the chance that one
//! blind segment succeeds, and how many an attacker must send for an even chance.
//!
//! The figures come from the model, not from a formula: every synchronized block the victim
//! reaches in the configuration's state space is collected, each class of guess is given to
//! the rules at each, and the sizes of the classes whose member succeeds are summed
//! ([`crate::attack::chance`]). The attacker picks its moment: a row gives the best block.

use crate::attack::{self, Kind};
use crate::config::Config;
use crate::engine::{on_engine, OnEngine};
use crate::state::State;
use crate::system::{SystemState, TcpSystem};
use crate::tcb::{Rfc, Tcb};
use serde::Serialize;
use std::collections::{HashSet, VecDeque};
use std::fmt::Debug;
use std::hash::Hash;

/// One attack under one reading.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub attack: Kind,
    pub reading: Rfc,
    /// The classes of guess that succeed, at the best block.
    pub succeeds_with: Vec<String>,
    /// Guesses that succeed, out of `space` (2^32, or 2^64 where the ACK is guessed too).
    pub hits: u128,
    pub space: u128,
    pub probability: f64,
    /// Independent blind segments for a 50% chance of one success; `None`: never.
    pub segments_for_half: Option<f64>,
    /// The victim's state at the best block (`None` where nothing succeeds).
    pub state: Option<State>,
}

/// The table of a configuration.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    /// The attacked host's name.
    pub victim: &'static str,
    /// How many distinct synchronized blocks the victim reached.
    pub blocks: usize,
    /// RCV.WND and MAX.SND.WND.
    pub window: u32,
    pub rows: Vec<Row>,
}

/// The odds table of `cfg`, `None` without an attacker. Explores `cfg` once (breadth first)
/// to collect the victim's synchronized blocks.
pub fn table(cfg: &Config) -> Result<Option<Table>, String> {
    let Some(att) = cfg.attacker else {
        return Ok(None);
    };
    let blocks = victim_blocks(cfg)?;
    let mut rows = Vec::new();
    for &kind in att.kinds {
        for rfc in [Rfc::Rfc5961, Rfc::Rfc793] {
            let reading = crate::tcb::Reading { rfc, ..cfg.profile };
            let (chance, best) = attack::odds(kind, &blocks, &reading);
            let succeeds_with = best
                .map(|t| attack::winning_classes(kind, t, &reading))
                .unwrap_or_default();
            rows.push(Row {
                attack: kind,
                reading: rfc,
                succeeds_with,
                hits: chance.hits,
                space: chance.space,
                probability: chance.probability(),
                segments_for_half: chance.segments_for_half(),
                state: best.map(|t| t.state),
            });
        }
    }
    Ok(Some(Table {
        victim: cfg.names[att.victim],
        blocks: blocks.len(),
        window: cfg.profile.window,
        rows,
    }))
}

/// The distinct synchronized blocks the attacked host of `cfg` reaches (none without an
/// attacker), in one order, so that ties pick the same block in every run.
pub fn victim_blocks(cfg: &Config) -> Result<Vec<Tcb>, String> {
    let Some(att) = cfg.attacker else {
        return Ok(Vec::new());
    };
    let (_, blocks) = on_engine(cfg, &mut Blocks(att.victim))?;
    let mut blocks: Vec<Tcb> = blocks.into_iter().collect();
    blocks.sort_by_key(|t| {
        (
            t.state as u8,
            t.snd_una.raw(),
            t.snd_nxt.raw(),
            t.rcv_nxt.raw(),
            t.delivered,
        )
    });
    Ok(blocks)
}

/// Breadth-first search collecting host `.0`'s synchronized blocks.
struct Blocks(usize);

impl OnEngine for Blocks {
    type Output = HashSet<Tcb>;

    fn run<M>(&mut self, model: &M) -> HashSet<Tcb>
    where
        M: TcpSystem + Clone + Send + Sync + 'static,
        M::State: Hash + Eq + Clone + Debug + Send + Sync + 'static,
    {
        let mut seen: HashSet<M::State> = HashSet::new();
        let mut queue = VecDeque::new();
        for s in model.init_states() {
            if seen.insert(s.clone()) {
                queue.push_back(s);
            }
        }
        let mut blocks = HashSet::new();
        let mut actions = Vec::new();
        while let Some(s) = queue.pop_front() {
            let tcb = s.host(self.0).tcb;
            if attack::can_attack(&tcb) {
                blocks.insert(tcb);
            }
            actions.clear();
            model.actions(&s, &mut actions);
            for a in actions.drain(..) {
                if let Some(next) = model.next_state(&s, a) {
                    if seen.insert(next.clone()) {
                        queue.push_back(next);
                    }
                }
            }
        }
        blocks
    }
}
