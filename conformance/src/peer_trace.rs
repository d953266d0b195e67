//! Traces of TCP stacks nobody here wrote (smoltcp, the Linux kernel), replayed into the
//! model's rules: trace inclusion, one step at a time.
//!
//! A [`Step`] is one input to the peer (a user call, one arriving segment, or a timer) and what
//! the peer did right after it: the segments it sent and, where the peer shows it, its state.
//! [`replay`] starts the model's TCB from the peer's ISS (its first SYN or SYN,ACK) and, for
//! each step, asks the model which outcomes RFC 9293 allows (`rules::allowed::arrivals` for an
//! arrival, the reference rule for a call or a timer) and compares the peer's behaviour with
//! them through `single::compare::check`. A step that matches none is a [`Difference`]; the
//! replay goes on from the allowed outcome whose state is the peer's, else (a peer that sent
//! nothing and stayed in its state: it dropped the segment) from the TCB as it was, else from
//! the reference rule's outcome, so that one difference hides or invents as few others as
//! it can.
//!
//! What is compared: the segments sent (flags, SEQ, ACK, length, after
//! [`crate::abstraction::segment`]) and the state when the peer shows one. Peers expose no TCB
//! and no events, so those are taken as the model's. A timer step is the model's `Timeout`:
//! the retransmission timeout when something is outstanding, else the TIME-WAIT timeout
//! (RFC 9293 §3.10.8).

use crate::abstraction;
use crate::endpoint::Observation;
use crate::signature::{InputKind, SeqClass, Signature};
use crate::single::compare;
use crate::single::reference::{outcome, RefState, Transition};
use std::time::Duration;
use synfin_model::rules::{self, Outcome};
use synfin_model::script::Call;
use synfin_model::{Reading, Segment as MSegment, Seq, State as MState, Tcb};

/// What the peer was given.
#[derive(Clone, Debug)]
pub enum Input {
    /// A user call (RFC 9293 §3.10.1 to §3.10.6).
    Call(Call),
    /// One segment arrived.
    Arrive(synfin_tcp::Segment),
    /// No input: the peer acted on its own (a timer, §3.10.8).
    Timer,
}

/// One input to the peer and what it did right after.
#[derive(Clone, Debug)]
pub struct Step {
    /// When, on the run's clock (virtual for smoltcp, wall time for the kernel).
    pub at: Duration,
    pub input: Input,
    /// The segments the peer sent in response, in order.
    pub sent: Vec<synfin_tcp::Segment>,
    /// The peer's state after the step; `None` where a peer cannot show it (smoltcp and the
    /// kernel, read from `/proc/net/tcp` with its SYN-RECEIVED and TIME-WAIT entries, always
    /// do).
    pub state: Option<MState>,
}

/// Where the peer and the model part.
#[derive(Clone, Debug)]
pub struct Difference {
    /// The step's index in the trace.
    pub step: usize,
    pub at: Duration,
    /// The model's state before the step.
    pub state: MState,
    /// The input, described ("arrival <SEQ=..>" etc.).
    pub input: String,
    /// The kind of input, without numbers: "OPEN (active)", "arrival SYN,ACK", "timer
    /// (retransmission)".
    pub kind: String,
    /// The peer's state after the step, if shown.
    pub peer_state: Option<MState>,
    pub peer: Vec<MSegment>,
    /// What the model's reference rule sent.
    pub model: Vec<MSegment>,
    /// The model's state after the reference rule.
    pub model_state: MState,
    /// Why each allowed outcome did not match.
    pub why: String,
    /// Its shape, without numbers: what profiles match families by.
    pub signature: Signature,
    /// When, before this step, the stack last answered an out-of-window arrival with a bare
    /// ACK (an arrival whose SEQ fell outside the window, or a RST or SYN in a synchronized
    /// state: RFC 9293 §3.10.7.4 first check, RFC 5961 §3.2 and §4.2): what a per-connection
    /// limiter of such ACKs (RFC 5961 §7) counts from.
    pub last_oow_ack: Option<Duration>,
}

