//! packetdrill script text → typed lines.
//!
//! Covers the subset the FreeBSD tcp-testsuite uses for connection management: headers
//! (`--ip_version`, `--tolerance_usecs`), `#ifdef STANDARD` / `#ifdef <other>` / `#else` /
//! `#endif` (STANDARD is the one defined symbol), absolute, relative (`+0.10`) and `*`
//! timestamps, `<` / `>` TCP segments, socket calls, backtick shell lines and `%{ }%` Python
//! lines, `//` and `/* */` comments. Anything else is a parse error naming the line.
//!
//! The grammar is packetdrill's (`parser.y`), and so are its range checks; on top of them,
//! bounds that keep a script's cost in proportion to its size:
//!
//! | bound | value | why |
//! |---|---|---|
//! | script | [`MAX_SCRIPT_OCTETS`], 1 MiB | the largest tcp-testsuite script is 3.7 KB |
//! | line | [`MAX_LINE_OCTETS`], 4 KiB | the longest tcp-testsuite line is 98 octets |
//! | segment length | [`MAX_SEGMENT_LEN`], 65,495, less the options | what one IPv4 datagram carries |
//! | sequence range | `end == start + length`, each below 2^32 | packetdrill's own check |
//! | `ack` | below 2^32 | a 32-bit field (RFC 9293 §3.1) |
//! | `win`, `urg` | [`MAX_WINDOW`], 65,535 | 16-bit fields (RFC 9293 §3.1), before any scaling |
//! | options | [`MAX_OPTION_OCTETS`], 40 octets; `mss` ≤ 65,535, `wscale` ≤ 255, `TS` values < 2^32 | RFC 9293 §3.1, §3.2; RFC 7323 §2.2, §3.2 |
//! | times | [`MAX_TIME_USECS`], an hour from the script's start | every endpoint timer is below 7 minutes |
//! | `read`/`write` counts | [`MAX_IO_OCTETS`], 2^31 − 1 | packetdrill reads them as an `s32` |
//! | call arguments | [`MAX_CALL_ARGS`], 6 | the most any system call takes |

use super::report::clip;
use std::fmt;

/// A script is at most 1 MiB: 280 times the largest script of the tcp-testsuite (3,733
/// octets), and small enough that parsing and running it stays far below 100 MB.
pub const MAX_SCRIPT_OCTETS: usize = 1 << 20;

/// A line is at most 4 KiB (the tcp-testsuite's longest is 98 octets). Every segment line
/// that fits in the other bounds is far shorter.
pub const MAX_LINE_OCTETS: usize = 4 << 10;

/// The most data one TCP segment in an IPv4 datagram can carry: the 16-bit Total Length
/// (RFC 791 §3.1, "the maximum is 65,535 octets") less the minimum IPv4 header (IHL 5, 20
/// octets) and the minimum TCP header (Data Offset 5, 20 octets; RFC 9293 §3.1). A segment's
/// options take their (padded) octets from it too.
pub const MAX_SEGMENT_LEN: u32 = 65_535 - 20 - 20;

/// TCP options take at most 40 octets: Data Offset is 4 bits of 32-bit words, so the header is
/// at most 60 octets, 20 of them fixed (RFC 9293 §3.1).
pub const MAX_OPTION_OCTETS: usize = 40;

/// `win` and `urg` are the 16-bit Window and Urgent Pointer fields (RFC 9293 §3.1). A script's
/// `win` is the field as sent, before any window scaling (RFC 7323 §2.2), so a larger value is
/// never right, scaling or not.
pub const MAX_WINDOW: u32 = 65_535;

/// A script spans at most an hour, and so does `--tolerance_usecs`. The endpoint's longest
/// timers are 2 x MSL in TIME-WAIT (240 s) and giving up on data (R2, 363 s; RFC 9293 §3.8.3);
/// an hour is ten times that, and the longest tcp-testsuite script spans about 2 s. It also
/// keeps every time sum far from overflowing the microsecond clock.
pub const MAX_TIME_USECS: u64 = 3_600 * 1_000_000;

/// `read()` and `write()` counts: packetdrill reads them as an `s32` (`s32_arg` in its
/// `run_system_call.c`). Whatever the count, the runner allocates no more than the endpoint's
/// buffers hold (64 KiB).
pub const MAX_IO_OCTETS: u64 = i32::MAX as u64;

