//! The challenge-ACK side channel (CVE-2016-5696; Cao et al., USENIX Security 2016), checked
//! as **noninterference** by self-composition.
//!
//! One server holds two ESTABLISHED connections: the victim's, V (to an honest client), and
//! the attacker's own, X. The attacker cannot see V's segments. It may, each step:
//! * `Spoof`: forge a RST at V, as from the client, with a fixed guessed SEQ P;
//! * `Own`: send a RST inside X's window but not at its RCV.NXT, which draws a challenge ACK
//!   on X (RFC 5961 §3.2) if the limit allows, and see whether one came;
//! * `Tick`: wait for the limit's period to end ([`crate::throttle`]).
//!
//! The secret is V's RCV.NXT relative to P: P is inside V's window (V owes the client a
//! challenge ACK) or outside it (V drops the RST silently). Two runs of the server, one per
//! secret, take the same attacker inputs side by side (self-composition); the attacker learns
//! nothing about the secret if, after every input sequence, what it observed (the challenge
//! ACKs on X) is the same in both runs. Both runs apply the model's reference rules
//! ([`crate::throttle::segment_arrives`]) to real TCBs; the state is the two runs' budgets,
//! since challenge ACKs and dropped RSTs change no TCB.
//!
//! With one budget for the whole host the checker finds the leak: a probe that hits V's window
//! spends a challenge ACK that X then misses. With a budget per connection it cannot.

use crate::seq::Seq;
use crate::state::State;
use crate::tcb::{Reading, Tcb};
use crate::throttle::{self, Budget, Limit};
use crate::{Flags, Segment};
use serde::Serialize;
use stateright::{Model, Property};

/// The attacker's inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Probe {
    /// A RST forged at the victim's connection with SEQ = P.
    Spoof,
    /// A RST in the attacker's own connection's window: counts the challenge ACKs it gets.
    Own,
    /// The limit's period ends.
    Tick,
}

/// Both runs' budgets, and whether the attacker's observations have differed yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pair {
    budgets: [Budget; 2],
    steps: u8,
    ticks: u8,
    differed: bool,
}

/// The self-composed model: two servers, one per secret (P in V's window, P outside it), the
/// same inputs.
#[derive(Clone, Debug)]
pub struct SideChannel {
    pub limit: Limit,
    /// Inputs per run (the attacker's budget of segments and waits).
    pub max_steps: u8,
    /// Periods the attacker may wait out.
    pub max_ticks: u8,
    reading: Reading,
    /// V's block under each secret, and X's.
    victim: [Tcb; 2],
    own: Tcb,
}

/// P, the attacker's guess of V's sequence space.
const P: Seq = Seq(1_000_000);

fn established(iss: Seq, irs: Seq) -> Tcb {
    let mut t = Tcb::new(iss, 0);
    t.state = State::Established;
    t.snd_una = iss.add(1);
    t.snd_nxt = iss.add(1);
    t.irs = irs;
    t.rcv_nxt = irs.add(1);
    t
}

impl SideChannel {
    /// The model for `limit`, with room for `max_steps` inputs and `max_ticks` waits.
    pub fn new(limit: Limit, max_steps: u8, max_ticks: u8) -> SideChannel {
        let reading = Reading::default();
        // In window: RCV.NXT just below P. Out of it: half the sequence space away.
        let inside = established(Seq(5000), P.add(u32::MAX - 1));
        let outside = established(Seq(5000), P.add(1 << 31));
        SideChannel {
            limit,
            max_steps,
            max_ticks,
            reading,
            victim: [inside, outside],
            own: established(Seq(7000), Seq(9000)),
        }
    }

    /// One input to the server of run `r` with budget `b`: the budget after it, and what the
    /// attacker sees (for `Own`: whether a challenge ACK came).
    pub fn step(&self, r: usize, b: Budget, p: Probe) -> (Budget, Option<bool>) {
        let mut b = b;
        match p {
            Probe::Spoof => {
                let v = &self.victim[r];
                let rst = Segment::new(Flags::RST, P, Seq(0));
                // V's answer, if any, goes to the client: the attacker sees nothing.
                throttle::segment_arrives(v, &rst, &self.reading, &self.limit, &mut b, 0);
                (b, None)
            }
            Probe::Own => {
                let x = &self.own;
                let rst = Segment::new(Flags::RST, x.rcv_nxt.add(1), Seq(0));
                let out = throttle::segment_arrives(x, &rst, &self.reading, &self.limit, &mut b, 1);
                (b, Some(out.send.is_some()))
            }
            Probe::Tick => (Budget::new(&self.limit), None),
        }
    }

    /// What the attacker sees in each run along `inputs`.
    pub fn observations(&self, inputs: &[Probe]) -> [Vec<Option<bool>>; 2] {
        [0, 1].map(|r| {
            let mut b = Budget::new(&self.limit);
            inputs
                .iter()
                .map(|&p| {
                    let (next, seen) = self.step(r, b, p);
                    b = next;
                    seen
                })
                .collect()
        })
    }
}

impl Model for SideChannel {
    type State = Pair;
    type Action = Probe;

    fn init_states(&self) -> Vec<Pair> {
        vec![Pair {
            budgets: [Budget::new(&self.limit); 2],
            steps: 0,
            ticks: 0,
            differed: false,
        }]
    }

    fn actions(&self, s: &Pair, actions: &mut Vec<Probe>) {
        if s.steps >= self.max_steps {
            return;
        }
        actions.push(Probe::Spoof);
        actions.push(Probe::Own);
        if s.ticks < self.max_ticks {
            actions.push(Probe::Tick);
        }
    }

    fn next_state(&self, s: &Pair, p: Probe) -> Option<Pair> {
        let (b0, o0) = self.step(0, s.budgets[0], p);
        let (b1, o1) = self.step(1, s.budgets[1], p);
        Some(Pair {
            budgets: [b0, b1],
            steps: s.steps + 1,
            ticks: s.ticks + u8::from(p == Probe::Tick),
            differed: s.differed || o0 != o1,
        })
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("noninterference", |_, s: &Pair| {
            !s.differed
        })]
    }
}

/// Whether the attacker has told the two secrets apart in `s`.
pub fn leaked(s: &Pair) -> bool {
    s.differed
}

/// A leak: the inputs, and what the attacker saw in each run (`None`: nothing to see).
#[derive(Clone, Debug, Serialize)]
pub struct Leak {
    pub inputs: Vec<Probe>,
    /// [in window, out of window].
    pub seen: [Vec<Option<bool>>; 2],
}

/// The verdict for one limit.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub limit: Limit,
    pub unique_states: usize,
    /// A shortest input sequence that tells the secrets apart; `None`: noninterference holds
    /// for every sequence within the bounds.
    pub leak: Option<Leak>,
}

/// Checks noninterference for `limit` exhaustively (stateright's breadth-first checker), with
/// a shortest leak when there is one ([`crate::shortest`]).
pub fn check(limit: Limit, max_steps: u8, max_ticks: u8) -> Verdict {
    use stateright::Checker;
    let model = SideChannel::new(limit, max_steps, max_ticks);
    let checker = model.clone().checker().spawn_bfs().join();
    let unique_states = checker.unique_state_count();
    // The checker's own discovery path need not be a shortest one.
    let leak = checker
        .discovery("noninterference")
        .and_then(|_| crate::shortest::shortest_path(&model, leaked, 1 << 20))
        .map(|p| {
            let inputs = p.into_actions();
            let seen = model.observations(&inputs);
            Leak { inputs, seen }
        });
    Verdict {
        limit,
        unique_states,
        leak,
    }
}
