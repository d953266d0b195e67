//! RFC 9293 as plain text (`../shared/rfc/rfc9293.txt`, never copied into the repository):
//! its numbered sections, each as one whitespace-normalized string, and the requirements of
//! Appendix B ("TCP Requirement Summary"), each with its id (MUST-13, SHLD-5, MAY-2, REC-1),
//! its level, its group and feature there, and the section whose text labels it.

/// One numbered section (or appendix) of the body.
pub struct Section {
    /// "3.10.7.4", or "A.1" / "B" for appendices.
    pub number: String,
    /// Its text, page breaks removed, [`normalize`]d.
    pub text: String,
}

/// One requirement of Appendix B.
pub struct Requirement {
    /// "MUST-13".
    pub id: String,
    /// MUST, SHOULD, MAY, SHOULD NOT or MUST NOT (the table's column).
    pub level: &'static str,
    /// The table's group heading ("Opening Connections").
    pub group: String,
    /// The table's feature text ("Simultaneous open attempts").
    pub feature: String,
    /// The first section whose text carries "(MUST-13)", if any.
    pub section: Option<String>,
}

/// The parsed RFC.
pub struct Spec {
    pub sections: Vec<Section>,
    pub requirements: Vec<Requirement>,
}

impl Spec {
    /// The section numbered `number`.
    pub fn section(&self, number: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }
}

/// Whether a line is part of a page break: the running header and footer, or a form feed.
fn page_break(line: &str) -> bool {
    line.starts_with('\u{c}')
        || (line.starts_with("RFC 9293") && line.contains("August 2022"))
        || (line.starts_with("Eddy") && line.contains("[Page"))
}

/// The section number a body heading opens ("3.10.7.4.  Other States" gives "3.10.7.4",
/// "Appendix B.  TCP Requirement Summary" gives "B"). Headings start in column 0; the table of
/// contents is indented.
fn heading(line: &str) -> Option<String> {
    if let Some(rest) = line.strip_prefix("Appendix ") {
        let (letter, _) = rest.split_once('.')?;
        return (letter.len() == 1).then(|| letter.to_string());
    }
    let (number, title) = line.split_once(".  ")?;
    let numeric = !number.is_empty()
        && number
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let lettered = number.len() >= 3
        && number.as_bytes()[0].is_ascii_uppercase()
        && number.as_bytes()[1] == b'.'
        && number[2..].chars().all(|c| c.is_ascii_digit() || c == '.');
    (!title.trim().is_empty() && (numeric || lettered)).then(|| number.to_string())
}

/// A line of a quoted block (RFC 1122's text in §3.9.2 and elsewhere, behind a `|` margin)
/// without its margin; table rows (which end with `|` too) stay as they are.
fn unquoted(line: &str) -> &str {
    let t = line.trim();
    match t.strip_prefix('|') {
        Some(rest) if !t.ends_with('|') => rest,
        _ => line,
    }
}

/// Whitespace as duvet normalizes it, so that a quote duvet accepts is found here too: a run
/// of whitespace is one space between two letters or digits and nothing next to anything else
/// ("FIN-" at the end of a line, then "WAIT-2", is "FIN-WAIT-2"; "test.  Foo" is "test.Foo").
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space && c.is_alphanumeric() && out.chars().last().is_some_and(char::is_alphanumeric) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Parses the RFC's text. `Err` if it has no Appendix B table (not RFC 9293).
pub fn parse(text: &str) -> Result<Spec, String> {
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines().filter(|l| !page_break(l)) {
        match heading(line) {
            Some(number) => sections.push((number, Vec::new())),
            None => {
                if let Some((_, lines)) = sections.last_mut() {
                    lines.push(unquoted(line));
                }
            }
        }
    }
    let table = sections
        .iter()
        .find(|(n, _)| n == "B")
        .map(|(_, lines)| lines.clone())
        .ok_or("no Appendix B: is this RFC 9293?")?;
    let sections: Vec<Section> = sections
        .into_iter()
        .map(|(number, lines)| Section {
            number,
            text: normalize(&lines.join("\n")),
        })
        .collect();
    let mut requirements = requirement_table(&table)?;
    for r in &mut requirements {
        let label = format!("({})", r.id);
        r.section = sections
            .iter()
            .filter(|s| s.number != "B")
            .find(|s| s.text.contains(&label))
            .map(|s| s.number.clone());
    }
    Ok(Spec {
        sections,
        requirements,
    })
}

