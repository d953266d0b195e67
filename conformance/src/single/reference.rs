//! The reference state machine: the model's rules applied to one TCB.

use super::generate;
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;
use synfin_model::rules::{self, Outcome};
use synfin_model::script::Call;
use synfin_model::{Reading, Rfc, Segment, Seq, State, Tcb};

/// The retry budget of the runs (the model's and the endpoint's): small, so that user
/// timeouts happen in short sequences.
pub const RETRIES: u8 = 2;

/// The ISS the peer (the test) uses when it sends a SYN, unless a run chooses another.
pub const PEER_ISS: Seq = Seq(5000);

/// The windows a run may use (RCV.WND of the endpoint, and the window the peer advertises):
/// one to three octets (the edges are then a step apart), a thousand, the largest. Not zero:
/// a peer's zero window makes the endpoint probe and keep the connection open past its retry
/// budget (RFC 9293 §3.8.6.1, MUST-26), a persist timer the model does not have. The model's
/// zero-window rules are tested in `model/tests/idealized_segment.rs`.
pub const WINDOWS: [u32; 5] = [1, 2, 3, 1000, 65535];

/// One step: a user call, a segment from the peer, or the expiry of the armed timer.
#[derive(Clone, Debug)]
pub enum Transition {
    Call(Call),
    Arrive(Segment),
    /// A segment the endpoint received earlier, again (a duplicate from the network).
    Duplicate(Segment),
    Timeout,
}

/// The model's side of a run.
#[derive(Clone, Debug)]
pub struct RefState {
    pub tcb: Tcb,
    pub profile: Reading,
    /// What the rule did on the last step (the expected observation).
    pub last: Outcome,
    /// The TCB before the last step.
    pub before: Tcb,
    /// Segments delivered so far, for duplicates (the last few).
    pub arrived: Vec<Segment>,
    /// The ISS of the peer (the test): where its sequence space starts.
    pub peer_iss: Seq,
}

impl RefState {
    /// A fresh endpoint in CLOSED with ISS `iss`.
    pub fn new(iss: Seq, rfc: Rfc) -> RefState {
        let tcb = Tcb::new(iss, RETRIES);
        RefState {
            tcb,
            profile: Reading {
                rfc,
                ..Reading::default()
            },
            last: Outcome::unchanged(&tcb),
            before: tcb,
            arrived: Vec::new(),
            peer_iss: PEER_ISS,
        }
    }

    /// The same run with another RFC 1337 switch, window and peer ISS.
    pub fn with(mut self, rfc1337: bool, window: u32, peer_iss: Seq) -> RefState {
        self.profile.rfc1337 = rfc1337;
        self.profile.window = window;
        self.peer_iss = peer_iss;
        self
    }

    /// Octets sent and not yet acknowledged (SYN and FIN not counted).
    pub fn unacked_octets(&self) -> u32 {
        let t = &self.tcb;
        let span = t.snd_nxt.since(t.snd_una);
        span - u32::from(t.snd_una == t.iss && span > 0) - u32::from(t.fin_sent && span > 0)
    }

    /// Whether one of the model's timers is armed (retransmission or 2MSL).
    pub fn timer_armed(&self) -> bool {
        self.tcb.retransmit_armed() || self.tcb.state == State::TimeWait
    }
}

/// The rule for a transition: the model's outcome.
pub fn outcome(s: &RefState, t: &Transition) -> Outcome {
    match t {
        Transition::Call(c) => c.apply(&s.tcb, &s.profile),
        Transition::Arrive(seg) | Transition::Duplicate(seg) => {
            rules::segment_arrives(&s.tcb, seg, &s.profile)
        }
        Transition::Timeout if s.tcb.retransmit_armed() => rules::retransmission_timeout(&s.tcb),
        Transition::Timeout => rules::time_wait_timeout(&s.tcb),
    }
}

pub struct Reference;

impl ReferenceStateMachine for Reference {
    type State = RefState;
    type Transition = Transition;

    fn init_state() -> BoxedStrategy<RefState> {
        // ISS values that put the wrap of 2^32 inside the first few octets of the run.
        let iss = prop_oneof![
            Just(Seq(100)),
            Just(Seq(u32::MAX)),
            Just(Seq(u32::MAX - 1)),
            Just(Seq(1 << 31)),
            any::<u32>().prop_map(Seq),
        ];
        let rfc = prop_oneof![3 => Just(Rfc::Rfc5961), 1 => Just(Rfc::Rfc793)];
        let rfc1337 = prop_oneof![3 => Just(true), 1 => Just(false)];
        let window = prop_oneof![
            3 => Just(65535u32),
            3 => proptest::sample::select(WINDOWS.to_vec()),
        ];
        // The peer's ISS: its data and FIN cross 2^32 within the first octets.
        let peer_iss = prop_oneof![
            2 => Just(PEER_ISS),
            1 => Just(Seq(u32::MAX - 1)),
            1 => Just(Seq(u32::MAX - 2)),
            1 => Just(Seq((1 << 31) - 2)),
            1 => any::<u32>().prop_map(Seq),
        ];
        (iss, rfc, rfc1337, window, peer_iss)
            .prop_map(|(iss, rfc, rfc1337, window, peer_iss)| {
                RefState::new(iss, rfc).with(rfc1337, window, peer_iss)
            })
            .boxed()
    }

    fn transitions(s: &RefState) -> BoxedStrategy<Transition> {
        generate::transition(s)
    }

    fn preconditions(s: &RefState, t: &Transition) -> bool {
        match t {
            // The model does not queue a SEND before ESTABLISHED (`Event::ErrorNotQueued`);
            // RFC 9293 and the endpoint do. Such SENDs are not compared. Nor does it model the
            // peer's window: it sends at once, the endpoint only what the window allows
            // (§3.8.6), so a SEND is made only where the peer's window has room for it.
            Transition::Call(Call::Send) => generate::send_fits(s),
            Transition::Timeout => s.timer_armed(),
            _ => true,
        }
    }

    fn apply(mut s: RefState, t: &Transition) -> RefState {
        let out = outcome(&s, t);
        s.before = s.tcb;
        s.tcb = out.tcb;
        s.last = out;
        if let Transition::Arrive(seg) = t {
            if s.arrived.len() == 8 {
                s.arrived.remove(0);
            }
            s.arrived.push(*seg);
        }
        s
    }
}