fn flags(v: &[MSegment]) -> String {
    v.iter()
        .map(|s| s.flags.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Difference {
    /// The difference's signature as text: the same for every difference of the same shape,
    /// whatever the sequence numbers and wherever in the trace.
    pub fn key(&self) -> String {
        self.signature.to_string()
    }

    /// The key of fixed scenarios, where the step index is stable too: "step 3 in
    /// SYN-RECEIVED, arrival: smoltcp [], model [ACK]".
    pub fn step_key(&self, peer: &str) -> String {
        let kind = self.input.split(' ').next().unwrap_or("");
        format!(
            "step {} in {}, {}: {peer} [{}], model [{}]",
            self.step,
            self.state.rfc_name(),
            kind,
            flags(&self.peer),
            flags(&self.model)
        )
    }

    /// A multi-line description for reports.
    pub fn describe(&self, peer: &str) -> String {
        format!(
            "DIFFERENCE step {} at {:.3}s in {}: {}\n    {peer} {:?} -> {}\n    model {:?} -> {}\n    {}\n",
            self.step,
            self.at.as_secs_f64(),
            self.state.rfc_name(),
            self.input,
            self.peer,
            self.peer_state.map_or("(state not shown)", |s| s.rfc_name()),
            self.model,
            self.model_state.rfc_name(),
            self.why
        )
    }
}

/// The replay's counts.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Tally {
    pub steps: usize,
    /// Steps whose state the peer showed.
    pub states: usize,
    /// Segments the peer sent.
    pub segments: usize,
    /// Of those, the ones in steps where the peer did what the model allows.
    pub agreed_segments: usize,
    /// Segments the model's reference rule sends in steps where the peer differed, and the
    /// peer did not send.
    pub withheld: usize,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.steps += other.steps;
        self.states += other.states;
        self.segments += other.segments;
        self.agreed_segments += other.agreed_segments;
        self.withheld += other.withheld;
    }
}

/// The model's view of a peer segment; `None` for a payload the model cannot carry (256
/// octets or more). The replay stops there with a difference, never skips the segment.
pub fn model_segment(s: &synfin_tcp::Segment) -> Option<MSegment> {
    abstraction::segment(s)
}

/// The difference that ends a replay at a segment the model cannot carry.
fn not_comparable(step: usize, s: &Step, state: MState) -> Difference {
    let kind = "not comparable".to_string();
    Difference {
        signature: Signature {
            state,
            input: InputKind::Named(kind.clone()),
            stack: Vec::new(),
            reference: Vec::new(),
            ends: None,
        },
        step,
        at: s.at,
        state,
        input: "a segment of 256 octets or more".to_string(),
        kind,
        peer_state: s.state,
        peer: Vec::new(),
        model: Vec::new(),
        model_state: state,
        why: "the model's segment length is a u8: the rest of the trace is not compared"
            .to_string(),
        last_oow_ack: None,
    }
}

/// The ISS of a trace: the SEQ of the peer's first SYN or SYN,ACK.
pub fn iss(steps: &[Step]) -> Option<Seq> {
    steps
        .iter()
        .flat_map(|s| &s.sent)
        .find(|s| s.flags.contains(synfin_tcp::Flags::SYN))
        .map(|s| Seq(s.seq.0))
}

/// Replays `steps` into the model with `profile` (the peer's reading of the choices RFC 9293
/// leaves open), adding to `tally`. Returns every step where the peer did something the model
/// does not allow.
pub fn replay(steps: &[Step], profile: Reading, tally: &mut Tally) -> Vec<Difference> {
    replay_to(steps, profile, tally).0
}

/// The model's state after `steps`, as [`replay`] follows the peer: the state of a peer that
/// cannot show its own, inferred (`None` before the first step).
pub fn model_state(steps: &[Step], profile: Reading) -> Option<MState> {
    if steps.is_empty() {
        return None;
    }
    Some(replay_to(steps, profile, &mut Tally::default()).1)
}

