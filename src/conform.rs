//! `synfin conform`: run packetdrill scripts against synfin-tcp and report per-script
//! verdicts, with the family of `profiles/freebsd.toml` that explains each failure (by its
//! signature). Exits 0 when every script ran (pass, fail, unsupported or malformed), 1 if the corpus
//! directory itself cannot be listed.

use crate::cli::ConformArgs;
use serde_json::json;
use synfin_conformance::packetdrill::{
    self,
    report::{Counts, Summary, Verdict},
};

fn counts_json(c: Counts) -> serde_json::Value {
    json!({
        "total": c.total(),
        "pass": c.pass,
        "fail": c.fail,
        "unsupported": c.unsupported,
        "malformed": c.malformed,
        "pass_rate_percent": Summary::rate(c),
    })
}

pub fn run(args: &ConformArgs) -> u8 {
    let summary = match packetdrill::run_corpus(&args.corpus) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: cannot read corpus {}: {e}", args.corpus.display());
            return 1;
        }
    };
    if !args.json {
        out!("{summary}");
        return 0;
    }
    let scripts: Vec<_> = summary
        .reports
        .iter()
        .map(|r| {
            let mut v = json!({
                "path": r.path,
                "verdict": r.verdict.word(),
                "connection_management": r.connection_management,
                "shell_skipped": r.shell_skipped,
                "ignored": r.ignored,
            });
            match &r.verdict {
                Verdict::Pass => {}
                Verdict::Fail(f) => {
                    v["line"] = json!(f.lineno);
                    v["text"] = json!(f.text);
                    v["expected"] = json!(f.expected);
                    v["got"] = json!(f.got);
                    v["family"] = json!(r.explained().map(|d| &d.name));
                    v["signature"] = json!(r.signature.as_ref().map(|s| s.to_string()));
                }
                Verdict::Unsupported(reason) | Verdict::Malformed(reason) => {
                    v["reason"] = json!(reason)
                }
            }
            v
        })
        .collect();
    let reasons: Vec<_> = summary
        .reasons()
        .into_iter()
        .map(|(reason, count, example)| json!({"reason": reason, "count": count, "example": example}))
        .collect();
    let families: Vec<_> = summary
        .by_family()
        .into_iter()
        .map(|(d, count)| {
            json!({"name": d.name, "whose": d.whose.word(), "count": count, "why": d.why, "rfc": d.rfc})
        })
        .collect();
    let unexplained: Vec<_> = summary
        .unexplained()
        .iter()
        .map(|r| r.path.clone())
        .collect();
    let malformed: Vec<_> = summary.malformed().iter().map(|r| r.path.clone()).collect();
    let (left_out, rest) = summary.without_freebsd_departures();
    let mut without_freebsd = counts_json(rest);
    without_freebsd["left_out"] = json!(left_out);
    let out = json!({
        "scripts": scripts,
        "summary": {
            "all": counts_json(summary.counts()),
            "connection_management": counts_json(summary.connection_management()),
            "connection_management_without_freebsd_departures": without_freebsd,
            "reasons": reasons,
            "families": families,
            "unexplained": unexplained,
            "malformed": malformed,
        },
    });
    outln!("{}", serde_json::to_string_pretty(&out).expect("JSON"));
    0
}
