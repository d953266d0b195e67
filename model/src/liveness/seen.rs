//! The states explored so far, as fingerprints, each with its state number: an open-addressing
//! table with linear probing, 16 bytes a slot, at most three quarters full.
//!
//! Each lookup is one likely cache miss (the table outgrows every cache). [`Seen::touch`]
//! starts that miss early: the exploration touches the slots of all of a state's successors
//! first, so their misses overlap, and then looks each up.

/// One slot: a fingerprint (0: empty) and its state number.
#[derive(Clone, Copy, Default)]
struct Slot {
    fp: u64,
    at: u32,
}

/// Fingerprints and their state numbers.
pub struct Seen {
    slots: Vec<Slot>,
    len: usize,
}

impl Default for Seen {
    fn default() -> Self {
        Seen {
            slots: vec![Slot::default(); 1 << 12],
            len: 0,
        }
    }
}

impl Seen {
    /// The key stored for fingerprint `fp`: 0 marks an empty slot, so fingerprint 0 is stored
    /// as 1 (one more pair of fingerprints that collide, of 2^64).
    fn key(fp: u64) -> u64 {
        fp.max(1)
    }

    fn home(&self, key: u64) -> usize {
        key as usize & (self.slots.len() - 1)
    }

    /// Reads the slot where `fp` would be found first, so that its cache line is on its way;
    /// returns what it read, for the caller to pass to [`std::hint::black_box`].
    pub fn touch(&self, fp: u64) -> u64 {
        self.slots[self.home(Self::key(fp))].fp
    }

    /// The state number of `fp`, and whether it is new: if it is, it gets number `next`.
    pub fn insert(&mut self, fp: u64, next: u32) -> (u32, bool) {
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow();
        }
        let key = Self::key(fp);
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let slot = &mut self.slots[i];
            if slot.fp == key {
                return (slot.at, false);
            }
            if slot.fp == 0 {
                *slot = Slot { fp: key, at: next };
                self.len += 1;
                return (next, true);
            }
            i = (i + 1) & mask;
        }
    }

    /// The number of fingerprints held.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.len
    }

    fn grow(&mut self) {
        let size = 2 * self.slots.len();
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.fp != 0) {
            let mut i = self.home(s.fp);
            while self.slots[i].fp != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}
