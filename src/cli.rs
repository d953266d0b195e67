//! Command-line arguments (clap). Bad usage exits with status 2 and names the valid values.

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use synfin_model::{config, configs, Broken, Config, IsnPolicy, Rfc};

#[derive(Parser)]
#[command(
    name = "synfin",
    version,
    about = "Check, explore and trace the TCP connection life cycle of RFC 9293"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check a configuration exhaustively (BFS) against its properties.
    Check(CheckArgs),
    /// List the configurations and properties.
    List,
    /// Open the web explorer on a configuration, or on a counterexample.
    Explore(ExploreArgs),
    /// Print a named scenario, replayed on the model or the endpoint, as a diagram or JSON.
    #[command(
        override_usage = "synfin trace --scenario <SCENARIO> [--format <FORMAT>] [--engine <ENGINE>] [--output <FILE>]"
    )]
    Trace(TraceArgs),
    /// Run the named verification runs (healthy configs and broken variants).
    Prove(ProveArgs),
    /// Run packetdrill scripts (the FreeBSD tcp-testsuite) against the endpoint.
    Conform(ConformArgs),
    /// The RFC 9293 requirements matrix: each requirement of Appendix B, where the model and
    /// the endpoint implement it and which tests cover it (from the duvet annotations).
    Rfc(RfcArgs),
    /// Check a TCP stack against the model through a driver process (peers/DRIVER.md), inside
    /// a private network namespace. Exit 0: every difference explained by the profile; 1: some
    /// unexplained; 2: the probe could not run.
    Probe(ProbeArgs),
    /// The challenge-ACK side channel (CVE-2016-5696) as noninterference: for each limit, can
    /// an off-path attacker tell from its own connection whether a forged RST hit another
    /// connection's window? Exit 0: every limit as expected (a shared limit leaks, a
    /// per-connection limit does not); 1: otherwise.
    SideChannel(SideChannelArgs),
}

#[derive(Args)]
pub struct SideChannelArgs {
    /// The attacker's inputs per run (forged RSTs, RSTs on its own connection, waits), 1 to 12.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u8).range(1..=12))]
    pub steps: u8,
    /// Print the verdicts as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ProbeArgs {
    /// The driver's command line (split as a shell would, run without a shell), e.g.
    /// 'python3 peers/drivers/linux.py'.
    #[arg(long)]
    pub driver: String,
    /// How many generated scenarios to run (each takes about a second of real time).
    #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub cases: u32,
    /// The seed the scenarios are drawn from (default: a new one, printed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// The profile of accepted differences (TOML, profiles/README.md); default: none, every
    /// difference is unexplained.
    #[arg(long)]
    pub profile: Option<std::path::PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// A user-space stack: it attaches to the device synfin1 (TUN: IP datagrams; TAP:
    /// Ethernet) at 10.9.0.2/24, gateway 10.9.0.1; the driver's hello says so. Default: the
    /// namespace's kernel, at 10.7.0.1.
    #[arg(long, value_enum)]
    pub device: Option<Device>,
}

/// What a user-space stack under `synfin probe` sits behind.
#[derive(Clone, Copy, ValueEnum)]
pub enum Device {
    Tun,
    Tap,
}

