//! The explorer in a real browser: `synfin explore --counterexample ...` is started on a free
//! port, and `tests/browser/explore.mjs` drives Debian's Chromium through playwright-core on
//! the URL it prints, checking the page as a person would see it (path, verdicts, state panel,
//! sequence diagram, keyboard navigation) and saving screenshots in `target/browser/`.
//!
//! Needs `node`, `/usr/bin/chromium` and `tests/browser/node_modules/playwright-core`
//! (`.ci/install-browser.sh` installs the last two). Without them each test says what is
//! missing and passes, except under `CI=true`, where a missing piece is a failure.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// How long the explorer may take to find its counterexample and print the URL.
const URL_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the browser run may take (explore.mjs gives up by itself after 120 s).
const NODE_TIMEOUT: Duration = Duration::from_secs(180);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `node` on the PATH.
fn node() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("node"))
        .find(|p| p.is_file())
}

/// The node binary when everything the browser tests need is here; `None` (after saying why)
/// when something is missing outside CI. Under `CI=true` a missing piece panics.
fn prerequisites() -> Option<PathBuf> {
    let node = node();
    let mut missing = Vec::new();
    if node.is_none() {
        missing.push("node (not on the PATH)".to_string());
    }
    if !Path::new(CHROMIUM).is_file() {
        missing.push(CHROMIUM.to_string());
    }
    let playwright = root().join("tests/browser/node_modules/playwright-core/package.json");
    if !playwright.is_file() {
        missing.push("tests/browser/node_modules/playwright-core".to_string());
    }
    if missing.is_empty() {
        return node;
    }
    let what = missing.join(", ");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("missing under CI=true: {what}; run .ci/install-browser.sh");
    }
    eprintln!("skipped: {what}; run .ci/install-browser.sh");
    None
}

/// The explorer process: killed (and reaped) however the test ends.
struct Explorer(Child);

impl Drop for Explorer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `synfin explore <args> --addr 127.0.0.1:0` and returns it with the URL of the
/// `open http://...` line it prints.
fn explore(args: &[&str]) -> (Explorer, String) {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_synfin"))
        .arg("explore")
        .args(args)
        .args(["--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cannot start synfin explore");
    let mut explorer = Explorer(child);
    let stdout = explorer.0.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    // Reads every line until the explorer ends (is killed), so that it never blocks on a full
    // pipe.
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    loop {
        let left = URL_TIMEOUT.saturating_sub(start.elapsed());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some((_, rest)) = line.split_once(" open http://") {
                    let url = format!("http://{}", rest.split_whitespace().next().unwrap_or(""));
                    eprintln!(
                        "synfin explore {} printed {url} after {:.2} s",
                        args.join(" "),
                        start.elapsed().as_secs_f64()
                    );
                    return (explorer, url);
                }
                seen.push(line);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "synfin explore {} printed no `open http://...` URL within {} s; it printed:\n{}",
                args.join(" "),
                URL_TIMEOUT.as_secs(),
                seen.join("\n")
            ),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = explorer.0.wait();
                panic!(
                    "synfin explore {} ended ({status:?}) without printing a URL; it printed:\n{}",
                    args.join(" "),
                    seen.join("\n")
                )
            }
        }
    }
}

/// Everything a reader thread reads from `r`.
fn collect(mut r: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Runs `node tests/browser/explore.mjs URL target/browser MODE` and fails the test, with
/// node's output, unless it passes.
fn browse(node: &Path, url: &str, mode: &str) {
    let start = Instant::now();
    let mut child = Command::new(node)
        .current_dir(root())
        .args(["tests/browser/explore.mjs", url, "target/browser", mode])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start node");
    let out = collect(child.stdout.take().expect("piped stdout"));
    let err = collect(child.stderr.take().expect("piped stderr"));
    let status = loop {
        if let Some(s) = child.try_wait().expect("cannot wait for node") {
            break Some(s);
        }
        if start.elapsed() > NODE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(50));
    };
    let (out, err) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    let secs = start.elapsed().as_secs_f64();
    match status {
        Some(s) if s.success() => eprintln!("{}node ran for {secs:.2} s", out),
        Some(s) => panic!(
            "the browser check ({mode}) failed ({s}) after {secs:.2} s\n--- node stdout\n{out}--- node stderr\n{err}"
        ),
        None => panic!(
            "the browser check ({mode}) took more than {} s and was killed\n--- node stdout\n{out}--- node stderr\n{err}",
            NODE_TIMEOUT.as_secs()
        ),
    }
}

#[test]
fn explorer_opens_the_no_time_wait_counterexample_in_chromium() {
    let Some(node) = prerequisites() else { return };
    let (_explorer, url) = explore(&[
        "--broken",
        "no-time-wait",
        "--counterexample",
        "resets-justified",
    ]);
    assert!(url.contains("/#/steps/0/"), "not an explorer path: {url}");
    browse(&node, &url, "counterexample");
}

#[test]
fn explorer_shows_the_fin_never_retransmitted_lasso_in_chromium() {
    let Some(node) = prerequisites() else { return };
    let (_explorer, url) = explore(&[
        "--broken",
        "fin-never-retransmitted",
        "--counterexample",
        "close-leads-to-closed",
    ]);
    assert!(
        url.contains("?cycle="),
        "a lasso's URL says where its cycle starts: {url}"
    );
    browse(&node, &url, "lasso");
}