/// [`replay`], and the model's state at the end.
fn replay_to(steps: &[Step], profile: Reading, tally: &mut Tally) -> (Vec<Difference>, MState) {
    // A trace without a SYN (the peer never opened) starts from any ISS: nothing of it is
    // compared against the ISS.
    let iss = iss(steps).unwrap_or(Seq(0));
    let mut s = RefState::new(iss, profile.rfc);
    // Peers retransmit with their own limits: the model's budget is not what is compared.
    s.tcb = Tcb::new(iss, u8::MAX);
    s.profile = profile;
    let mut diffs = Vec::new();
    let mut last_oow_ack = None;
    for (i, step) in steps.iter().enumerate() {
        let before = s.tcb;
        let sent: Option<Vec<MSegment>> = step.sent.iter().map(model_segment).collect();
        let arrived = match &step.input {
            Input::Arrive(seg) => model_segment(seg),
            _ => None,
        };
        let Some(sent) = sent else {
            diffs.push(not_comparable(i, step, before.state));
            break;
        };
        let (t, input, kind) = match (&step.input, arrived) {
            (Input::Call(c), _) => (Transition::Call(*c), c.name().to_string(), c.name().into()),
            (Input::Arrive(_), None) => {
                diffs.push(not_comparable(i, step, before.state));
                break;
            }
            (Input::Arrive(_), Some(m)) => (
                Transition::Arrive(m),
                format!("arrival {m:?}"),
                format!("arrival {}", m.flags),
            ),
            (Input::Timer, _) => {
                let which = if before.retransmit_armed() {
                    "timer (retransmission)"
                } else if before.state == MState::TimeWait {
                    "timer (TIME-WAIT)"
                } else {
                    "timer (none armed in the model)"
                };
                (Transition::Timeout, which.to_string(), which.to_string())
            }
        };
        let reference = outcome(&s, &t);
        let allowed: Vec<Outcome> = match &t {
            Transition::Arrive(seg) => rules::allowed::arrivals(&before, seg, &s.profile),
            _ => vec![reference],
        };
        let mut why = Vec::new();
        let mut next = None;
        for o in &allowed {
            // The peer shows at most its state: its TCB and events are the model's.
            let endpoint = Tcb {
                state: step.state.unwrap_or(o.tcb.state),
                ..o.tcb
            };
            let obs = Observation {
                sent: sent.clone(),
                events: o.events,
            };
            match compare::check(std::slice::from_ref(o), &obs, &endpoint) {
                Ok(_) => {
                    next = Some(*o);
                    break;
                }
                Err(w) => why.push(w),
            }
        }
        let oow_answered = match &t {
            Transition::Arrive(m) => {
                out_of_window(m, &before, s.profile.window) && sent.iter().any(is_bare_ack)
            }
            _ => false,
        };
        tally.steps += 1;
        tally.states += usize::from(step.state.is_some());
        tally.segments += sent.len();
        let o = match next {
            Some(o) => {
                tally.agreed_segments += sent.len();
                o
            }
            None => {
                // What the model would have sent and the peer did not.
                tally.withheld += reference.send.iter().filter(|m| !sent.contains(m)).count();
                // Go on from the allowed outcome in the peer's state; else, if the peer sent
                // nothing and stayed where it was (it dropped the segment), from the TCB as it
                // was; else from the rule's outcome.
                let resume = allowed
                    .iter()
                    .find(|o| Some(o.tcb.state) == step.state)
                    .copied()
                    .or_else(|| {
                        (sent.is_empty() && step.state == Some(before.state))
                            .then(|| Outcome::unchanged(&before))
                    })
                    .unwrap_or(reference);
                let model: Vec<MSegment> = reference.send.into_iter().collect();
                let input_kind = match &t {
                    Transition::Arrive(m) => InputKind::arrival(m, &before, s.profile.window),
                    _ => InputKind::Named(kind.clone()),
                };
                let signature = Signature {
                    state: before.state,
                    input: input_kind,
                    stack: Signature::flags(&sent),
                    reference: Signature::flags(&model),
                    ends: step
                        .state
                        .filter(|&p| p != reference.tcb.state)
                        .map(|p| (p, reference.tcb.state)),
                };
                diffs.push(Difference {
                    signature,
                    step: i,
                    at: step.at,
                    state: before.state,
                    input,
                    kind,
                    peer_state: step.state,
                    peer: sent,
                    model,
                    model_state: reference.tcb.state,
                    why: why.join("\n    or: "),
                    last_oow_ack,
                });
                resume
            }
        };
        if oow_answered {
            last_oow_ack = Some(step.at);
        }
        s.tcb = o.tcb;
        s.last = o;
        s.before = before;
        s.tcb.delivered = 0;
    }
    (diffs, s.tcb.state)
}

/// Whether `m`, arriving at `before`, is one RFC 9293 and RFC 5961 answer with a bare ACK and
/// nothing else: a SEQ outside the window (§3.10.7.4 first check), or a RST or SYN in a
/// synchronized state (RFC 5961 §3.2, §4.2: a challenge ACK).
fn out_of_window(m: &MSegment, before: &Tcb, window: u32) -> bool {
    let known = !matches!(
        before.state,
        MState::Closed | MState::Listen | MState::SynSent
    );
    let outside = known
        && matches!(
            SeqClass::of(m.seq, before.rcv_nxt, window),
            SeqClass::Below | SeqClass::Above
        );
    outside || (before.state.is_synchronized() && (m.rst() || m.syn()))
}

