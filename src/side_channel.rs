//! `synfin side-channel`: the challenge-ACK side channel (CVE-2016-5696) checked as
//! noninterference for each limit (`synfin_model::side_channel`).

use crate::cli::SideChannelArgs;
use serde::Serialize;
use synfin_model::side_channel::{check, limits, Probe, Verdict};

#[derive(Serialize)]
struct Row {
    name: &'static str,
    expected_leak: bool,
    ok: bool,
    #[serde(flatten)]
    verdict: Verdict,
}

pub fn run(args: &SideChannelArgs) -> u8 {
    let rows: Vec<Row> = limits()
        .into_iter()
        .map(|(name, limit, expected_leak)| {
            let verdict = check(limit, args.steps, 1);
            Row {
                name,
                expected_leak,
                ok: verdict.leak.is_some() == expected_leak,
                verdict,
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

fn word(p: Probe) -> &'static str {
    match p {
        Probe::Spoof => "forged RST at the victim",
        Probe::Own => "RST on its own connection",
        Probe::Tick => "wait for the next period",
    }
}

fn seen(o: &Option<bool>) -> &'static str {
    match o {
        None => "-",
        Some(true) => "challenge ACK",
        Some(false) => "nothing",
    }
}

fn print_human(rows: &[Row], steps: u8) {
    outln!(
        "Challenge-ACK side channel: two runs of one server, the forged RST inside the victim's \
         window or outside it, the same attacker inputs (up to {steps}, one wait); \
         noninterference: the attacker sees the same on its own connection in both."
    );
    for r in rows {
        let mark = if r.ok { "ok  " } else { "FAIL" };
        let verdict = match &r.verdict.leak {
            Some(l) => format!("leaks in {} inputs", l.inputs.len()),
            None => "holds".to_string(),
        };
        outln!(
            "{mark} {:<34} {:>5} states  {verdict} (expected: {})",
            r.name,
            r.verdict.unique_states,
            if r.expected_leak { "leaks" } else { "holds" }
        );
        if let Some(l) = &r.verdict.leak {
            for (k, p) in l.inputs.iter().enumerate() {
                outln!(
                    "       {}. {:<26} in window: {:<14} out of window: {}",
                    k + 1,
                    word(*p),
                    seen(&l.seen[0][k]),
                    seen(&l.seen[1][k])
                );
            }
        }
    }
}
