//! `synfin prove`: the named verification runs and whether each showed what it must.

use crate::cli::ProveArgs;
use crate::link;
use synfin_model::TcpModel;
use synfin_proofs::side_channel::{render_leak, side_channel_runs};
use synfin_proofs::{proofs, Expect, Proof};

pub fn run(args: &ProveArgs) -> u8 {
    let threads = args
        .threads
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut failed = 0;
    for p in proofs()
        .into_iter()
        .filter(|p| args.name.as_deref().is_none_or(|n| n == p.name))
    {
        let run = p.run(threads);
        let expect = match p.expect {
            Expect::AllHold => "all properties hold".to_string(),
            Expect::Violates(prop) => format!("{prop} violated"),
            Expect::ViolatesLiveness(prop) => format!("{prop} fails (lasso)"),
        };
        let mark = if run.passed { "ok  " } else { "FAIL" };
        outln!(
            "{mark} {:<38} {:>9} unique states   expected: {expect}",
            p.name,
            run.unique_states
        );
        if run.passed && p.expect != Expect::AllHold {
            match proof_link(&p) {
                Ok((cmd, url)) => outln!("       explore: {cmd}\n          then: {url}"),
                Err(e) => outln!("       (no explorer link: {e})"),
            }
        }
        if !run.passed {
            failed += 1;
            if let Some(e) = &run.liveness_error {
                outln!("       liveness could not be checked: {e}");
            }
            for v in run.verdicts.iter().filter(|v| !v.as_expected()) {
                outln!(
                    "       {} {}: {}",
                    v.expectation,
                    v.property,
                    if v.discovered {
                        "discovered"
                    } else {
                        "not discovered"
                    }
                );
            }
        }
    }
    failed += side_channel(args);
    u8::from(failed > 0)
}

/// The side-channel runs (a self-composed model, not the actor model): a run that must leak
/// shows its shortest leak. Returns how many failed.
fn side_channel(args: &ProveArgs) -> usize {
    let mut failed = 0;
    for r in side_channel_runs()
        .into_iter()
        .filter(|r| args.name.as_deref().is_none_or(|n| n == r.name))
    {
        let res = r.run();
        let expect = if r.leaks {
            "noninterference violated"
        } else {
            "all properties hold"
        };
        let mark = if res.passed { "ok  " } else { "FAIL" };
        outln!(
            "{mark} {:<38} {:>9} unique states   expected: {expect}",
            r.name,
            res.verdict.unique_states
        );
        match &res.verdict.leak {
            Some(l) => {
                let [a, b] = r.secret.values();
                outln!(
                    "       the attacker tells the secrets apart in {} inputs \
                     (what it sees in each run, {a} / {b}):",
                    l.inputs.len()
                );
                out!("{}", render_leak(l, r.secret, "       "));
            }
            None if !res.passed => outln!("       noninterference holds: no leak found"),
            None => {}
        }
        failed += usize::from(!res.passed);
    }
    failed
}

/// The command and URL that open a proof's counterexample (its shortest counterexample, or
/// its lasso) in the explorer: `synfin explore --proof NAME` computes the same path.
fn proof_link(p: &Proof) -> Result<(String, String), String> {
    let Some(name) = p.expect.property() else {
        return Err("nothing to show: every property holds".into());
    };
    let model = TcpModel::new(p.config())?;
    let found = crate::found::find(&model, name)?;
    let url = link::url(
        &model,
        &found.actions,
        found.cycle_start,
        link::DEFAULT_ADDR,
    )?;
    Ok((format!("synfin explore --proof {}", p.name), url))
}
