//! Per-script verdicts and the corpus summary.

use crate::profile::{Family, Profile, Whose};
use std::fmt;
use std::sync::OnceLock;

/// How many characters of script text a report echoes: a line, or a word of it in a message.
pub const ECHO_CHARS: usize = 200;

/// `s` cut to [`ECHO_CHARS`] characters, with an ellipsis and the original length when cut:
/// `+0 < S 0:0(0) win 1 zzzz… (3021 characters)`.
pub fn clip(s: &str) -> String {
    match s.char_indices().nth(ECHO_CHARS) {
        None => s.to_string(),
        Some((at, _)) => format!("{}… ({} characters)", &s[..at], s.chars().count()),
    }
}

/// Where a script first went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub lineno: usize,
    /// The script line as written.
    pub text: String,
    pub expected: String,
    pub got: String,
    /// A short category to group failures by (e.g. `expected R., got .`).
    pub reason: String,
    /// For a failure that shows a segment the endpoint sent: the index, in the run's steps
    /// (`run::Notes::steps`), of the input that made it send it.
    pub sent_by: Option<usize>,
}

/// The outcome of one script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail(Failure),
    /// The script needs something this runner or the endpoint does not have.
    Unsupported(String),
    /// The file is no script the runner can check: it cannot be read, is not UTF-8 text, does
    /// not parse (the reason names the line), breaks a bound (a segment no IPv4 datagram
    /// carries, a time past an hour, a line over 4 KiB, a file over 1 MiB), or has no
    /// statements. Neither a failure of the endpoint nor a feature it lacks.
    Malformed(String),
}

impl Verdict {
    /// `pass`, `fail`, `unsupported` or `malformed`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail(_) => "fail",
            Verdict::Unsupported(_) => "unsupported",
            Verdict::Malformed(_) => "malformed",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Pass => f.write_str("pass"),
            Verdict::Fail(x) => write!(
                f,
                "fail at line {}: `{}`: expected {}, got {}",
                x.lineno, x.text, x.expected, x.got
            ),
            Verdict::Unsupported(r) => write!(f, "unsupported: {r}"),
            Verdict::Malformed(r) => write!(f, "malformed: {r}"),
        }
    }
}

/// The result of one script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptReport {
    /// Path relative to the corpus root, with `/` separators.
    pub path: String,
    pub verdict: Verdict,
    /// A failing script's first failure, as a signature ([`super::signature`]).
    pub signature: Option<crate::signature::Signature>,
    /// Whether the script is about connection management (not ECN, timestamps or TCP_NOOPT);
    /// never for a malformed script, which is about nothing the runner can tell.
    pub connection_management: bool,
    /// Shell lines that were skipped (every backtick line but the insecure_rst / insecure_syn
    /// sysctls).
    pub shell_skipped: usize,
    /// Checks the script makes that the runner could not make (e.g. `SO_ERROR` values it
    /// cannot derive, `%{ }%` assertions other than `tcpi_state`).
    pub ignored: Vec<String>,
}

impl ScriptReport {
    /// The family of FreeBSD's profile (`profiles/freebsd.toml`) that explains this script's
    /// failure: the first whose pattern matches the failure's signature.
    pub fn explained(&self) -> Option<&'static Family> {
        match (&self.verdict, &self.signature) {
            (Verdict::Fail(_), Some(sig)) => freebsd().explain(sig, |_| false),
            _ => None,
        }
    }
}

/// FreeBSD's profile, as the scripts expect it (`profiles/freebsd.toml`, built in).
pub fn freebsd() -> &'static Profile {
    static FREEBSD: OnceLock<Profile> = OnceLock::new();
    FREEBSD.get_or_init(|| {
        Profile::shipped("freebsd").expect("profiles/freebsd.toml is valid (tests/profiles.rs)")
    })
}

/// Counts over a set of reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub pass: usize,
    pub fail: usize,
    pub unsupported: usize,
    /// Files that are no script the runner can check ([`Verdict::Malformed`]).
    pub malformed: usize,
}

impl Counts {
    /// Every script counted, malformed ones included.
    pub fn total(&self) -> usize {
        self.pass + self.fail + self.unsupported + self.malformed
    }

    fn add(&mut self, v: &Verdict) {
        match v {
            Verdict::Pass => self.pass += 1,
            Verdict::Fail(_) => self.fail += 1,
            Verdict::Unsupported(_) => self.unsupported += 1,
            Verdict::Malformed(_) => self.malformed += 1,
        }
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} scripts: {} pass, {} fail, {} unsupported, {} malformed",
            self.total(),
            self.pass,
            self.fail,
            self.unsupported,
            self.malformed
        )
    }
}

/// A whole corpus run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub reports: Vec<ScriptReport>,
}

