//! The challenge-ACK side channel (CVE-2016-5696; Cao et al., USENIX Security 2016), checked
//! as **noninterference** by self-composition.
//!
//! One server holds two connections: the victim's, V (to an honest client), and the attacker's
//! own, X, both ESTABLISHED. The attacker cannot see V's segments. It may, each step:
//! * `SpoofRst`: forge a RST at V, as from the client, with a fixed guessed SEQ P;
//! * `SpoofSynAck`: forge a SYN,ACK at V's four-tuple, SEQ P (Cao et al.'s probe for whether
//!   a connection exists: RFC 5961 §4 answers a SYN in a synchronized state with a challenge
//!   ACK, LISTEN answers an ACK-bearing segment with a RST, §3.10.7.2);
//! * `Own`: send a RST inside X's window but not at its RCV.NXT, which draws a challenge ACK
//!   on X (RFC 5961 §3.2) if the limit allows, and see whether one came;
//! * `Tick`: wait for the limit's period to end ([`crate::throttle`]).
//!
//! The secret is one of two ([`Secret`]): V's RCV.NXT relative to P (P inside V's window or
//! outside it), or whether V exists at all (an ESTABLISHED V, or only the server's LISTEN on
//! the port). Two runs of the server, one per value of the secret, take the same attacker
//! inputs side by side (self-composition); the attacker learns nothing about the secret if,
//! after every input sequence, what it observed (the challenge ACKs on X) is the same in both
//! runs. Both runs apply the model's reference rules ([`crate::throttle::segment_arrives`]) to
//! their TCBs, which are part of the state.
//!
//! With one budget for the whole host the checker finds the leak: a probe that draws a
//! challenge ACK from V spends the budget that X's challenge ACK then misses. With a budget per
//! connection it cannot.

use crate::seq::Seq;
use crate::state::State;
use crate::tcb::{Reading, Tcb};
use crate::throttle::{self, Budget, Limit};
use crate::{Flags, Segment};
use serde::Serialize;
use stateright::{Model, Property};

/// What the attacker wants to learn about the victim's connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Secret {
    /// Whether P lies inside V's receive window (run 0) or outside it (run 1).
    Window,
    /// Whether V exists (run 0: ESTABLISHED, P outside its window) or the server only listens
    /// on the port (run 1: LISTEN).
    Existence,
}

impl Secret {
    /// The two values of the secret, in words (run 0, run 1).
    pub fn values(self) -> [&'static str; 2] {
        match self {
            Secret::Window => ["in window", "out of window"],
            Secret::Existence => ["exists", "absent"],
        }
    }
}

/// The attacker's inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Probe {
    /// A RST forged at the victim's connection with SEQ = P.
    SpoofRst,
    /// A SYN,ACK forged at the victim's four-tuple with SEQ = P.
    SpoofSynAck,
    /// A RST in the attacker's own connection's window: counts the challenge ACKs it gets.
    Own,
    /// The limit's period ends.
    Tick,
}

/// Both runs' servers, and whether the attacker's observations have differed yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pair {
    servers: [Server; 2],
    steps: u8,
    ticks: u8,
    differed: bool,
}

/// One run's server: its two connections' blocks (0: the victim's, 1: the attacker's own, as
/// [`Budget`] counts them) and its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Server {
    tcbs: [Tcb; 2],
    budget: Budget,
}

/// The self-composed model: two servers, one per value of the secret, the same inputs.
#[derive(Clone, Debug)]
pub struct SideChannel {
    pub limit: Limit,
    /// Inputs per run (the attacker's budget of segments and waits).
    pub max_steps: u8,
    /// Periods the attacker may wait out.
    pub max_ticks: u8,
    reading: Reading,
    /// The server of each run at the start.
    start: [Server; 2],
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
    /// The model for `limit` and `secret`, with room for `max_steps` inputs and `max_ticks`
    /// waits.
    pub fn new(limit: Limit, secret: Secret, max_steps: u8, max_ticks: u8) -> SideChannel {
        // In window: RCV.NXT just below P. Out of it: half the sequence space away.
        let inside = established(Seq(5000), P.add(u32::MAX - 1));
        let outside = established(Seq(5000), P.add(1 << 31));
        let mut listening = Tcb::new(Seq(5000), 0);
        listening.state = State::Listen;
        let victims = match secret {
            Secret::Window => [inside, outside],
            Secret::Existence => [outside, listening],
        };
        let own = established(Seq(7000), Seq(9000));
        SideChannel {
            limit,
            max_steps,
            max_ticks,
            reading: Reading::default(),
            start: victims.map(|v| Server {
                tcbs: [v, own],
                budget: Budget::new(&limit),
            }),
        }
    }

    /// One input to a server: the server after it, and what the attacker sees (for `Own`:
    /// whether a challenge ACK came; the victim's answers go to the client, unseen).
    fn step(&self, s: Server, p: Probe) -> (Server, Option<bool>) {
        let mut s = s;
        let (c, seg) = match p {
            Probe::SpoofRst => (0, Segment::new(Flags::RST, P, Seq(0))),
            Probe::SpoofSynAck => (0, Segment::new(Flags::SYN_ACK, P, Seq(0))),
            Probe::Own => (
                1,
                Segment::new(Flags::RST, s.tcbs[1].rcv_nxt.add(1), Seq(0)),
            ),
            Probe::Tick => {
                s.budget = Budget::new(&self.limit);
                return (s, None);
            }
        };
        let out = throttle::segment_arrives(
            &s.tcbs[c],
            &seg,
            &self.reading,
            &self.limit,
            &mut s.budget,
            c,
        );
        s.tcbs[c] = out.tcb;
        (s, (c == 1).then_some(out.send.is_some()))
    }

    /// What the attacker sees in each run along `inputs`.
    pub fn observations(&self, inputs: &[Probe]) -> [Vec<Option<bool>>; 2] {
        self.start.map(|mut s| {
            inputs
                .iter()
                .map(|&p| {
                    let (next, seen) = self.step(s, p);
                    s = next;
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
            servers: self.start,
            steps: 0,
            ticks: 0,
            differed: false,
        }]
    }

    fn actions(&self, s: &Pair, actions: &mut Vec<Probe>) {
        if s.steps >= self.max_steps {
            return;
        }
        actions.extend([Probe::SpoofRst, Probe::SpoofSynAck, Probe::Own]);
        if s.ticks < self.max_ticks {
            actions.push(Probe::Tick);
        }
    }

    fn next_state(&self, s: &Pair, p: Probe) -> Option<Pair> {
        let (a, o0) = self.step(s.servers[0], p);
        let (b, o1) = self.step(s.servers[1], p);
        Some(Pair {
            servers: [a, b],
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
    /// Per run ([`Secret::values`]: in window and out of it, or exists and absent).
    pub seen: [Vec<Option<bool>>; 2],
}

/// The verdict for one limit.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub limit: Limit,
    pub secret: Secret,
    pub unique_states: usize,
    /// A shortest input sequence that tells the secrets apart; `None`: noninterference holds
    /// for every sequence within the bounds.
    pub leak: Option<Leak>,
}

/// Checks noninterference for `limit` exhaustively (stateright's breadth-first checker), with
/// a shortest leak when there is one ([`crate::shortest`]).
pub fn check(limit: Limit, secret: Secret, max_steps: u8, max_ticks: u8) -> Verdict {
    use stateright::Checker;
    let model = SideChannel::new(limit, secret, max_steps, max_ticks);
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
        secret,
        unique_states,
        leak,
    }
}
