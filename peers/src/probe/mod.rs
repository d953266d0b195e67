//! `synfin probe`: any TCP stack reachable through a driver process (`peers/DRIVER.md`),
//! checked against the model. A private network namespace with a TUN device ([`Kernel`]), the
//! driver started inside it, the generated scenarios ([`crate::scenario`]) run against the
//! stack with synfin-tcp playing the other end, every step replayed into the model's rules
//! ([`synfin_conformance::peer_trace`]), and the differences grouped: by the family of the
//! profile that explains them, else by their signature, each group with its count and its
//! smallest example (the run with the fewest steps that shows it).

pub mod driver;

use crate::kernel::peer::KernelPeer;
use crate::kernel::{Kernel, Medium, KERNEL_IP, STACK_DEVICE, STACK_GATEWAY, STACK_IP};
use crate::scenario::{run, run_reading, scenarios, Peer, PeerRun, Ports, Scenario};
use driver::{Driver, DriverCalls};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use synfin_conformance::evidence;
use synfin_conformance::peer_trace::{self, Tally};
use synfin_conformance::profile::Profile;

/// What to probe, and how much.
pub struct Options {
    /// The driver's command line.
    pub driver: String,
    /// How many scenarios.
    pub cases: u32,
    /// The seed the scenarios are drawn from.
    pub seed: u64,
    /// The families of differences accepted.
    pub profile: Profile,
    /// For a user-space stack: the device it sits behind ([`crate::kernel::STACK_DEVICE`]);
    /// `None` for the namespace's kernel.
    pub device: Option<Medium>,
}

/// The smallest run that shows a group of differences.
#[derive(Clone, Debug, Serialize)]
pub struct Example {
    pub scenario: String,
    /// Steps of the run (the smaller, the simpler).
    pub steps: usize,
    /// The difference, described.
    pub difference: String,
    /// The run's steps, one a line.
    pub trace: String,
}

/// Differences that belong together: one family of the profile, or one signature.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// The family's name, or the signature of unexplained differences.
    pub name: String,
    /// For a family: whose departure it is, and the RFC sentence.
    pub whose: Option<&'static str>,
    pub rfc: Option<String>,
    pub count: usize,
    /// The signatures seen, with their counts.
    pub signatures: BTreeMap<String, usize>,
    pub example: Example,
}

/// What a probe found.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub stack: String,
    /// Whether the driver told the stack's states (else they are inferred from the model).
    pub states_told: bool,
    pub profile: String,
    pub seed: u64,
    pub cases: usize,
    /// Runs that ended with both sides CLOSED or in TIME-WAIT.
    pub finished: usize,
    pub steps: usize,
    /// Segments the stack sent, and those in steps where it did what the model allows.
    pub segments: usize,
    pub agreed_segments: usize,
    /// Datagrams the stack sent that are no IPv4/TCP segment.
    pub undecodable: usize,
    pub differences: usize,
    pub families: Vec<Group>,
    pub unexplained: Vec<Group>,
    pub seconds: f64,
}

impl Report {
    /// Whether every difference is explained by a family.
    pub fn explained(&self) -> bool {
        self.unexplained.is_empty()
    }
}

/// The scenarios a probe runs: `cases` of them, drawn from `seed` as the scenario tests draw
/// theirs (`PROPTEST_RNG_SEED`), so that `--seed 9293 --cases 24` runs the scenarios of
/// `peers/tests/linux_scenarios.rs`.
pub fn draw(cases: u32, seed: u64) -> Vec<Scenario> {
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    });
    // Fewer faults than on a virtual clock: every lost datagram costs real seconds.
    let drawn = std::cell::RefCell::new(Vec::new());
    // Drawn the way the tests' runner draws them (each case from its own fork of the RNG).
    let _ = runner.run(&scenarios(3, 8), |sc| {
        drawn.borrow_mut().push(sc);
        Ok(())
    });
    drawn.into_inner()
}

