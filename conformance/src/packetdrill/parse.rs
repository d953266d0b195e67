//! packetdrill script text → typed lines.
//!
//! Covers the subset the FreeBSD tcp-testsuite uses for connection management: headers
//! (`--ip_version`, `--tolerance_usecs`), `#ifdef STANDARD` / `#ifdef <other>` / `#else` /
//! `#endif` (STANDARD is the one defined symbol), absolute, relative (`+0.10`) and `*`
//! timestamps, `<` / `>` TCP segments, socket calls, backtick shell lines and `%{ }%` Python
//! lines. Anything else is a parse error naming the line.

use std::fmt;

/// When a line happens, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Time {
    /// Microseconds since the script's start.
    Absolute(u64),
    /// Microseconds after the previous line.
    Relative(u64),
    /// `*`: any time.
    Any,
}

/// Which way a segment goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `<`: the script injects it into the endpoint.
    Inject,
    /// `>`: the script expects the endpoint to send it.
    Expect,
}

/// The TCP header bits a script names: `S`, `.` (ACK), `F`, `R`, `P`, `U`, `E`, `W`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScriptFlags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
    pub urg: bool,
    /// ECE (`E`) or CWR (`W`): ECN, which the endpoint does not speak.
    pub ecn: bool,
}

impl ScriptFlags {
    pub fn parse(s: &str) -> Result<ScriptFlags, String> {
        let mut f = ScriptFlags::default();
        for c in s.chars() {
            match c {
                'S' => f.syn = true,
                '.' => f.ack = true,
                'F' => f.fin = true,
                'R' => f.rst = true,
                'P' => f.psh = true,
                'U' => f.urg = true,
                'E' | 'W' => f.ecn = true,
                _ => return Err(format!("unknown TCP flag {c:?} in {s:?}")),
            }
        }
        Ok(f)
    }
}

impl fmt::Display for ScriptFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (on, c) in [
            (self.syn, 'S'),
            (self.fin, 'F'),
            (self.rst, 'R'),
            (self.psh, 'P'),
            (self.urg, 'U'),
            (self.ack, '.'),
        ] {
            if on {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// A `<` or `>` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentLine {
    pub dir: Direction,
    pub flags: ScriptFlags,
    /// `start:end(len)`, relative to the sender's ISN; `None` for `...` (any).
    pub seq: Option<(u32, u32, u32)>,
    /// `ack N`, relative to the receiver's ISN.
    pub ack: Option<u32>,
    pub win: Option<u32>,
    /// The `<...>` options, one string per comma-separated item.
    pub options: Vec<String>,
    /// Anything else after the segment (`[ect0]`, `[noecn]`, ...), kept to report.
    pub extra: Vec<String>,
}

impl SegmentLine {
    /// The MSS option value, if the options carry one.
    pub fn mss(&self) -> Option<u16> {
        self.options.iter().find_map(|o| {
            let mut it = o.split_whitespace();
            (it.next() == Some("mss"))
                .then(|| it.next()?.parse().ok())
                .flatten()
        })
    }
}

/// A system call line: `name(args) = ret [ERRNO (text)]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallLine {
    pub name: String,
    /// The raw argument list, split at top-level commas and trimmed.
    pub args: Vec<String>,
    pub ret: i64,
    pub errno: Option<String>,
}

/// A backtick line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShellLine {
    /// `sysctl -w name=value`.
    Sysctl {
        name: String,
        value: String,
    },
    Other(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Segment(SegmentLine),
    Call(CallLine),
    Shell(ShellLine),
    /// `%{ ... }%`, the inner text.
    Python(String),
}

/// One event line of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the file.
    pub lineno: usize,
    /// The line as written, trimmed.
    pub text: String,
    pub time: Time,
    pub kind: Kind,
}

/// A parsed script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// `--name=value` header lines.
    pub headers: Vec<(String, String)>,
    pub lines: Vec<Line>,
}

/// packetdrill's default `--tolerance_usecs`.
pub const DEFAULT_TOLERANCE_USECS: u64 = 4_000;

impl Script {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn tolerance_usecs(&self) -> u64 {
        self.header("tolerance_usecs")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_TOLERANCE_USECS)
    }
}