impl Summary {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        self.reports.iter().for_each(|r| c.add(&r.verdict));
        c
    }

    /// Counts over the connection-management scripts only.
    pub fn connection_management(&self) -> Counts {
        let mut c = Counts::default();
        self.reports
            .iter()
            .filter(|r| r.connection_management)
            .for_each(|r| c.add(&r.verdict));
        c
    }

    /// Pass rate in percent of `c.total()` (unsupported and malformed scripts count as not
    /// passing).
    pub fn rate(c: Counts) -> f64 {
        if c.total() == 0 {
            0.0
        } else {
            100.0 * c.pass as f64 / c.total() as f64
        }
    }

    /// Failure, unsupported and malformed reasons, grouped, most frequent first, with one
    /// example path.
    pub fn reasons(&self) -> Vec<(String, usize, String)> {
        let mut groups: Vec<(String, usize, String)> = Vec::new();
        for r in &self.reports {
            let key = match &r.verdict {
                Verdict::Pass => continue,
                Verdict::Fail(f) => format!("fail: {}", f.reason),
                Verdict::Unsupported(u) => format!("unsupported: {u}"),
                Verdict::Malformed(m) => format!("malformed: {m}"),
            };
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.1 += 1,
                None => groups.push((key, 1, r.path.clone())),
            }
        }
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        groups
    }

    /// Malformed scripts, in report order.
    pub fn malformed(&self) -> Vec<&ScriptReport> {
        self.reports
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Malformed(_)))
            .collect()
    }

    /// Failing scripts whose failure is explained, by family, in the profile's order, with
    /// their counts.
    pub fn by_family(&self) -> Vec<(&'static Family, usize)> {
        freebsd()
            .families
            .iter()
            .map(|fam| {
                let n = self
                    .reports
                    .iter()
                    .filter(|r| r.explained().is_some_and(|x| x.name == fam.name))
                    .count();
                (fam, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Connection-management counts leaving out the scripts whose failure is explained by a
    /// family where FreeBSD departs from RFC 9293 ([`Whose::Stack`]); with how many were left
    /// out.
    pub fn without_freebsd_departures(&self) -> (usize, Counts) {
        let mut c = Counts::default();
        let mut left_out = 0;
        for r in self.reports.iter().filter(|r| r.connection_management) {
            if r.explained().is_some_and(|d| d.whose == Whose::Stack) {
                left_out += 1;
            } else {
                c.add(&r.verdict);
            }
        }
        (left_out, c)
    }

    /// Failing scripts whose failure's signature no family matches.
    pub fn unexplained(&self) -> Vec<&ScriptReport> {
        self.reports
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Fail(_)) && r.explained().is_none())
            .collect()
    }

    /// `path verdict` lines, sorted by path: the baseline format.
    pub fn baseline(&self) -> String {
        let mut lines: Vec<String> = self
            .reports
            .iter()
            .map(|r| format!("{} {}", r.path, r.verdict.word()))
            .collect();
        lines.sort();
        lines.join("\n") + "\n"
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in &self.reports {
            match (r.explained(), &r.signature) {
                (Some(d), _) => writeln!(f, "{}: {} [{}]", r.path, r.verdict, d.name)?,
                (None, Some(sig)) => writeln!(f, "{}: {} [{sig}]", r.path, r.verdict)?,
                (None, None) => writeln!(f, "{}: {}", r.path, r.verdict)?,
            }
        }
        let all = self.counts();
        let cm = self.connection_management();
        writeln!(f)?;
        writeln!(f, "all: {all} ({:.1}% pass)", Summary::rate(all))?;
        writeln!(
            f,
            "connection management: {cm} ({:.1}% pass)",
            Summary::rate(cm)
        )?;
        let (left_out, rest) = self.without_freebsd_departures();
        writeln!(
            f,
            "connection management without the {left_out} scripts that expect a FreeBSD \
             departure from RFC 9293: {rest} ({:.1}% pass)",
            Summary::rate(rest)
        )?;
        let malformed = self.malformed();
        writeln!(
            f,
            "malformed (unreadable, not packetdrill, or out of bounds; in `all`, not in \
             connection management): {}",
            malformed.len()
        )?;
        for r in malformed {
            writeln!(f, "  {}: {}", r.path, r.verdict)?;
        }
        let skipped: usize = self.reports.iter().map(|r| r.shell_skipped).sum();
        let ignored: usize = self.reports.iter().map(|r| r.ignored.len()).sum();
        writeln!(
            f,
            "shell lines skipped: {skipped}; checks ignored (SO_ERROR values, %{{ }}% asserts): {ignored}"
        )?;
        writeln!(f, "reasons:")?;
        for (reason, n, example) in self.reasons() {
            writeln!(f, "  {n:>4}  {reason}  (e.g. {example})")?;
        }
        let known = self.by_family();
        let explained: usize = known.iter().map(|(_, n)| n).sum();
        let unexplained = self.unexplained();
        writeln!(
            f,
            "failures explained by a family of profiles/freebsd.toml (by signature): {explained} of {}",
            explained + unexplained.len()
        )?;
        for (d, n) in known {
            writeln!(f, "  {n:>4}  {}  ({})", d.name, d.whose.word())?;
        }
        for r in unexplained {
            let sig = r
                .signature
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default();
            writeln!(f, "  unexplained: {}  {sig}", r.path)?;
        }
        Ok(())
    }
}
