//! The evidence checks a profile's family may name ([`Evidence`]), on a difference found by
//! replaying a stack's trace ([`crate::peer_trace`]): what the signature leaves out (the
//! numbers, and what happened before the step) that the family's reason needs.

use crate::peer_trace::{Difference, Step};
use crate::profile::Evidence;
use std::time::Duration;

/// Whether `e` holds of `d`, a difference of the trace `steps`.
pub fn holds(e: Evidence, d: &Difference, steps: &[Step]) -> bool {
    match e {
        Evidence::SameSeq => {
            matches!((d.peer.as_slice(), d.model.as_slice()), ([p], [m]) if p.seq == m.seq)
        }
        Evidence::SameAckAndOwnSyn => matches!((d.peer.as_slice(), d.model.as_slice()),
            ([p], [m]) if p.ack == m.ack && p.seq.add(1) == m.seq),
        Evidence::AckedWithinASecond => steps[..d.step.min(steps.len())].iter().any(|s| {
            d.at.saturating_sub(s.at) < Duration::from_secs(1)
                && s.sent.iter().any(|p| {
                    let f = p.flags;
                    f.ack() && !f.syn() && !f.fin() && !f.rst()
                })
        }),
        // The times are the tester's, taken when it sent each input; the stack's clock reads
        // them a little later, each by its own delay: 20 ms either way is taken as the same.
        Evidence::OowAckedWithin500Ms => d
            .last_oow_ack
            .is_some_and(|t| d.at.saturating_sub(t) < Duration::from_millis(520)),
    }
}
