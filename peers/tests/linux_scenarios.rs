//! Generated scenarios against the Linux kernel's TCP, through a TUN device in a private
//! network namespace (nothing leaves it): who opens (the kernel, the tester, both at once), who
//! closes first (either, both at once), aborts from either side (the kernel's by SO_LINGER 0),
//! and loss, duplication, reordering and late duplicates of the tester's datagrams
//! (`synfin_peers::scenario`). Every step of the kernel's is replayed into the model's rules
//! (`synfin_conformance::peer_trace`); a difference whose key is not in the peer's named
//! profile (`profiles/linux.toml`) fails the test. The kernel's timers are real, so
//! the cases are few and a run ends once both sides are CLOSED or in TIME-WAIT (TIME-WAIT is
//! not waited out). Prints the tally (cases, steps, segments compared, differences by key).
//!
//! Skips with a printed reason where namespaces or TUN are not available; fails instead when
//! `SYNFIN_REQUIRE_KERNEL=1`.

mod common;

use common::linux::in_netns;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};
use synfin_peers::kernel::peer::KernelPeer;
use synfin_peers::scenario::check::Summary;
use synfin_peers::scenario::{env_or, run, scenarios, Ports};

#[test]
fn linux_scenarios_are_in_the_model() {
    in_netns("linux_scenarios_are_in_the_model", |k| {
        let began = Instant::now();
        let k = RefCell::new(k);
        let profile = synfin_peers::profiles::linux();
        let summary = RefCell::new(Summary::default());
        let next_port = Cell::new(20000u16);
        let mut runner = TestRunner::new(Config {
            cases: env_or("PROPTEST_CASES", 24),
            // A fixed seed (PROPTEST_RNG_SEED and PROPTEST_CASES override): the same scenarios
            // every time (the kernel's ISS and timing vary).
            rng_seed: RngSeed::Fixed(env_or("PROPTEST_RNG_SEED", 9293)),
            failure_persistence: None,
            // Each run takes real time: shrink a little, not for minutes.
            max_shrink_iters: 16,
            ..Config::default()
        });
        // Fewer faults than for smoltcp: every lost datagram costs a real second or more.
        let result = runner.run(&scenarios(3, 8), |sc| {
            // Fresh ports per run: the kernel's TIME-WAIT outlives it.
            let base = next_port.get();
            next_port.set(if base >= 60000 { 20000 } else { base + 2 });
            let ports = Ports {
                peer: base,
                tester: base + 1,
            };
            let mut k = k.borrow_mut();
            let mut peer = KernelPeer::new(&mut k);
            let r = run(&mut peer, &sc, ports, Duration::from_secs(8));
            drop(peer);
            summary
                .borrow_mut()
                .check("linux", &sc, &r, &profile)
                .map_err(TestCaseError::fail)
        });
        println!("{}", summary.borrow().report("linux", &profile));
        println!("{:.1} s in all", began.elapsed().as_secs_f64());
        if let Err(e) = result {
            panic!("{e}");
        }
    });
}