/// The most arguments a call line may have: no system call takes more than six (the six
/// argument registers of the system call ABIs; `sendto` and `recvfrom` use all six).
pub const MAX_CALL_ARGS: usize = 6;

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

/// The TCP header bits a script names: `S`, `.` (ACK), `F`, `R`, `P`, `U`, `E`, `W`; `-` for
/// none.
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
        if s == "-" {
            return Ok(f);
        }
        for c in s.chars() {
            match c {
                'S' => f.syn = true,
                '.' => f.ack = true,
                'F' => f.fin = true,
                'R' => f.rst = true,
                'P' => f.psh = true,
                'U' => f.urg = true,
                'E' | 'W' => f.ecn = true,
                _ => return Err(format!("unknown TCP flag {c:?} in {}", quote(s))),
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
    /// Anything else the segment says (`[ect0]`, `[noecn]`, `urg N`), kept to report.
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

/// A system call line: `name(args) = ret [ERRNO] [(text)]`.
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

    /// Whether the script has a statement the runner checks: a segment, a system call or a
    /// `%{ }%` line. Without one (an empty file, only comments, headers, shell lines or
    /// branches not taken) there is nothing to pass.
    pub fn has_statements(&self) -> bool {
        self.lines.iter().any(|l| !matches!(l.kind, Kind::Shell(_)))
    }
}

/// A parse error at a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub lineno: usize,
    /// The line, trimmed and cut to 200 characters ([`clip`]).
    pub text: String,
    pub message: String,
    /// The line is packetdrill syntax this parser does not take (a time range, a UDP or ICMP
    /// packet, a blocking call's end time): the script is unsupported rather than malformed.
    pub unsupported: bool,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.is_empty() {
            write!(f, "line {}: {}", self.lineno, self.message)
        } else {
            write!(f, "line {}: {}: {}", self.lineno, self.message, self.text)
        }
    }
}

/// Why a line does not parse.
struct Bad {
    message: String,
    unsupported: bool,
}

impl From<String> for Bad {
    fn from(message: String) -> Bad {
        Bad {
            message,
            unsupported: false,
        }
    }
}

impl From<&str> for Bad {
    fn from(message: &str) -> Bad {
        Bad::from(message.to_string())
    }
}

fn unsupported(what: &str) -> Bad {
    Bad {
        message: format!("{what} (packetdrill syntax this runner does not take)"),
        unsupported: true,
    }
}

/// A piece of script text inside a message: quoted and cut to 200 characters.
fn quote(s: &str) -> String {
    format!("`{}`", clip(s))
}

