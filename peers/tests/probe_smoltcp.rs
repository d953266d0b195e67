//! The probe's library entry point (`synfin_peers::probe::probe_peer`): a Rust stack embedded
//! in this process, with no namespace, TUN device or driver, implements
//! `synfin_peers::scenario::Peer`; here the in-memory smoltcp peer, on the virtual clock. With
//! smoltcp's profile every difference is explained; without one, the same differences are all
//! unexplained, grouped by signature, and the report says so.

use synfin_conformance::profile::Profile;
use synfin_peers::probe::{probe_peer, Options};
use synfin_peers::scenario::smol::SmolPeer;

fn options(profile: Profile) -> Options {
    Options {
        driver: String::new(),
        cases: 512,
        seed: 9293,
        profile,
        device: None,
    }
}

#[test]
fn the_in_memory_smoltcp_peer_probed_in_process_is_explained_by_its_profile() {
    let report = probe_peer(SmolPeer::new, &options(synfin_peers::profiles::smoltcp())).unwrap();
    println!("{report}");
    assert_eq!(report.stack, "smoltcp");
    assert_eq!(report.cases, 512);
    assert!(report.explained(), "{report}");
    assert!(report.differences > 0);
    let seen: usize = report.families.iter().map(|g| g.count).sum();
    assert_eq!(seen, report.differences);
    // Every group keeps its smallest example.
    for g in &report.families {
        assert!(
            g.example.steps > 0 && !g.example.trace.is_empty(),
            "{}",
            g.name
        );
    }
}

#[test]
fn without_a_profile_every_difference_is_unexplained_by_signature() {
    let none = Profile::parse("stack = \"none\"\n[reading]\nrfc = \"793\"\n").unwrap();
    let report = probe_peer(SmolPeer::new, &options(none)).unwrap();
    assert!(!report.explained());
    assert!(report.families.is_empty());
    let counted: usize = report.unexplained.iter().map(|g| g.count).sum();
    assert_eq!(counted, report.differences);
    // Grouped by signature: each group's name is the one signature it holds.
    for g in &report.unexplained {
        assert_eq!(g.signatures.keys().collect::<Vec<_>>(), [&g.name]);
    }
}
