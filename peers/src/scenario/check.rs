//! A run's trace against the model: replay through `synfin_conformance::peer_trace`, the
//! families of differences each peer is known to show (`crate::profiles`), and the tallies
//! the tests print.

use super::{PeerRun, Scenario};
use std::collections::BTreeMap;
use synfin_conformance::evidence;
use synfin_conformance::peer_trace::{self, Tally};
use synfin_conformance::profile::Profile;

/// Counts over many runs.
#[derive(Debug, Default)]
pub struct Summary {
    pub cases: usize,
    /// Runs that ended with both sides CLOSED or in TIME-WAIT.
    pub finished: usize,
    pub tally: Tally,
    /// The runs that did not end with both sides CLOSED or in TIME-WAIT: the scenario and how
    /// the run ended.
    pub unfinished: Vec<String>,
    /// Differences by key, with how often each was seen.
    pub differences: BTreeMap<String, usize>,
    /// Differences by the family that explained them.
    pub families: BTreeMap<String, usize>,
}

impl Summary {
    /// Replays `run` with `profile`'s reading and adds it to the counts. `Err` (with the trace
    /// and the differences) when a difference is explained by no family of `profile`, or when
    /// the run
    /// did not end with both sides CLOSED or in TIME-WAIT for any reason but a lost RST of
    /// the tester's abort (which leaves the peer half-open, as RFC 9293 §3.4 allows).
    pub fn check(
        &mut self,
        peer: &str,
        sc: &Scenario,
        run: &PeerRun,
        profile: &Profile,
    ) -> Result<(), String> {
        let mut tally = Tally::default();
        let diffs = peer_trace::replay(&run.steps, profile.reading(), &mut tally);
        self.cases += 1;
        self.finished += usize::from(run.finished);
        if !run.finished {
            let tail: Vec<&str> = run.log.iter().rev().take(2).map(|l| l.trim()).collect();
            self.unfinished
                .push(format!("{} ({})", sc.name(), tail.join("; ")));
        }
        self.tally.add(&tally);
        let mut unknown = Vec::new();
        for d in &diffs {
            let key = d.key();
            *self.differences.entry(key.clone()).or_default() += 1;
            match profile.explain(&d.signature, |e| evidence::holds(e, d, &run.steps)) {
                Some(f) => *self.families.entry(f.name.clone()).or_default() += 1,
                None => unknown.push(key),
            }
        }
        if !run.finished && !lost_abort(sc) {
            unknown.push("the run did not end, and not for a lost RST".to_string());
        }
        if unknown.is_empty() {
            return Ok(());
        }
        let mut report = format!(
            "{peer}: differences no family of the profile explains:\n{}\nscenario: {}\ntrace:\n{}",
            unknown
                .iter()
                .map(|k| format!("    \"{k}\","))
                .collect::<Vec<_>>()
                .join("\n"),
            sc.name(),
            peer_trace::show(&run.steps)
        );
        for d in &diffs {
            report += &format!("  {}", d.describe(peer));
        }
        report += &format!("exchange:\n{}\n", run.log.join("\n"));
        Err(report)
    }

    /// The families of `profile` that explained no difference.
    pub fn unseen<'a>(&self, profile: &'a Profile) -> Vec<&'a str> {
        profile
            .families
            .iter()
            .map(|f| f.name.as_str())
            .filter(|n| !self.families.contains_key(*n))
            .collect()
    }

    /// The tallies, for the test's output.
    pub fn report(&self, peer: &str, profile: &Profile) -> String {
        let t = &self.tally;
        let mut s = format!(
            "{peer}: {} cases ({} ended CLOSED/TIME-WAIT on both sides), {} steps ({} with the \
             peer's state), {} segments the peer sent, {} of them where it did what the model \
             allows, {} segments of the model's the peer did not send, {} differences\n",
            self.cases,
            self.finished,
            t.steps,
            t.states,
            t.segments,
            t.agreed_segments,
            t.withheld,
            self.differences.values().sum::<usize>()
        );
        for u in &self.unfinished {
            s += &format!("  unfinished: {u}\n");
        }
        for (k, n) in &self.differences {
            s += &format!("  {n:>5} x {k}\n");
        }
        for (k, n) in &self.families {
            s += &format!("  {n:>5} explained by: {k}\n");
        }
        for k in self.unseen(profile) {
            s += &format!("  (family not seen this time: {k})\n");
        }
        s
    }
}

/// Whether the scenario has the tester abort with a fault that can lose its RST (a lost RST
/// leaves the peer half-open: the run cannot end with both sides closed).
fn lost_abort(sc: &Scenario) -> bool {
    use super::{Ending, Fault, Side};
    matches!(
        sc.ending,
        Ending::Abort(Side::Tester) | Ending::AbortAfterClose(Side::Tester)
    ) && sc.faults.values().any(|f| *f == Fault::Lose)
}
