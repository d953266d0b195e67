//! The duvet annotations in the sources (the same files `.duvet/config.toml` lists): a
//! `//= https://www.rfc-editor.org/rfc/rfc9293#section-N` line, optional `//= key=value` lines
//! (`type=test|exception|todo|implication`, `reason=...`), then `//#` lines quoting the RFC.

use std::path::{Path, PathBuf};

/// The directories scanned, and whether an annotation there is a test by default: the
/// `[[source]]` entries of `.duvet/config.toml` (a test keeps the two the same).
pub const SOURCES: [(&str, bool); 5] = [
    ("model/src", false),
    ("impl/src", false),
    ("model/tests", true),
    ("impl/tests", true),
    ("conformance/tests", true),
];

/// What an annotation says of the quoted text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Implementation,
    Test,
    Exception,
    Todo,
    Implication,
}

/// One annotation.
#[derive(Clone, Debug)]
pub struct Annotation {
    /// Relative to the scanned root, with `/` separators.
    pub file: String,
    /// 1-based line of the `//=` URL line.
    pub line: usize,
    /// "3.10.7.4".
    pub section: String,
    pub kind: Kind,
    pub reason: Option<String>,
    /// The quoted text, whitespace-normalized.
    pub quote: String,
}

const TARGET: &str = "https://www.rfc-editor.org/rfc/rfc9293#";

/// The annotations of one file's text. `Err` for an annotation this tool cannot read (another
/// target, an unknown type, no quote).
pub fn parse(file: &str, text: &str, test_by_default: bool) -> Result<Vec<Annotation>, String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut k = 0;
    while k < lines.len() {
        let Some(target) = lines[k].trim_start().strip_prefix("//=") else {
            k += 1;
            continue;
        };
        let at = format!("{file}:{}", k + 1);
        let target = target.trim();
        let section = target
            .strip_prefix(TARGET)
            .ok_or_else(|| format!("{at}: an annotation of {target}, not of {TARGET}..."))?;
        let section = section
            .strip_prefix("section-")
            .unwrap_or(section)
            .to_string();
        let mut kind = if test_by_default {
            Kind::Test
        } else {
            Kind::Implementation
        };
        let mut reason = None;
        let mut quote = Vec::new();
        let start = k;
        k += 1;
        while k < lines.len() {
            let l = lines[k].trim_start();
            if let Some(meta) = l.strip_prefix("//=") {
                match meta.trim().split_once('=') {
                    Some(("type", t)) => {
                        kind = match t.trim() {
                            "implementation" => Kind::Implementation,
                            "test" => Kind::Test,
                            "exception" => Kind::Exception,
                            "todo" => Kind::Todo,
                            "implication" => Kind::Implication,
                            other => return Err(format!("{at}: unknown type {other}")),
                        }
                    }
                    Some(("reason", r)) => reason = Some(r.trim().to_string()),
                    Some(_) => {}
                    None => break, // the next annotation's target
                }
            } else if let Some(q) = l.strip_prefix("//#") {
                quote.push(q.trim());
            } else {
                break;
            }
            k += 1;
        }
        if quote.is_empty() {
            return Err(format!("{at}: an annotation with no //# quote"));
        }
        out.push(Annotation {
            file: file.to_string(),
            line: start + 1,
            section,
            kind,
            reason,
            quote: super::spec::normalize(&quote.join(" ")),
        });
    }
    Ok(out)
}

/// Every annotation under `root`'s [`SOURCES`], in path order.
pub fn scan(root: &Path) -> Result<Vec<Annotation>, String> {
    let mut out = Vec::new();
    for (dir, test) in SOURCES {
        let mut files = Vec::new();
        walk(&root.join(dir), &mut files)?;
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            let rel = f
                .strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            out.extend(parse(&rel, &text, test)?);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annotation_is_its_target_type_reason_and_quote() {
        let text = "\
fn f() {}
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
    //= type=exception
    //= reason=no URG
    //# If the URG bit is set,
    //#   RCV.UP <- max(RCV.UP,SEG.UP)
    let x = 1;
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# three-way handshake
";
        let a = parse("x.rs", text, false).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(
            (
                a[0].line,
                a[0].section.as_str(),
                a[0].kind,
                a[0].reason.as_deref()
            ),
            (2, "3.10.7.4", Kind::Exception, Some("no URG"))
        );
        assert_eq!(
            a[0].quote,
            "If the URG bit is set,RCV.UP<-max(RCV.UP,SEG.UP)"
        );
        assert_eq!(
            (a[1].kind, a[1].quote.as_str()),
            (Kind::Implementation, "three-way handshake")
        );
        assert_eq!(parse("t.rs", text, true).unwrap()[1].kind, Kind::Test);
    }

    /// `SOURCES` and duvet's configuration list the same directories, tests alike: duvet checks
    /// what the matrix counts.
    #[test]
    fn the_sources_are_those_duvet_reads() {
        let config =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.duvet/config.toml"))
                .unwrap();
        let mut listed = Vec::new();
        for block in config.split("[[source]]").skip(1) {
            let value = |key: &str| {
                block.lines().find_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
                })
            };
            let pattern = value("pattern").expect("a pattern");
            let dir = pattern
                .strip_suffix("/**/*.rs")
                .expect("dir/**/*.rs")
                .to_string();
            listed.push((dir, value("type").as_deref() == Some("test")));
        }
        let ours: Vec<(String, bool)> = SOURCES.iter().map(|(d, t)| (d.to_string(), *t)).collect();
        assert_eq!(listed, ours);
    }

    #[test]
    fn an_annotation_it_cannot_read_is_an_error() {
        let other = "//= https://example.com/spec#1\n//# text\n";
        assert!(parse("x.rs", other, false).unwrap_err().contains("x.rs:1"));
        let bare = "//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5\nfn f() {}\n";
        assert!(parse("x.rs", bare, false)
            .unwrap_err()
            .contains("no //# quote"));
        let typed =
            "//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5\n//= type=maybe\n//# x\n";
        assert!(parse("x.rs", typed, false)
            .unwrap_err()
            .contains("unknown type"));
    }
}