/// The 1-based line of byte offset `at` in `src`.
pub fn line_of(src: &[u8], at: usize) -> usize {
    src[..at.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The parse error for a script of `size` octets whose text starts with `head`, if it is larger
/// than [`MAX_SCRIPT_OCTETS`]: at the line where it crosses the bound.
pub fn oversize(head: &[u8], size: u64) -> Option<ParseError> {
    (size > MAX_SCRIPT_OCTETS as u64).then(|| ParseError {
        lineno: line_of(head, MAX_SCRIPT_OCTETS),
        text: String::new(),
        message: format!(
            "the script goes on past 1 MiB ({size} octets; at most {MAX_SCRIPT_OCTETS})"
        ),
        unsupported: false,
    })
}

/// Removes `//` and `/* */` comments from one line, as packetdrill's lexer does (not inside
/// backticks, quotes or `%{ }%`). `open` is the line where a `/*` still open began.
fn strip_comments(line: &str, lineno: usize, open: &mut Option<usize>) -> String {
    let b = line.as_bytes();
    let mut out = String::new();
    let mut keep = 0; // start of the text to keep
    let mut quote: Option<u8> = None;
    let mut code = false;
    let mut i = 0;
    while i < b.len() {
        let two = &b[i..(i + 2).min(b.len())];
        if open.is_some() {
            if two == b"*/" {
                *open = None;
                i += 2;
                keep = i;
                out.push(' ');
            } else {
                i += 1;
            }
            continue;
        }
        if code {
            if two == b"}%" {
                code = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        if let Some(q) = quote {
            if b[i] == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match two {
            b"%{" => {
                code = true;
                i += 2;
            }
            b"//" => {
                out.push_str(&line[keep..i]);
                return out;
            }
            b"/*" => {
                out.push_str(&line[keep..i]);
                *open = Some(lineno);
                i += 2;
            }
            _ => {
                if b[i] == b'`' || b[i] == b'"' {
                    quote = Some(b[i]);
                }
                i += 1;
            }
        }
    }
    if open.is_none() {
        out.push_str(&line[keep..]);
    }
    out
}

/// Parses a whole script, keeping only the `#ifdef STANDARD` branches.
pub fn parse(src: &str) -> Result<Script, ParseError> {
    if let Some(e) = oversize(src.as_bytes(), src.len() as u64) {
        return Err(e);
    }
    if let Some(at) = src.find('\0') {
        return Err(ParseError {
            lineno: line_of(src.as_bytes(), at),
            text: String::new(),
            message: format!("binary data (a NUL octet at byte {at}), not script text"),
            unsupported: false,
        });
    }
    let mut script = Script {
        headers: Vec::new(),
        lines: Vec::new(),
    };
    // One entry per open #ifdef: whether its current branch is taken; and how many are not.
    let mut conds: Vec<bool> = Vec::new();
    let mut not_taken = 0usize;
    let mut comment: Option<usize> = None;
    // The scripted time of the last line (relative times add to it).
    let mut clock = 0u64;
    for (i, raw) in src.lines().enumerate() {
        let lineno = i + 1;
        let err = |bad: Bad| ParseError {
            lineno,
            text: clip(raw.trim()),
            message: bad.message,
            unsupported: bad.unsupported,
        };
        if raw.len() > MAX_LINE_OCTETS {
            return Err(err(format!(
                "line of {} octets; lines are at most {MAX_LINE_OCTETS}",
                raw.len()
            )
            .into()));
        }
        let stripped = strip_comments(raw, lineno, &mut comment);
        let text = stripped.trim();
        if text.is_empty() {
            continue;
        }
        if let Some(rest) = text.strip_prefix('#') {
            let mut words = rest.split_whitespace();
            let (directive, symbol) = (words.next(), words.next());
            match directive {
                Some(d @ ("ifdef" | "ifndef")) => {
                    let symbol =
                        symbol.ok_or_else(|| err(format!("#{d} without a symbol").into()))?;
                    let taken = (symbol == "STANDARD") == (d == "ifdef");
                    not_taken += usize::from(!taken);
                    conds.push(taken);
                }
                Some("else") => {
                    let c = conds
                        .last_mut()
                        .ok_or_else(|| err("#else without #ifdef".into()))?;
                    if *c {
                        not_taken += 1;
                    } else {
                        not_taken -= 1;
                    }
                    *c = !*c;
                }
                Some("endif") => {
                    let c = conds
                        .pop()
                        .ok_or_else(|| err("#endif without #ifdef".into()))?;
                    not_taken -= usize::from(!c);
                }
                _ => return Err(err("unknown preprocessor directive".into())),
            }
            continue;
        }
        if not_taken > 0 {
            continue;
        }
        if let Some(h) = text.strip_prefix("--") {
            let (n, v) = h.split_once('=').unwrap_or((h, ""));
            let (n, v) = (n.trim(), v.trim());
            check_header(n, v).map_err(err)?;
            script.headers.push((n.to_string(), v.to_string()));
            continue;
        }
        let line = parse_event(lineno, text).map_err(err)?;
        clock = match line.time {
            Time::Absolute(t) => t,
            Time::Relative(d) => clock + d,
            Time::Any => clock,
        };
        if clock > MAX_TIME_USECS {
            return Err(err(format!(
                "the script's time reaches {} s, past the bound of an hour",
                secs(clock)
            )
            .into()));
        }
        script.lines.push(line);
    }
    let last = src.lines().count();
    if let Some(open) = comment {
        return Err(ParseError {
            lineno: open,
            text: String::new(),
            message: format!("`/*` without `*/` (the file ends at line {last})"),
            unsupported: false,
        });
    }
    if !conds.is_empty() {
        return Err(ParseError {
            lineno: last,
            text: String::new(),
            message: "unterminated #ifdef".into(),
            unsupported: false,
        });
    }
    Ok(script)
}

fn secs(us: u64) -> String {
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// The headers the runner reads must say something it can use.
fn check_header(name: &str, value: &str) -> Result<(), Bad> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("bad header name {}", quote(name)).into());
    }
    match name {
        "tolerance_usecs" => match decimal(value) {
            Some(t) if t <= MAX_TIME_USECS => Ok(()),
            Some(_) => Err(format!(
                "--tolerance_usecs={value} is past the bound of an hour ({MAX_TIME_USECS})"
            )
            .into()),
            None => {
                Err(format!("--tolerance_usecs wants microseconds, not {}", quote(value)).into())
            }
        },
        "ip_version" => match value {
            "ipv4" | "ipv6" | "ipv4-mapped-ipv6" => Ok(()),
            _ => Err(format!(
                "--ip_version is ipv4, ipv6 or ipv4-mapped-ipv6, not {}",
                quote(value)
            )
            .into()),
        },
        _ => Ok(()),
    }
}

/// A decimal number of ASCII digits (no sign), or `None`; saturates far above any bound.
fn decimal(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.parse().unwrap_or(u64::MAX))
}

/// Seconds as packetdrill writes them (`0.10`, `1`, `.5`; at most microseconds) →
/// microseconds, at most an hour.
fn parse_secs(s: &str) -> Result<u64, String> {
    let bad = || format!("bad time {}", quote(s));
    let (int, frac) = match s.split_once('.') {
        Some((_, "")) => return Err(bad()),
        Some((int, frac)) => (int, frac),
        None => (s, ""),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|c| c.is_ascii_digit())
        || !frac.bytes().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    if frac.len() > 6 {
        return Err(format!("time {} is finer than a microsecond", quote(s)));
    }
    let int = if int.is_empty() {
        Some(0)
    } else {
        decimal(int)
    };
    let frac_us: u64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
    match int {
        Some(i) if i <= MAX_TIME_USECS / 1_000_000 && i * 1_000_000 + frac_us <= MAX_TIME_USECS => {
            Ok(i * 1_000_000 + frac_us)
        }
        _ => Err(format!("time {} s is past the bound of an hour", clip(s))),
    }
}

/// Parses one event line (time and body).
pub fn parse_line(lineno: usize, text: &str) -> Result<Line, String> {
    parse_event(lineno, text).map_err(|b| b.message)
}

fn parse_event(lineno: usize, text: &str) -> Result<Line, Bad> {
    let text = text.trim();
    let (time_s, body) = text
        .split_once(char::is_whitespace)
        .ok_or("no event after the time")?;
    let body = body.trim();
    if time_s.contains('~') || body.starts_with('~') {
        return Err(unsupported("a time range (`~`)"));
    }
    let time = if time_s == "*" {
        Time::Any
    } else if let Some(r) = time_s.strip_prefix('+') {
        Time::Relative(parse_secs(r)?)
    } else {
        Time::Absolute(parse_secs(time_s)?)
    };
    let kind = if let Some(rest) = body.strip_prefix('<') {
        Kind::Segment(segment(Direction::Inject, rest)?)
    } else if let Some(rest) = body.strip_prefix('>') {
        Kind::Segment(segment(Direction::Expect, rest)?)
    } else if let Some(rest) = body.strip_prefix('`') {
        let cmd = rest.strip_suffix('`').ok_or("unterminated backtick")?;
        Kind::Shell(parse_shell(cmd)?)
    } else if let Some(rest) = body.strip_prefix("%{") {
        let inner = rest
            .strip_suffix("}%")
            .ok_or("unterminated %{ }% (it must close on its line)")?;
        Kind::Python(parse_python(inner)?)
    } else if body.starts_with("...") {
        return Err(unsupported("a blocking call's end time (`...`)"));
    } else {
        let call = parse_call(body)?;
        check_call(&call)?;
        Kind::Call(call)
    };
    Ok(Line {
        lineno,
        text: text.to_string(),
        time,
        kind,
    })
}

/// A segment line, with packetdrill's other packet kinds told apart as unsupported.
fn segment(dir: Direction, rest: &str) -> Result<SegmentLine, Bad> {
    let first = rest.split_whitespace().next().unwrap_or("");
    for kind in ["udp", "icmp", "ipv4", "ipv6", "gre", "mpls"] {
        if first == kind || first.starts_with(&format!("{kind}(")) {
            return Err(unsupported(&format!("a {kind} packet")));
        }
    }
    Ok(parse_segment(dir, rest)?)
}

fn parse_shell(cmd: &str) -> Result<ShellLine, String> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    match words.as_slice() {
        [] => Err("empty shell command".into()),
        ["sysctl", "-w", setting] => match setting.split_once('=') {
            Some((n, v)) if !n.is_empty() && !v.is_empty() => Ok(ShellLine::Sysctl {
                name: n.to_string(),
                value: v.to_string(),
            }),
            _ => Err(format!(
                "sysctl -w wants name=value, not {}",
                quote(setting)
            )),
        },
        ["sysctl", "-w"] => Err("sysctl -w without name=value".into()),
        _ => Ok(ShellLine::Other(cmd.trim().to_string())),
    }
}

/// `%{ ... }%`: the runner checks `assert tcpi_state == NAME`; anything else is kept to be
/// reported as ignored. An assertion on `tcpi_state` must be whole.
fn parse_python(inner: &str) -> Result<String, String> {
    let code = inner.trim();
    if code.is_empty() {
        return Err("empty %{ }%".into());
    }
    let words: Vec<&str> = code.split_whitespace().collect();
    if words.len() >= 2 && words[..2] == ["assert", "tcpi_state"] {
        let whole = matches!(words.as_slice(), [_, _, "==", name]
            if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        if !whole {
            return Err(format!(
                "want `assert tcpi_state == NAME`, not {}",
                quote(code)
            ));
        }
    }
    Ok(code.to_string())
}

/// A number field: ASCII digits, at most `max`.
fn field(what: &str, s: &str, max: u64, why: &str) -> Result<u64, String> {
    match decimal(s) {
        Some(v) if v <= max => Ok(v),
        Some(_) => Err(format!("{what} {} is above {max} ({why})", clip(s))),
        None => Err(format!("{what} wants a number, not {}", quote(s))),
    }
}

const SEQ_BITS: &str = "sequence numbers are 32 bits, RFC 9293 §3.1";

/// `start:end(len)`: each number below 2^32, `end == start + len` (no wrapping, as packetdrill
/// checks), and `len` at most [`MAX_SEGMENT_LEN`].
fn parse_seq(s: &str) -> Result<(u32, u32, u32), String> {
    let bad = || format!("bad sequence range {} (want start:end(length))", quote(s));
    let (start, rest) = s.split_once(':').ok_or_else(bad)?;
    let (end, len) = rest.split_once('(').ok_or_else(bad)?;
    let len = len.strip_suffix(')').ok_or_else(bad)?;
    let max = u64::from(u32::MAX);
    let start = field("sequence start", start, max, SEQ_BITS)?;
    let end = field("sequence end", end, max, SEQ_BITS)?;
    let len = seg_len(len)?;
    if start + u64::from(len) != end {
        return Err(format!(
            "sequence range {}: end - start is not the length {len}",
            quote(s)
        ));
    }
    Ok((start as u32, end as u32, len))
}

fn seg_len(s: &str) -> Result<u32, String> {
    field(
        "segment length",
        s,
        u64::from(MAX_SEGMENT_LEN),
        "65495: at most 65,535 octets of IPv4 datagram, RFC 791 §3.1, less 20 of IPv4 and 20 of \
         TCP header",
    )
    .map(|l| l as u32)
}

/// A TCP option as packetdrill writes it, and the octets it takes in the header.
fn option_octets(item: &str) -> Result<usize, String> {
    let words: Vec<&str> = item.split_whitespace().collect();
    let u32_max = u64::from(u32::MAX);
    let hex = |what: &str, h: &str| -> Result<usize, String> {
        if h.as_bytes().chunks_exact(2).remainder().is_empty()
            && h.bytes().all(|b| b.is_ascii_hexdigit())
        {
            Ok(h.len() / 2)
        } else {
            Err(format!("{what} wants hex octets, not {}", quote(h)))
        }
    };
    Ok(match words.as_slice() {
        ["nop"] | ["eol"] => 1,
        ["mss", v] => {
            field("mss", v, 65_535, "a 16-bit option, RFC 9293 §3.2")?;
            4
        }
        ["wscale", v] => {
            field("wscale", v, 255, "an 8-bit shift count, RFC 7323 §2.2")?;
            3
        }
        ["sackOK"] => 2,
        ["sack", blocks @ ..] if !blocks.is_empty() => {
            for b in blocks {
                let (l, r) = b
                    .split_once(':')
                    .ok_or_else(|| format!("SACK block wants left:right, not {}", quote(b)))?;
                field("SACK edge", l, u32_max, SEQ_BITS)?;
                field("SACK edge", r, u32_max, SEQ_BITS)?;
            }
            2 + 8 * blocks.len()
        }
        ["TS", "val", v, "ecr", e] => {
            field("TS val", v, u32_max, "32 bits, RFC 7323 §3.2")?;
            field("TS ecr", e, u32_max, "32 bits, RFC 7323 §3.2")?;
            10
        }
        ["md5", h] => {
            hex("md5", h)?;
            18
        }
        ["FO"] => 2,
        ["FO", cookie] => 2 + hex("FO", cookie)?,
        ["FOEXP"] => 4,
        ["FOEXP", cookie] => 4 + hex("FOEXP", cookie)?,
        [] => return Err("empty TCP option".into()),
        [name, ..]
            if [
                "nop", "eol", "mss", "wscale", "sackOK", "sack", "TS", "md5", "FO", "FOEXP",
            ]
            .contains(name) =>
        {
            return Err(format!("incomplete TCP option {}", quote(item)))
        }
        _ => return Err(format!("unknown TCP option {}", quote(item))),
    })
}

/// The options between `<` and `>`, and the octets they take (before padding).
fn parse_options(inner: &str) -> Result<(Vec<String>, usize), String> {
    if inner.trim() == "..." {
        return Ok((vec!["...".into()], 0));
    }
    let mut options = Vec::new();
    let mut octets = 0;
    for item in inner.split(',') {
        let item = item.trim();
        octets += option_octets(item)?;
        if octets > MAX_OPTION_OCTETS {
            return Err(format!(
                "TCP options of more than {MAX_OPTION_OCTETS} octets (the header is at most 60 \
                 octets, 20 of them fixed; RFC 9293 §3.1)"
            ));
        }
        options.push(item.to_string());
    }
    Ok((options, octets))
}

/// The part after `<` or `>`: `[marking] flags seq [ack N] [win N] [urg N] [<options>]`, in
/// packetdrill's order.
pub fn parse_segment(dir: Direction, s: &str) -> Result<SegmentLine, String> {
    // An IP-level marking before the flags (`[noecn]`, `[ect0]`) goes to `extra`.
    let s = s.trim();
    let (marking, s) = match s.strip_prefix('[') {
        Some(r) => {
            let (m, rest) = r.split_once(']').ok_or("an IP marking `[` without `]`")?;
            (Some(format!("[{m}]")), rest.trim_start())
        }
        None => (None, s),
    };
    // The options: from the first `<` to the `>` that ends the line.
    let (head, options, octets) = match s.find('<') {
        Some(a) => {
            let inner = s[a + 1..]
                .strip_suffix('>')
                .ok_or("TCP options without their closing `>` at the end of the line")?;
            let (options, octets) = parse_options(inner)?;
            (&s[..a], options, octets)
        }
        None if s.contains('>') => return Err("`>` without `<`".into()),
        None => (s, Vec::new(), 0),
    };
    let mut words = head.split_whitespace();
    let flags = ScriptFlags::parse(words.next().ok_or("segment without flags")?)?;
    let seq_word = words.next().ok_or("segment without sequence range")?;
    let (seq, len) = if let Some(rest) = seq_word.strip_prefix("...") {
        let len = match rest {
            "" => 0,
            _ => {
                let l = rest
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(|| format!("bad sequence range {}", quote(seq_word)))?;
                seg_len(l)?
            }
        };
        (None, len)
    } else {
        let seq = parse_seq(seq_word)?;
        (Some(seq), seq.2)
    };
    let padded = octets.div_ceil(4) * 4;
    if len as usize + padded > MAX_SEGMENT_LEN as usize {
        return Err(format!(
            "segment length {len} with {padded} octets of options is above 65495 octets (at \
             most 65,535 octets of IPv4 datagram, RFC 791 §3.1, less 20 of IPv4 and 20 of TCP \
             header)"
        ));
    }
    let mut seg = SegmentLine {
        dir,
        flags,
        seq,
        ack: None,
        win: None,
        options,
        extra: marking.into_iter().collect(),
    };
    const ORDER: [&str; 3] = ["ack", "win", "urg"];
    let mut next = 0;
    while let Some(w) = words.next() {
        let Some(k) = ORDER.iter().position(|o| *o == w) else {
            return Err(format!(
                "unexpected {} in a segment (after the sequence range: ack N, win N, urg N, \
                 <options>)",
                quote(w)
            ));
        };
        if k < next {
            return Err(format!(
                "{w} repeated or out of order (packetdrill's order is ack, win, urg)"
            ));
        }
        next = k + 1;
        let v = words.next().ok_or_else(|| format!("{w} without a value"))?;
        match w {
            "ack" => {
                seg.ack = Some(field(
                    "ack",
                    v,
                    u64::from(u32::MAX),
                    "a 32-bit field, RFC 9293 §3.1",
                )? as u32)
            }
            _ => {
                let why = "a 16-bit field, RFC 9293 §3.1; win is the field before any RFC 7323 \
                           scaling";
                let v = field(w, v, u64::from(MAX_WINDOW), why)? as u32;
                if w == "win" {
                    seg.win = Some(v);
                } else {
                    seg.extra.push(format!("urg {v}"));
                }
            }
        }
    }
    Ok(seg)
}

/// Splits at commas outside brackets, parentheses and quotes; brackets must balance.
fn split_args(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if quoted {
            quoted = c != '"';
            continue;
        }
        match c {
            '"' => quoted = true,
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(want) {
                    return Err(format!("unbalanced {c:?} in the arguments"));
                }
            }
            ',' if stack.is_empty() => {
                out.push(s[start..i].trim().to_string());
                start = i + 1;
                if out.len() > MAX_CALL_ARGS {
                    break;
                }
            }
            _ => {}
        }
    }
    if quoted || !stack.is_empty() {
        return Err("unbalanced brackets or quotes in the arguments".into());
    }
    if out.len() <= MAX_CALL_ARGS {
        let last = s[start..].trim();
        if !(out.is_empty() && last.is_empty()) {
            out.push(last.to_string());
        }
    }
    if out.len() > MAX_CALL_ARGS {
        return Err(format!(
            "more than {MAX_CALL_ARGS} arguments (no system call takes more)"
        ));
    }
    if out.iter().any(String::is_empty) {
        return Err("an empty argument".into());
    }
    Ok(out)
}