/// The rows of Appendix B's table: a group heading is a row of one cell; a requirement is a
/// row whose second cell holds its id, continued on the following rows until a rule line.
fn requirement_table(lines: &[&str]) -> Result<Vec<Requirement>, String> {
    const LEVELS: [&str; 5] = ["MUST", "SHOULD", "MAY", "SHOULD NOT", "MUST NOT"];
    let mut out: Vec<Requirement> = Vec::new();
    let mut group = String::new();
    let mut open = false;
    for line in lines {
        let row = line.trim();
        if row.starts_with('+') {
            open = false;
            continue;
        }
        if !row.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() == 1 {
            group = cells[0].to_string();
            continue;
        }
        if cells.len() != 7 {
            continue;
        }
        let id = cells[1];
        if id.contains('-') && !open {
            let level = (0..5)
                .find(|&k| cells[2 + k] == "X")
                .map(|k| LEVELS[k])
                .ok_or_else(|| format!("{id}: no level marked"))?;
            out.push(Requirement {
                id: id.to_string(),
                level,
                group: group.clone(),
                feature: cells[0].trim_start_matches('*').trim().to_string(),
                section: None,
            });
            open = true;
        } else if open && !cells[0].is_empty() {
            let r = out.last_mut().expect("open after a requirement");
            r.feature.push(' ');
            r.feature.push_str(cells[0]);
        }
    }
    if out.is_empty() {
        return Err("Appendix B has no requirement rows".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Table of Contents
   3.10.7.4.  Other States ....................................... 81

1.  Purpose and Scope

   Some text.

3.10.7.4.  Other States

   If the RST bit is set and the sequence number exactly matches the
   next expected sequence number (RCV.NXT), then TCP endpoints MUST
   reset the connection (MUST-99) and enter FIN-
   WAIT-2.

Eddy                         Standards Track                   [Page 1]
\u{c}
RFC 9293          Transmission Control Protocol (TCP)        August 2022

   A later sentence.

Appendix B.  TCP Requirement Summary

    +=================+=========+======+========+=====+========+======+
    | Opening Connections                                             |
    +=================+=========+======+========+=====+========+======+
    | Reset in the    | MUST-99 |  X   |        |     |        |      |
    | right place     |         |      |        |     |        |      |
    +-----------------+---------+------+--------+-----+--------+------+
    | *  Never do     | SHLD-7  |      |        |     |   X    |      |
    |    this        |         |      |        |     |        |      |
    +-----------------+---------+------+--------+-----+--------+------+
";

    #[test]
    fn sections_are_the_body_headings_with_page_breaks_removed() {
        let spec = parse(SAMPLE).unwrap();
        let numbers: Vec<&str> = spec.sections.iter().map(|s| s.number.as_str()).collect();
        assert_eq!(numbers, ["1", "3.10.7.4", "B"]);
        assert_eq!(
            spec.section("3.10.7.4").unwrap().text,
            "If the RST bit is set and the sequence number exactly matches the next expected \
             sequence number(RCV.NXT),then TCP endpoints MUST reset the connection(MUST-99)and \
             enter FIN-WAIT-2.A later sentence."
        );
    }

    #[test]
    fn requirements_come_from_appendix_b_with_level_group_feature_and_section() {
        let spec = parse(SAMPLE).unwrap();
        let r: Vec<_> = spec
            .requirements
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.level,
                    r.group.as_str(),
                    r.feature.as_str(),
                    r.section.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            r,
            [
                (
                    "MUST-99",
                    "MUST",
                    "Opening Connections",
                    "Reset in the right place",
                    Some("3.10.7.4")
                ),
                (
                    "SHLD-7",
                    "SHOULD NOT",
                    "Opening Connections",
                    "Never do this",
                    None
                ),
            ]
        );
    }

    #[test]
    fn a_quoted_block_loses_its_margin_and_a_table_row_keeps_its_bars() {
        assert_eq!(
            unquoted("   |  An incoming SYN MUST be ignored"),
            "  An incoming SYN MUST be ignored"
        );
        assert_eq!(unquoted("   | 0   | >0  |"), "   | 0   | >0  |");
        assert_eq!(
            normalize("ignored\n|  either by TCP [(MUST-63)] (see"),
            "ignored|either by TCP[(MUST-63)](see"
        );
        assert_eq!(
            normalize(&["ignored", "   |  either by TCP"].map(unquoted).join("\n")),
            "ignored either by TCP"
        );
    }

    #[test]
    fn text_without_appendix_b_is_refused() {
        assert!(parse("1.  Purpose\n\n   text\n").is_err());
    }
}
