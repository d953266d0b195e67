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

/// A driver that cannot tell states (`linux.py --no-state`): the scenario's calls wait on the
/// model's inferred state, the report says so, and the runs are the ones a state-telling
/// driver gives.
#[test]
fn a_driver_that_cannot_tell_states_gets_them_inferred() {
    // Each probe in a namespace of its own: a probe's ports (20000 up) meet the TIME-WAIT
    // sockets of an earlier probe in the same namespace.
    let probe = |driver: String| {
        let (tx, rx) = std::sync::mpsc::channel();
        in_netns("probe_linux_no_state", move |mut k| {
            let opts = Options {
                driver,
                cases: 4,
                seed: SEED,
                profile: synfin_peers::profiles::linux(),
                device: None,
            };
            tx.send(probe_in(&mut k, &opts).unwrap_or_else(|e| panic!("{e}")))
                .unwrap();
        });
        rx.try_recv().ok()
    };
    let (Some(told), Some(inferred)) = (probe(driver()), probe(format!("{} --no-state", driver())))
    else {
        return; // skipped: no namespace here
    };
    println!("{inferred}");
    assert!(told.states_told && !inferred.states_told);
    assert!(inferred.explained(), "{inferred}");
    assert_eq!(
        (
            inferred.cases,
            inferred.finished,
            inferred.steps,
            inferred.segments
        ),
        (told.cases, told.finished, told.steps, told.segments)
    );
}
