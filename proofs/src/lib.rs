//! Named verification runs: a configuration, the properties it is checked against, and the
//! verdict expected. Healthy runs must satisfy every property; broken variants (a deliberately
//! wrong rule) must violate the one property they target, with a counterexample. A property no
//! broken model can violate would be no test at all.
#![forbid(unsafe_code)]

pub mod side_channel;

use serde::Serialize;
use stateright::{Checker, Expectation, HasDiscoveries, Model};
use synfin_model::engine::{on_engine, OnEngine};
use synfin_model::properties::Prop;
use synfin_model::system::TcpSystem;
use synfin_model::{config, Broken, Config, IsnPolicy, Rfc, Seq, TcpModel};

/// What a run must show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// Every `always` holds and every `sometimes` is found.
    AllHold,
    /// This `always` property is violated (others may be too).
    Violates(Prop),
    /// This liveness property fails under the model's fairness: a lasso (stem and cycle).
    ViolatesLiveness(&'static str),
}

impl Expect {
    /// The name of the property the run must see fail, if any.
    pub fn property(self) -> Option<&'static str> {
        match self {
            Expect::AllHold => None,
            Expect::Violates(p) => Some(p.name()),
            Expect::ViolatesLiveness(name) => Some(name),
        }
    }
}

/// A named run.
#[derive(Clone, Debug, Serialize)]
pub struct Proof {
    pub name: &'static str,
    pub about: &'static str,
    pub config: &'static str,
    pub rfc: Rfc,
    pub broken: Option<Broken>,
    /// Start with Figure 8's old duplicate SYN in the network.
    pub old_duplicate: bool,
    /// RFC 1337's protection of TIME-WAIT against RST.
    pub rfc1337: bool,
    /// How later incarnations choose their ISS.
    pub isn_policy: IsnPolicy,
    /// B's ISN, when not the configuration's.
    pub iss_b: Option<Seq>,
    /// The number of this run in the gallery of why TCP is built this way (proofs/README.md).
    pub gallery: Option<u8>,
    pub expect: Expect,
}

/// A property's verdict in a run.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub property: &'static str,
    pub expectation: &'static str,
    /// `always`: violated; `sometimes`: found.
    pub discovered: bool,
}

impl Verdict {
    pub fn as_expected(&self) -> bool {
        (self.expectation == "sometimes") == self.discovered
    }
}

/// The result of a run.
#[derive(Clone, Debug, Serialize)]
pub struct ProofResult {
    pub proof: &'static str,
    pub unique_states: usize,
    pub states: usize,
    pub verdicts: Vec<Verdict>,
    /// Why a liveness check that was due could not run (the run then fails).
    pub liveness_error: Option<String>,
    pub passed: bool,
}

const fn healthy(name: &'static str, about: &'static str, rfc: Rfc) -> Proof {
    Proof {
        name,
        about,
        config: name,
        rfc,
        broken: None,
        old_duplicate: false,
        rfc1337: true,
        isn_policy: IsnPolicy::Increasing,
        iss_b: None,
        gallery: None,
        expect: Expect::AllHold,
    }
}

const fn broken(name: &'static str, config: &'static str, broken: Broken, property: Prop) -> Proof {
    broken_expecting(name, config, broken, Expect::Violates(property))
}

/// A broken variant that must show `expect`.
const fn broken_expecting(
    name: &'static str,
    config: &'static str,
    broken: Broken,
    expect: Expect,
) -> Proof {
    Proof {
        name,
        about: "a deliberately broken rule must be caught",
        config,
        rfc: Rfc::Rfc5961,
        broken: Some(broken),
        old_duplicate: false,
        rfc1337: true,
        isn_policy: IsnPolicy::Increasing,
        iss_b: None,
        gallery: None,
        expect,
    }
}

