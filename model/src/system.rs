//! What the properties, the ghost checks and the liveness search read of a whole-system state,
//! whichever representation holds it: stateright's actor state ([`crate::model::SysState`],
//! which the explorer and the traces use) or the flat state of the compact engine
//! ([`crate::compact`], which the checker uses). One statement of each property, read through
//! these traits, serves both.

use crate::config::Config;
use crate::host::{Host, HostState, Timer};
use crate::model::SysAction;
use crate::seed::SeedProgress;
use crate::segment::Segment;
use crate::state::State;
use crate::tcb::Broken;
use stateright::Model;

/// A whole-system state seen from outside: both hosts, crashes and the seed's progress (the
/// segments in flight are read through the model, [`TcpSystem::all_in_flight`]).
pub trait SystemState {
    /// Host `i`'s state (a crashed host's last state is still readable).
    fn host(&self, i: usize) -> &HostState;
    /// Whether host `i` is down.
    fn crashed(&self, i: usize) -> bool;
    /// How much of the seed's exchange the run has sent.
    fn seed(&self) -> SeedProgress;
}

/// A checked model of the TCP system: its configuration, its hosts, and what the properties
/// need to know of its timers and network.
pub trait TcpSystem: Model<State: SystemState, Action = SysAction> {
    fn config(&self) -> &Config;
    /// Host `i`'s actor (its script, ISS and profile).
    fn host_actor(&self, i: usize) -> &Host;
    /// Whether loss is implicit (a duplicating lossy network: a segment never delivered again
    /// is lost), so that no drop actions are generated.
    fn loss_is_implicit(&self) -> bool;
    /// Whether host `i`'s timer `t` is set in `s`.
    fn timer_set(&self, s: &Self::State, i: usize, t: Timer) -> bool;
    /// Whether `a` and `b` are the same state for the properties (stateright's duplicating
    /// network remembers the last message delivered, which says nothing to them).
    fn same_state(&self, a: &Self::State, b: &Self::State) -> bool;
    /// Whether `f(destination, segment)` holds for every distinct segment in flight in `s`.
    fn all_in_flight(&self, s: &Self::State, f: impl FnMut(usize, &Segment) -> bool) -> bool;
}

/// Whether host `i`'s 2MSL timer must wait in `s`: the peer may still retransmit its FIN
/// (FIN-WAIT-1, CLOSING, LAST-ACK). The model has no clock; this is its reading of 2MSL:
/// TIME-WAIT lasts as long as the peer's FIN may come again, so that the last ACK can be
/// repeated (RFC 9293 §3.6, §3.10.7.4 TIME-WAIT "restart the 2 MSL time-out"). A crashed
/// peer retransmits nothing. The broken variant `NoTimeWait` lets the timer fire at once.
pub fn time_wait_holds(cfg: &Config, s: &impl SystemState, i: usize) -> bool {
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
    //# (Maximum Segment Lifetime) (MUST-13).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
    //= type=exception
    //= reason=The model has no clock: its 2MSL lasts while the peer may still retransmit its FIN,
    //= reason=not until old duplicates have drained; the next incarnation's ISN keeps those out.
    //# To support this, the TIME-WAIT state limits the rate of connection reuse,
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //= type=exception
    //= reason=No TCP options, so no timestamps: TIME-WAIT is never shortened.
    //# This algorithm for reducing TIME-WAIT is a Best Current Practice that SHOULD be implemented
    //# since Timestamp Options are commonly used, and using them to reduce TIME-WAIT provides
    //# benefits for busy Internet servers (SHLD-4).
    let peer = 1 - i;
    let closing = matches!(
        s.host(peer).tcb.state,
        State::FinWait1 | State::Closing | State::LastAck
    );
    closing && !s.crashed(peer) && !cfg.profile.broken(Broken::NoTimeWait)
}
