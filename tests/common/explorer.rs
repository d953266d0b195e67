//! A `synfin explore` process on a free loopback port, and plain HTTP GETs to it. The process
//! is killed when the guard is dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Explorer {
    child: Child,
    /// `http://127.0.0.1:PORT/`
    pub base: String,
    /// The URL printed after `open ` (a counterexample's), if any.
    pub url: Option<String>,
}

impl Drop for Explorer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Explorer {
    /// Starts `synfin explore ARGS --addr 127.0.0.1:0` and waits (at most 120 s) for the lines
    /// that give its address and, with a counterexample, the URL to open.
    pub fn start(args: &[&str]) -> Explorer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_synfin"))
            .arg("explore")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("synfin explore starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut ex = Explorer {
            child,
            base: String::new(),
            url: None,
        };
        let wants_url = args
            .iter()
            .any(|a| *a == "--counterexample" || *a == "--proof");
        while ex.base.is_empty() || (wants_url && ex.url.is_none()) {
            let line = rx
                .recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|e| panic!("synfin explore {args:?} printed no address: {e}"));
            if let Some(at) = line.strip_prefix("Exploring ") {
                let start = at.find(" at http://").expect("an address") + 4;
                let url = at[start..].split_whitespace().next().unwrap();
                ex.base = url.to_string();
            }
            if let Some((_, url)) = line.split_once(": open ") {
                ex.url = Some(url.to_string());
            }
        }
        ex
    }

    /// The part of the URL after `#/steps` (`/0/3/5`), and the `cycle` of the query.
    pub fn fragment(url: &str) -> (String, Option<usize>) {
        let hash = url.split_once("#/steps").expect("a #/steps URL").1;
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let cycle = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("cycle="))
            .map(|c| c.parse().expect("a number"));
        (path.to_string(), cycle)
    }

    /// GET `path` (`/.path/0/3`): the status code and the body.
    pub fn get(&self, path: &str) -> (u16, String) {
        let host = self
            .base
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let mut s = TcpStream::connect(host).expect("the explorer listens");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).expect("a response");
        let (head, body) = resp.split_once("\r\n\r\n").expect("headers and body");
        let code = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("a status code");
        (code, body.to_string())
    }

    /// GET `path` and parse it as JSON (panics unless 200).
    pub fn json(&self, path: &str) -> serde_json::Value {
        let (code, body) = self.get(path);
        assert_eq!(code, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }
}
