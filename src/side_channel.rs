//! `synfin side-channel`: the challenge-ACK side channel (CVE-2016-5696) checked as
//! noninterference for each limit, as a table (the same runs as `synfin prove`'s
//! `challenge-ack-*`, `synfin_proofs::side_channel`).

use crate::cli::SideChannelArgs;
use serde::Serialize;
use synfin_model::side_channel::{Secret, Verdict};
use synfin_proofs::side_channel::{render_leak, side_channel_runs};

#[derive(Serialize)]
struct Row {
    name: &'static str,
    about: &'static str,
    expected_leak: bool,
    ok: bool,
    #[serde(flatten)]
    verdict: Verdict,
}

pub fn run(args: &SideChannelArgs) -> u8 {
    let rows: Vec<Row> = side_channel_runs()
        .into_iter()
        .map(|r| {
            let result = r.run_with(args.steps);
            Row {
                name: r.name,
                about: r.about,
                expected_leak: r.leaks,
                ok: result.passed,
                verdict: result.verdict,
            }
        })
        .collect();
    let ok = rows.iter().all(|r| r.ok);
    if args.json {
        match serde_json::to_string_pretty(&rows) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                errln!("error: cannot encode report: {e}");
                return 1;
            }
        }
    } else {
        print_human(&rows, args.steps);
    }
    u8::from(!ok)
}

fn print_human(rows: &[Row], steps: u8) {
    outln!(
        "Challenge-ACK side channel: two runs of one server that differ only in a secret of the \
         victim's connection (window: the forged segments' SEQ inside its window or outside it; \
         existence: it exists or the port only listens), the same attacker inputs (up to \
         {steps}, one wait); noninterference: the attacker sees the same on its own connection \
         in both."
    );
    for r in rows {
        let mark = if r.ok { "ok  " } else { "FAIL" };
        let v = &r.verdict;
        let verdict = match &v.leak {
            Some(l) => format!("leaks in {} inputs", l.inputs.len()),
            None => "holds".to_string(),
        };
        let secret = match v.secret {
            Secret::Window => "window",
            Secret::Existence => "existence",
        };
        outln!(
            "{mark} {secret:<10} {:<32} {:>5} states  {verdict} (expected: {})",
            r.about,
            v.unique_states,
            if r.expected_leak { "leaks" } else { "holds" }
        );
        if let Some(l) = &v.leak {
            out!("{}", render_leak(l, v.secret, "       "));
        }
    }
}
