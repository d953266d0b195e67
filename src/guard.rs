//! A bounded check: `synfin check` stops with a clear message, the counts so far and exit
//! status 3 when the state space outgrows `--max-states` (unique states) or the memory it may
//! use (`--max-memory`, by default 85% of the memory available when the check starts, read
//! from /proc/meminfo), instead of being killed by the operating system with no word.

use serde::Serialize;

/// The exit status of a check stopped by a limit.
pub const STOPPED: u8 = 3;

/// The limits of one check.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_states: Option<usize>,
    /// Resident memory, in bytes, beyond which the check stops (`None`: no memory guard, where
    /// /proc cannot be read).
    pub max_rss: Option<u64>,
}

/// A check stopped by a limit, with what it had done.
#[derive(Clone, Debug, Serialize)]
pub struct Stopped {
    pub config: &'static str,
    /// `max-states` or `memory`.
    pub stopped: &'static str,
    pub limit: String,
    pub states: usize,
    pub unique_states: usize,
    pub max_depth: usize,
    pub seconds: f64,
}

/// A `/proc` file's `key:   N kB` value, in bytes.
fn kb_field(path: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line[key.len()..]
        .trim_start_matches(':')
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// This process's resident memory, in bytes.
pub fn rss() -> Option<u64> {
    kb_field("/proc/self/status", "VmRSS")
}

impl Limits {
    /// The limits from the flags: `max_memory_mb` if given, else 85% of the memory available
    /// now plus what the process already holds.
    pub fn new(max_states: Option<usize>, max_memory_mb: Option<u64>) -> Limits {
        let max_rss = match max_memory_mb {
            Some(mb) => Some(mb.saturating_mul(1 << 20)),
            None => kb_field("/proc/meminfo", "MemAvailable")
                .map(|avail| rss().unwrap_or(0) + avail / 100 * 85),
        };
        Limits {
            max_states,
            max_rss,
        }
    }

    /// Whether a check at `unique` states must stop, and why.
    pub fn exceeded(&self, unique: usize) -> Option<(&'static str, String)> {
        if let Some(max) = self.max_states.filter(|m| unique > *m) {
            return Some(("max-states", format!("--max-states {max}")));
        }
        let (max, now) = (self.max_rss?, rss()?);
        (now > max).then(|| {
            (
                "memory",
                format!(
                    "{} MB resident, over the limit of {} MB",
                    now >> 20,
                    max >> 20
                ),
            )
        })
    }
}

impl Stopped {
    /// The message on stderr (and the JSON on stdout with `--json`).
    pub fn report(&self, json: bool) {
        errln!(
            "stopped: config {} grew past {} after {:.1} s: {} states, {} unique, depth {}. \
             The verdicts are unknown (the search did not finish). Raise the limit \
             (--max-states, --max-memory MB) or check a smaller model (--retries 0, --no-dup, \
             another --config).",
            self.config,
            self.limit,
            self.seconds,
            self.states,
            self.unique_states,
            self.max_depth
        );
        if json {
            match serde_json::to_string_pretty(self) {
                Ok(s) => outln!("{s}"),
                Err(e) => errln!("error: cannot encode report: {e}"),
            }
        }
    }
}
