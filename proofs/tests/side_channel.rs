//! The side-channel runs of `synfin prove` (`synfin_proofs::side_channel`): gallery 8, the
//! shared challenge-ACK limit, must leak, with its shortest leak pinned as a snapshot; every
//! other run must reach its own verdict.

use synfin_model::side_channel::Leak;
use synfin_proofs::side_channel::{render_leak, side_channel_runs, SideChannelRun, STEPS};

fn run(name: &str) -> SideChannelRun {
    side_channel_runs()
        .into_iter()
        .find(|r| r.name == name)
        .expect("named side-channel run")
}

#[test]
fn gallery_8_a_challenge_ack_limit_shared_by_the_host_leaks_the_victims_window() {
    let r = run("challenge-ack-side-channel");
    assert_eq!(r.gallery, Some(8));
    let res = r.run();
    assert!(res.passed);
    let leak = res.verdict.leak.expect("the shared limit leaks");
    insta::assert_snapshot!(r.name, story(&r, &leak));
}

fn story(r: &SideChannelRun, leak: &Leak) -> String {
    let [a, b] = r.secret.values();
    format!(
        "{}: noninterference violated in {} inputs (limit: {}; up to {STEPS} inputs, one wait)\n\
         what the attacker sees in each run ({a} / {b}):\n{}",
        r.name,
        leak.inputs.len(),
        r.about,
        render_leak(leak, r.secret, "  ")
    )
}

/// Cao et al.'s first step: a forged SYN,ACK spends the shared budget only if the victim's
/// connection exists (RFC 5961 §4's challenge ACK; a LISTEN answers with an uncounted RST).
#[test]
fn a_shared_limit_leaks_whether_the_victims_connection_exists() {
    let r = run("challenge-ack-existence-side-channel");
    let res = r.run();
    assert!(res.passed);
    let leak = res.verdict.leak.expect("the shared limit leaks existence");
    insta::assert_snapshot!(r.name, story(&r, &leak));
}

#[test]
fn every_side_channel_run_reaches_its_verdict() {
    let runs = side_channel_runs();
    assert!(runs.iter().any(|r| r.leaks) && runs.iter().any(|r| !r.leaks));
    for r in runs {
        let res = r.run();
        assert!(res.passed, "{}: {:?}", r.name, res.verdict);
        assert_eq!(res.verdict.leak.is_some(), r.leaks, "{}", r.name);
    }
}

#[test]
fn side_channel_run_names_do_not_clash_with_actor_model_runs() {
    let actor: Vec<_> = synfin_proofs::proofs()
        .into_iter()
        .map(|p| p.name)
        .collect();
    for r in side_channel_runs() {
        assert!(!actor.contains(&r.name), "{} named twice", r.name);
    }
}
