//! A runner for packetdrill `.pkt` scripts (the FreeBSD tcp-testsuite) against `synfin-tcp`
//! on a virtual clock.
//!
//! [`parse`] turns a script into typed lines (only the `#ifdef STANDARD` branches),
//! [`run`] plays the script's peer against one `Connection`, and [`report`] gives per-script
//! verdicts and a summary; [`differences`] names why each failing script fails. Segments are compared strictly on flags, SEQ, ACK and length, and
//! loosely (not at all) on window and options; an expected segment must leave the endpoint
//! within `--tolerance_usecs` of its scripted time.

pub mod differences;
pub mod model_check;
pub mod parse;
pub mod report;
pub mod run;

use report::{ScriptReport, Summary, Verdict};
use std::path::{Path, PathBuf};

/// Parses and runs one script's text.
pub fn run_text(path: &str, src: &str) -> ScriptReport {
    let (verdict, notes) = match parse::parse(src) {
        Ok(script) => run::run_script(path, &script),
        Err(e) => (
            Verdict::Unsupported(format!("parse error: {e}")),
            run::Notes::default(),
        ),
    };
    ScriptReport {
        path: path.to_string(),
        verdict,
        connection_management: run::is_connection_management(path),
        shell_skipped: notes.shell_skipped,
        ignored: notes.ignored,
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "pkt") {
            out.push(p);
        }
    }
    Ok(())
}

/// Runs every `.pkt` file under `corpus`, sorted by path.
pub fn run_corpus(corpus: &Path) -> std::io::Result<Summary> {
    let mut files = Vec::new();
    collect(corpus, &mut files)?;
    files.sort();
    let mut summary = Summary::default();
    for f in files {
        let rel = f
            .strip_prefix(corpus)
            .unwrap_or(&f)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let src = std::fs::read_to_string(&f)?;
        summary.reports.push(run_text(&rel, &src));
    }
    Ok(summary)
}