/// A parse error at a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub lineno: usize,
    pub text: String,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.lineno, self.message, self.text)
    }
}

/// Parses a whole script, keeping only the `#ifdef STANDARD` branches.
pub fn parse(src: &str) -> Result<Script, ParseError> {
    let mut script = Script {
        headers: Vec::new(),
        lines: Vec::new(),
    };
    // One entry per open #ifdef: whether its current branch is taken.
    let mut conds: Vec<bool> = Vec::new();
    let mut in_block_comment = false;
    for (i, raw) in src.lines().enumerate() {
        let lineno = i + 1;
        let err = |message: String| ParseError {
            lineno,
            text: raw.trim().to_string(),
            message,
        };
        let mut text = raw.trim().to_string();
        if in_block_comment {
            match text.find("*/") {
                Some(p) => {
                    in_block_comment = false;
                    text = text[p + 2..].trim().to_string();
                }
                None => continue,
            }
        }
        if let Some(p) = text.find("/*") {
            if !text[p..].contains("*/") {
                in_block_comment = true;
            }
            text = text[..p].trim().to_string();
        }
        if text.starts_with("//") || text.is_empty() {
            continue;
        }
        if let Some(rest) = text.strip_prefix('#') {
            let mut words = rest.split_whitespace();
            match words.next() {
                Some("ifdef") => conds.push(words.next() == Some("STANDARD")),
                Some("ifndef") => conds.push(words.next() != Some("STANDARD")),
                Some("else") => match conds.last_mut() {
                    Some(c) => *c = !*c,
                    None => return Err(err("#else without #ifdef".into())),
                },
                Some("endif") => {
                    if conds.pop().is_none() {
                        return Err(err("#endif without #ifdef".into()));
                    }
                }
                _ => return Err(err("unknown preprocessor directive".into())),
            }
            continue;
        }
        if conds.iter().any(|c| !c) {
            continue;
        }
        if let Some(h) = text.strip_prefix("--") {
            let (n, v) = h.split_once('=').unwrap_or((h, ""));
            script
                .headers
                .push((n.trim().to_string(), v.trim().to_string()));
            continue;
        }
        let line = parse_line(lineno, &text).map_err(err)?;
        script.lines.push(line);
    }
    if !conds.is_empty() {
        return Err(ParseError {
            lineno: src.lines().count(),
            text: String::new(),
            message: "unterminated #ifdef".into(),
        });
    }
    Ok(script)
}

/// Seconds as written (`0.10`, `1`, `.5`) → microseconds.
fn parse_secs(s: &str) -> Result<u64, String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 6
    {
        return Err(format!("bad time {s:?}"));
    }
    let int: u64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| format!("bad time {s:?}"))?
    };
    let frac_us: u64 = format!("{frac:0<6}")
        .parse()
        .map_err(|_| format!("bad time {s:?}"))?;
    Ok(int * 1_000_000 + frac_us)
}

/// Parses one event line (time and body).
pub fn parse_line(lineno: usize, text: &str) -> Result<Line, String> {
    let text = text.trim();
    let (time_s, body) = text
        .split_once(char::is_whitespace)
        .ok_or_else(|| "no event after the time".to_string())?;
    let time = if time_s == "*" {
        Time::Any
    } else if let Some(r) = time_s.strip_prefix('+') {
        Time::Relative(parse_secs(r)?)
    } else {
        Time::Absolute(parse_secs(time_s)?)
    };
    let body = body.trim();
    let kind = if let Some(rest) = body.strip_prefix('<') {
        Kind::Segment(parse_segment(Direction::Inject, rest)?)
    } else if let Some(rest) = body.strip_prefix('>') {
        Kind::Segment(parse_segment(Direction::Expect, rest)?)
    } else if let Some(rest) = body.strip_prefix('`') {
        let cmd = rest
            .strip_suffix('`')
            .ok_or_else(|| "unterminated backtick".to_string())?;
        Kind::Shell(parse_shell(cmd))
    } else if let Some(rest) = body.strip_prefix("%{") {
        let inner = rest
            .strip_suffix("}%")
            .ok_or_else(|| "unterminated %{ }%".to_string())?;
        Kind::Python(inner.trim().to_string())
    } else {
        Kind::Call(parse_call(body)?)
    };
    Ok(Line {
        lineno,
        text: text.to_string(),
        time,
        kind,
    })
}

