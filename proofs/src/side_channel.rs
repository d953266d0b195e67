//! The challenge-ACK side channel (CVE-2016-5696) as named runs of `synfin prove`: one server,
//! the victim's connection and the attacker's own, checked for **noninterference** by
//! self-composition ([`synfin_model::side_channel`]) under each challenge-ACK limit. A run that
//! must leak is caught only with the shortest input sequence that tells the secrets apart.

use serde::Serialize;
use synfin_model::side_channel::{check, Leak, Probe, Secret, Verdict};
use synfin_model::throttle::Limit;

/// Inputs per run (forged RSTs, RSTs on the attacker's own connection, waits).
pub const STEPS: u8 = 6;
/// Periods the attacker may wait out.
pub const TICKS: u8 = 1;

/// A named side-channel run: a limit and whether the attacker must be able to learn the
/// victim's secret under it.
#[derive(Clone, Debug, Serialize)]
pub struct SideChannelRun {
    pub name: &'static str,
    /// The limit in words (`synfin side-channel` prints it).
    pub about: &'static str,
    pub limit: Limit,
    /// What the attacker tries to learn: the victim's window, or whether it exists.
    pub secret: Secret,
    /// The checker must find a leak (`noninterference` violated).
    pub leaks: bool,
    /// The number of this run in the gallery (proofs/README.md).
    pub gallery: Option<u8>,
}

/// The verdict of a side-channel run.
#[derive(Clone, Debug, Serialize)]
pub struct SideChannelResult {
    pub passed: bool,
    #[serde(flatten)]
    pub verdict: Verdict,
}

const fn limit(per_connection: Option<u8>, shared: Option<u8>) -> Limit {
    Limit {
        per_connection,
        shared,
    }
}

/// Every side-channel run: RFC 5961 §7's limit per connection (its reading, and Linux 6.x's
/// per socket), Linux before 2016 (one limit for the whole host: gallery 8), Linux 4.7 to 5.x
/// (per socket, then host-wide), and no limit, with the victim's window as the secret; then
/// the victim connection's existence as the secret, per connection and shared.
pub fn side_channel_runs() -> Vec<SideChannelRun> {
    let run = |name, about, limit, leaks| SideChannelRun {
        name,
        about,
        limit,
        secret: Secret::Window,
        leaks,
        gallery: None,
    };
    let existence = |name, about, limit, leaks| SideChannelRun {
        secret: Secret::Existence,
        ..run(name, about, limit, leaks)
    };
    vec![
        run(
            "challenge-ack-unlimited",
            "no limit",
            limit(None, None),
            false,
        ),
        run(
            "challenge-ack-per-connection",
            "per connection, 2 a period",
            limit(Some(2), None),
            false,
        ),
        SideChannelRun {
            gallery: Some(8),
            ..run(
                "challenge-ack-side-channel",
                "shared by the host, 2 a period",
                limit(None, Some(2)),
                true,
            )
        },
        run(
            "challenge-ack-per-socket-then-shared-1",
            "per connection 1, then shared 1",
            limit(Some(1), Some(1)),
            true,
        ),
        run(
            "challenge-ack-per-socket-then-shared-2",
            "per connection 1, then shared 2",
            limit(Some(1), Some(2)),
            false,
        ),
        // Cao et al.'s first step: does the victim's connection exist at all?
        existence(
            "challenge-ack-existence-per-connection",
            "per connection, 2 a period",
            limit(Some(2), None),
            false,
        ),
        existence(
            "challenge-ack-existence-side-channel",
            "shared by the host, 2 a period",
            limit(None, Some(2)),
            true,
        ),
    ]
}

impl SideChannelRun {
    /// Checks noninterference exhaustively within `steps` inputs and [`TICKS`] waits, and
    /// judges the verdict.
    pub fn run_with(&self, steps: u8) -> SideChannelResult {
        let verdict = check(self.limit, self.secret, steps, TICKS);
        SideChannelResult {
            passed: verdict.leak.is_some() == self.leaks,
            verdict,
        }
    }

    /// [`Self::run_with`] at the default bound, [`STEPS`] inputs.
    pub fn run(&self) -> SideChannelResult {
        self.run_with(STEPS)
    }
}

/// An attacker input in words.
pub fn input_words(p: Probe) -> &'static str {
    match p {
        Probe::SpoofRst => "forged RST at the victim",
        Probe::SpoofSynAck => "forged SYN,ACK at the victim",
        Probe::Own => "RST on its own connection",
        Probe::Tick => "wait for the next period",
    }
}

fn seen(o: &Option<bool>) -> &'static str {
    match o {
        None => "-",
        Some(true) => "challenge ACK",
        Some(false) => "nothing",
    }
}

/// A leak as numbered lines (each indented by `indent`): each input, and what the attacker
/// sees under each value of `secret` (the forged RST inside the victim's window and outside
/// it; the victim's connection existing and absent).
pub fn render_leak(leak: &Leak, secret: Secret, indent: &str) -> String {
    let [a, b] = secret.values();
    let mut out = String::new();
    for (k, p) in leak.inputs.iter().enumerate() {
        out.push_str(&format!(
            "{indent}{}. {:<29} {a}: {:<14} {b}: {}\n",
            k + 1,
            input_words(*p),
            seen(&leak.seen[0][k]),
            seen(&leak.seen[1][k])
        ));
    }
    out
}
