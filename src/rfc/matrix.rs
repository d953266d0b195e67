//! The requirements matrix: every requirement of RFC 9293's Appendix B, whether connection
//! management covers it (by its group there), and the annotations that cite it, in the model,
//! in the endpoint and in tests, with any exception and its reason.
//!
//! An annotation cites the requirements whose labels ("(MUST-13)") lie in the text it quotes or
//! further on in the sentence its quote ends in: the RFC puts a requirement's label at the end of
//! its sentence, and a quote may stop before it.

use super::annotations::{Annotation, Kind};
use super::spec::Spec;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Whether a group of Appendix B concerns connection management, and why not if not.
pub fn scope(group: &str) -> (&'static str, &'static str) {
    match group {
        "TCP Checksums"
        | "ISN Selection"
        | "Opening Connections"
        | "Closing Connections"
        | "Connection Failures"
        | "TCP/ALP Interface Services"
        | "RFC 5961 Support" => ("yes", ""),
        "Retransmissions" => ("yes", "the retry budget; the RTO itself is RFC 6298's"),
        "Window" => (
            "partly",
            "the window test of §3.10.7.4; flow control is data transfer",
        ),
        "TCP Options" => ("partly", "MSS only; other options are skipped by length"),
        "PUSH flag" | "Sending Data" | "Generating ACKs" => {
            ("no", "data transfer, not connection management")
        }
        "Urgent Data" => ("no", "urgent data is not implemented"),
        "RTT" => (
            "no",
            "RTT estimation (RFC 6298) is data-transfer performance",
        ),
        "Send Keep-alive Packets" => ("no", "keep-alives are not implemented"),
        "IP Options" | "Receiving ICMP Messages from IP" | "Address Validation" => {
            ("no", "the IP layer: synfin has none")
        }
        "Explicit Congestion Notification" | "Alternative Congestion Control" => {
            ("no", "congestion control is not implemented")
        }
        _ => ("no", "not classified"),
    }
}

/// What cites one requirement.
#[derive(Default)]
pub struct Cited {
    pub model: BTreeSet<String>,
    pub endpoint: BTreeSet<String>,
    pub tests: BTreeSet<String>,
    /// (where, reason) of each exception.
    pub exceptions: Vec<(String, String)>,
    pub todo: BTreeSet<String>,
}

/// The ids of the requirements an annotation cites. `Err` if its quote is not in its section.
pub fn cites(spec: &Spec, a: &Annotation) -> Result<Vec<String>, String> {
    let at = format!("{}:{}", a.file, a.line);
    let section = spec
        .section(&a.section)
        .ok_or_else(|| format!("{at}: no section {} in RFC 9293", a.section))?;
    let text = &section.text;
    let start = text
        .find(&a.quote)
        .ok_or_else(|| format!("{at}: the quote is not in §{}: {:?}", a.section, a.quote))?;
    let end = start + a.quote.len();
    // On to the end of the sentence the quote ends in (in the normalized text, a period
    // followed by a capital letter, or the end), unless the quote ends one itself.
    let rest = &text[end..];
    let stop = if a.quote.ends_with('.') {
        0
    } else {
        rest.char_indices()
            .find(|&(k, c)| {
                c == '.'
                    && rest[k + 1..]
                        .chars()
                        .next()
                        .is_none_or(|n| n.is_ascii_uppercase())
            })
            .map_or(rest.len(), |(k, _)| k)
    };
    let span = &text[start..end + stop];
    Ok(spec
        .requirements
        .iter()
        .filter(|r| span.contains(&format!("({})", r.id)))
        .map(|r| r.id.clone())
        .collect())
}

/// Where an annotation is, for the matrix: the file without its crate's `src/` or the test
/// file's name.
fn place(a: &Annotation) -> String {
    a.file
        .trim_start_matches("model/src/")
        .trim_start_matches("impl/src/")
        .to_string()
}