#[derive(Args)]
pub struct RfcArgs {
    /// RFC 9293 as text (default: $SYNFIN_RFC9293, else ../shared/rfc/rfc9293.txt from --root).
    #[arg(long)]
    pub rfc: Option<std::path::PathBuf>,
    /// The workspace whose sources are scanned for annotations.
    #[arg(long, default_value = ".")]
    pub root: std::path::PathBuf,
    /// Write the matrix (markdown) to this file instead of printing it.
    #[arg(long, conflicts_with = "check")]
    pub output: Option<std::path::PathBuf>,
    /// Compare the matrix with this committed file; exit 1 if it differs.
    #[arg(long)]
    pub check: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct ConformArgs {
    /// Directory holding the .pkt scripts (searched recursively).
    #[arg(long)]
    pub corpus: std::path::PathBuf,
    /// Print the per-script verdicts and the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ProveArgs {
    /// Run only this proof (default: all).
    #[arg(value_parser = PossibleValuesParser::new(proof_names()))]
    pub name: Option<String>,
    /// Checker threads, 1 to 256 (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

fn config_names() -> Vec<&'static str> {
    configs().iter().map(|c| c.name).collect()
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ProfileArg {
    /// RFC 5961 challenge ACKs for RST and SYN, ACK validation (default).
    Rfc5961,
    /// RFC 793: acceptable RSTs reset, in-window SYNs reset.
    Rfc793,
}

/// The model's configuration and network knobs.
#[derive(Args)]
pub struct ModelArgs {
    /// Named configuration (see `synfin list`).
    #[arg(long, default_value = "lifecycle", value_parser = PossibleValuesParser::new(config_names()))]
    pub config: String,
    /// The network never loses segments.
    #[arg(long)]
    pub no_loss: bool,
    /// The network never duplicates segments.
    #[arg(long)]
    pub no_dup: bool,
    /// The network duplicates segments, in a configuration that turns duplication off
    /// (`reincarnation`, `crash`).
    #[arg(long, conflicts_with = "no_dup")]
    pub dup: bool,
    /// The network keeps each direction in order (requires --no-dup).
    #[arg(long)]
    pub no_reorder: bool,
    /// How RST and SYN in synchronized states are handled.
    #[arg(long, value_enum, default_value = "rfc5961")]
    pub profile: ProfileArg,
    /// Retransmissions each end may make before its user timeout, 0 to 3 (default: the
    /// config's).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=3))]
    pub retries: Option<u8>,
    /// How later incarnations choose their ISS: `increasing` (RFC 9293 §3.4.1) or the broken
    /// `constant` (default: the config's).
    #[arg(long, value_enum)]
    pub isn: Option<IsnArg>,
    /// Let a RST end TIME-WAIT (turn RFC 1337's protection off).
    #[arg(long)]
    pub no_rfc1337: bool,
    /// Check a deliberately broken rule (the proofs' gallery; see `synfin list`).
    #[arg(long, value_parser = PossibleValuesParser::new(Broken::ALL.map(|(_, n)| n)))]
    pub broken: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum IsnArg {
    /// Each incarnation's ISS moves on by one second of the ISN clock.
    Increasing,
    /// Every incarnation reuses the first ISS (broken).
    Constant,
}

impl ModelArgs {
    /// The configuration with the knobs applied, or a usage error.
    pub fn config(&self) -> Result<Config, String> {
        let mut cfg = config(&self.config)?;
        cfg.network.loss &= !self.no_loss;
        cfg.network.duplication = (cfg.network.duplication || self.dup) && !self.no_dup;
        cfg.network.reordering &= !self.no_reorder;
        cfg.network.validate()?;
        cfg.profile.rfc = match self.profile {
            ProfileArg::Rfc5961 => Rfc::Rfc5961,
            ProfileArg::Rfc793 => Rfc::Rfc793,
        };
        if let Some(r) = self.retries {
            cfg.retries = r;
        }
        if let Some(isn) = self.isn {
            cfg.isn_policy = match isn {
                IsnArg::Increasing => IsnPolicy::Increasing,
                IsnArg::Constant => IsnPolicy::Constant,
            };
        }
        cfg.profile.rfc1337 &= !self.no_rfc1337;
        if let Some(name) = &self.broken {
            cfg.profile.broken = Broken::ALL.iter().find(|(_, n)| n == name).map(|(m, _)| *m);
        }
        Ok(cfg)
    }
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Checker threads, 1 to 256 (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// Print one JSON object instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Check liveness whatever the size. By default it runs when the configuration has at
    /// most 5,000,000 unique states (every named configuration).
    #[arg(long, conflicts_with = "no_liveness")]
    pub liveness: bool,
    /// Skip the liveness check.
    #[arg(long)]
    pub no_liveness: bool,
    /// Stop (exit status 3) when the check has seen more than this many unique states
    /// (default: no limit but memory).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub max_states: Option<u64>,
    /// Stop (exit status 3) when the process holds more than this much memory, in MB (default:
    /// 85% of the memory available at the start).
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub max_memory: Option<u64>,
    /// Write every counterexample (and lasso) of the run to this directory as text (`.txt`),
    /// JSON (`.json`), Mermaid (`.mmd`) and pcap (`.pcap`), named after the property.
    #[arg(long, value_name = "DIR")]
    pub trace_dir: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Address to serve the explorer on (port 0: any free port; the URL printed says which).
    #[arg(long, default_value = "127.0.0.1:3000")]
    pub addr: String,
    /// Open the explorer on this property's shortest counterexample (`always`), shortest
    /// example (`sometimes`) or lasso (`leads-to`); the URL to open is printed.
    #[arg(long, value_name = "PROPERTY")]
    pub counterexample: Option<String>,
    /// Open a named proof's run (see `synfin prove`) on the counterexample it must show, in
    /// place of --config and the model flags.
    #[arg(long, value_name = "NAME", value_parser = PossibleValuesParser::new(synfin_proofs::proofs().iter().map(|p| p.name).collect::<Vec<_>>()),
          conflicts_with_all = ["config", "no_loss", "no_dup", "dup", "no_reorder", "profile", "retries", "isn", "no_rfc1337", "broken"])]
    pub proof: Option<String>,
}

/// How `synfin trace` prints a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// A sequence diagram in the style of RFC 9293's figures.
    Text,
    /// The steps as a JSON array.
    Json,
    /// A Mermaid `sequenceDiagram` (renders on GitHub and GitLab).
    Mermaid,
    /// A packet capture (pcap, raw IPv4): one packet per delivery, one second apart; written to
    /// --output, or to stdout when it is not a terminal.
    Pcap,
}

/// What `synfin trace` replays a scenario on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// The model: the scenario's actions as a stateright path.
    Model,
    /// Two synfin-tcp endpoints, observed in the model's terms.
    Endpoint,
}

