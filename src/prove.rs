//! `synfin prove`: the named verification runs and whether each showed what it must.

use crate::cli::ProveArgs;
use synfin_proofs::{proofs, Expect};

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
        println!(
            "{mark} {:<34} {:>9} unique states   expected: {expect}",
            p.name, run.unique_states
        );
        if !run.passed {
            failed += 1;
            for v in run.verdicts.iter().filter(|v| !v.as_expected()) {
                println!(
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
    u8::from(failed > 0)
}