/// Adds one difference to the group named `name` (created on first use).
fn add(
    groups: &mut BTreeMap<String, Group>,
    name: &str,
    family: Option<(&'static str, String)>,
    signature: String,
    example: impl FnOnce() -> Example,
    steps: usize,
) {
    let g = groups.entry(name.to_string()).or_insert_with(|| Group {
        name: name.to_string(),
        whose: family.as_ref().map(|f| f.0),
        rfc: family.map(|f| f.1),
        count: 0,
        signatures: BTreeMap::new(),
        example: Example {
            scenario: String::new(),
            steps: usize::MAX,
            difference: String::new(),
            trace: String::new(),
        },
    });
    g.count += 1;
    *g.signatures.entry(signature).or_default() += 1;
    if steps < g.example.steps {
        g.example = example();
    }
}

/// Runs the probe in a private network namespace it enters on this thread: `Err` when it
/// cannot (no namespace or TUN device, the driver does not start or breaks the protocol).
pub fn probe(opts: &Options) -> Result<Report, String> {
    let mut k = Kernel::start().map_err(|e| format!("cannot set up the namespace: {e}"))?;
    probe_in(&mut k, opts)
}

/// [`probe`] in the namespace of `k` (this thread's).
pub fn probe_in(k: &mut Kernel, opts: &Options) -> Result<Report, String> {
    let (ip, extra) = match opts.device {
        None => (KERNEL_IP, json!({})),
        Some(medium) => {
            k.add_stack_device(medium)
                .map_err(|e| format!("cannot add the stack's device: {e}"))?;
            let extra = json!({
                "device": STACK_DEVICE,
                "medium": medium.word(),
                "addr": STACK_IP.to_string(),
                "gateway": STACK_GATEWAY.to_string(),
                "prefix": 24,
            });
            (STACK_IP, extra)
        }
    };
    let mut driver = Driver::start_with(&opts.driver, extra)?;
    let report = probe_runs(
        &driver.name.clone(),
        driver.tells_state,
        opts,
        |sc, ports| {
            let r = {
                let mut peer = KernelPeer::with_calls_at(k, DriverCalls(&mut driver), ip);
                let reading = opts.profile.reading();
                run_reading(&mut peer, sc, ports, Duration::from_secs(8), reading)
            };
            match &driver.broken {
                Some(b) => Err(b.clone()),
                None => Ok(r),
            }
        },
    );
    driver.stop();
    report
}

/// The same probe for a stack embedded in this process: no namespace, no TUN, no driver. A
/// Rust stack implements [`crate::scenario::Peer`] (feed it a datagram, take what it sends,
/// make its user calls, let its time pass, tell its state; `scenario::smol::SmolPeer` is the
/// example) and `make` gives a fresh one for every scenario. `opts.driver` is not used.
pub fn probe_peer<P: Peer>(mut make: impl FnMut() -> P, opts: &Options) -> Result<Report, String> {
    let probe = make();
    let name = probe.name();
    drop(probe);
    probe_runs(&name, true, opts, |sc, ports| {
        let mut peer = make();
        Ok(run(&mut peer, sc, ports, Duration::from_secs(600)))
    })
}

/// Runs the drawn scenarios through `one` and groups the differences.
fn probe_runs(
    stack: &str,
    states_told: bool,
    opts: &Options,
    mut one: impl FnMut(&Scenario, Ports) -> Result<PeerRun, String>,
) -> Result<Report, String> {
    let began = Instant::now();
    let mut tally = Tally::default();
    let (mut cases, mut finished, mut undecodable) = (0, 0, 0);
    let mut families = BTreeMap::new();
    let mut unexplained = BTreeMap::new();
    for (i, sc) in draw(opts.cases, opts.seed).into_iter().enumerate() {
        // Fresh ports per run: a stack's TIME-WAIT outlives the run.
        let base = 20000 + 2 * (i as u16 % 20000);
        let ports = Ports {
            peer: base,
            tester: base + 1,
        };
        let r = one(&sc, ports)?;
        cases += 1;
        finished += usize::from(r.finished);
        undecodable += r.undecodable;
        let diffs = peer_trace::replay(&r.steps, opts.profile.reading(), &mut tally);
        for d in &diffs {
            let sig = d.key();
            let example = || Example {
                scenario: sc.name(),
                steps: r.steps.len(),
                difference: d.describe(stack),
                trace: peer_trace::show(&r.steps),
            };
            match opts
                .profile
                .explain(&d.signature, |e| evidence::holds(e, d, &r.steps))
            {
                Some(f) => add(
                    &mut families,
                    &f.name,
                    Some((f.whose.word(), f.rfc.clone())),
                    sig,
                    example,
                    r.steps.len(),
                ),
                None => add(
                    &mut unexplained,
                    &sig.clone(),
                    None,
                    sig,
                    example,
                    r.steps.len(),
                ),
            }
        }
    }
    Ok(Report {
        stack: stack.to_string(),
        states_told,
        profile: opts.profile.stack.clone(),
        seed: opts.seed,
        cases,
        finished,
        steps: tally.steps,
        segments: tally.segments,
        agreed_segments: tally.agreed_segments,
        undecodable,
        differences: families
            .values()
            .chain(unexplained.values())
            .map(|g: &Group| g.count)
            .sum(),
        families: families.into_values().collect(),
        unexplained: unexplained.into_values().collect(),
        seconds: began.elapsed().as_secs_f64(),
    })
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: {} scenarios (seed {}), {} ended CLOSED or TIME-WAIT on both sides; {} steps, \
             {} segments sent, {} of them where it did what the model allows; {} differences \
             ({:.1} s)",
            self.stack,
            self.cases,
            self.seed,
            self.finished,
            self.steps,
            self.segments,
            self.agreed_segments,
            self.differences,
            self.seconds
        )?;
        if !self.states_told {
            writeln!(
                f,
                "the driver does not tell states: every state is inferred from the model's replay"
            )?;
        }
        if self.undecodable > 0 {
            writeln!(f, "datagrams that are no TCP segment: {}", self.undecodable)?;
        }
        writeln!(
            f,
            "\nfamilies of {} ({}):",
            self.profile,
            self.families.len()
        )?;
        for g in &self.families {
            writeln!(
                f,
                "  {:>5} x {} ({})",
                g.count,
                g.name,
                g.whose.unwrap_or("")
            )?;
            for (s, n) in &g.signatures {
                writeln!(f, "          {n:>5} x {s}")?;
            }
            writeln!(
                f,
                "        smallest example: {} ({} steps)",
                g.example.scenario, g.example.steps
            )?;
        }
        writeln!(f, "\nunexplained ({}):", self.unexplained.len())?;
        for g in &self.unexplained {
            writeln!(f, "  {:>5} x {}", g.count, g.name)?;
            writeln!(
                f,
                "        smallest example: {} ({} steps)\n        {}",
                g.example.scenario,
                g.example.steps,
                g.example.difference.trim_end().replace('\n', "\n        ")
            )?;
            for line in g.example.trace.lines() {
                writeln!(f, "        {line}")?;
            }
        }
        Ok(())
    }
}
