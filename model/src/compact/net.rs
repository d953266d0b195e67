//! The network of the compact engine: segments in flight as a sorted inline array of small
//! numbers, each naming one (sender, segment) pair interned once per model.
//!
//! One representation serves both unordered networks of stateright's actor model: the
//! duplicating one keeps a set (a segment delivered stays; sending it again changes nothing),
//! the non-duplicating one a multiset (a delivery takes one copy away). Ordered networks are
//! left to the actor model.

use crate::segment::Segment;
use ahash::RandomState;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::RwLock;

/// How many segments may be in flight at once (copies counted in a multiset).
pub const CAPACITY: usize = 31;

/// The most distinct (sender, segment) pairs one model may intern.
pub const MAX_IDS: usize = 256;

/// Segments in flight: `len` interned ids, sorted, repeated for copies of a multiset.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Net {
    len: u8,
    ids: [u8; CAPACITY],
}

impl Net {
    pub const EMPTY: Net = Net {
        len: 0,
        ids: [0; CAPACITY],
    };

    /// The ids in flight, sorted, with repeats.
    pub fn ids(&self) -> &[u8] {
        &self.ids[..usize::from(self.len)]
    }

    /// The whole network as four words (for hashing).
    pub fn words(&self) -> [u64; 4] {
        let mut w = [0u64; 4];
        w[0] = u64::from(self.len);
        for (k, id) in self.ids.iter().enumerate() {
            let at = k + 1;
            w[at / 8] |= u64::from(*id) << (8 * (at % 8));
        }
        w
    }

    /// Whether `id` is in flight.
    pub fn contains(&self, id: u8) -> bool {
        self.ids().binary_search(&id).is_ok()
    }

    /// The distinct ids in flight, in order.
    pub fn distinct(&self) -> impl Iterator<Item = u8> + '_ {
        let ids = self.ids();
        ids.iter()
            .enumerate()
            .filter(move |(k, id)| *k == 0 || ids[k - 1] != **id)
            .map(|(_, id)| *id)
    }

    /// Adds one copy of `id` (a set keeps one). `false` if the network is full.
    #[must_use]
    pub fn insert(&mut self, id: u8, set: bool) -> bool {
        let at = match self.ids().binary_search(&id) {
            Ok(_) if set => return true,
            Ok(k) | Err(k) => k,
        };
        let len = usize::from(self.len);
        if len == CAPACITY {
            return false;
        }
        self.ids.copy_within(at..len, at + 1);
        self.ids[at] = id;
        self.len += 1;
        true
    }

    /// Takes one copy of `id` away (no-op if it is not in flight).
    pub fn remove(&mut self, id: u8) {
        if let Ok(at) = self.ids().binary_search(&id) {
            let len = usize::from(self.len);
            self.ids.copy_within(at + 1..len, at);
            self.len -= 1;
            self.ids[usize::from(self.len)] = 0;
        }
    }
}

impl std::fmt::Debug for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.ids()).finish()
    }
}

/// The (sender, segment) pairs of one model, numbered in the order first seen. Shared by the
/// checker's threads; numbers never change once given.
#[derive(Default)]
pub struct Interner {
    table: RwLock<Table>,
    /// Set when a run needed more ids, or more segments in flight, than the compact state
    /// holds: the checker then reports the run as incomplete.
    overflow: AtomicBool,
}

#[derive(Default)]
struct Table {
    ids: HashMap<(u8, Segment), u8, RandomState>,
    pairs: Vec<(u8, Segment)>,
}

impl Interner {
    /// The id of `seg` sent by host `src`, numbering it if new; `None` when all ids are given.
    pub fn id(&self, src: u8, seg: Segment) -> Option<u8> {
        if let Some(id) = self.read().ids.get(&(src, seg)) {
            return Some(*id);
        }
        let mut t = self.table.write().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = t.ids.get(&(src, seg)) {
            return Some(*id);
        }
        if t.pairs.len() == MAX_IDS {
            self.overflow.store(true, Ordering::Relaxed);
            return None;
        }
        let id = t.pairs.len() as u8;
        t.pairs.push((src, seg));
        t.ids.insert((src, seg), id);
        Some(id)
    }

    /// The (sender, segment) pair numbered `id`.
    pub fn pair(&self, id: u8) -> (u8, Segment) {
        self.read().pairs[usize::from(id)]
    }

    /// Calls `f` with the table of pairs, under one lock.
    pub fn with<R>(&self, f: impl FnOnce(&[(u8, Segment)]) -> R) -> R {
        f(&self.read().pairs)
    }

    /// Records that a state did not fit.
    pub fn overflowed(&self) {
        self.overflow.store(true, Ordering::Relaxed);
    }

    /// Whether some state did not fit (the exploration is then incomplete).
    pub fn has_overflowed(&self) -> bool {
        self.overflow.load(Ordering::Relaxed)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Table> {
        self.table.read().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_keeps_one_copy_a_multiset_counts_them() {
        let mut set = Net::EMPTY;
        assert!(set.insert(5, true) && set.insert(2, true) && set.insert(5, true));
        assert_eq!(set.ids(), [2, 5]);
        let mut bag = Net::EMPTY;
        assert!(bag.insert(5, false) && bag.insert(2, false) && bag.insert(5, false));
        assert_eq!(bag.ids(), [2, 5, 5]);
        assert_eq!(bag.distinct().collect::<Vec<_>>(), [2, 5]);
        bag.remove(5);
        assert_eq!(bag.ids(), [2, 5]);
        bag.remove(5);
        bag.remove(2);
        assert_eq!(
            bag,
            Net::EMPTY,
            "removal restores the canonical empty network"
        );
    }

    #[test]
    fn a_full_network_refuses_more() {
        let mut bag = Net::EMPTY;
        for _ in 0..CAPACITY {
            assert!(bag.insert(1, false));
        }
        assert!(!bag.insert(1, false));
    }
}
