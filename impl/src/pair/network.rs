//! The virtual network of a [`super::Pair`]: packets in flight, each with the time it becomes
//! deliverable, and the commands that drop, duplicate, reorder and delay them.

use super::Side;
use crate::time::Instant;
use crate::wire::Packet;
use std::time::Duration;

/// A packet on its way to `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// The number of the [`Network::push`] that put it in flight (0, 1, 2, ...: the pair's
    /// endpoints' sends, and what a harness pushes itself): a copy made by
    /// [`Network::duplicate`] keeps its original's, so a harness can attach its own notes to
    /// a packet and find them again whichever copy arrives.
    pub id: u64,
    /// The receiver.
    pub to: Side,
    /// The packet.
    pub packet: Packet,
    /// The earliest time it can be delivered.
    pub ready_at: Instant,
}

/// Packets in flight, in the order they were sent (or rearranged by command).
#[derive(Clone, Debug, Default)]
pub struct Network {
    pub(super) queue: Vec<InFlight>,
    sends: u64,
    /// How long a newly sent packet takes to become deliverable.
    pub latency: Duration,
}

impl Network {
    /// The packets in flight, oldest first.
    pub fn in_flight(&self) -> &[InFlight] {
        &self.queue
    }

    /// Whether nothing is in flight.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// How many packets are in flight.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Puts `packet` in flight to `to` at `now`, behind everything else: it becomes
    /// deliverable after the network's latency.
    pub fn push(&mut self, to: Side, packet: Packet, now: Instant) {
        self.queue.push(InFlight {
            id: self.sends,
            to,
            packet,
            ready_at: now + self.latency,
        });
        self.sends += 1;
    }

    /// The index of the oldest packet in flight to `to` (the head of that direction's queue).
    pub fn first_to(&self, to: Side) -> Option<usize> {
        self.queue.iter().position(|f| f.to == to)
    }

    /// The index of the newest packet in flight to `to`.
    pub fn last_to(&self, to: Side) -> Option<usize> {
        self.queue.iter().rposition(|f| f.to == to)
    }

    /// Loses packet `i`; returns it, or `None` if there is no such packet.
    pub fn drop(&mut self, i: usize) -> Option<InFlight> {
        (i < self.queue.len()).then(|| self.queue.remove(i))
    }

    /// Puts a copy of packet `i` right behind it. Returns whether packet `i` exists.
    pub fn duplicate(&mut self, i: usize) -> bool {
        let Some(copy) = self.queue.get(i).cloned() else {
            return false;
        };
        self.queue.insert(i + 1, copy);
        true
    }

    /// Moves packet `i` to position `j` (reordering). Returns whether both positions exist.
    pub fn reorder(&mut self, i: usize, j: usize) -> bool {
        if i >= self.queue.len() || j >= self.queue.len() {
            return false;
        }
        let p = self.queue.remove(i);
        self.queue.insert(j, p);
        true
    }

    /// Holds packet `i` back by `d` more. Returns whether it exists.
    pub fn delay(&mut self, i: usize, d: Duration) -> bool {
        match self.queue.get_mut(i) {
            Some(p) => {
                p.ready_at = p.ready_at + d;
                true
            }
            None => false,
        }
    }

    /// The index of the packet to deliver next: the first one in queue order among those with
    /// the earliest `ready_at`.
    pub(super) fn next_ready(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, p) in self.queue.iter().enumerate() {
            if best.is_none_or(|b| p.ready_at < self.queue[b].ready_at) {
                best = Some(i);
            }
        }
        best
    }
}
