//! Named configurations: who opens how, what the users do, which network, what must hold.

use crate::attack::{Attacker, Kind};
use crate::prop::{Prop, REACH_ALL};
use crate::script::Call;
use crate::segment::Tag;
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::state::State;
use crate::tcb::Reading;
use serde::Serialize;

/// The network's misbehaviours, each switchable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct NetworkKnobs {
    /// Segments may be lost (stateright `LossyNetwork::Yes`).
    pub loss: bool,
    /// Segments may be delivered more than once (`Network::UnorderedDuplicating`).
    pub duplication: bool,
    /// Segments may overtake each other (unordered networks; off: `Network::Ordered`).
    pub reordering: bool,
}

impl Default for NetworkKnobs {
    fn default() -> Self {
        NetworkKnobs {
            loss: true,
            duplication: true,
            reordering: true,
        }
    }
}

impl NetworkKnobs {
    /// stateright 0.31 has no network that duplicates but keeps order.
    pub fn validate(&self) -> Result<(), String> {
        if self.duplication && !self.reordering {
            return Err(
                "stateright 0.31 has no ordered network that duplicates: use --no-reorder \
                        together with --no-dup"
                    .into(),
            );
        }
        Ok(())
    }
}

/// Where a run must end when nothing more can happen (`good-terminal-states`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// Both ends ESTABLISHED; or the open visibly failed: an end is CLOSED (refused, reset,
    /// timed out) and the other is CLOSED, LISTEN, or ESTABLISHED (a half-open connection
    /// that only sending data can discover, §3.5.1).
    Established,
    /// Both ends CLOSED (a passive end may instead be back in LISTEN, still waiting for a
    /// connection, §3.10.7.4); or, when segments can be lost, one end CLOSED and the other stranded
    /// in FIN-WAIT-2. RFC 9293 gives FIN-WAIT-2 no timer: an end whose FIN was acknowledged
    /// waits for the peer's FIN forever if the peer gave up (its FIN retransmissions or its
    /// RST lost). Real stacks add a timeout (Linux `tcp_fin_timeout`); the model shows why.
    Closed,
}

impl Goal {
    pub fn accepts(self, a: State, b: State, loss: bool) -> bool {
        match self {
            Goal::Established => {
                let settled = |s| matches!(s, State::Closed | State::Listen | State::Established);
                (a == State::Established && b == State::Established)
                    || ((a == State::Closed || b == State::Closed) && settled(a) && settled(b))
            }
            Goal::Closed => {
                let stranded = |x: State, y: State| x == State::Closed && y == State::FinWait2;
                let idle = |x: State| matches!(x, State::Closed | State::Listen);
                (idle(a) && idle(b)) || (loss && (stranded(a, b) || stranded(b, a)))
            }
        }
    }
}

/// How a host picks the ISS of each new incarnation of the connection (RFC 9293 §3.4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IsnPolicy {
    /// The ISN clock has moved on: incarnation `n` starts at the configured ISN plus
    /// `n` × [`ISN_STEP`], beyond the window of every earlier incarnation.
    Increasing,
    /// Broken: every incarnation starts at the same ISN, so old duplicates of an earlier one
    /// carry sequence numbers the new one accepts.
    Constant,
}

/// The ISN clock's advance between incarnations: one second of RFC 9293 §3.4.1's 4 µs clock
/// (250,000 ticks), more than the 65,535-byte window, so an incarnation's segments fall outside
/// the next one's window.
pub const ISN_STEP: u32 = 250_000;

