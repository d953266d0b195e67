//! The compact system state: both hosts' states (TCB, script position, incarnation, ghost
//! bits: `Copy`, a few machine words each), the network as a sorted inline array of interned
//! segments, crash flags and the seed's progress. No `Arc`, `Vec` or hash set: a state is
//! copied, compared and hashed as plain bytes.
//!
//! Everything else of stateright's actor state is a function of this one: the timers set
//! (`Host::timers` of the host's state, none while it is down), the actor storage (the host's
//! incarnation), and the duplicating network's `last_msg` (which `TcpModel` clears).

use super::net::{Interner, Net};
use crate::host::HostState;
use crate::seed::SeedProgress;
use crate::segment::Segment;
use crate::system::SystemState;
use ahash::RandomState;
use std::hash::{BuildHasher, Hash, Hasher};

/// The state of the whole system.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Packed {
    pub hosts: [HostState; 2],
    pub net: Net,
    pub crashed: [bool; 2],
    pub seed: SeedProgress,
}

/// The fixed keys of the state digest: the same digest in every process.
const KEYS: [u64; 4] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

/// One host as four words.
fn host_words(h: &HostState) -> [u64; 4] {
    let t = &h.tcb;
    [
        u64::from(t.iss.0) | u64::from(t.snd_una.0) << 32,
        u64::from(t.snd_nxt.0) | u64::from(t.irs.0) << 32,
        u64::from(t.rcv_nxt.0)
            | u64::from(t.state as u8) << 32
            | u64::from(t.retries_left) << 40
            | u64::from(t.retry_budget) << 48
            | u64::from(t.delivered) << 56,
        u64::from(t.passive)
            | u64::from(t.fin_sent) << 1
            | u64::from(t.fin_rcvd) << 2
            | u64::from(h.next_call) << 8
            | u64::from(h.incarnation) << 16
            | u64::from(h.peer_tag) << 24
            | u64::from(h.ghost.bits()) << 32
            | u64::from(h.attacks) << 48,
    ]
}

/// A state is hashed as one 64-bit digest of all its fields (aHash with fixed keys over
/// thirteen words), so stateright's fingerprint hasher sees one word instead of dozens of
/// small fields.
impl Hash for Packed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.digest());
    }
}

impl Packed {
    /// The digest of every field.
    pub fn digest(&self) -> u64 {
        let mut h = RandomState::with_seeds(KEYS[0], KEYS[1], KEYS[2], KEYS[3]).build_hasher();
        for w in host_words(&self.hosts[0])
            .into_iter()
            .chain(host_words(&self.hosts[1]))
            .chain(self.net.words())
        {
            h.write_u64(w);
        }
        h.write_u64(
            u64::from(self.crashed[0])
                | u64::from(self.crashed[1]) << 1
                | u64::from(self.seed.0) << 8,
        );
        h.finish()
    }

    /// Calls `f(sender, segment)` for every distinct segment in flight, in id order; stops at
    /// the first `false`.
    pub fn all_segments(
        &self,
        interner: &Interner,
        mut f: impl FnMut(u8, &Segment) -> bool,
    ) -> bool {
        interner.with(|pairs| {
            self.net.distinct().all(|id| {
                let (src, seg) = &pairs[usize::from(id)];
                f(*src, seg)
            })
        })
    }
}

impl SystemState for Packed {
    fn host(&self, i: usize) -> &HostState {
        &self.hosts[i]
    }

    fn crashed(&self, i: usize) -> bool {
        self.crashed[i]
    }

    fn seed(&self) -> SeedProgress {
        self.seed
    }
}
