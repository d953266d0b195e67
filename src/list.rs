//! `synfin list`: configurations and properties.

use stateright::Expectation;
use synfin_model::{configs, properties};

pub fn run() -> u8 {
    outln!("Configurations (--config):");
    for (i, c) in configs().iter().enumerate() {
        let default = if i == 0 { " (default)" } else { "" };
        outln!("  {:<18} {}{}", c.name, c.about, default);
    }
    outln!();
    outln!("Properties:");
    for p in properties::catalog() {
        let kind = match p.expectation {
            Expectation::Always => "always",
            Expectation::Sometimes => "sometimes",
            Expectation::Eventually => "eventually",
        };
        let used: Vec<_> = configs()
            .iter()
            .filter(|c| {
                synfin_model::properties::for_config::<synfin_model::TcpModel>(c)
                    .iter()
                    .any(|q| q.name == p.name)
            })
            .map(|c| c.name)
            .collect();
        outln!("  {:<24} {:<9} {}", p.name, kind, p.about);
        outln!("  {:<24} {:<9} checked in: {}", "", "", used.join(", "));
    }
    0
}
