//! Executes a parsed script against one `synfin_tcp::Connection` on a virtual clock.
//!
//! The endpoint is the system under test; the script plays the peer. One `Connection` stands
//! for both the listening socket and the connection it accepts (synfin-tcp has no separate
//! listener), so `close()` of a listener that has handed out its connection does nothing.
//! Closing a listener whose connection is still in SYN-RECEIVED discards that connection
//! without a word ([`Input::Discard`]): a kernel keeps it apart from the listener (FreeBSD in
//! its syncache, Linux as a request socket), and RFC 9293 §3.10.4 (CLOSE, LISTEN state)
//! deletes the listener's TCB and returns. One that is ESTABLISHED but not accepted is
//! aborted (RST), as both kernels do with their accept queue.

use super::parse::{CallLine, Direction, Kind, Line, Script, SegmentLine, ShellLine, Time};
use super::report::{clip, Failure, Verdict};
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;
use synfin_model::script::Call as MCall;
use synfin_tcp::{
    CallError, Config, Connection, Event, FixedIsn, Flags, Instant, Packet, Profile, Segment,
    SeqNum, State,
};

/// The endpoint under test.
pub const LOCAL: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 168, 0, 1), 8080);
/// The peer the script plays.
pub const REMOTE: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 1), 47000);
/// The endpoint's ISS (learned again from its first SYN, as packetdrill does).
pub const ENDPOINT_ISN: u32 = 0x0100_0000;
/// The ISN the script's side uses for what it injects.
pub const SCRIPT_ISN: u32 = 0x0a00_0000;
/// The endpoint's configuration for every script.
pub fn endpoint_config() -> Config {
    Config::default()
}

/// What a run found besides its verdict.
#[derive(Clone, Debug, Default)]
pub struct Notes {
    pub shell_skipped: usize,
    pub ignored: Vec<String>,
    /// Every input the endpoint was given and what it did in answer (for `model_check`; only
    /// in a traced run).
    pub trace: Vec<TraceStep>,
    /// Every input, in a few octets, and the TCB after it, traced or not: what a failure's
    /// signature reads (`super::signature`). No payload is kept.
    pub steps: Vec<StepSummary>,
}

/// An input as a failure's signature needs it.
#[derive(Clone, Copy, Debug)]
pub enum InputSummary {
    /// A segment arrived (`None`: one the model cannot carry, 256 octets or more).
    Segment(Option<synfin_model::Segment>),
    /// A user call, a read or write, a timer, a discarded listener: its word.
    Named(&'static str),
}

/// One input, and the endpoint's TCB after it, in the model's terms.
#[derive(Clone, Copy, Debug)]
pub struct StepSummary {
    pub input: InputSummary,
    pub tcb: synfin_model::Tcb,
}

impl Input {
    fn summary(&self) -> InputSummary {
        match self {
            Input::Inject(p, _) => InputSummary::Segment(crate::abstraction::segment(&p.segment)),
            Input::Call(c) => InputSummary::Named(c.name()),
            Input::Read => InputSummary::Named("read"),
            Input::Write(_) => InputSummary::Named("write"),
            Input::Timer(_) => InputSummary::Named("timer"),
            Input::Discard => InputSummary::Named("listener closed"),
        }
    }
}

/// An input the runner gave the endpoint.
#[derive(Clone, Debug)]
pub enum Input {
    /// A user call as the model names it (listen, connect, close/shutdown, abort).
    Call(synfin_model::script::Call),
    /// `read()`: the model has no receive call.
    Read,
    /// `write()` of this many octets.
    Write(usize),
    /// A segment from the script's side, under the profile its sysctls selected.
    Inject(Packet, Profile),
    /// A timer deadline (µs) passed.
    Timer(u64),
    /// The listener was closed while its connection was in SYN-RECEIVED: the connection is
    /// dropped without a segment, and the port is closed (a fresh endpoint in CLOSED).
    Discard,
}

/// One input, and what the endpoint sent, reported and became in answer.
#[derive(Clone, Debug)]
pub struct TraceStep {
    pub lineno: usize,
    pub input: Input,
    pub sent: Vec<Packet>,
    pub events: Vec<Event>,
    /// The call's error, if it was refused.
    pub error: Option<CallError>,
    /// The endpoint's TCB afterwards, in the model's terms (retry fields zero).
    pub tcb: synfin_model::Tcb,
}

/// Why a script is out of scope, from its path and lines, before running it.
pub fn unsupported_reason(path: &str, script: &Script) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    match script.header("ip_version") {
        None | Some("ipv4") => {}
        Some(v) => return Some(format!("IPv6 (--ip_version={v})")),
    }
    if name.contains("ipv6") {
        return Some("IPv6".into());
    }
    if name.contains("ecn") {
        return Some("ECN".into());
    }
    if name.contains("tsopt") {
        return Some("timestamps required".into());
    }
    for l in &script.lines {
        match &l.kind {
            Kind::Segment(s) if s.flags.ecn || s.extra.iter().any(|e| e.starts_with('[')) => {
                return Some("ECN".into())
            }
            Kind::Shell(ShellLine::Sysctl { name, .. }) if name.contains("tolerate_missing_ts") => {
                return Some("timestamps required".into())
            }
            Kind::Call(c) => match c.name.as_str() {
                "socket" | "bind" | "listen" | "connect" | "accept" | "close" | "shutdown"
                | "setsockopt" | "getsockopt" | "fcntl" | "read" | "write" => {}
                other => return Some(format!("system call {}()", clip(other))),
            },
            _ => {}
        }
    }
    None
}