/// A gallery run: the correct protocol but for one switch, on `config`, must violate
/// `expect`; the same config without the switch is a healthy run.
const fn gallery(
    n: u8,
    name: &'static str,
    about: &'static str,
    config: &'static str,
    expect: Expect,
) -> Proof {
    Proof {
        name,
        about,
        gallery: Some(n),
        expect,
        ..healthy(config, "", Rfc::Rfc5961)
    }
}

/// Every named run.
pub fn proofs() -> Vec<Proof> {
    let mut v = vec![
        healthy("lifecycle", "the default configuration", Rfc::Rfc5961),
        healthy("handshake", "the three-way handshake alone", Rfc::Rfc5961),
        healthy("simultaneous-open", "both ends open actively", Rfc::Rfc5961),
        healthy("abort", "one end may ABORT", Rfc::Rfc5961),
        healthy(
            "two-listeners",
            "Figure 11: an old SYN between two passive ends",
            Rfc::Rfc5961,
        ),
        healthy("data", "one byte each way", Rfc::Rfc5961),
        healthy(
            "reincarnation",
            "two incarnations over the same ports, old segments of the first in flight",
            Rfc::Rfc5961,
        ),
        healthy(
            "crash",
            "each host may crash once and reboot (Figures 9 and 10)",
            Rfc::Rfc5961,
        ),
        // RFC 793 accepts any RST inside the window. A RST that refused the first SYN
        // (SEQ=0, §3.10.7.1) can arrive late, after a duplicate of that SYN opened the
        // connection; the window at K+1 reaches past 2^32 to 0, and the connection dies.
        // RFC 5961 §3.2's exact-match rule is what makes `lifecycle` pass.
        Proof {
            name: "lifecycle-rfc793",
            about: "the life cycle under the RFC 793 handling of RST and SYN: a stale RST inside \
                    the window kills the connection",
            expect: Expect::Violates(Prop::ResetsJustified),
            ..healthy("lifecycle", "", Rfc::Rfc793)
        },
        // Even RFC 5961 cannot tell a stale RST whose SEQ is exactly RCV.NXT: with K = 2^32-1,
        // K+1 = 0 is the SEQ of every refusal RST. A 1 in 2^32 coincidence, made certain.
        Proof {
            name: "refusal-rst-at-zero",
            about: "the life cycle with K = 2^32-1: a late refusal RST (SEQ=0) lands exactly on \
                    RCV.NXT = K+1 = 0",
            iss_b: Some(synfin_model::config::ISS_B_AT_WRAP),
            expect: Expect::Violates(Prop::ResetsJustified),
            ..healthy("lifecycle", "", Rfc::Rfc5961)
        },
        // The off-path attacker (RFC 5961): under RFC 5961 only exact guesses succeed (a RST
        // at RCV.NXT, data at RCV.NXT with an ACK in the §5.2 range; a SYN never).
        healthy(
            "blind-reset",
            "an off-path attacker forges a RST with a guessed SEQ: only RCV.NXT exactly resets",
            Rfc::Rfc5961,
        ),
        healthy(
            "blind-syn",
            "an off-path attacker forges a SYN: it draws a challenge ACK, never a reset",
            Rfc::Rfc5961,
        ),
        healthy(
            "blind-data",
            "an off-path attacker forges a data octet: taken only at RCV.NXT with an ACK in \
             RFC 5961's range",
            Rfc::Rfc5961,
        ),
        Proof {
            name: "blind-syn-rfc793",
            about: "RFC 793's SYN handling: a forged SYN anywhere in the window resets the \
                    connection",
            expect: Expect::Violates(Prop::NoBlindSynTeardown),
            ..healthy("blind-syn", "", Rfc::Rfc793)
        },
        Proof {
            name: "blind-data-rfc793",
            about: "RFC 793's ACK check: forged data at RCV.NXT is taken with an ACK far below \
                    SND.UNA (half of all ACK values)",
            expect: Expect::Violates(Prop::NoBlindData),
            ..healthy("blind-data", "", Rfc::Rfc793)
        },
    ];
    // The gallery: why TCP is built this way. Each is the correct protocol but for one switch.
    v.extend([
        Proof {
            broken: Some(Broken::TwoWayHandshake),
            ..gallery(
                1,
                "two-way-handshake",
                "the passive end is ESTABLISHED on a SYN: an old duplicate SYN opens a \
                 connection nobody asked for (Figure 8's rationale)",
                "two-listeners",
                Expect::Violates(Prop::NoHalfOpen),
            )
        },
        Proof {
            broken: Some(Broken::NoTimeWait),
            ..gallery(
                2,
                "no-time-wait",
                "CLOSED right after the last ACK: a segment of the peer's still in flight (its \
                 delayed ACK of our FIN; a retransmitted FIN would do the same) meets the CLOSED \
                 port and draws a RST that ends the peer's LAST-ACK",
                "lifecycle",
                Expect::Violates(Prop::ResetsJustified),
            )
        },
        Proof {
            broken: Some(Broken::RstNoSeqCheck),
            ..gallery(
                3,
                "rst-without-seq-check",
                "a RST is believed whatever its SEQ: a stale RST kills a live connection",
                "lifecycle",
                Expect::Violates(Prop::ResetsJustified),
            )
        },
        Proof {
            rfc1337: false,
            ..gallery(
                4,
                "rst-in-time-wait",
                "TIME-WAIT accepts a RST (RFC 1337's TIME-WAIT assassination): a RST provoked \
                 by an old duplicate ends TIME-WAIT early",
                "lifecycle",
                Expect::Violates(Prop::TimeWaitLasts),
            )
        },
        Proof {
            isn_policy: IsnPolicy::Constant,
            ..gallery(
                5,
                "constant-isn",
                "every incarnation reuses the ISN: a SYN,ACK that answered the first incarnation \
                 opens the second, on a connection the peer no longer has",
                "reincarnation",
                Expect::Violates(Prop::NoHalfOpen),
            )
        },
        Proof {
            broken: Some(Broken::FinNeverRetransmitted),
            ..gallery(
                6,
                "fin-never-retransmitted",
                "a FIN is sent once and never again: when it is lost, the closing ends wait \
                 forever (a liveness lasso)",
                "lifecycle",
                Expect::ViolatesLiveness("close-leads-to-closed"),
            )
        },
        Proof {
            rfc: Rfc::Rfc793,
            ..gallery(
                7,
                "blind-reset-rfc793",
                "RFC 793's RST check: an off-path attacker's RST anywhere in the window resets \
                 the connection, a 65,535 in 2^32 guess where RFC 5961 asks for 1 in 2^32",
                "blind-reset",
                Expect::Violates(Prop::NoBlindReset),
            )
        },
    ]);
    // Not a broken rule but a broken assumption: the model draws one ISS per end per run, so a
    // passive end that answers an old duplicate SYN and later a new one offers the same ISS
    // twice. A stale ACK of that ISS then completes a handshake with the old SYN's IRS: the
    // half-open connection RFC 9293 §3.4.1 avoids by choosing a new ISN per connection.
    // Gallery 3 again, over two incarnations: a RST of the first connection kills the second.
    v.push(Proof {
        name: "stale-rst-kills-next-incarnation",
        about: "a RST is believed whatever its SEQ, over two incarnations: a RST addressed to \
                the first connection ends the second",
        broken: Some(Broken::RstNoSeqCheck),
        expect: Expect::Violates(Prop::NoStaleAccepted),
        ..healthy("reincarnation", "", Rfc::Rfc5961)
    });
    v.push(Proof {
        name: "isn-reuse-old-duplicate",
        about: "the life cycle with Figure 8's old duplicate SYN, and ISS reused across attempts",
        old_duplicate: true,
        expect: Expect::Violates(Prop::NoHalfOpen),
        ..healthy("lifecycle", "", Rfc::Rfc5961)
    });
    v.extend([
        broken(
            "broken-wrong-irs",
            "handshake",
            Broken::WrongIrs,
            Prop::IsnAgreement,
        ),
        broken(
            "broken-ack-too-far",
            "handshake",
            Broken::AckTooFar,
            Prop::HonestAcks,
        ),
        broken(
            "broken-rst-establishes",
            "lifecycle",
            Broken::RstEstablishes,
            Prop::NoHalfOpen,
        ),
        broken(
            "broken-close-skips-fin-wait-1",
            "lifecycle",
            Broken::CloseSkipsFinWait1,
            Prop::DiagramEdges,
        ),
        broken(
            "broken-last-ack-any-ack",
            "lifecycle",
            Broken::LastAckAnyAck,
            Prop::OrderlyClose,
        ),
        broken(
            "broken-ack-fin-unprocessed",
            "lifecycle",
            Broken::AckFinUnprocessed,
            Prop::FinAckMeansReceived,
        ),
        broken(
            "broken-close-wait-ignores-close",
            "lifecycle",
            Broken::CloseWaitIgnoresClose,
            Prop::GoodTerminalStates,
        ),
        broken(
            "broken-fin-overwrites-irs",
            "lifecycle",
            Broken::FinOverwritesIrs,
            Prop::IsnAgreement,
        ),
        broken(
            "broken-deliver-duplicate",
            "data",
            Broken::DeliverDuplicate,
            Prop::DataIntegrity,
        ),
        // A livelock: the handshake's last ACK is acknowledged, and that ACK too, for ever.
        broken_expecting(
            "broken-ack-every-ack",
            "handshake",
            Broken::AckEveryAck,
            Expect::ViolatesLiveness("terminates"),
        ),
    ]);
    v
}