/// A named configuration of the model.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub name: &'static str,
    pub about: &'static str,
    /// Host names, for traces and the explorer.
    pub names: [&'static str; 2],
    /// Each host's user script.
    pub scripts: [&'static [Call]; 2],
    /// Each host's ISS (of its first incarnation).
    pub isn: [Seq; 2],
    /// The ISS of later incarnations (a second OPEN, a reboot).
    pub isn_policy: IsnPolicy,
    /// Each host may crash once (losing its TCB; timers cancelled, segments in flight stay)
    /// and reboot: it comes back CLOSED, with a new incarnation, and its user starts its
    /// script again (stateright `max_crashes`).
    pub crashes: bool,
    /// Retransmissions each host may make before its user timeout fires.
    pub retries: u8,
    pub goal: Goal,
    pub network: NetworkKnobs,
    pub profile: Reading,
    /// The `sometimes` properties this configuration must exhibit.
    pub reach: &'static [Prop],
    /// Old duplicates from an earlier incarnation, in the network at the start: (sender, segment).
    pub stale: &'static [(usize, Segment)],
    /// The off-path attacker, if any ([`crate::attack`]).
    pub attacker: Option<Attacker>,
}

/// J, the seed's ISN for A: Figure 6's 100.
pub const ISS_A: Seq = Seq(100);
/// K, the seed's ISN for B: four numbers before the wrap, so that B's SYN, byte and FIN take
/// the last sequence numbers below 2^32 and every window crosses 2^32. Not closer: a RST
/// that refuses a SYN from CLOSED carries SEQ=0 (§3.10.7.1), and a stale one resets any
/// later connection whose RCV.NXT is 0 (proof `refusal-rst-at-zero` uses K = 2^32 - 1).
pub const ISS_B: Seq = Seq(u32::MAX - 3);

/// The ISN for B with which a stale refusal RST (SEQ=0) lands exactly on RCV.NXT = K+1.
pub const ISS_B_AT_WRAP: Seq = Seq(u32::MAX);

use Call::*;

const fn base(name: &'static str, about: &'static str) -> Config {
    Config {
        name,
        about,
        names: ["A", "B"],
        scripts: [&[OpenActive, Close], &[OpenPassive, Close]],
        isn: [ISS_A, ISS_B],
        isn_policy: IsnPolicy::Increasing,
        crashes: false,
        retries: 1,
        goal: Goal::Closed,
        network: NetworkKnobs {
            loss: true,
            duplication: true,
            reordering: true,
        },
        profile: Reading {
            rfc: crate::tcb::Rfc::Rfc5961,
            rfc1337: true,
            window: 65535,
            challenge_ack_throttle: false,
            broken: None,
        },
        reach: &[],
        stale: &[],
        attacker: None,
    }
}

/// The old SYN of Figure 8: an earlier incarnation of A used ISN 90.
pub const OLD_SYN: [(usize, Segment); 1] = [(0, Segment::new(Flags::SYN, Seq(90), Seq(0)))];

const LIFECYCLE_REACH: [Prop; 15] = [
    REACH_ALL[0],
    REACH_ALL[1],
    REACH_ALL[2],
    REACH_ALL[3],
    REACH_ALL[4],
    REACH_ALL[5],
    REACH_ALL[6],
    REACH_ALL[7],
    REACH_ALL[8],
    REACH_ALL[9],
    REACH_ALL[10],
    Prop::SeedHandshake,
    Prop::SeedClose,
    Prop::SynRetransmitted,
    Prop::FinWait2Stranded,
];

/// The life cycle with an off-path attacker against B (the passive end) injecting `kinds`.
const fn blind(name: &'static str, about: &'static str, kinds: &'static [Kind]) -> Config {
    Config {
        attacker: Some(Attacker {
            victim: 1,
            kinds,
            budget: 1,
        }),
        reach: &[
            Prop::Reach(State::Established),
            Prop::Reach(State::TimeWait),
            Prop::PeerReset,
        ],
        ..base(name, about)
    }
}

/// All named configurations; the first is the default.
pub fn configs() -> Vec<Config> {
    vec![
        Config {
            reach: &LIFECYCLE_REACH,
            ..base(
                "lifecycle",
                "A opens actively, B passively; each may CLOSE at any moment (four-way, passive \
                 and simultaneous close)",
            )
        },
        Config {
            scripts: [&[OpenActive], &[OpenPassive]],
            goal: Goal::Established,
            reach: &[
                Prop::Reach(State::Closed),
                Prop::Reach(State::Listen),
                Prop::Reach(State::SynSent),
                Prop::Reach(State::SynReceived),
                Prop::Reach(State::Established),
                Prop::SeedHandshake,
                Prop::SynRetransmitted,
            ],
            ..base(
                "handshake",
                "A opens actively, B passively; stop at both ESTABLISHED",
            )
        },
        Config {
            scripts: [&[OpenActive, Close], &[OpenActive, Close]],
            reach: &[
                Prop::Reach(State::Closed),
                Prop::Reach(State::SynSent),
                Prop::Reach(State::SynReceived),
                Prop::Reach(State::Established),
                Prop::Reach(State::FinWait1),
                Prop::Reach(State::Closing),
                Prop::Reach(State::TimeWait),
                Prop::SimultaneousOpen,
            ],
            ..base(
                "simultaneous-open",
                "both ends open actively (Figure 7), then each may CLOSE at any moment",
            )
        },
        Config {
            scripts: [&[OpenActive, Abort], &[OpenPassive, Close]],
            reach: &[
                Prop::Reach(State::Closed),
                Prop::Reach(State::Listen),
                Prop::Reach(State::SynSent),
                Prop::Reach(State::SynReceived),
                Prop::Reach(State::Established),
                Prop::Reach(State::FinWait1),
                Prop::Reach(State::CloseWait),
                Prop::PeerReset,
                Prop::FinWait2Stranded,
            ],
            ..base(
                "abort",
                "A opens actively and may ABORT (RST) at any moment; B opens passively and may \
                 CLOSE at any moment",
            )
        },
        Config {
            scripts: [&[OpenPassive], &[OpenPassive]],
            stale: &OLD_SYN,
            reach: &[Prop::Reach(State::Listen), Prop::Reach(State::SynReceived)],
            ..base(
                "two-listeners",
                "Figure 11: both ends LISTEN and an old SYN from an earlier incarnation of A \
                 arrives at B; the reset it provokes must return B to LISTEN",
            )
        },
        Config {
            scripts: [
                &[OpenActive, Close, OpenActive, Close],
                &[OpenPassive, Close, OpenPassive, Close],
            ],
            reach: &[
                Prop::Reach(State::Established),
                Prop::Reach(State::TimeWait),
                Prop::SecondIncarnationEstablished,
            ],
            // Duplicating, or with retransmissions, this config has tens of millions of
            // states. The first connection's segments still linger: delayed and reordered.
            retries: 0,
            network: NetworkKnobs {
                loss: true,
                duplication: false,
                reordering: true,
            },
            ..base(
                "reincarnation",
                "the life cycle twice over the same pair of ports: each user opens, closes, \
                 opens and closes again, with the first connection's segments still in the \
                 network; the ISS moves on by ISN_STEP per incarnation",
            )
        },
        Config {
            crashes: true,
            retries: 0,
            network: NetworkKnobs {
                loss: true,
                duplication: false,
                reordering: true,
            },
            reach: &[
                Prop::Reach(State::Established),
                Prop::PeerReset,
                Prop::Fig9HalfOpenBySyn,
                Prop::Fig10HalfOpenBySegment,
            ],
            ..base(
                "crash",
                "the life cycle where each host may crash once and reboot (CLOSED, new ISS, its \
                 user starts over): half-open connections and their discovery (Figures 9, 10)",
            )
        },
        Config {
            scripts: [&[OpenActive, Send, Close], &[OpenPassive, Send, Close]],
            // With a retransmission per end this config has 19 million states; without, one
            // million. A lost byte then ends in a user timeout, which the goal accepts.
            retries: 0,
            reach: &[
                Prop::Reach(State::Established),
                Prop::Reach(State::CloseWait),
                Prop::Reach(State::LastAck),
                Prop::Reach(State::TimeWait),
                Prop::DataBothWays,
            ],
            ..base(
                "data",
                "the life cycle with one data byte each way, sent once connected; CLOSE may \
                 follow while the byte is unacknowledged; no retransmissions",
            )
        },
        blind(
            "blind-reset",
            "the life cycle with an off-path attacker that forges one RST from A to B, its SEQ \
             guessed: at RCV.NXT, inside the window, left or right of it (RFC 5961 §3)",
            &[Kind::Rst],
        ),
        blind(
            "blind-syn",
            "the life cycle with an off-path attacker that forges one SYN from A to B, its SEQ \
             guessed by class (RFC 5961 §4)",
            &[Kind::Syn],
        ),
        blind(
            "blind-data",
            "the life cycle with an off-path attacker that forges one data octet from A to B, \
             its SEQ and ACK guessed by class (RFC 5961 §5)",
            &[Kind::Data],
        ),
    ]
}

/// The configuration named `name`.
pub fn config(name: &str) -> Result<Config, String> {
    configs()
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            let names: Vec<_> = configs().iter().map(|c| c.name).collect();
            format!(
                "unknown config '{name}'; valid configs: {}",
                names.join(", ")
            )
        })
}

impl Config {
    /// Whether a host can have more than one incarnation (a second OPEN, a reboot).
    pub fn incarnations(&self) -> bool {
        let opens = |s: &[Call]| {
            s.iter()
                .filter(|c| matches!(c, OpenActive | OpenPassive))
                .count()
        };
        self.crashes || self.scripts.iter().any(|s| opens(s) > 1)
    }

    /// The segments in the network at the start: the old duplicates (tagged as from before the
    /// run) and the attacker's, one per class.
    pub fn initial_segments(&self) -> Vec<(usize, Segment)> {
        let mut v: Vec<(usize, Segment)> = self
            .stale
            .iter()
            .map(|&(src, m)| (src, m.tagged(Tag::EARLIER)))
            .collect();
        v.extend(self.attacker.iter().flat_map(|a| a.segments()));
        v
    }

    /// The attacker's budget against host `i` (0: not attacked).
    pub fn attack_budget(&self, i: usize) -> u8 {
        self.attacker
            .filter(|a| a.victim == i)
            .map_or(0, |a| a.budget)
    }

    /// Whether data is exchanged (enables `data-integrity`).
    pub fn has_data(&self) -> bool {
        self.scripts.iter().any(|s| s.contains(&Send))
    }
}
