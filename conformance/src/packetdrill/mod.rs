//! A runner for packetdrill `.pkt` scripts (the FreeBSD tcp-testsuite) against `synfin-tcp`
//! on a virtual clock.
//!
//! [`parse`] turns a script into typed lines (only the `#ifdef STANDARD` branches),
//! [`run`] plays the script's peer against one `Connection`, and [`report`] gives per-script
//! verdicts and a summary, where each failing script is attributed to the family of
//! `profiles/freebsd.toml` whose pattern matches the [`signature`] of its first failure.
//! Segments are compared strictly on flags, SEQ, ACK and length, and
//! loosely (not at all) on window and options; an expected segment must leave the endpoint
//! within `--tolerance_usecs` of its scripted time.
//!
//! Each file gets a verdict of its own, whatever is in it: a file that cannot be read, is not
//! UTF-8 text, does not parse, breaks one of [`parse`]'s bounds or has no statements is
//! [`Verdict::Malformed`], with the reason (and the line), and the run goes on. The bounds keep
//! the memory of a run in proportion to its scripts' size: under 100 MB for scripts of up to
//! 1 MiB (`tests/packetdrill_memory.rs`).

pub mod model_check;
pub mod parse;
pub mod report;
pub mod run;
pub mod signature;

use report::{ScriptReport, Summary, Verdict};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Parses and runs one script's text.
pub fn run_text(path: &str, src: &str) -> ScriptReport {
    let (verdict, notes) = match parse::parse(src) {
        Ok(script) if !script.has_statements() => (
            Verdict::Malformed(
                "no statements (no segment, system call or %{ }% line to check)".into(),
            ),
            run::Notes::default(),
        ),
        Ok(script) => {
            let (verdict, notes) = run::run_script_untraced(path, &script);
            if let Verdict::Fail(f) = &verdict {
                let sig = signature::of(f, &notes.steps);
                return ScriptReport {
                    signature: Some(sig),
                    ..report_of(path, verdict, notes)
                };
            }
            (verdict, notes)
        }
        Err(e) if e.unsupported => (Verdict::Unsupported(e.to_string()), run::Notes::default()),
        Err(e) => (Verdict::Malformed(e.to_string()), run::Notes::default()),
    };
    report_of(path, verdict, notes)
}

/// The report of a script with this verdict; a malformed one is no connection management.
fn report_of(path: &str, verdict: Verdict, notes: run::Notes) -> ScriptReport {
    ScriptReport {
        signature: None,
        path: path.to_string(),
        connection_management: !matches!(verdict, Verdict::Malformed(_))
            && run::is_connection_management(path),
        verdict,
        shell_skipped: notes.shell_skipped,
        ignored: notes.ignored,
    }
}

/// A script file's text, or why it is none: not a regular file (a FIFO would block), not
/// readable, larger than [`parse::MAX_SCRIPT_OCTETS`] (no more than that is read), binary (a
/// NUL octet) or not UTF-8.
pub fn read_script(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(parse::MAX_SCRIPT_OCTETS as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| format!("cannot read: {e}"))?;
    let size = meta.len().max(bytes.len() as u64);
    if let Some(e) = parse::oversize(&bytes, size) {
        return Err(e.to_string());
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!(
            "binary, not script text: a NUL octet at byte {at} (line {})",
            parse::line_of(&bytes, at)
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!(
            "not UTF-8 text at byte {at} (line {})",
            parse::line_of(e.as_bytes(), at)
        )
    })
}

/// A `.pkt` file, or a directory that could not be listed (with why).
type Found = (PathBuf, Option<String>);

/// The `.pkt` files under `dir`; a subdirectory that cannot be listed is found with its error,
/// and one already seen (a symbolic link loop) is not entered again.
fn collect(dir: &Path, seen: &mut HashSet<PathBuf>, out: &mut Vec<Found>) -> std::io::Result<()> {
    if let Ok(real) = dir.canonicalize() {
        if !seen.insert(real) {
            return Ok(());
        }
    }
    for entry in std::fs::read_dir(dir)? {
        let p = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                out.push((dir.to_path_buf(), Some(format!("cannot list: {e}"))));
                continue;
            }
        };
        if p.is_dir() {
            if let Err(e) = collect(&p, seen, out) {
                out.push((p, Some(format!("cannot list: {e}"))));
            }
        } else if p.extension().is_some_and(|e| e == "pkt") {
            out.push((p, None));
        }
    }
    Ok(())
}

/// Runs every `.pkt` file under `corpus`, sorted by path. Only a `corpus` that cannot be
/// listed is an error; each file (and each subdirectory that cannot be listed) gets a report.
pub fn run_corpus(corpus: &Path) -> std::io::Result<Summary> {
    let mut files = Vec::new();
    collect(corpus, &mut HashSet::new(), &mut files)?;
    files.sort();
    let mut summary = Summary::default();
    for (f, unlisted) in files {
        let rel = f
            .strip_prefix(corpus)
            .unwrap_or(&f)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let report = match unlisted.map_or_else(|| read_script(&f), Err) {
            Ok(src) => run_text(&rel, &src),
            Err(why) => report_of(&rel, Verdict::Malformed(why), run::Notes::default()),
        };
        summary.reports.push(report);
    }
    Ok(summary)
}