/// Every requirement with what cites it. `Err` lists every annotation whose quote is not in
/// the RFC.
pub fn join(spec: &Spec, annotations: &[Annotation]) -> Result<Vec<Cited>, String> {
    let mut cited: Vec<Cited> = spec.requirements.iter().map(|_| Cited::default()).collect();
    let mut errors = Vec::new();
    for a in annotations {
        match cites(spec, a) {
            Ok(ids) => {
                for id in ids {
                    // An id listed under two groups has a row in each.
                    for k in (0..spec.requirements.len()).filter(|&k| spec.requirements[k].id == id)
                    {
                        record(&mut cited[k], a);
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(cited)
    } else {
        Err(format!(
            "{} annotations do not quote RFC 9293 exactly:\n{}",
            errors.len(),
            errors.join("\n")
        ))
    }
}

fn record(c: &mut Cited, a: &Annotation) {
    let model = a.file.starts_with("model/");
    match a.kind {
        Kind::Implementation | Kind::Implication if model => {
            c.model.insert(place(a));
        }
        Kind::Implementation | Kind::Implication => {
            c.endpoint.insert(place(a));
        }
        Kind::Test => {
            c.tests.insert(a.file.clone());
        }
        Kind::Exception => c.exceptions.push((
            format!(
                "{} (`{}`)",
                if model { "model" } else { "endpoint" },
                place(a)
            ),
            a.reason.clone().unwrap_or_default(),
        )),
        Kind::Todo => {
            c.todo.insert(place(a));
        }
    }
}

/// The matrix as markdown: the headline counts (of distinct ids: a few are listed under two
/// groups), then one row per row of Appendix B.
pub fn render(spec: &Spec, cited: &[Cited]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# RFC 9293 requirements: where synfin implements and tests them\n\n\
         Generated by `synfin rfc --output docs/requirements.md` from the duvet annotations in \
         the sources (`//=` / `//#`, see `.duvet/config.toml`) and Appendix B of RFC 9293 (read \
         from `../shared/rfc/rfc9293.txt`, never copied here). CI regenerates it and fails if it \
         differs (`synfin rfc --check docs/requirements.md`). A requirement counts as cited when \
         an annotation quotes text up to the end of the sentence that carries its label.\n"
    );
    let _ = writeln!(
        out,
        "| | all | connection management | model | endpoint | tests | exceptions |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    for prefix in ["MUST", "SHLD", "MAY", "REC"] {
        let mut ids: Vec<&str> = spec
            .requirements
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| id.starts_with(&format!("{prefix}-")))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        // An id counts when any of its rows does.
        let count = |f: &dyn Fn(usize) -> bool| {
            ids.iter()
                .filter(|id| (0..cited.len()).any(|k| spec.requirements[k].id == **id && f(k)))
                .count()
        };
        let _ = writeln!(
            out,
            "| {prefix} | {} | {} | {} | {} | {} | {} |",
            ids.len(),
            count(&|k| scope(&spec.requirements[k].group).0 != "no"),
            count(&|k| !cited[k].model.is_empty()),
            count(&|k| !cited[k].endpoint.is_empty()),
            count(&|k| !cited[k].tests.is_empty()),
            count(&|k| !cited[k].exceptions.is_empty()),
        );
    }
    let _ = writeln!(
        out,
        "\n| id | level | §  | group: feature | in scope | model | endpoint | tests | exception |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    for (r, c) in spec.requirements.iter().zip(cited) {
        let (scope, why) = scope(&r.group);
        let scope = if why.is_empty() {
            scope.to_string()
        } else {
            format!("{scope}: {why}")
        };
        let list = |s: &BTreeSet<String>| {
            if s.is_empty() {
                "—".to_string()
            } else {
                s.iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let tests = if c.tests.is_empty() {
            "—".to_string()
        } else {
            format!("{} ({})", c.tests.len(), list(&c.tests))
        };
        let mut exception: Vec<String> = c
            .exceptions
            .iter()
            .map(|(w, why)| format!("{w}: {why}"))
            .collect();
        exception.extend(c.todo.iter().map(|p| format!("todo (`{p}`)")));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}: {} | {} | {} | {} | {} | {} |",
            r.id,
            r.level,
            r.section.as_deref().unwrap_or("—"),
            r.group,
            r.feature,
            scope,
            list(&c.model),
            list(&c.endpoint),
            tests,
            if exception.is_empty() {
                "—".to_string()
            } else {
                exception.join("; ").replace('|', "/")
            }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::spec::{normalize, Requirement, Section, Spec};
    use super::*;

    fn spec() -> Spec {
        Spec {
            sections: vec![Section {
                number: "3.10.7.4".into(),
                text: normalize(
                    "First, check the sequence number. If the RST bit is set and it matches, \
                     TCP endpoints MUST reset the connection (MUST-99). Another sentence \
                     (SHLD-7).",
                ),
            }],
            requirements: ["MUST-99", "SHLD-7"]
                .map(|id| Requirement {
                    id: id.into(),
                    level: "MUST",
                    group: "Opening Connections".into(),
                    feature: "f".into(),
                    section: Some("3.10.7.4".into()),
                })
                .into(),
        }
    }

    fn annotation(quote: &str) -> Annotation {
        Annotation {
            file: "model/src/x.rs".into(),
            line: 1,
            section: "3.10.7.4".into(),
            kind: Kind::Implementation,
            reason: None,
            quote: normalize(quote),
        }
    }

    #[test]
    fn a_quote_cites_the_label_at_the_end_of_its_sentence() {
        let s = spec();
        assert_eq!(
            cites(&s, &annotation("If the RST bit is set and it matches")).unwrap(),
            ["MUST-99"]
        );
        assert_eq!(
            cites(&s, &annotation("First, check the sequence number.")).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(
            cites(
                &s,
                &annotation("reset the connection (MUST-99). Another sentence")
            )
            .unwrap(),
            ["MUST-99", "SHLD-7"]
        );
    }

    #[test]
    fn a_quote_not_in_its_section_is_an_error() {
        let err = cites(&spec(), &annotation("reset the connection at once")).unwrap_err();
        assert!(err.contains("model/src/x.rs:1"), "{err}");
    }
}
