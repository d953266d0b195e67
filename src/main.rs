//! `synfin`: check, explore and trace the RFC 9293 connection life cycle model.

#[macro_use]
mod out;

mod check;
mod cli;
mod conform;
mod explore;
mod found;
mod guard;
mod link;
mod list;
mod probe;
mod prove;
mod rfc;
mod search;
mod side_channel;
mod trace;
mod trace_dir;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match cli.command {
        cli::Command::Check(args) => check::run(&args),
        cli::Command::List => list::run(),
        cli::Command::Explore(args) => explore::run(&args),
        cli::Command::Trace(args) => trace::run(&args),
        cli::Command::Prove(args) => prove::run(&args),
        cli::Command::Conform(args) => conform::run(&args),
        cli::Command::Rfc(args) => rfc::run(&args),
        cli::Command::Probe(args) => probe::run(&args),
        cli::Command::SideChannel(args) => side_channel::run(&args),
    };
    ExitCode::from(code)
}