fn scenario_names() -> PossibleValuesParser {
    PossibleValuesParser::new(synfin_model::scenarios::NAMES)
}

#[derive(Args)]
pub struct TraceArgs {
    /// The scenario to print.
    #[arg(long, value_parser = scenario_names(), required_unless_present = "name")]
    pub scenario: Option<String>,
    /// The scenario, as a positional argument (the older form of --scenario).
    #[arg(value_parser = scenario_names(), hide = true, conflicts_with = "scenario")]
    pub name: Option<String>,
    /// Print a diagram or the steps as JSON.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TraceFormat,
    /// The same as --format json (the older form).
    #[arg(long, hide = true, conflicts_with = "format")]
    pub json: bool,
    /// Replay the scenario on the model or on two synfin-tcp endpoints.
    #[arg(long, value_enum, default_value = "model")]
    pub engine: Engine,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

impl TraceArgs {
    /// The scenario's name, from --scenario or the positional form (clap requires one).
    pub fn scenario(&self) -> &str {
        self.scenario
            .as_deref()
            .or(self.name.as_deref())
            .unwrap_or_default()
    }

    pub fn format(&self) -> TraceFormat {
        if self.json {
            TraceFormat::Json
        } else {
            self.format
        }
    }
}

/// Report a usage error the way clap does: on stderr, exit status 2.
pub fn usage_error(msg: &str) -> u8 {
    errln!("error: {msg}");
    2
}

/// Every run `synfin prove` knows: the actor model's, then the side channel's.
fn proof_names() -> Vec<&'static str> {
    let side = synfin_proofs::side_channel::side_channel_runs();
    let runs = synfin_proofs::proofs().into_iter().map(|p| p.name);
    runs.chain(side.into_iter().map(|r| r.name)).collect()
}
