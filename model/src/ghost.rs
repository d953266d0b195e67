//! Ghost bookkeeping: what the properties need to know of a host's past that its TCB does not
//! say (how it left TIME-WAIT, whether a RST it obeyed was justified, whether a stale segment
//! changed it, ...), kept as bits beside each host's state. The rules never read them; the
//! host and the system set them after each step, through the functions here, and the
//! properties (`properties.rs`) read them.

use crate::host::HostState;
use crate::rules::{Event, Outcome};
use crate::segment::{Flags, Segment};
use crate::state::{is_named_transition, Cause, State};
use crate::system::SystemState;
use crate::tcb::Tcb;
use serde::Serialize;

/// Ghost bits: what properties need to know about a host's past that its TCB does not say.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Ghost(u16);

impl Ghost {
    /// A state change that is neither a Figure 5 edge nor a transition §3.10.7 names.
    pub const BAD_EDGE: u16 = 1;
    /// Reached CLOSED from LAST-ACK or TIME-WAIT by the orderly edge (ACK of FIN, 2MSL).
    pub const CLOSED_ORDERLY: u16 = 2;
    /// Retransmitted its SYN.
    pub const SYN_RETRANSMITTED: u16 = 4;
    /// Was told "connection reset" or "connection refused" by a RST from the peer.
    pub const RESET: u16 = 8;
    /// Crashed and rebooted (at most once per host).
    pub const REBOOTED: u16 = 16;
    /// Left TIME-WAIT other than by its 2MSL timer (RFC 1337's TIME-WAIT assassination).
    pub const TIME_WAIT_CUT: u16 = 32;
    /// A RST ended a synchronized connection that the peer still held, or a closing one that
    /// the peer had finished by the book (set by [`crate::TcpModel`], which sees both ends).
    pub const UNJUSTIFIED_RESET: u16 = 64;
    /// Was told "connection reset" in a synchronized state (half-open discovery, §3.5.1).
    pub const RESET_SYNCHRONIZED: u16 = 128;
    /// A segment of another incarnation (an old duplicate of an earlier connection, or one
    /// addressed to an earlier incarnation of this host) changed a synchronized connection or
    /// made one.
    pub const STALE_ACCEPTED: u16 = 512;
    /// Became synchronized from a SYN that the peer's current incarnation did not send with
    /// that ISN (set by [`crate::TcpModel`], which sees both ends).
    pub const HALF_OPEN: u16 = 256;
    /// Rebooted, and answered with a RST, in SYN-SENT, an acknowledgment that did not cover its
    /// new SYN (Figure 9, line 5).
    pub const SENT_FIG9_RST: u16 = 1024;
    /// Rebooted, and answered with a RST, in CLOSED or LISTEN, a segment carrying data or FIN
    /// (Figure 10, line 4).
    pub const SENT_FIG10_RST: u16 = 2048;
    /// An injected RST ended the connection without guessing RCV.NXT exactly
    /// (`no-blind-reset`, RFC 5961 §3).
    pub const BLIND_RESET: u16 = 4096;
    /// An injected SYN ended the connection (`no-blind-syn-teardown`, RFC 5961 §4).
    pub const BLIND_SYN: u16 = 8192;
    /// Injected data was delivered without an exact SEQ and an ACK in RFC 5961 §5.2's range
    /// (`no-blind-data`).
    pub const BLIND_DATA: u16 = 16384;
    /// Forged data entered this end's byte stream (the attacker's octet was delivered, by an
    /// exact guess or not): the ends no longer agree on the stream, and the properties that
    /// compare them (`honest-acks`, `orderly-close`, `fin-ack-means-received`,
    /// `data-integrity`, `resets-justified`) say nothing more of the run.
    pub const FORGED_DATA: u16 = 32768;
    /// The bits that describe one connection, cleared when the host opens the next one.
    pub const PER_CONNECTION: u16 =
        Self::CLOSED_ORDERLY | Self::SYN_RETRANSMITTED | Self::RESET | Self::RESET_SYNCHRONIZED;

    /// The bits a reboot keeps: failures already recorded (not state the host has, but what
    /// the checker has seen).
    pub const STICKY: u16 = Self::BAD_EDGE
        | Self::TIME_WAIT_CUT
        | Self::UNJUSTIFIED_RESET
        | Self::STALE_ACCEPTED
        | Self::HALF_OPEN;

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
    /// All bits, as one number.
    pub fn bits(self) -> u16 {
        self.0
    }
    pub fn set(&mut self, bit: u16) {
        self.0 |= bit;
    }
    pub(crate) fn clear(&mut self, bits: u16) {
        self.0 &= !bits;
    }
}