/// The run named `name`.
pub fn proof(name: &str) -> Option<Proof> {
    proofs().into_iter().find(|p| p.name == name)
}

impl Proof {
    /// The configuration this run checks.
    pub fn config(&self) -> Config {
        let mut cfg = config(self.config).expect("proofs name known configs");
        cfg.profile.rfc = self.rfc;
        cfg.profile.broken = self.broken;
        cfg.profile.rfc1337 = self.rfc1337;
        cfg.isn_policy = self.isn_policy;
        if let Some(k) = self.iss_b {
            cfg.isn[1] = k;
        }
        if self.old_duplicate {
            cfg.stale = &synfin_model::config::OLD_SYN;
        }
        cfg
    }

    /// For a run that must violate a property: a shortest path to the violation, as trace
    /// steps (`None` for runs that must hold, or if no violation is reachable).
    pub fn shortest_counterexample(&self) -> Option<(TcpModel, Vec<synfin_model::trace::Step>)> {
        let path = self.shortest_counterexample_path()?;
        let model = TcpModel::new(self.config()).expect("proof configs are valid");
        let steps = synfin_model::trace::steps(&model, &path);
        Some((model, steps))
    }

    /// The shortest counterexample as a path of the model (`None` for a run that must not
    /// fail a safety property, or if it never does).
    pub fn shortest_counterexample_path(
        &self,
    ) -> Option<stateright::Path<synfin_model::model::SysState, synfin_model::model::SysAction>>
    {
        let Expect::Violates(prop) = self.expect else {
            return None;
        };
        let model = TcpModel::new(self.config()).expect("proof configs are valid");
        let cond = synfin_model::properties::info::<TcpModel>(prop).condition;
        synfin_model::shortest::shortest_path(&model, |s| !cond(&model, s), usize::MAX)
    }

