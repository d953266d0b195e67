//! The `Host` actor: one TCP end, wrapping the pure rules with a user script and timers.

use crate::attack;
use crate::config::{IsnPolicy, ISN_STEP};
use crate::ghost;
use crate::ghost::Ghost;
use crate::rules::{self, Outcome};
use crate::script::Call;
use crate::segment::{Segment, Tag};
use crate::seq::Seq;
use crate::state::{Cause, State};
use crate::tcb::{Broken, Reading, Tcb};
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

/// The state of one host: its TCB, how far through its script the user is, which incarnation
/// of the connection it is on, and ghost bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct HostState {
    pub tcb: Tcb,
    pub next_call: u8,
    /// 0 for the first connection; one more for every later OPEN and for a reboot.
    pub incarnation: u8,
    /// Ghost: the tag (`Tag::from`) of the SYN this connection accepted, 0 before one.
    pub peer_tag: u8,
    pub ghost: Ghost,
    /// The off-path attacker's segments that changed this host or drew an answer
    /// ([`crate::attack`]), counted against its budget.
    pub attacks: u8,
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
    /// The ISS of the first incarnation.
    pub iss: Seq,
    pub isn_policy: IsnPolicy,
    /// Tag sent segments with their incarnations (only where a host can have more than one:
    /// elsewhere the tags would add states and say nothing).
    pub tags: bool,
    pub retries: u8,
    pub script: &'static [Call],
    pub profile: Reading,
    /// How many of the off-path attacker's segments may reach this host (0: it is not
    /// attacked).
    pub attack_budget: u8,
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
            incarnation: 0,
            peer_tag: 0,
            ghost: Ghost::default(),
            attacks: 0,
        }
    }

    /// The ISS of incarnation `n` (RFC 9293 §3.4.1: a new connection takes its ISN from a
    /// clock that has moved on; the broken policy reuses the first).
    pub fn iss_of(&self, n: u8) -> Seq {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# TCP initial sequence numbers are generated from a number sequence that monotonically
        //# increases until it wraps, known loosely as a "clock".
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# A TCP implementation MUST use the above type of "clock" for clock-driven selection of
        //# initial sequence numbers (MUST-8),
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //= type=exception
        //= reason=No F(): one connection between two fixed hosts, and ISNs come from a small
        //= reason=configured set (Config::isn plus ISN_STEP per incarnation) so that the state
        //= reason=space stays finite.
        //# and SHOULD generate its initial sequence numbers with the expression: ISN = M +
        //# F(localip, localport, remoteip, remoteport, secretkey) where M is the 4 microsecond
        //# timer, and F() is a pseudorandom function (PRF) of the connection's identifying
        //# parameters ("localip, localport, remoteip, remoteport") and a secret key ("secretkey")
        //# (SHLD-1).
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //= type=exception
        //= reason=No F() and no off-path attacker in the model: the ISNs are public configuration.
        //# F() MUST NOT be computable from the outside (MUST-9),
        match self.isn_policy {
            IsnPolicy::Increasing => self.iss.add(ISN_STEP.wrapping_mul(n as u32)),
            IsnPolicy::Constant => self.iss,
        }
    }

    /// The state after a reboot that follows incarnation `last`: CLOSED, the script from its
    /// start, the next incarnation's ISS; failures recorded in ghost bits are kept.
    pub fn rebooted(&self, last: u8, ghost: Ghost) -> HostState {
        let incarnation = last.saturating_add(1);
        let mut ghost = ghost;
        ghost.clear(Ghost::PER_CONNECTION);
        ghost.set(Ghost::REBOOTED);
        HostState {
            tcb: Tcb::new(self.iss_of(incarnation), self.retries),
            next_call: 0,
            incarnation,
            peer_tag: 0,
            ghost,
            attacks: 0,
        }
    }

    /// Whether user call `call` from `s` starts a new incarnation of the connection: a later
    /// OPEN (§3.10.1: OPEN creates a new TCB).
    pub fn begins_incarnation(s: &HostState, call: Call) -> bool {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# Connections can be reused. New instances of a connection will be referred to as
        //# incarnations of the connection.
        matches!(call, Call::OpenActive | Call::OpenPassive) && s.next_call > 0
    }

    /// `s` on the next incarnation of the connection, before the OPEN that starts it applies:
    /// the next ISS, no peer incarnation learnt yet, the per-connection ghost bits cleared.
    /// Public so that a conformance harness keeps the same incarnations (and so the same
    /// ghost tags) for an observed run.
    pub fn next_incarnation(&self, s: &HostState) -> HostState {
        let mut from = *s;
        from.incarnation = from.incarnation.saturating_add(1);
        from.peer_tag = 0;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# When new connections are created, an initial sequence number (ISN) generator is employed
        //# that selects a new 32-bit ISN.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# To avoid confusion, we must prevent segments from one incarnation of a connection from
        //# being used while the same sequence numbers may still be present in the network from an
        //# earlier incarnation.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# while the initial sequence number selection described below further protects against
        //# ambiguity about which incarnation of a connection an incoming packet corresponds to.
        from.tcb.iss = self.iss_of(from.incarnation);
        from.ghost.clear(Ghost::PER_CONNECTION);
        from
    }

    /// `seg` as this host in state `s` receives it: the off-path attacker's segment as the
    /// member of its classes it stands for here ([`attack::resolve`]), any other as it is.
    pub fn as_received(&self, s: &HostState, seg: &Segment) -> Segment {
        if attack::injected(seg) {
            attack::resolve(seg, &s.tcb, self.profile.window)
        } else {
            *seg
        }
    }

    /// The pure step: apply the rule for `input`. `None` when the input does nothing (a user
    /// call that is not ready, a script that is done, a stale timer).
    pub fn react(&self, s: &HostState, input: Input) -> Option<Reaction> {
        // An injected segment arrives as a member of its classes against this host's block of
        // this moment, while the attacker has budget and the host knows RCV.NXT.
        let injected = matches!(input, Input::Segment(seg) if attack::injected(&seg));
        let input = match input {
            Input::Segment(seg) if injected => {
                if s.attacks >= self.attack_budget || !attack::can_attack(&s.tcb) {
                    return None;
                }
                Input::Segment(attack::resolve(&seg, &s.tcb, self.profile.window))
            }
            other => other,
        };
        // The state the rule applies to: `s`, or a new incarnation of it for a later OPEN.
        let mut from = *s;
        let (outcome, cause, call) = match input {
            Input::User => {
                let call = *self.script.get(s.next_call as usize)?;
                if !call.ready(s.tcb.state) {
                    return None;
                }
                if Self::begins_incarnation(s, call) {
                    from = self.next_incarnation(s);
                }
                (
                    call.apply(&from.tcb, &self.profile),
                    call.cause(),
                    Some(call),
                )
            }
            Input::Segment(seg) => (
                crate::broken::segment_arrives(&s.tcb, &seg, &self.profile),
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
        let mut next = Self::record(&from, &outcome, cause);
        if call.is_some() {
            next.next_call += 1;
        }
        if let Input::Segment(seg) = input {
            Self::track_incarnations(s, &mut next, &seg);
            next.ghost
                .set(ghost::answered_after_reboot(s, &seg, &outcome));
            if injected {
                if outcome.send.is_some() || outcome.tcb != s.tcb {
                    next.attacks = next.attacks.saturating_add(1);
                }
                next.ghost.set(ghost::attacked(&seg, &s.tcb, &outcome));
            }
        }
        next.ghost.set(ghost::retransmitted_syn(&outcome, cause));
        Some(Reaction {
            next,
            outcome,
            call,
        })
    }

    /// The ghost identity of segment `seg` that host state `s` sends in reaction to `input`:
    /// its incarnation, and the peer incarnation whose SYN it accepted; a RST that answers an
    /// arriving segment is addressed to that segment's sender.
    pub fn tag(&self, s: &HostState, seg: Segment, input: &Input) -> Segment {
        if !self.tags {
            return seg;
        }
        let to = match input {
            Input::Segment(x) if seg.rst() => x.tag.from,
            _ => s.peer_tag,
        };
        seg.tagged(Tag {
            from: s.incarnation.saturating_add(1),
            to,
        })
    }

    /// Learns the peer's incarnation from an accepted SYN, and flags a segment addressed to
    /// another incarnation of this host (an old duplicate of an earlier connection), or one
    /// from before the run, that changed a synchronized connection or made one
    /// (`no-stale-accepted`). A stale SYN that takes LISTEN to SYN-RECEIVED is not flagged:
    /// the handshake then rejects it (Figure 8). `s` is the receiver before `seg` arrived,
    /// `next` after. Public so that a conformance harness derives the same ghost bits from an
    /// observed delivery.
    pub fn track_incarnations(s: &HostState, next: &mut HostState, seg: &Segment) {
        let me = s.incarnation.saturating_add(1);
        let stale = !attack::injected(seg)
            && ((seg.tag.to != 0 && seg.tag.to != me) || seg.tag.from == Tag::EARLIER.from);
        let (from, to) = (s.tcb.state, next.tcb.state);
        if seg.syn() && matches!(from, State::Listen | State::SynSent) && to != from {
            next.peer_tag = seg.tag.from;
        }
        next.ghost.set(ghost::stale_accepted(stale, s, next));
    }

    /// The new host state after `outcome`, with the ghost bits updated
    /// ([`crate::ghost::after_step`]). Public so that a conformance harness can keep the same
    /// ghost bits for an observed run.
    pub fn record(s: &HostState, outcome: &Outcome, cause: Cause) -> HostState {
        let mut next = HostState {
            tcb: outcome.tcb,
            ..*s
        };
        next.ghost
            .set(ghost::after_step(s.tcb.state, outcome, cause));
        next
    }

    /// Which timers a host state needs.
    pub fn timers(&self, s: &HostState) -> [bool; 3] {
        let user = self.script.get(s.next_call as usize).is_some();
        // Broken variant: a FIN is never put on the retransmission queue, so nothing is left
        // to retransmit once it is all that is unacknowledged.
        let fin_unqueued = self.profile.broken(Broken::FinNeverRetransmitted)
            && s.tcb.fin_sent
            && s.tcb.snd_nxt.since(s.tcb.snd_una) == 1;
        [
            user,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# All segments preceding and including FIN will be retransmitted until acknowledged.
            s.tcb.retransmit_armed() && !fin_unqueued,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
            //# Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers.
            s.tcb.state == State::TimeWait,
        ]
    }

    /// Turn a reaction into actor commands; `fired` is the timer consumed by this step.
    fn emit(
        &self,
        state: &mut Cow<HostState>,
        reaction: Option<Reaction>,
        input: Input,
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
        if r.next.incarnation != state.incarnation {
            // The ISN clock survives a crash: the next incarnation is counted on from here.
            o.save(r.next.incarnation);
        }
        if r.next != **state {
            *state.to_mut() = r.next;
        }
        if let Some(seg) = r.outcome.send {
            o.send(self.peer, self.tag(&r.next, seg, &input));
        }
        const ALL: [Timer; 3] = [Timer::User, Timer::Retransmit, Timer::TimeWait];
        for t in ALL {
            match (before[t as usize], after[t as usize]) {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
                //# send the segment at the front of the retransmission queue again, reinitialize
                //# the retransmission timer, and return.
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
    /// The last incarnation begun: stable storage, so that a rebooted host does not reuse
    /// an ISS (RFC 9293 §3.4.1, "the ISN generator ... keeps running").
    type Storage = u8;
    type Random = ();

    fn on_start(&self, _id: Id, storage: &Option<u8>, o: &mut Out<Self>) -> HostState {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.2
        //# Note that if a TCP endpoint is reinitialized in some sense, yet retains its memory of
        //# sequence numbers in use, then it need not wait at all; it must only be sure to use
        //# sequence numbers larger than those recently used.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.2
        //= type=exception
        //= reason=No quiet time: a rebooted host keeps its ISN clock in stable storage (the case
        //= reason=the next sentence exempts), and the model has no clock to wait by.
        //# To be sure that a TCP implementation does not create a segment carrying a sequence
        //# number that may be duplicated by an old segment remaining in the network, the TCP
        //# endpoint must keep quiet for an MSL before assigning any sequence numbers upon starting
        //# up or recovering from a situation where memory of sequence numbers in use was lost.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.3
        //= type=exception
        //= reason=A rebooted host loses its TCB but keeps its ISN clock (Storage), and its next
        //= reason=incarnation starts beyond the window of every earlier one; it does not delay.
        //# Hosts that for any reason lose knowledge of the last sequence numbers transmitted on
        //# each active (i.e., not closed) connection shall delay emitting any TCP segments for at
        //# least the agreed MSL in the internet system that the host is a part of.
        let s = match storage {
            None => self.initial(),
            Some(last) => self.rebooted(*last, Ghost::default()),
        };
        o.save(s.incarnation);
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
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.2.2
        //= type=exception
        //= reason=The model has no IP layer: hosts receive TCP segments only, never ICMP messages.
        //# TCP implementations MUST act on an ICMP error message passed up from the IP layer,
        //# directing it to the connection that created the error (MUST-54).
        let r = self.react(state, Input::Segment(seg));
        self.emit(state, r, Input::Segment(seg), None, o);
    }

    fn on_timeout(&self, _id: Id, state: &mut Cow<HostState>, timer: &Timer, o: &mut Out<Self>) {
        let r = self.react(state, Input::Timeout(*timer));
        self.emit(state, r, Input::Timeout(*timer), Some(*timer), o);
    }

    fn name(&self) -> String {
        self.name.to_string()
    }
}