fn is_bare_ack(m: &MSegment) -> bool {
    m.ack_bit() && !m.syn() && !m.fin() && !m.rst() && m.len == 0
}

/// The trace as text, one step per line.
pub fn show(steps: &[Step]) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let input = match &s.input {
                Input::Call(c) => c.name().to_string(),
                Input::Arrive(seg) => format!("in  {seg:?}"),
                Input::Timer => "timer".to_string(),
            };
            let state = s.state.map_or("?", |s| s.rfc_name());
            format!(
                "  {i:>2} {:>8.3}s {input} -> {:?} {state}\n",
                s.at.as_secs_f64(),
                s.sent,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use synfin_tcp::{Flags, Segment, SeqNum};

    fn seg(flags: Flags, seq: u32, ack: u32) -> Segment {
        Segment {
            seq: SeqNum(seq),
            ack: SeqNum(ack),
            flags,
            window: 65535,
            urgent: 0,
            mss: None,
            payload: Vec::new(),
        }
    }

    fn step(input: Input, sent: Vec<Segment>, state: Option<MState>) -> Step {
        Step {
            at: Duration::ZERO,
            input,
            sent,
            state,
        }
    }

    /// A passive open answered as RFC 9293 §3.10.7.2 says: no difference, every segment agreed.
    fn handshake() -> Vec<Step> {
        let syn = seg(Flags::SYN, 5000, 0);
        let syn_ack = seg(Flags(Flags::SYN.0 | Flags::ACK.0), 100, 5001);
        vec![
            step(Input::Call(Call::OpenPassive), vec![], Some(MState::Listen)),
            step(Input::Arrive(syn), vec![syn_ack], Some(MState::SynReceived)),
            step(
                Input::Arrive(seg(Flags::ACK, 5001, 101)),
                vec![],
                Some(MState::Established),
            ),
        ]
    }

    #[test]
    fn a_conforming_trace_has_no_difference() {
        let mut tally = Tally::default();
        let diffs = replay(&handshake(), Reading::default(), &mut tally);
        assert!(diffs.is_empty(), "{diffs:?}");
        assert_eq!(
            tally,
            Tally {
                steps: 3,
                states: 3,
                segments: 1,
                agreed_segments: 1,
                withheld: 0
            }
        );
    }

    /// A peer that leaves a challenge ACK unsent (an in-window RST not at RCV.NXT, RFC 5961
    /// §3.2) is caught unless its profile says it throttles them (§7).
    #[test]
    fn an_omitted_challenge_ack_is_a_difference_without_a_throttle() {
        let mut steps = handshake();
        steps.push(step(
            Input::Arrive(seg(Flags::RST, 5003, 0)),
            vec![],
            Some(MState::Established),
        ));
        let mut tally = Tally::default();
        let diffs = replay(&steps, Reading::default(), &mut tally);
        assert_eq!(diffs.len(), 1, "{diffs:?}");
        assert_eq!(
            diffs[0].key(),
            "ESTABLISHED / RST seq:in / stack [] / reference [ACK]"
        );
        let throttled = Reading {
            challenge_ack_throttle: true,
            ..Reading::default()
        };
        let diffs = replay(&steps, throttled, &mut tally);
        assert!(diffs.is_empty(), "{diffs:?}");
    }

    #[test]
    fn a_wrong_segment_or_state_is_reported_and_keyed_without_numbers() {
        // The final ACK answered with a RST, and the state not shown.
        let mut steps = handshake();
        steps[2].sent = vec![seg(Flags::RST, 101, 0)];
        steps[2].state = None;
        let mut tally = Tally::default();
        let diffs = replay(&steps, Reading::default(), &mut tally);
        assert_eq!(diffs.len(), 1);
        assert_eq!(
            diffs[0].key(),
            "SYN-RECEIVED / ACK seq:at ack:in / stack [RST] / reference []"
        );
        assert_eq!(tally.agreed_segments, 1);
        // A state the model does not reach.
        let mut steps = handshake();
        steps[2].state = Some(MState::CloseWait);
        let diffs = replay(&steps, Reading::default(), &mut tally);
        assert_eq!(
            diffs[0].key(),
            "SYN-RECEIVED / ACK seq:at ack:in / stack [] / reference [] / stack ends CLOSE-WAIT, \
             reference ends ESTABLISHED"
        );
        assert_eq!(
            diffs[0].step_key("peer"),
            "step 2 in SYN-RECEIVED, arrival: peer [], model []"
        );
    }
}
