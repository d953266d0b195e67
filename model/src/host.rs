//! The `Host` actor: one TCP end, wrapping the pure rules with a user script and timers.

use crate::rules::{self, Event, Outcome};
use crate::script::Call;
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::state::{is_named_transition, Cause, State};
use crate::tcb::{Profile, Tcb};
use serde::Serialize;
use stateright::actor::{model_timeout, Actor, Id, Out};
use std::borrow::Cow;

/// The timers of a host. User calls are timers too, so that they can happen at any moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Timer {
    /// The user makes the next call of its script.
    User,
    /// Retransmission timeout (§3.10.8).
    Retransmit,
    /// 2MSL in TIME-WAIT (§3.10.8).
    TimeWait,
}

/// Ghost bits: what properties need to know about a host's past that its TCB does not say.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Ghost(u8);

impl Ghost {
    /// A state change that is neither a Figure 5 edge nor a transition §3.10.7 names.
    pub const BAD_EDGE: u8 = 1;
    /// Reached CLOSED from LAST-ACK or TIME-WAIT by the orderly edge (ACK of FIN, 2MSL).
    pub const CLOSED_ORDERLY: u8 = 2;
    /// Retransmitted its SYN.
    pub const SYN_RETRANSMITTED: u8 = 4;
    /// Was told "connection reset" or "connection refused" by a RST from the peer.
    pub const RESET: u8 = 8;

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
    fn set(&mut self, bit: u8) {
        self.0 |= bit;
    }
}

impl std::fmt::Debug for Ghost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = [
            (Ghost::BAD_EDGE, "bad-edge"),
            (Ghost::CLOSED_ORDERLY, "closed-orderly"),
            (Ghost::SYN_RETRANSMITTED, "syn-retransmitted"),
            (Ghost::RESET, "reset"),
        ];
        f.debug_set()
            .entries(names.iter().filter(|(b, _)| self.has(*b)).map(|(_, n)| n))
            .finish()
    }
}

/// The state of one host: its TCB, how far through its script the user is, and ghost bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct HostState {
    pub tcb: Tcb,
    pub next_call: u8,
    pub ghost: Ghost,
}

/// What a host reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    User,
    Segment(Segment),
    Timeout(Timer),
}

/// One TCP end.
#[derive(Clone, Debug)]
pub struct Host {
    pub name: &'static str,
    pub peer: Id,
    pub iss: Seq,
    pub retries: u8,
    pub script: &'static [Call],
    pub profile: Profile,
}

/// The result of one input: the new host state and what the rule did. `call` is the user call
/// made, if any.
#[derive(Clone, Copy, Debug)]
pub struct Reaction {
    pub next: HostState,
    pub outcome: Outcome,
    pub call: Option<Call>,
}

impl Host {
    pub fn initial(&self) -> HostState {
        HostState {
            tcb: Tcb::new(self.iss, self.retries),
            next_call: 0,
            ghost: Ghost::default(),
        }
    }

    /// The pure step: apply the rule for `input`. `None` when the input does nothing (a user
    /// call that is not ready, a script that is done, a stale timer).
    pub fn react(&self, s: &HostState, input: Input) -> Option<Reaction> {
        let (outcome, cause, call) = match input {
            Input::User => {
                let call = *self.script.get(s.next_call as usize)?;
                if !call.ready(s.tcb.state) {
                    return None;
                }
                (call.apply(&s.tcb, &self.profile), call.cause(), Some(call))
            }
            Input::Segment(seg) => (
                rules::segment_arrives(&s.tcb, &seg, &self.profile),
                Cause::arrival(&seg),
                None,
            ),
            Input::Timeout(Timer::Retransmit) => (
                rules::retransmission_timeout(&s.tcb),
                Cause::Retransmit,
                None,
            ),
            Input::Timeout(Timer::TimeWait) => {
                (rules::time_wait_timeout(&s.tcb), Cause::TimeWait, None)
            }
            Input::Timeout(Timer::User) => return self.react(s, Input::User),
        };
        let mut next = Self::record(s, &outcome, cause);
        if call.is_some() {
            next.next_call += 1;
        }
        if cause == Cause::Retransmit && outcome.send.is_some_and(|seg| seg.flags == Flags::SYN) {
            next.ghost.set(Ghost::SYN_RETRANSMITTED);
        }
        Some(Reaction {
            next,
            outcome,
            call,
        })
    }