/// Whether the script is about connection management rather than options or ECN.
pub fn is_connection_management(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !(name.contains("ecn") || name.contains("tsopt") || name.contains("noopt"))
}

/// The line without its time stamp.
fn body(line: &Line) -> String {
    line.text
        .split_once(char::is_whitespace)
        .map_or(line.text.clone(), |(_, b)| b.trim().to_string())
}

fn at(us: u64) -> Instant {
    Instant::from_epoch(Duration::from_micros(us))
}

fn us_of(i: Instant) -> u64 {
    i.since_epoch().as_micros() as u64
}

fn secs(us: u64) -> String {
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

struct Runner {
    conn: Connection,
    now: u64,
    tol: u64,
    /// What the endpoint sent and the script has not matched yet, with the time it was sent.
    /// Sent and not yet matched by a script line: when, what, and the index of the step
    /// (`Notes::steps`) whose input made the endpoint send it.
    pending: VecDeque<(u64, Packet, Option<usize>)>,
    /// The endpoint's ISS once it has sent a SYN; before that packetdrill uses 0.
    endpoint_iss: Option<u32>,
    insecure_rst: bool,
    insecure_syn: bool,
    listen_fd: Option<i64>,
    conn_fd: Option<i64>,
    /// The connection reached ESTABLISHED and can be accepted.
    acceptable: bool,
    /// The pending socket error (ECONNRESET, ...), cleared when read.
    so_error: Option<&'static str>,
    notes: Notes,
    /// The script line being run (for the trace).
    lineno: usize,
    /// Whether to record [`Notes::trace`] (the model check needs it; a verdict does not, and
    /// the trace holds a copy of every segment).
    tracing: bool,
}

type Step = Result<(), Failure>;

/// A failure at `line`; the line and what is expected and got are cut to 200 characters.
fn fail(line: &Line, expected: impl Into<String>, got: impl Into<String>) -> Failure {
    let (expected, got) = (clip(&expected.into()), clip(&got.into()));
    Failure {
        lineno: line.lineno,
        text: clip(&line.text),
        reason: format!("expected {expected}, got {got}"),
        expected,
        got,
        sent_by: None,
    }
}

/// The flags word of a segment description.
fn flags_of(desc: &str) -> &str {
    desc.split_whitespace().next().unwrap_or("")
}

impl Failure {
    fn because(mut self, reason: impl Into<String>) -> Failure {
        self.reason = reason.into();
        self
    }

    fn sent_by(mut self, step: Option<usize>) -> Failure {
        self.sent_by = step;
        self
    }
}

impl Runner {
    fn new(tol: u64, tracing: bool) -> Runner {
        Runner {
            conn: Connection::with_isn(endpoint_config(), LOCAL, FixedIsn(ENDPOINT_ISN)),
            now: 0,
            tol,
            pending: VecDeque::new(),
            endpoint_iss: None,
            insecure_rst: false,
            insecure_syn: false,
            listen_fd: None,
            conn_fd: None,
            acceptable: false,
            so_error: None,
            notes: Notes::default(),
            lineno: 0,
            tracing,
        }
    }

    /// Starts a trace step for an input about to be given.
    fn record(&mut self, input: Input) {
        let tcb = self.model_tcb();
        self.notes.steps.push(StepSummary {
            input: input.summary(),
            tcb,
        });
        if !self.tracing {
            return;
        }
        self.notes.trace.push(TraceStep {
            lineno: self.lineno,
            input,
            sent: Vec::new(),
            events: Vec::new(),
            error: None,
            tcb,
        });
    }

    fn model_tcb(&self) -> synfin_model::Tcb {
        crate::abstraction::tcb(
            &self.conn,
            0,
            &synfin_model::Tcb::new(synfin_model::Seq(0), 0),
        )
    }

    /// Records a refused call in the current trace step.
    fn record_error<T>(&mut self, r: &Result<T, CallError>) {
        if let (Err(e), Some(step)) = (r, self.notes.trace.last_mut()) {
            step.error = Some(*e);
        }
    }

    /// Collects what the endpoint sent and told at time `t`.
    fn drain(&mut self, t: u64) {
        let tcb = self.model_tcb();
        if let Some(step) = self.notes.steps.last_mut() {
            step.tcb = tcb;
        }
        if self.tracing {
            if let Some(step) = self.notes.trace.last_mut() {
                step.tcb = tcb;
            }
        }
        while let Some(p) = self.conn.poll_transmit() {
            if let Some(step) = self.notes.trace.last_mut() {
                step.sent.push(p.clone());
            }
            if p.segment.flags.syn() && self.endpoint_iss.is_none() {
                self.endpoint_iss = Some(p.segment.seq.0);
            }
            let step = self.notes.steps.len().checked_sub(1);
            self.pending.push_back((t, p, step));
        }
        while let Some(e) = self.conn.poll_event() {
            if let Some(step) = self.notes.trace.last_mut() {
                step.events.push(e);
            }
            // A listener does not see what happens to a connection it has not handed out.
            let unaccepted = self.listen_fd.is_some() && self.conn_fd.is_none();
            match e {
                Event::Connected => self.acceptable = true,
                Event::Reset if !unaccepted => self.so_error = Some("ECONNRESET"),
                Event::Refused if !unaccepted => self.so_error = Some("ECONNREFUSED"),
                Event::TimedOut if !unaccepted => self.so_error = Some("ETIMEDOUT"),
                _ => {}
            }
        }
    }

    /// Fires the endpoint's timers due up to `t` (inclusive), each at its own deadline.
    fn advance(&mut self, t: u64) {
        for _ in 0..10_000 {
            match self.conn.poll_timeout() {
                Some(d) if us_of(d) <= t => {
                    let d = us_of(d).max(self.now);
                    self.record(Input::Timer(d));
                    self.conn.handle_timeout(at(d));
                    self.now = d;
                    self.drain(d);
                }
                _ => break,
            }
        }
        self.now = self.now.max(t);
    }

    fn rel_local(&self, seq: u32) -> u32 {
        seq.wrapping_sub(self.endpoint_iss.unwrap_or(0))
    }

    /// A sent packet in the script's notation.
    fn describe(&self, p: &Packet) -> String {
        let s = &p.segment;
        let f = s.flags;
        let mut flags = String::new();
        for (on, c) in [
            (f.syn(), 'S'),
            (f.fin(), 'F'),
            (f.rst(), 'R'),
            (f.contains(Flags::PSH), 'P'),
            (f.ack(), '.'),
        ] {
            if on {
                flags.push(c);
            }
        }
        let start = self.rel_local(s.seq.0);
        let len = s.payload.len() as u32;
        let mut out = format!("{flags} {start}:{}({len})", start.wrapping_add(len));
        if f.ack() {
            out += &format!(" ack {}", s.ack.0.wrapping_sub(SCRIPT_ISN));
        }
        out += &format!(" win {}", s.window);
        if let Some(m) = s.mss {
            out += &format!(" <mss {m}>");
        }
        out
    }

    fn line_time(&self, line: &Line, prev: u64) -> u64 {
        match line.time {
            Time::Absolute(t) => t,
            Time::Relative(d) => prev + d,
            Time::Any => self.now,
        }
    }

    /// Fails if the endpoint sent something the script did not expect.
    fn no_unexpected(&self, line: &Line) -> Step {
        match self.pending.front() {
            None => Ok(()),
            Some((t, p, step)) => {
                let got = self.describe(p);
                let reason = format!("unexpected {} segment", flags_of(&got));
                Err(fail(
                    line,
                    "no segment before this line",
                    format!("{got} at {}", secs(*t)),
                )
                .because(reason)
                .sent_by(*step))
            }
        }
    }

    fn expect(&mut self, line: &Line, t: u64, seg: &SegmentLine) -> Result<u64, Failure> {
        if self.pending.is_empty() {
            self.advance(t + self.tol);
        }
        let Some((sent, p, step)) = self.pending.pop_front() else {
            let want = format!("{}", seg.flags);
            return Err(
                fail(line, body(line), "nothing").because(format!("expected {want}, got nothing"))
            );
        };
        let s = &p.segment;
        let got = self.describe(&p);
        let f = seg.flags;
        let flags_ok = f.syn == s.flags.syn()
            && f.ack == s.flags.ack()
            && f.fin == s.flags.fin()
            && f.rst == s.flags.rst()
            && f.psh == s.flags.contains(Flags::PSH);
        let seq_ok = seg.seq.is_none_or(|(start, _, len)| {
            self.rel_local(s.seq.0) == start && s.payload.len() as u32 == len
        });
        let ack_ok = seg
            .ack
            .is_none_or(|a| s.ack.0.wrapping_sub(SCRIPT_ISN) == a);
        if !(flags_ok && seq_ok && ack_ok) {
            let what = if !flags_ok {
                format!("expected {}, got {}", seg.flags, flags_of(&got))
            } else if !seq_ok {
                format!("{} with a different SEQ or length", seg.flags)
            } else {
                format!("{} with a different ACK", seg.flags)
            };
            return Err(fail(line, body(line), got).because(what).sent_by(step));
        }
        if sent.abs_diff(t) > self.tol {
            return Err(fail(
                line,
                format!("at {} (±{} us)", secs(t), self.tol),
                format!("{got} at {}", secs(sent)),
            )
            .because(format!("{} sent outside the tolerance", seg.flags))
            .sent_by(step));
        }
        Ok(sent)
    }

    fn profile_for(&self, seg: &SegmentLine) -> Profile {
        let insecure = if seg.flags.rst {
            self.insecure_rst
        } else if seg.flags.syn {
            self.insecure_syn
        } else {
            self.insecure_rst && self.insecure_syn
        };
        if insecure {
            Profile::Rfc793
        } else {
            Profile::Rfc5961
        }
    }

    fn inject(&mut self, line: &Line, seg: &SegmentLine) -> Step {
        let (start, _, len) = seg.seq.unwrap_or((0, 0, 0));
        let mut flags = Flags::NONE;
        for (on, bit) in [
            (seg.flags.syn, Flags::SYN),
            (seg.flags.ack, Flags::ACK),
            (seg.flags.fin, Flags::FIN),
            (seg.flags.rst, Flags::RST),
            (seg.flags.psh, Flags::PSH),
            (seg.flags.urg, Flags::URG),
        ] {
            if on {
                flags |= bit;
            }
        }
        let packet = Packet {
            src: REMOTE,
            dst: LOCAL,
            segment: Segment {
                seq: SeqNum(SCRIPT_ISN.wrapping_add(start)),
                ack: SeqNum(
                    seg.ack
                        .map_or(0, |a| a.wrapping_add(self.endpoint_iss.unwrap_or(0))),
                ),
                flags,
                window: seg.win.unwrap_or(0).min(65535) as u16,
                urgent: 0,
                mss: seg.mss(),
                payload: vec![0; len as usize],
            },
        };
        self.conn.set_profile(self.profile_for(seg));
        self.record(Input::Inject(packet.clone(), self.profile_for(seg)));
        self.conn
            .handle_packet(at(self.now), &packet)
            .map_err(|e| fail(line, "the endpoint to take the segment", e.to_string()))?;
        self.drain(self.now);
        Ok(())
    }

    fn fd(c: &CallLine) -> Option<i64> {
        c.args.first()?.parse().ok()
    }

    fn call(&mut self, line: &Line, c: &CallLine) -> Step {
        let now = at(self.now);
        let ret = |ok: bool| if ok { "0" } else { "-1" };
        match c.name.as_str() {
            "socket" | "bind" | "setsockopt" | "fcntl" => Ok(()),
            "listen" => {
                self.listen_fd = Self::fd(c);
                self.record(Input::Call(MCall::OpenPassive));
                let r = self.conn.open_passive(None);
                self.record_error(&r);
                self.drain(self.now);
                self.check_ret(line, c, r.is_ok(), r.err())
            }
            "connect" => {
                self.record(Input::Call(MCall::OpenActive));
                let r = self.conn.open_active(now, REMOTE);
                self.record_error(&r);
                self.drain(self.now);
                let want_ok = c.ret == 0 || c.errno.as_deref() == Some("EINPROGRESS");
                if want_ok != r.is_ok() {
                    return Err(fail(line, ret(want_ok), format!("{r:?}")));
                }
                Ok(())
            }
            "accept" => {
                let ok = self.acceptable && self.conn_fd.is_none();
                if (c.ret >= 0) != ok {
                    let got = if ok {
                        "a connection"
                    } else {
                        "-1 EAGAIN (no established connection)"
                    };
                    return Err(fail(line, c.ret.to_string(), got));
                }
                if ok {
                    self.conn_fd = Some(c.ret);
                }
                Ok(())
            }
            "close" => {
                let fd = Self::fd(c);
                if fd.is_some() && fd == self.listen_fd {
                    self.listen_fd = None;
                    if self.conn_fd.is_some() {
                        return Ok(()); // the accepted connection lives on
                    }
                    // Closing a listener drops what it has not handed out.
                    let r = match self.conn.state() {
                        State::Listen | State::Closed => {
                            self.record(Input::Call(MCall::Close));
                            self.conn.close(now)
                        }
                        State::SynReceived => {
                            self.record(Input::Discard);
                            self.conn = Connection::with_isn(
                                endpoint_config(),
                                LOCAL,
                                FixedIsn(ENDPOINT_ISN),
                            );
                            Ok(())
                        }
                        _ => {
                            self.record(Input::Call(MCall::Abort));
                            self.conn.abort()
                        }
                    };
                    self.record_error(&r);
                } else {
                    // close() returns 0 whatever state the connection is in.
                    self.record(Input::Call(MCall::Close));
                    let r = self.conn.close(now);
                    self.record_error(&r);
                }
                self.drain(self.now);
                Ok(())
            }
            "shutdown" => {
                let how = c.args.get(1).map(String::as_str).unwrap_or("");
                if how == "SHUT_RD" {
                    return Ok(());
                }
                self.record(Input::Call(MCall::Close));
                let r = self.conn.close(now);
                self.record_error(&r);
                self.drain(self.now);
                // ENOTCONN when there is no connection; a repeated shutdown succeeds.
                let ok = !matches!(r, Err(CallError::ConnectionDoesNotExist));
                self.check_ret(line, c, ok, r.err())
            }
            "getsockopt" => {
                if c.args.get(2).map(String::as_str) != Some("SO_ERROR") {
                    return Ok(());
                }
                let want = c
                    .args
                    .get(3)
                    .map(|a| a.trim_matches(['[', ']']).to_string())
                    .unwrap_or_default();
                let on_listener = Self::fd(c).is_some() && Self::fd(c) == self.listen_fd;
                let got = if on_listener {
                    None
                } else {
                    self.so_error.take()
                };
                let got = got.unwrap_or("0");
                if !["0", "ECONNRESET", "ECONNREFUSED", "ETIMEDOUT"].contains(&want.as_str()) {
                    self.notes.ignored.push(format!(
                        "line {}: SO_ERROR {}",
                        line.lineno,
                        clip(&want)
                    ));
                    return Ok(());
                }
                if want != got {
                    return Err(fail(
                        line,
                        format!("SO_ERROR {want}"),
                        format!("SO_ERROR {got}"),
                    ));
                }
                Ok(())
            }
            "read" => {
                let n: usize = c.args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
                // recv() takes at most what is queued: no larger buffer is needed.
                let mut buf = vec![0; n.min(self.conn.recv_queue_len())];
                self.record(Input::Read);
                let got = self.conn.recv(&mut buf).unwrap_or(0);
                self.drain(self.now);
                let got = if got == 0 && !self.conn.fin_received() {
                    -1
                } else {
                    got as i64
                };
                if got != c.ret {
                    return Err(fail(line, c.ret.to_string(), got.to_string()));
                }
                Ok(())
            }
            "write" => {
                let n: usize = c.args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
                self.record(Input::Write(n));
                // send() takes at most the send buffer's room: no more is needed to say `n`.
                let r = self
                    .conn
                    .send(now, &vec![0; n.min(endpoint_config().send_buffer)]);
                self.record_error(&r);
                self.drain(self.now);
                let got = r.map_or(-1, |n| n as i64);
                if got != c.ret {
                    return Err(fail(line, c.ret.to_string(), format!("{r:?}")));
                }
                Ok(())
            }
            other => Err(fail(line, "a supported call", other.to_string())),
        }
    }

    fn check_ret(&self, line: &Line, c: &CallLine, ok: bool, err: Option<CallError>) -> Step {
        if (c.ret >= 0) != ok {
            let got = err.map_or("0".to_string(), |e| format!("-1 ({e})"));
            let want = format!(
                "{}{}",
                c.ret,
                c.errno
                    .as_deref()
                    .map(|e| format!(" {e}"))
                    .unwrap_or_default()
            );
            return Err(fail(line, want, got));
        }
        Ok(())
    }

    fn python(&mut self, line: &Line, code: &str) -> Step {
        let words: Vec<&str> = code.split_whitespace().collect();
        if let ["assert", "tcpi_state", "==", want] = words.as_slice() {
            let got = self.conn.state();
            let name = format!("TCPI_{}", got.rfc_name().replace('-', "_"));
            if *want != name {
                return Err(fail(line, want.to_string(), name));
            }
            return Ok(());
        }
        self.notes
            .ignored
            .push(format!("line {}: %{{ {} }}%", line.lineno, clip(code)));
        Ok(())
    }

    fn run(&mut self, script: &Script) -> Step {
        let mut prev = 0u64;
        for line in &script.lines {
            self.lineno = line.lineno;
            let t = self.line_time(line, prev);
            self.advance(t);
            match &line.kind {
                Kind::Segment(seg) if seg.dir == Direction::Expect => {
                    let sent = self.expect(line, t, seg)?;
                    prev = sent;
                    continue;
                }
                Kind::Segment(seg) => {
                    self.no_unexpected(line)?;
                    self.inject(line, seg)?;
                }
                Kind::Call(c) => {
                    self.no_unexpected(line)?;
                    self.call(line, c)?;
                }
                Kind::Shell(ShellLine::Sysctl { name, value })
                    if name == "net.inet.tcp.insecure_rst" =>
                {
                    self.insecure_rst = value != "0";
                }
                Kind::Shell(ShellLine::Sysctl { name, value })
                    if name == "net.inet.tcp.insecure_syn" =>
                {
                    self.insecure_syn = value != "0";
                }
                Kind::Shell(_) => self.notes.shell_skipped += 1,
                Kind::Python(code) => {
                    self.no_unexpected(line)?;
                    self.python(line, code)?;
                }
            }
            prev = t;
        }
        if let (Some(last), Some((t, p, step))) = (script.lines.last(), self.pending.front()) {
            let got = self.describe(p);
            let reason = format!("unexpected {} segment", flags_of(&got));
            return Err(
                fail(last, "no further segment", format!("{got} at {}", secs(*t)))
                    .because(reason)
                    .sent_by(*step),
            );
        }
        Ok(())
    }
}

/// Runs a parsed script; `path` (relative to the corpus) decides some unsupported cases. The
/// notes carry the trace of every input (for [`super::model_check`]).
pub fn run_script(path: &str, script: &Script) -> (Verdict, Notes) {
    run(path, script, true)
}

/// [`run_script`] without the trace: the verdict in memory that does not grow with what the
/// script sends (a trace keeps a copy of every segment).
pub fn run_script_untraced(path: &str, script: &Script) -> (Verdict, Notes) {
    run(path, script, false)
}

fn run(path: &str, script: &Script, tracing: bool) -> (Verdict, Notes) {
    if let Some(reason) = unsupported_reason(path, script) {
        return (Verdict::Unsupported(reason), Notes::default());
    }
    let mut r = Runner::new(script.tolerance_usecs(), tracing);
    let verdict = match r.run(script) {
        Ok(()) => Verdict::Pass,
        Err(f) => Verdict::Fail(f),
    };
    (verdict, r.notes)
}