/// The names of `<errno.h>` (FreeBSD's, and the Linux names packetdrill scripts use).
const ERRNOS: &[&str] = &[
    "EPERM",
    "ENOENT",
    "ESRCH",
    "EINTR",
    "EIO",
    "ENXIO",
    "E2BIG",
    "ENOEXEC",
    "EBADF",
    "ECHILD",
    "EDEADLK",
    "ENOMEM",
    "EACCES",
    "EFAULT",
    "ENOTBLK",
    "EBUSY",
    "EEXIST",
    "EXDEV",
    "ENODEV",
    "ENOTDIR",
    "EISDIR",
    "EINVAL",
    "ENFILE",
    "EMFILE",
    "ENOTTY",
    "ETXTBSY",
    "EFBIG",
    "ENOSPC",
    "ESPIPE",
    "EROFS",
    "EMLINK",
    "EPIPE",
    "EDOM",
    "ERANGE",
    "EAGAIN",
    "EWOULDBLOCK",
    "EINPROGRESS",
    "EALREADY",
    "ENOTSOCK",
    "EDESTADDRREQ",
    "EMSGSIZE",
    "EPROTOTYPE",
    "ENOPROTOOPT",
    "EPROTONOSUPPORT",
    "ESOCKTNOSUPPORT",
    "EOPNOTSUPP",
    "ENOTSUP",
    "EPFNOSUPPORT",
    "EAFNOSUPPORT",
    "EADDRINUSE",
    "EADDRNOTAVAIL",
    "ENETDOWN",
    "ENETUNREACH",
    "ENETRESET",
    "ECONNABORTED",
    "ECONNRESET",
    "ENOBUFS",
    "EISCONN",
    "ENOTCONN",
    "ESHUTDOWN",
    "ETOOMANYREFS",
    "ETIMEDOUT",
    "ECONNREFUSED",
    "ELOOP",
    "ENAMETOOLONG",
    "EHOSTDOWN",
    "EHOSTUNREACH",
    "ENOTEMPTY",
    "EPROCLIM",
    "EUSERS",
    "EDQUOT",
    "ESTALE",
    "EREMOTE",
    "EBADRPC",
    "ERPCMISMATCH",
    "EPROGUNAVAIL",
    "EPROGMISMATCH",
    "EPROCUNAVAIL",
    "ENOLCK",
    "ENOSYS",
    "EFTYPE",
    "EAUTH",
    "ENEEDAUTH",
    "EIDRM",
    "ENOMSG",
    "EOVERFLOW",
    "ECANCELED",
    "EILSEQ",
    "ENOATTR",
    "EDOOFUS",
    "EBADMSG",
    "EMULTIHOP",
    "ENOLINK",
    "EPROTO",
    "ENOTCAPABLE",
    "ECAPMODE",
    "ENOTRECOVERABLE",
    "EOWNERDEAD",
    "EINTEGRITY",
    "ENODATA",
    "ETIME",
    "ENOSR",
    "ENOSTR",
    "ECOMM",
    "EREMOTEIO",
    "ENOTSUPP",
    "EBADFD",
    "ENONET",
    "ENOPKG",
    "ECHRNG",
    "EBADE",
    "EBADR",
    "EXFULL",
    "ENOANO",
    "EBADRQC",
    "EBADSLT",
    "EDEADLOCK",
    "EBFONT",
    "ENOTUNIQ",
    "EREMCHG",
    "ELIBACC",
    "ELIBBAD",
    "ELIBSCN",
    "ELIBMAX",
    "ELIBEXEC",
    "ERESTART",
    "ESTRPIPE",
    "EUCLEAN",
    "ENOTNAM",
    "ENAVAIL",
    "EISNAM",
    "ENOMEDIUM",
    "EMEDIUMTYPE",
    "ENOKEY",
    "EKEYEXPIRED",
    "EKEYREVOKED",
    "EKEYREJECTED",
    "ERFKILL",
    "EHWPOISON",
    "EL2NSYNC",
    "EL3HLT",
    "EL3RST",
    "ELNRNG",
    "EUNATCH",
    "ENOCSI",
    "EL2HLT",
    "EADV",
    "ESRMNT",
    "EDOTDOT",
];