impl std::fmt::Debug for Ghost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = [
            (Ghost::BAD_EDGE, "bad-edge"),
            (Ghost::CLOSED_ORDERLY, "closed-orderly"),
            (Ghost::SYN_RETRANSMITTED, "syn-retransmitted"),
            (Ghost::RESET, "reset"),
            (Ghost::REBOOTED, "rebooted"),
            (Ghost::TIME_WAIT_CUT, "time-wait-cut"),
            (Ghost::UNJUSTIFIED_RESET, "unjustified-reset"),
            (Ghost::RESET_SYNCHRONIZED, "reset-synchronized"),
            (Ghost::HALF_OPEN, "half-open"),
            (Ghost::STALE_ACCEPTED, "stale-accepted"),
            (Ghost::SENT_FIG9_RST, "sent-fig9-rst"),
            (Ghost::SENT_FIG10_RST, "sent-fig10-rst"),
            (Ghost::BLIND_RESET, "blind-reset"),
            (Ghost::BLIND_SYN, "blind-syn"),
            (Ghost::BLIND_DATA, "blind-data"),
            (Ghost::FORGED_DATA, "forged-data"),
        ];
        f.debug_set()
            .entries(names.iter().filter(|(b, _)| self.has(*b)).map(|(_, n)| n))
            .finish()
    }
}

/// The bits the off-path attacker's segment `seg` (as received) earns the victim, which went
/// from `before` to `outcome`: a success that was no exact guess (`no-blind-*`), and forged
/// data in its stream, by any guess.
pub fn attacked(seg: &Segment, before: &Tcb, outcome: &Outcome) -> u16 {
    use crate::attack::{classes, exact_guess, succeeded, Kind};
    let kind = Kind::of(seg);
    if !succeeded(kind, before, outcome) {
        return 0;
    }
    let (seq, ack) = classes(seg);
    let blind = if exact_guess(kind, seq, ack) {
        0
    } else {
        match kind {
            Kind::Rst => Ghost::BLIND_RESET,
            Kind::Syn => Ghost::BLIND_SYN,
            Kind::Data => Ghost::BLIND_DATA,
        }
    };
    let forged = if kind == Kind::Data {
        Ghost::FORGED_DATA
    } else {
        0
    };
    blind | forged
}

/// The bits a step of one host earns it, from its state `from` before the step, the step's
/// `outcome` and its `cause`: a state change that is no named transition, an orderly arrival
/// in CLOSED, a reset it was told of (in a synchronized state too), TIME-WAIT left other than
/// by its timer.
pub fn after_step(from: State, outcome: &Outcome, cause: Cause) -> u16 {
    let mut bits = 0;
    let to = outcome.tcb.state;
    if !is_named_transition(from, to, cause) {
        bits |= Ghost::BAD_EDGE;
    }
    let orderly_cause = match cause {
        Cause::TimeWait => true,
        Cause::Segment(f) => !f.has(Flags::RST),
        _ => false,
    };
    if to == State::Closed && matches!(from, State::LastAck | State::TimeWait) && orderly_cause {
        bits |= Ghost::CLOSED_ORDERLY;
    }
    if outcome.events.contains(Event::Reset) || outcome.events.contains(Event::Refused) {
        bits |= Ghost::RESET;
    }
    if outcome.events.contains(Event::Reset) && from.is_synchronized() {
        bits |= Ghost::RESET_SYNCHRONIZED;
    }
    if from == State::TimeWait && to != State::TimeWait && cause != Cause::TimeWait {
        bits |= Ghost::TIME_WAIT_CUT;
    }
    bits
}

/// A rebooted host that answers with a RST, in SYN-SENT, an acknowledgment that does not cover
/// its new SYN (Figure 9, line 5), or in CLOSED or LISTEN, a segment carrying data or FIN
/// (Figure 10, line 4). `s` is the host before `seg` arrived.
pub fn answered_after_reboot(s: &HostState, seg: &Segment, outcome: &Outcome) -> u16 {
    let rst = outcome.send.is_some_and(|x| x.rst());
    if !rst || !s.ghost.has(Ghost::REBOOTED) {
        return 0;
    }
    match s.tcb.state {
        State::SynSent if seg.ack_bit() && !seg.syn() && !seg.rst() => Ghost::SENT_FIG9_RST,
        State::Closed | State::Listen if seg.fin() || seg.len > 0 => Ghost::SENT_FIG10_RST,
        _ => 0,
    }
}