    /// For a run that must fail a liveness property: the lasso (actions from the initial
    /// state, and how many of them lead to the cycle) with the model to render it.
    pub fn lasso(&self) -> Option<(TcpModel, synfin_model::liveness::tcp::LassoActions)> {
        let Expect::ViolatesLiveness(name) = self.expect else {
            return None;
        };
        let model = TcpModel::new(self.config()).expect("proof configs are valid");
        let verdicts =
            synfin_model::liveness::tcp::check_config(&self.config(), LIVENESS_MAX_STATES)
                .ok()?
                .verdicts;
        let lasso = verdicts.into_iter().find(|(p, _)| *p == name)?.1?;
        Some((model, lasso))
    }

    /// Check exhaustively with `threads` threads and judge the verdicts. Liveness is checked
    /// where the configuration has at most [`LIVENESS_MAX_STATES`] states.
    pub fn run(&self, threads: usize) -> ProofResult {
        let model = TcpModel::new(self.config()).expect("proof configs are valid");
        // Run until the named property is found, not until the first failure of any
        // property: a variant must be seen to break what it is named for.
        let finish = match self.expect {
            Expect::Violates(prop) => HasDiscoveries::AnyOf([prop.name()].into_iter().collect()),
            _ => HasDiscoveries::All,
        };
        let (_, explored) = on_engine(&self.config(), &mut Explore(threads, finish))
            .expect("proof configs are valid");
        let found = &explored.found;
        let mut verdicts: Vec<Verdict> = model
            .properties()
            .iter()
            .map(|p| Verdict {
                property: p.name,
                expectation: match p.expectation {
                    Expectation::Always => "always",
                    Expectation::Sometimes => "sometimes",
                    Expectation::Eventually => "eventually",
                },
                discovered: found.contains(p.name),
            })
            .collect();
        let small = explored.unique_states <= LIVENESS_MAX_STATES;
        let live = matches!(self.expect, Expect::ViolatesLiveness(_));
        let mut liveness_error = None;
        if live || (self.expect == Expect::AllHold && small) {
            match synfin_model::liveness::tcp::check_config(&self.config(), LIVENESS_MAX_STATES) {
                Ok(live) => verdicts.extend(live.verdicts.into_iter().map(|(p, lasso)| Verdict {
                    property: p,
                    expectation: "leads-to",
                    discovered: lasso.is_some(),
                })),
                // A liveness check that was due and could not run fails the run.
                Err(e) => liveness_error = Some(e),
            }
        }
        let passed = liveness_error.is_none()
            && match self.expect {
                Expect::AllHold => verdicts.iter().all(Verdict::as_expected),
                Expect::Violates(prop) => verdicts.iter().any(|v| {
                    v.property == prop.name() && v.expectation == "always" && v.discovered
                }),
                Expect::ViolatesLiveness(name) => verdicts
                    .iter()
                    .any(|v| v.property == name && v.expectation == "leads-to" && v.discovered),
            };
        ProofResult {
            liveness_error,
            proof: self.name,
            unique_states: explored.unique_states,
            states: explored.states,
            verdicts,
            passed,
        }
    }
}

/// What an exhaustive search found: the properties discovered, and the counts.
struct Explored {
    found: std::collections::HashSet<&'static str>,
    unique_states: usize,
    states: usize,
}

/// Explores depth first with `threads` threads until `finish`, on the engine `on_engine` picks
/// (as `synfin check` does).
struct Explore(usize, HasDiscoveries);

impl OnEngine for Explore {
    type Output = Explored;
    fn run<M>(&mut self, m: &M) -> Explored
    where
        M: TcpSystem + Clone + Send + Sync + 'static,
        M::State: std::hash::Hash + Eq + Clone + std::fmt::Debug + Send + Sync + 'static,
    {
        let checker = m
            .clone()
            .checker()
            .threads(self.0)
            .finish_when(self.1.clone())
            .spawn_dfs()
            .join();
        Explored {
            found: checker.discoveries().into_keys().collect(),
            unique_states: checker.unique_state_count(),
            states: checker.state_count(),
        }
    }
}

/// The largest configuration whose liveness a run checks (the liveness graph keeps every
/// state in memory).
pub const LIVENESS_MAX_STATES: usize = 5_000_000;