    /// The new host state after `outcome`, with the ghost bits updated. Public so that a
    /// conformance harness can keep the same ghost bits for an observed run.
    pub fn record(s: &HostState, outcome: &Outcome, cause: Cause) -> HostState {
        let mut next = HostState {
            tcb: outcome.tcb,
            ..*s
        };
        let (from, to) = (s.tcb.state, outcome.tcb.state);
        if !is_named_transition(from, to, cause) {
            next.ghost.set(Ghost::BAD_EDGE);
        }
        let orderly_cause = match cause {
            Cause::TimeWait => true,
            Cause::Segment(f) => !f.has(Flags::RST),
            _ => false,
        };
        if to == State::Closed && matches!(from, State::LastAck | State::TimeWait) && orderly_cause
        {
            next.ghost.set(Ghost::CLOSED_ORDERLY);
        }
        if outcome.events.contains(Event::Reset) || outcome.events.contains(Event::Refused) {
            next.ghost.set(Ghost::RESET);
        }
        next
    }

    /// Which timers a host state needs.
    fn timers(&self, s: &HostState) -> [bool; 3] {
        let user = self.script.get(s.next_call as usize).is_some();
        [
            user,
            s.tcb.retransmit_armed(),
            s.tcb.state == State::TimeWait,
        ]
    }

    /// Turn a reaction into actor commands; `fired` is the timer consumed by this step.
    fn emit(
        &self,
        state: &mut Cow<HostState>,
        reaction: Option<Reaction>,
        fired: Option<Timer>,
        o: &mut Out<Self>,
    ) {
        let Some(r) = reaction else {
            // Nothing happened: keep the timer that fired (a no-op for the checker).
            if let Some(t) = fired {
                o.set_timer(t, model_timeout());
            }
            return;
        };
        let mut before = self.timers(state);
        if let Some(t) = fired {
            before[t as usize] = false;
        }
        let after = self.timers(&r.next);
        if r.next != **state {
            *state.to_mut() = r.next;
        }
        if let Some(seg) = r.outcome.send {
            o.send(self.peer, seg);
        }
        const ALL: [Timer; 3] = [Timer::User, Timer::Retransmit, Timer::TimeWait];
        for t in ALL {
            match (before[t as usize], after[t as usize]) {
                (false, true) => o.set_timer(t, model_timeout()),
                (true, false) => o.cancel_timer(t),
                _ => {}
            }
        }
    }
}

impl Actor for Host {
    type Msg = Segment;
    type Timer = Timer;
    type State = HostState;
    type Storage = ();
    type Random = ();

    fn on_start(&self, _id: Id, _storage: &Option<()>, o: &mut Out<Self>) -> HostState {
        let s = self.initial();
        if self.timers(&s)[Timer::User as usize] {
            o.set_timer(Timer::User, model_timeout());
        }
        s
    }

    fn on_msg(
        &self,
        _id: Id,
        state: &mut Cow<HostState>,
        _src: Id,
        seg: Segment,
        o: &mut Out<Self>,
    ) {
        let r = self.react(state, Input::Segment(seg));
        self.emit(state, r, None, o);
    }

    fn on_timeout(&self, _id: Id, state: &mut Cow<HostState>, timer: &Timer, o: &mut Out<Self>) {
        let r = self.react(state, Input::Timeout(*timer));
        self.emit(state, r, Some(*timer), o);
    }

    fn name(&self) -> String {
        self.name.to_string()
    }
}
