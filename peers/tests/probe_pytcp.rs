//! A stack nobody here wrote, from a package registry: PyTCP 2.7.6 (PyPI `pytcp`), a TCP/IP
//! stack in Python, behind a TAP device, through `peers/drivers/pytcp_driver.py`. Every
//! difference must be in `profiles/pytcp.toml`, three of whose families are bugs of PyTCP's
//! (no simultaneous open, MUST-10; a RST without ACK ignored; CLOSED's reset at SEQ 0), and
//! the generated scenarios must show the first two.
//!
//! Needs PyTCP: `SYNFIN_PYTCP_PYTHON` names a python that imports it (`bash scripts/pytcp.sh`
//! makes one and prints its path; `.ci/run` sets the variable where the kernel tests run), and
//! what the kernel tests need. Skips with the reason otherwise; with
//! `SYNFIN_REQUIRE_KERNEL=1` a missing PyTCP fails.

mod common;

use common::linux::in_netns;
use synfin_conformance::profile::Profile;
use synfin_peers::kernel::Medium;
use synfin_peers::probe::{probe_in, Options};

#[test]
fn pytcp_behind_a_tap_device_is_explained_by_its_profile_and_shows_its_bugs() {
    let Ok(python) = std::env::var("SYNFIN_PYTCP_PYTHON") else {
        assert!(
            std::env::var("SYNFIN_REQUIRE_KERNEL").as_deref() != Ok("1"),
            "SYNFIN_REQUIRE_KERNEL=1 but SYNFIN_PYTCP_PYTHON is not set (bash scripts/pytcp.sh \
             makes PyTCP's python)"
        );
        eprintln!("skipping: SYNFIN_PYTCP_PYTHON is not set (bash scripts/pytcp.sh)");
        return;
    };
    in_netns("probe_pytcp", move |mut k| {
        let dir = env!("CARGO_MANIFEST_DIR");
        let profile = Profile::load(std::path::Path::new(&format!(
            "{dir}/../profiles/pytcp.toml"
        )))
        .unwrap_or_else(|e| panic!("{e}"));
        let opts = Options {
            driver: format!("{python} {dir}/drivers/pytcp_driver.py"),
            cases: 16,
            seed: 9293,
            profile,
            device: Some(Medium::Tap),
        };
        let report = probe_in(&mut k, &opts).unwrap_or_else(|e| panic!("{e}"));
        println!("{report}");
        assert_eq!(report.stack, "pytcp 2.7.6");
        assert!(report.explained(), "{report}");
        let seen = |name: &str| report.families.iter().any(|g| g.name.starts_with(name));
        assert!(seen("no simultaneous open"), "{report}");
        assert!(seen("a RST without the ACK bit is ignored"), "{report}");
    });
}
