//! A run's trace against the model: replay through `synfin_conformance::peer_trace`, the
//! differences each peer is known to show (pinned by key, with their reasons in the tests),
//! and the tallies the tests print.

use super::{Run, Scenario};
use std::collections::BTreeMap;
use synfin_conformance::peer_trace::{self, Tally};
use synfin_model::Profile;

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
}

impl Summary {
    /// Replays `run` with `profile` and adds it to the counts. `Err` (with the trace and the
    /// differences) when a difference is not in `known`.
    pub fn check(
        &mut self,
        peer: &str,
        sc: &Scenario,
        run: &Run,
        profile: Profile,
        known: &[&str],
    ) -> Result<(), String> {
        let mut tally = Tally::default();
        let diffs = peer_trace::replay(&run.steps, profile, &mut tally);
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
            let key = d.key(peer);
            *self.differences.entry(key.clone()).or_default() += 1;
            if !known.contains(&key.as_str()) {
                unknown.push(key);
            }
        }
        if unknown.is_empty() {
            return Ok(());
        }
        let mut report = format!(
            "{peer}: differences not pinned in KNOWN:\n{}\nscenario: {}\ntrace:\n{}",
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

    /// The tallies, for the test's output.
    pub fn report(&self, peer: &str, known: &[&str]) -> String {
        let t = &self.tally;
        let mut s = format!(
            "{peer}: {} cases ({} ended CLOSED/TIME-WAIT on both sides), {} steps ({} with the \
             peer's state), {} segments compared, {} agreed, {} differences\n",
            self.cases,
            self.finished,
            t.steps,
            t.states,
            t.segments,
            t.agreed_segments,
            self.differences.values().sum::<usize>()
        );
        for u in &self.unfinished {
            s += &format!("  unfinished: {u}\n");
        }
        for (k, n) in &self.differences {
            s += &format!("  {n:>5} x {k}\n");
        }
        for k in known {
            if !self.differences.contains_key(*k) {
                s += &format!("  (pinned, not seen this time: {k})\n");
            }
        }
        s
    }
}
