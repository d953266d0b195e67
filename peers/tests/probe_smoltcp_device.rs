//! smoltcp as a separate process on a real device (`src/bin/smoltcp-driver.rs`), probed
//! through the driver protocol: behind a TUN device (IP datagrams) and behind a TAP device
//! (Ethernet, with ARP between smoltcp and the namespace's kernel, which routes between
//! synfin's device and the stack's). Every difference must be in smoltcp's profile. Needs what
//! the kernel tests need; skips otherwise, unless `SYNFIN_REQUIRE_KERNEL=1`.

mod common;

use common::linux::in_netns;
use synfin_peers::kernel::Medium;
use synfin_peers::probe::{probe_in, Options};

fn probe(medium: Medium, cases: u32) {
    in_netns("probe_smoltcp_device", move |mut k| {
        let opts = Options {
            driver: env!("CARGO_BIN_EXE_smoltcp-driver").to_string(),
            cases,
            seed: 9293,
            profile: synfin_peers::profiles::smoltcp(),
            device: Some(medium),
        };
        let report = probe_in(&mut k, &opts).unwrap_or_else(|e| panic!("{e}"));
        println!("{medium:?}: {report}");
        assert!(report.states_told);
        assert_eq!(report.cases, cases as usize);
        assert!(report.steps > 4 * cases as usize, "too few steps: {report}");
        assert!(report.explained(), "{report}");
        assert!(report.finished >= cases as usize / 2, "{report}");
    });
}

#[test]
fn smoltcp_behind_a_tun_device_is_explained_by_its_profile() {
    probe(Medium::Tun, 8);
}

#[test]
fn smoltcp_behind_a_tap_device_is_explained_by_its_profile() {
    probe(Medium::Tap, 4);
}