/// `name(args) = ret [ERRNO] [(text)]`, as packetdrill's `syscall_spec`.
pub fn parse_call(s: &str) -> Result<CallLine, String> {
    let open = s
        .find('(')
        .ok_or_else(|| format!("not a call: {}", quote(s)))?;
    let name = s[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("not a call: {}", quote(s)));
    }
    // The matching close parenthesis.
    let mut depth = 0i32;
    let mut quoted = false;
    let mut close = None;
    for (i, c) in s[open..].char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
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
    let args = split_args(&s[open + 1..close])?;
    let rest = s[close + 1..].trim();
    let rest = rest
        .strip_prefix('=')
        .ok_or("call without `= result`")?
        .trim();
    let (ret_s, mut rest) = rest
        .split_once(char::is_whitespace)
        .map_or((rest, ""), |(r, t)| (r, t.trim()));
    if ret_s.is_empty() {
        return Err("call without result".into());
    }
    let ret = if let Some(h) = ret_s.strip_prefix("0x") {
        i64::from_str_radix(h, 16)
            .ok()
            .filter(|_| !h.starts_with(['+', '-']))
    } else {
        let digits = ret_s.strip_prefix('-').unwrap_or(ret_s);
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| ret_s.parse().ok())
            .flatten()
    }
    .ok_or_else(|| format!("bad call result {}", quote(ret_s)))?;
    let mut errno = None;
    if rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        let (e, after) = rest
            .split_once(char::is_whitespace)
            .map_or((rest, ""), |(e, t)| (e, t.trim()));
        if !ERRNOS.contains(&e) {
            return Err(format!("unknown errno {}", quote(e)));
        }
        errno = Some(e.to_string());
        rest = after;
    }
    // packetdrill's note: `(words)`, and nothing after it.
    if !rest.is_empty() {
        let note = rest
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .ok_or_else(|| {
                format!(
                    "after the result, want an errno and a `(note)`, not {}",
                    quote(rest)
                )
            })?;
        if note.contains(['(', ')']) {
            return Err(format!("unbalanced note {}", quote(rest)));
        }
    }
    Ok(CallLine {
        name: name.to_string(),
        args,
        ret,
        errno,
    })
}

/// The calls the runner reads arguments of: `read(fd, ..., count)` and `write(fd, ...,
/// count)` take three, the count a number of at most [`MAX_IO_OCTETS`].
fn check_call(c: &CallLine) -> Result<(), String> {
    if matches!(c.name.as_str(), "read" | "write") {
        let [_, _, count] = c.args.as_slice() else {
            return Err(format!(
                "{}() takes 3 arguments (fd, buffer, count)",
                c.name
            ));
        };
        field(
            &format!("{}() count", c.name),
            count,
            MAX_IO_OCTETS,
            "packetdrill reads it as an s32",
        )?;
    }
    Ok(())
}
