//! RFC 5961 §7: a limit on challenge ACKs ("An implementation SHOULD include an ACK throttling
//! mechanism"). A challenge ACK is the ACK sent for an in-window RST not at RCV.NXT (§3.2), for
//! a SYN in a synchronized state (§4.2) and for an ACK outside SND.UNA - MAX.SND.WND ..
//! SND.NXT (§5.2); with a limit, one that would go beyond it is not sent.
//!
//! The limit counts for one connection ([`ChallengeAckLimit::PerConnection`]) or for every
//! connection that holds a clone of one [`SharedChallengeAcks`]: one budget for a whole host,
//! as Linux had before 2016 (`tcp_challenge_ack_limit`), which let an off-path attacker count
//! another connection's challenge ACKs through its own (CVE-2016-5696).

use crate::time::Instant;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many challenge ACKs may go out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ChallengeAckLimit {
    /// No limit (the default).
    #[default]
    Unlimited,
    /// At most `count` in each period of `per`, for this connection alone.
    PerConnection {
        /// Challenge ACKs a period allows.
        count: u32,
        /// The period.
        per: Duration,
    },
    /// One budget shared by every connection holding a clone of it.
    Shared(SharedChallengeAcks),
}

/// A budget of challenge ACKs: `count` in each period of `per`, the period starting at the
/// first challenge ACK after the last one ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Budget {
    count: u32,
    per: Duration,
    start: Option<Instant>,
    used: u32,
}

impl Budget {
    pub(crate) fn new(count: u32, per: Duration) -> Budget {
        Budget {
            count,
            per,
            start: None,
            used: 0,
        }
    }

    /// Whether one more challenge ACK may go out at `now` (and if so, it is counted).
    pub(crate) fn take(&mut self, now: Instant) -> bool {
        if self.start.is_none_or(|s| now >= s + self.per) {
            self.start = Some(now);
            self.used = 0;
        }
        if self.used < self.count {
            self.used += 1;
            true
        } else {
            false
        }
    }
}

/// A budget of challenge ACKs shared by several connections (clones share it).
#[derive(Clone, Debug)]
pub struct SharedChallengeAcks(Arc<Mutex<Budget>>);

impl SharedChallengeAcks {
    /// At most `count` challenge ACKs in each period of `per`, for all connections together.
    pub fn new(count: u32, per: Duration) -> SharedChallengeAcks {
        SharedChallengeAcks(Arc::new(Mutex::new(Budget::new(count, per))))
    }

    pub(crate) fn take(&self, now: Instant) -> bool {
        // A poisoned lock only means another connection panicked mid-count: the budget is
        // still a pair of numbers.
        let mut b = self.0.lock().unwrap_or_else(|p| p.into_inner());
        b.take(now)
    }
}

/// Two shared budgets are equal when they are the same budget.
impl PartialEq for SharedChallengeAcks {
    fn eq(&self, other: &SharedChallengeAcks) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SharedChallengeAcks {}

/// What a connection counts its challenge ACKs against.
#[derive(Clone, Debug)]
pub(crate) enum Limiter {
    Unlimited,
    Own(Budget),
    Shared(SharedChallengeAcks),
}

impl Limiter {
    pub(crate) fn new(limit: &ChallengeAckLimit) -> Limiter {
        match limit {
            ChallengeAckLimit::Unlimited => Limiter::Unlimited,
            ChallengeAckLimit::PerConnection { count, per } => {
                Limiter::Own(Budget::new(*count, *per))
            }
            ChallengeAckLimit::Shared(s) => Limiter::Shared(s.clone()),
        }
    }

    /// Whether a challenge ACK may go out at `now` (and if so, it is counted).
    pub(crate) fn allows(&mut self, now: Instant) -> bool {
        match self {
            Limiter::Unlimited => true,
            Limiter::Own(b) => b.take(now),
            Limiter::Shared(s) => s.take(now),
        }
    }
}
