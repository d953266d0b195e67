//! A driver process (`peers/DRIVER.md`): started in the namespace, spoken to in JSON lines on
//! its standard input and output, one request at a time, each answered within [`ANSWER`].
//! Whatever the driver does (prints garbage, a line too long, the wrong id, exits, hangs),
//! synfin gets an `Err` that says so, never a panic and never unbounded memory.

use crate::kernel::peer::Calls;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddrV4;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;
use synfin_model::State;

/// How long a driver may take to answer a request.
pub const ANSWER: Duration = Duration::from_secs(5);
/// The longest line a driver may write.
pub const MAX_LINE: usize = 64 * 1024;

/// A running driver.
pub struct Driver {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Result<String, String>>,
    next_id: u64,
    /// What the driver calls the stack.
    pub name: String,
    /// Whether it can tell the connection's state.
    pub tells_state: bool,
    /// The first thing that went wrong with it, kept for the report.
    pub broken: Option<String>,
}

/// Reads the driver's output, line by line, each at most [`MAX_LINE`] octets, into `tx`.
fn read_lines(out: impl Read, tx: mpsc::SyncSender<Result<String, String>>) {
    let mut r = BufReader::new(out);
    loop {
        let mut buf = Vec::new();
        let n = match r
            .by_ref()
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(n) => n,
            Err(e) => {
                let _ = tx.send(Err(format!("reading its output: {e}")));
                return;
            }
        };
        if n == 0 {
            let _ = tx.send(Err("it closed its output (exited?)".into()));
            return;
        }
        if buf.last() != Some(&b'\n') && buf.len() > MAX_LINE {
            let _ = tx.send(Err(format!(
                "it wrote a line longer than {MAX_LINE} octets"
            )));
            return;
        }
        let line = String::from_utf8_lossy(&buf).trim().to_string();
        if tx.send(Ok(line)).is_err() {
            return;
        }
    }
}

impl Driver {
    /// Starts `command` (split as a shell would, without a shell) and says hello.
    pub fn start(command: &str) -> Result<Driver, String> {
        Driver::start_with(command, json!({}))
    }

    /// As [`Driver::start`], with `extra` fields in the hello (where a user-space stack
    /// finds its device and address).
    pub fn start_with(command: &str, extra: Value) -> Result<Driver, String> {
        let words = shlex::split(command)
            .filter(|w| !w.is_empty())
            .ok_or_else(|| format!("--driver {command:?}: not a command line"))?;
        let mut child = Command::new(&words[0])
            .args(&words[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("--driver {command:?}: cannot start {:?}: {e}", words[0]))?;
        let stdout = child.stdout.take().expect("piped");
        // One line at a time: a driver that writes more than it answers blocks on its own
        // output, and synfin's memory does not grow with it.
        let (tx, lines) = mpsc::sync_channel(1);
        std::thread::spawn(move || read_lines(stdout, tx));
        let mut d = Driver {
            stdin: child.stdin.take(),
            child,
            lines,
            next_id: 0,
            name: String::new(),
            tells_state: false,
            broken: None,
        };
        let mut hello = json!({"op": "hello", "protocol": 1});
        if let (Some(h), Some(x)) = (hello.as_object_mut(), extra.as_object()) {
            h.extend(x.clone());
        }
        let hello = d.request(hello)?;
        d.name = hello["name"]
            .as_str()
            .unwrap_or("a driver without a name")
            .to_string();
        d.tells_state = hello["state"].as_bool().unwrap_or(false);
        Ok(d)
    }

    /// Sends `req` (an object with its `op`) and waits for the answer. `Err` when the driver
    /// refuses (`ok: false`, with its `error`) or breaks the protocol (then [`Driver::broken`]
    /// says how, and every later request fails at once).
    pub fn request(&mut self, mut req: Value) -> Result<Value, String> {
        if let Some(b) = &self.broken {
            return Err(b.clone());
        }
        let id = self.next_id;
        self.next_id += 1;
        req["id"] = json!(id);
        let op = req["op"].as_str().unwrap_or("?").to_string();
        let answer = self.exchange(&req, id, &op);
        match answer {
            Ok(v) if v["ok"].as_bool() == Some(true) => Ok(v),
            Ok(v) => Err(format!(
                "{op}: {}",
                v["error"].as_str().unwrap_or("refused without a reason")
            )),
            Err(e) => {
                let e = format!("the driver broke the protocol at {op:?}: {e}");
                self.broken = Some(e.clone());
                Err(e)
            }
        }
    }

    fn exchange(&mut self, req: &Value, id: u64, op: &str) -> Result<Value, String> {
        let stdin = self.stdin.as_mut().ok_or("its input is closed")?;
        writeln!(stdin, "{req}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("writing to it: {e}"))?;
        let line = match self.lines.recv_timeout(ANSWER) {
            Ok(line) => line?,
            Err(RecvTimeoutError::Timeout) => {
                return Err(format!("no answer to {op:?} within {} s", ANSWER.as_secs()))
            }
            Err(RecvTimeoutError::Disconnected) => return Err("its output is gone".into()),
        };
        let v: Value = serde_json::from_str(&line)
            .map_err(|e| format!("not a JSON line ({e}): {line:.80}"))?;
        if v["id"].as_u64() != Some(id) {
            return Err(format!("answered id {} to request {id}", v["id"]));
        }
        if v["ok"].as_bool().is_none() {
            return Err(format!("an answer without \"ok\": {line:.80}"));
        }
        Ok(v)
    }

    /// Asks the driver to quit, closes its input, and waits a little for it; kills it if it
    /// does not go.
    pub fn stop(mut self) {
        if self.broken.is_none() {
            let _ = self.request(json!({"op": "quit"}));
        }
        self.stdin = None;
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The user calls of one run, through the driver.
pub struct DriverCalls<'d>(pub &'d mut Driver);

impl Calls for DriverCalls<'_> {
    fn name(&self) -> String {
        self.0.name.clone()
    }

    fn open_active(&mut self, local: SocketAddrV4, remote: SocketAddrV4) -> Result<(), String> {
        self.0
            .request(json!({
                "op": "connect",
                "addr": local.ip().to_string(),
                "port": local.port(),
                "remote_addr": remote.ip().to_string(),
                "remote_port": remote.port(),
            }))
            .map(drop)
    }

    fn open_passive(&mut self, local: SocketAddrV4) -> Result<(), String> {
        self.0
            .request(json!({"op": "listen", "addr": local.ip().to_string(), "port": local.port()}))
            .map(drop)
    }

    fn close(&mut self) -> Result<(), String> {
        self.0.request(json!({"op": "close"})).map(drop)
    }

    fn abort(&mut self) -> Result<(), String> {
        self.0.request(json!({"op": "abort"})).map(drop)
    }

    /// The driver's answer to `state`, if it tells states; `None` otherwise (the state is
    /// then inferred). A driver that said it tells states and answers anything but one of RFC
    /// 9293's names or `null` breaks the protocol.
    fn state(&mut self, _port: u16) -> Option<State> {
        let v = self.0.request(json!({"op": "state"})).ok()?;
        if !self.0.tells_state || v["state"].is_null() {
            return None;
        }
        let found = v["state"]
            .as_str()
            .and_then(|name| State::ALL.into_iter().find(|s| s.rfc_name() == name));
        if found.is_none() {
            self.0.broken = Some(format!(
                "the driver broke the protocol at \"state\": {} is no RFC 9293 state name",
                v["state"]
            ));
        }
        found
    }

    fn end(&mut self) {
        let _ = self.0.request(json!({"op": "reset"}));
    }
}
