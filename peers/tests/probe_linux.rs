//! `synfin probe` against the kernel through the Python driver (`peers/drivers/linux.py`),
//! beside the in-process kernel scenarios (`linux_scenarios.rs`): the same scenarios give the
//! same steps and the same differences, whether the kernel's sockets are called from this
//! thread or from a driver process speaking `peers/DRIVER.md`. Needs what the kernel tests
//! need (root or user namespaces, `/dev/net/tun`, iproute2) and python3; skips otherwise,
//! unless `SYNFIN_REQUIRE_KERNEL=1`.

mod common;

use common::linux::in_netns;
use std::collections::BTreeMap;
use std::time::Duration;
use synfin_conformance::evidence;
use synfin_conformance::peer_trace::{self, Tally};
use synfin_peers::kernel::peer::KernelPeer;
use synfin_peers::probe::{draw, probe_in, Options};
use synfin_peers::scenario::{run, Ports};

const SEED: u64 = 9293;
const CASES: u32 = 8;

fn driver() -> String {
    format!("python3 {}/drivers/linux.py", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_python_driver_reproduces_the_in_process_kernel_scenarios() {
    in_netns("probe_linux", |mut k| {
        let profile = synfin_peers::profiles::linux();
        // In process: the kernel's sockets called from this thread, on the probe's scenarios
        // and ports.
        let mut tally = Tally::default();
        let mut direct: BTreeMap<String, usize> = BTreeMap::new();
        for (i, sc) in draw(CASES, SEED).into_iter().enumerate() {
            // Ports apart from the probe's (20000 + 2i): TIME-WAIT outlives a run.
            let base = 40000 + 2 * i as u16;
            let ports = Ports {
                peer: base,
                tester: base + 1,
            };
            let r = {
                let mut peer = KernelPeer::new(&mut k);
                run(&mut peer, &sc, ports, Duration::from_secs(8))
            };
            for d in peer_trace::replay(&r.steps, profile.reading(), &mut tally) {
                let explained = profile
                    .explain(&d.signature, |e| evidence::holds(e, &d, &r.steps))
                    .is_some();
                assert!(explained, "in process: {}", d.key());
                *direct.entry(d.key()).or_default() += 1;
            }
        }
        // Through the driver.
        let opts = Options {
            driver: driver(),
            cases: CASES,
            seed: SEED,
            profile: profile.clone(),
            device: None,
        };
        let report = probe_in(&mut k, &opts).unwrap_or_else(|e| panic!("{e}"));
        println!("{report}");
        assert!(report.states_told);
        assert!(report.explained(), "unexplained: {:?}", report.unexplained);
        assert_eq!(report.cases, CASES as usize);
        assert_eq!(
            (report.steps, report.segments, report.agreed_segments),
            (tally.steps, tally.segments, tally.agreed_segments),
            "steps, segments and agreed segments, driver vs in process"
        );
        let mut driven: BTreeMap<String, usize> = BTreeMap::new();
        for g in &report.families {
            for (s, n) in &g.signatures {
                *driven.entry(s.clone()).or_default() += n;
            }
        }
        assert_eq!(
            driven, direct,
            "differences by signature, driver vs in process"
        );
        assert!(
            !direct.is_empty(),
            "the seed shows no difference: pick another"
        );
    });
}
