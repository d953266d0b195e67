//! `synfin probe`: a TCP stack behind a driver process, checked against the model
//! (`synfin_peers::probe`). Exit status 0 when every difference is explained by the profile,
//! 1 when some are not, 2 when the probe cannot run (bad profile, no namespace, a driver that
//! does not start or breaks the protocol).

use crate::cli::ProbeArgs;
use synfin_conformance::profile::Profile;
use synfin_peers::probe::{probe, Options};

pub fn run(args: &ProbeArgs) -> u8 {
    let profile = match &args.profile {
        Some(path) => match Profile::load(path) {
            Ok(p) => p,
            Err(e) => {
                errln!("error: --profile: {e}");
                return 2;
            }
        },
        None => Profile::parse("stack = \"no profile\"\n[reading]\nrfc = \"5961\"\n")
            .expect("the empty profile parses"),
    };
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    errln!(
        "synfin probe: {} scenarios, seed {seed} (replay with --seed {seed})",
        args.cases
    );
    let opts = Options {
        driver: args.driver.clone(),
        cases: args.cases,
        seed,
        profile,
        device: args.device.map(|d| match d {
            crate::cli::Device::Tun => synfin_peers::kernel::Medium::Tun,
            crate::cli::Device::Tap => synfin_peers::kernel::Medium::Tap,
        }),
    };
    // The probe enters a private network namespace: on a thread of its own, so that the rest
    // of the process stays where it was.
    let report = match std::thread::spawn(move || probe(&opts)).join() {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            errln!("error: {e}");
            return 2;
        }
        Err(_) => {
            errln!("error: the probe failed unexpectedly");
            return 2;
        }
    };
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&report).expect("the report is JSON")
        );
    } else {
        out!("{report}");
    }
    u8::from(!report.explained())
}
