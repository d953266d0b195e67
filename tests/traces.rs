//! The seed's handshake and close, rendered by the model's trace renderer from explicit action
//! lists, with the seed's J/K/M/N names.

use synfin_model::scenarios::{scenario, NAMES};
use synfin_model::trace;

fn diagram(name: &str) -> String {
    let sc = scenario(name).expect("named scenario");
    let model = sc.model();
    let actions = sc.actions(&model).expect("scenario replays");
    let path = model.path(&actions).expect("actions apply");
    let steps = trace::steps(&model, &path);
    trace::render(&model, &steps, &(sc.names)(model.cfg()), sc.first)
}

#[test]
fn seed_handshake() {
    insta::assert_snapshot!(diagram("seed-handshake"));
}

#[test]
fn seed_close() {
    insta::assert_snapshot!(diagram("seed-close"));
}

#[test]
fn fig7_simultaneous_open() {
    insta::assert_snapshot!(diagram("fig7-simultaneous-open"));
}

#[test]
fn fig8_old_duplicate_syn() {
    insta::assert_snapshot!(diagram("fig8-old-duplicate-syn"));
}

#[test]
fn fig11_old_syn_resets_two_listeners() {
    insta::assert_snapshot!(diagram("fig11-old-syn-resets-two-listeners"));
}

#[test]
fn fig13_simultaneous_close() {
    insta::assert_snapshot!(diagram("fig13-simultaneous-close"));
}

#[test]
fn every_scenario_replays() {
    for name in NAMES {
        assert!(!diagram(name).is_empty());
    }
}
