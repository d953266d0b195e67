//! Named verification runs: a configuration, the properties it is checked against, and the
//! verdict expected. Healthy runs must satisfy every property; broken variants (a deliberately
//! wrong rule) must violate the one property they target, with a counterexample. A property no
//! broken model can violate would be no test at all.
#![forbid(unsafe_code)]

use serde::Serialize;
use stateright::{Checker, Expectation, HasDiscoveries, Model};
use synfin_model::{config, Config, Mutation, Rfc, TcpModel};

/// What a run must show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// Every `always` holds and every `sometimes` is found.
    AllHold,
    /// This `always` property is violated (others may be too).
    Violates(&'static str),
}

/// A named run.
#[derive(Clone, Debug, Serialize)]
pub struct Proof {
    pub name: &'static str,
    pub about: &'static str,
    pub config: &'static str,
    pub rfc: Rfc,
    pub mutation: Option<Mutation>,
    /// Start with Figure 8's old duplicate SYN in the network.
    pub old_duplicate: bool,
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
pub struct Run {
    pub proof: &'static str,
    pub unique_states: usize,
    pub states: usize,
    pub verdicts: Vec<Verdict>,
    pub passed: bool,
}

const fn healthy(name: &'static str, about: &'static str, rfc: Rfc) -> Proof {
    Proof {
        name,
        about,
        config: name,
        rfc,
        mutation: None,
        old_duplicate: false,
        expect: Expect::AllHold,
    }
}

const fn broken(
    name: &'static str,
    config: &'static str,
    mutation: Mutation,
    property: &'static str,
) -> Proof {
    Proof {
        name,
        about: "a deliberately broken rule must be caught",
        config,
        rfc: Rfc::Rfc5961,
        mutation: Some(mutation),
        old_duplicate: false,
        expect: Expect::Violates(property),
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
        Proof {
            name: "lifecycle-rfc793",
            about: "the life cycle under the RFC 793 handling of RST and SYN",
            ..healthy("lifecycle", "", Rfc::Rfc793)
        },
    ];
    // Not a broken rule but a broken assumption: the model draws one ISS per end per run, so a
    // passive end that answers an old duplicate SYN and later a new one offers the same ISS
    // twice. A stale ACK of that ISS then completes a handshake with the old SYN's IRS: the
    // half-open connection RFC 9293 §3.4.1 avoids by choosing a new ISN per connection.
    v.push(Proof {
        name: "isn-reuse-old-duplicate",
        about: "the life cycle with Figure 8's old duplicate SYN, and ISS reused across attempts",
        config: "lifecycle",
        rfc: Rfc::Rfc5961,
        mutation: None,
        old_duplicate: true,
        expect: Expect::Violates("no-half-open"),
    });
    v.extend([
        broken(
            "broken-wrong-irs",
            "handshake",
            Mutation::WrongIrs,
            "isn-agreement",
        ),
        broken(
            "broken-ack-too-far",
            "handshake",
            Mutation::AckTooFar,
            "honest-acks",
        ),
        broken(
            "broken-rst-establishes",
            "lifecycle",
            Mutation::RstEstablishes,
            "no-half-open",
        ),
        broken(
            "broken-close-skips-fin-wait-1",
            "lifecycle",
            Mutation::CloseSkipsFinWait1,
            "diagram-edges",
        ),
        broken(
            "broken-last-ack-any-ack",
            "lifecycle",
            Mutation::LastAckAnyAck,
            "orderly-close",
        ),
        broken(
            "broken-ack-fin-unprocessed",
            "lifecycle",
            Mutation::AckFinUnprocessed,
            "fin-ack-means-received",
        ),
        broken(
            "broken-close-wait-ignores-close",
            "lifecycle",
            Mutation::CloseWaitIgnoresClose,
            "good-terminal-states",
        ),
        broken(
            "broken-deliver-duplicate",
            "data",
            Mutation::DeliverDuplicate,
            "data-integrity",
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
        cfg.profile.mutation = self.mutation;
        if self.old_duplicate {
            cfg.stale = &synfin_model::config::OLD_SYN;
        }
        cfg
    }

    /// For a run that must violate a property: a shortest path to the violation, as trace
    /// steps (`None` for runs that must hold, or if no violation is reachable).
    pub fn shortest_counterexample(&self) -> Option<(TcpModel, Vec<synfin_model::trace::Step>)> {
        let Expect::Violates(name) = self.expect else {
            return None;
        };
        let model = TcpModel::new(self.config()).expect("proof configs are valid");
        let cond = synfin_model::properties::catalog()
            .into_iter()
            .find(|p| p.name == name)?
            .condition;
        let path = synfin_model::shortest::shortest_path(&model, |s| !cond(&model, s), usize::MAX)?;
        let steps = synfin_model::trace::steps(&model, &path);
        Some((model, steps))
    }

    /// Check exhaustively with `threads` threads and judge the verdicts.
    pub fn run(&self, threads: usize) -> Run {
        let model = TcpModel::new(self.config()).expect("proof configs are valid");
        let mut builder = model.clone().checker().threads(threads);
        if let Expect::Violates(_) = self.expect {
            // A broken variant only has to fail; stop at its first counterexample.
            builder = builder.finish_when(HasDiscoveries::AnyFailures);
        }
        let checker = builder.spawn_bfs().join();
        let found = checker.discoveries();
        let verdicts: Vec<Verdict> = model
            .properties()
            .iter()
            .map(|p| Verdict {
                property: p.name,
                expectation: match p.expectation {
                    Expectation::Always => "always",
                    Expectation::Sometimes => "sometimes",
                    Expectation::Eventually => "eventually",
                },
                discovered: found.contains_key(p.name),
            })
            .collect();
        let passed = match self.expect {
            Expect::AllHold => verdicts.iter().all(Verdict::as_expected),
            Expect::Violates(name) => verdicts
                .iter()
                .any(|v| v.property == name && v.expectation == "always" && v.discovered),
        };
        Run {
            proof: self.name,
            unique_states: checker.unique_state_count(),
            states: checker.state_count(),
            verdicts,
            passed,
        }
    }
}
