//! The model's named scenarios replayed on two `synfin-tcp` endpoints: each must give exactly
//! the model's trace (every step's actor, action, segment, reply, both states and events).
//! Because the two are asserted identical, one snapshot of the diagram and one of the JSON per
//! scenario pin both. The diagrams are the model's trace snapshots in `tests/snapshots/` (the
//! root crate's), with `synfin trace`'s `name: about` line on top.

use synfin_conformance::scenario::{diagram, endpoint_steps, model_steps};
use synfin_model::scenarios::{scenario, NAMES};

/// Asserts that the endpoint replays `name` exactly as the model does, then pins the trace
/// as a diagram and as JSON.
fn endpoint_trace_is_the_models(name: &str) {
    let sc = scenario(name).expect("named scenario");
    let model = model_steps(&sc).expect("the scenario replays on the model");
    let endpoint = endpoint_steps(&sc).expect("the scenario replays on the endpoints");
    for (n, (m, e)) in model.iter().zip(&endpoint).enumerate() {
        assert_eq!(
            m,
            e,
            "{name}: step {} differs (left: model, right: endpoint)",
            n + 1
        );
    }
    assert_eq!(model.len(), endpoint.len(), "{name}: number of steps");
    let snap = name.replace('-', "_");
    insta::assert_snapshot!(snap.clone(), diagram(&sc, &endpoint));
    insta::assert_snapshot!(
        format!("{snap}_json"),
        serde_json::to_string_pretty(&endpoint).expect("steps serialize")
    );
}

#[test]
fn seed_handshake_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("seed-handshake");
}

#[test]
fn seed_close_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("seed-close");
}

#[test]
fn fig7_simultaneous_open_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("fig7-simultaneous-open");
}

#[test]
fn fig8_old_duplicate_syn_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("fig8-old-duplicate-syn");
}

#[test]
fn fig9_half_open_discovery_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("fig9-half-open-discovery");
}

#[test]
fn fig10_half_open_by_segment_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("fig10-half-open-by-segment");
}

#[test]
fn fig11_old_syn_resets_two_listeners_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("fig11-old-syn-resets-two-listeners");
}

#[test]
fn fig13_simultaneous_close_on_the_endpoints_is_the_models_trace() {
    endpoint_trace_is_the_models("fig13-simultaneous-close");
}

/// A scenario added to the model without a test above fails here.
#[test]
fn every_named_scenario_has_a_trace_test() {
    let tested = [
        "seed-handshake",
        "seed-close",
        "fig7-simultaneous-open",
        "fig8-old-duplicate-syn",
        "fig9-half-open-discovery",
        "fig10-half-open-by-segment",
        "fig11-old-syn-resets-two-listeners",
        "fig13-simultaneous-close",
    ];
    assert_eq!(NAMES.as_slice(), tested.as_slice());
}