fn parse_shell(cmd: &str) -> ShellLine {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    if words.len() == 3 && words[0] == "sysctl" && words[1] == "-w" {
        if let Some((n, v)) = words[2].split_once('=') {
            return ShellLine::Sysctl {
                name: n.to_string(),
                value: v.to_string(),
            };
        }
    }
    ShellLine::Other(cmd.trim().to_string())
}

/// `start:end(len)`.
fn parse_seq(s: &str) -> Result<(u32, u32, u32), String> {
    let bad = || format!("bad sequence range {s:?}");
    let (start, rest) = s.split_once(':').ok_or_else(bad)?;
    let (end, len) = rest.split_once('(').ok_or_else(bad)?;
    let len = len.strip_suffix(')').ok_or_else(bad)?;
    let n = |x: &str| x.trim().parse::<u32>().map_err(|_| bad());
    let (start, end, len) = (n(start)?, n(end)?, n(len)?);
    if end.wrapping_sub(start) != len {
        return Err(format!("sequence range {s:?}: end - start != len"));
    }
    Ok((start, end, len))
}

/// The part after `<` or `>`.
pub fn parse_segment(dir: Direction, s: &str) -> Result<SegmentLine, String> {
    // An IP-level marking before the flags (`[noecn]`, `[ect0]`) goes to `extra`.
    let s = s.trim_start();
    let (marking, s) = match s.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((m, rest)) => (Some(format!("[{m}]")), rest),
        None => (None, s),
    };
    // Split off the options: the last `<...>`.
    let (head, options) = match (s.find('<'), s.rfind('>')) {
        (Some(a), Some(b)) if b > a => {
            let opts = s[a + 1..b]
                .split(',')
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect();
            (format!("{} {}", &s[..a], &s[b + 1..]), opts)
        }
        _ => (s.to_string(), Vec::new()),
    };
    let mut words = head.split_whitespace();
    let flags = ScriptFlags::parse(words.next().ok_or("segment without flags")?)?;
    let seq_word = words.next().ok_or("segment without sequence range")?;
    let seq = if seq_word.starts_with("...") {
        None
    } else {
        Some(parse_seq(seq_word)?)
    };
    let mut seg = SegmentLine {
        dir,
        flags,
        seq,
        ack: None,
        win: None,
        options,
        extra: marking.into_iter().collect(),
    };
    while let Some(w) = words.next() {
        match w {
            "ack" | "win" => {
                let v = words
                    .next()
                    .ok_or_else(|| format!("{w} without a value"))?
                    .parse::<u32>()
                    .map_err(|e| format!("bad {w} value: {e}"))?;
                if w == "ack" {
                    seg.ack = Some(v);
                } else {
                    seg.win = Some(v);
                }
            }
            other => seg.extra.push(other.to_string()),
        }
    }
    Ok(seg)
}

/// Splits at commas outside brackets and parentheses.
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// `name(args) = ret [ERRNO (text)]`.
pub fn parse_call(s: &str) -> Result<CallLine, String> {
    let open = s.find('(').ok_or_else(|| format!("not a call: {s:?}"))?;
    let name = s[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("not a call: {s:?}"));
    }
    // The matching close parenthesis.
    let mut depth = 0i32;
    let mut close = None;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close.ok_or("unbalanced parentheses in call")?;
    let args = split_args(&s[open + 1..close]);
    let rest = s[close + 1..].trim();
    let rest = rest
        .strip_prefix('=')
        .ok_or("call without `= result`")?
        .trim();
    let mut words = rest.split_whitespace();
    let ret_s = words.next().ok_or("call without result")?;
    let ret = if let Some(h) = ret_s.strip_prefix("0x") {
        i64::from_str_radix(h, 16)
    } else {
        ret_s.parse()
    }
    .map_err(|_| format!("bad call result {ret_s:?}"))?;
    let errno = words
        .next()
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        .map(str::to_string);
    Ok(CallLine {
        name: name.to_string(),
        args,
        ret,
        errno,
    })
}