/// A retransmission timeout that sent a SYN again.
pub fn retransmitted_syn(outcome: &Outcome, cause: Cause) -> u16 {
    if cause == Cause::Retransmit && outcome.send.is_some_and(|seg| seg.flags == Flags::SYN) {
        Ghost::SYN_RETRANSMITTED
    } else {
        0
    }
}

/// A `stale` segment (of another incarnation) that changed a synchronized connection or made
/// one: `s` before it arrived, `next` after.
pub fn stale_accepted(stale: bool, s: &HostState, next: &HostState) -> u16 {
    let (from, to) = (s.tcb.state, next.tcb.state);
    let changed = next.tcb != s.tcb;
    if stale && changed && (from.is_synchronized() || to.is_synchronized()) {
        Ghost::STALE_ACCEPTED
    } else {
        0
    }
}

/// Whether a RST from `src` that `dst` (now `after`) received in `last` was justified. A RST
/// that ends a synchronized connection is justified unless the sender still holds that same
/// connection (it is synchronized with the ISS and IRS the receiver recorded), or the
/// receiver was closing (CLOSING, LAST-ACK) and the sender had closed in order: a peer that
/// finished by the book must answer a retransmitted FIN with an ACK from TIME-WAIT, not with a
/// RST. A crashed or rebooted sender, one that aborted, timed out or never synchronized, no
/// longer holds the connection (§3.5.1, §3.5.2).
pub fn reset_justified(last: &impl SystemState, src: usize, dst: usize, after: &HostState) -> bool {
    let before = last.host(dst);
    let ended = before.tcb.state.is_synchronized() && after.tcb.state != before.tcb.state;
    if !ended || last.crashed(src) {
        return true;
    }
    let peer = last.host(src);
    let holds = peer.tcb.state.is_synchronized()
        && peer.tcb.iss == before.tcb.irs
        && peer.tcb.irs == before.tcb.iss;
    let finished = peer.tcb.state == State::Closed && peer.ghost.has(Ghost::CLOSED_ORDERLY);
    let closing = matches!(before.tcb.state, State::Closing | State::LastAck);
    let forgot_too_soon = closing && finished;
    !(holds || forgot_too_soon)
}

/// Whether `dst` (now `after`), if segment `msg` from `src` just made it synchronized, was
/// opened by the peer as it is now: its SYN sent, with the ISS `dst` recorded as IRS. Checked
/// when it happens, so that a peer that later gives up, reopens or crashes (a half-open
/// connection TCP permits, §3.5.1) is not held against it.
pub fn opened_by_peer(
    last: &impl SystemState,
    src: usize,
    dst: usize,
    msg: &Segment,
    after: &HostState,
) -> bool {
    let before = last.host(dst);
    let opened = after.tcb.state.is_synchronized() && !before.tcb.state.is_synchronized();
    let peer = last.host(src);
    let current = msg.tag.from == 0 || msg.tag.from == peer.incarnation.saturating_add(1);
    // A segment from an earlier incarnation of the peer may complete a connection only if it
    // answers this incarnation of `dst` (a delayed SYN,ACK after the peer gave up: a half-open
    // connection TCP permits). A crashed peer's last state is still readable until it reboots.
    let answers_me = msg.tag.to != 0 && msg.tag.to == before.incarnation.saturating_add(1);
    !opened || (!current && answers_me) || (peer.tcb.syn_sent() && peer.tcb.iss == after.tcb.irs)
}

/// The ghost bits that the delivery of `msg` from `src` to `dst` earns `dst`, now `after`,
/// from `last`, the state before the delivery: [`Ghost::UNJUSTIFIED_RESET`] for a RST that
/// [`reset_justified`] rejects, [`Ghost::HALF_OPEN`] for a connection that
/// [`opened_by_peer`] rejects. The model sets them in [`TcpModel`]'s `next_state`; public so
/// that a conformance harness that maps a concrete run onto model states derives the same
/// bits from each concrete delivery.
pub fn delivery_ghost(
    last: &impl SystemState,
    src: usize,
    dst: usize,
    msg: &Segment,
    after: &HostState,
) -> u16 {
    let forged = (0..2).any(|i| last.host(i).ghost.has(Ghost::FORGED_DATA));
    if crate::attack::injected(msg) || forged {
        // The attacker's segments are judged by the blind properties, not as the peer's; and
        // once forged data is in a stream, the ends' disagreement is the attack's doing.
        return 0;
    }
    let mut bits = 0;
    if msg.rst() && !reset_justified(last, src, dst, after) {
        bits |= Ghost::UNJUSTIFIED_RESET;
    }
    if !opened_by_peer(last, src, dst, msg, after) {
        bits |= Ghost::HALF_OPEN;
    }
    bits
}
