//! The system under test: one `synfin-tcp` connection, driven by the same transitions as the
//! reference and checked after each.

use super::compare;
use super::coverage::{self, Feature, Kind};
use super::reference::{RefState, Reference, Transition, RETRIES};
use crate::endpoint::{self, Endpoint, Observation};
use proptest_state_machine::StateMachineTest;
use synfin_model::rules;

pub struct Conformance;

/// Applies `t` to the endpoint; the observation, or `None` for a timer that was not set.
pub fn drive(ep: &mut Endpoint, t: &Transition) -> Option<Observation> {
    match t {
        Transition::Call(c) => Some(ep.call(*c)),
        Transition::Arrive(seg) | Transition::Duplicate(seg) => Some(ep.arrive(seg)),
        Transition::Timeout => ep.fire_timer(),
    }
}

/// One step on both sides; `Err` says how the endpoint departed from the model.
pub fn step(ep: &mut Endpoint, after: &RefState, t: &Transition) -> Result<(), String> {
    if let Transition::Arrive(seg) | Transition::Duplicate(seg) = t {
        let window = after.profile.window;
        let side = coverage::window_side(&after.before, seg, window);
        coverage::record(after.before.state, Kind::of(seg), side);
        coverage::record_features(&Feature::of(
            &after.before,
            &after.tcb,
            seg,
            window,
            after.profile.rfc1337,
        ));
    }
    let Some(obs) = drive(ep, t) else {
        return Err("the model's timer is armed but the endpoint has no deadline".into());
    };
    let tcb = ep.tcb(&after.tcb);
    if std::env::var_os("SYNFIN_CONFORMANCE_TRACE").is_some() {
        eprintln!(
            "{:<13} {t:?}\n    model    -> {:<13} sent {:?} {:?}\n    endpoint -> {:<13} sent {:?} {:?}",
            after.before.state.rfc_name(),
            after.last.tcb.state.rfc_name(),
            after.last.send,
            after.last.events,
            tcb.state.rfc_name(),
            obs.sent,
            obs.events
        );
    }
    // Where the RFC allows several behaviours, the model lists them (trace inclusion).
    let allowed = match t {
        Transition::Arrive(seg) | Transition::Duplicate(seg) => {
            rules::allowed::arrivals(&after.before, seg, &after.profile)
        }
        _ => vec![after.last],
    };
    compare::check(&allowed, &obs, &tcb)?;
    // Timers: the endpoint has a deadline exactly when the model has an armed timer.
    if ep.timer_set() != after.timer_armed() {
        return Err(format!(
            "timer: model armed {}, endpoint deadline {:?}",
            after.timer_armed(),
            ep.conn.poll_timeout()
        ));
    }
    Ok(())
}

/// The endpoint for a run: the run's ISS, profile and window (its receive buffer, and the
/// window the peer advertises to it).
pub fn endpoint_for(r: &RefState) -> Endpoint {
    let mut ep = Endpoint::new(0, r.tcb.iss.0, endpoint::config(&r.profile, RETRIES));
    ep.peer_window = u16::try_from(r.profile.window).unwrap_or(u16::MAX);
    ep
}

impl StateMachineTest for Conformance {
    type SystemUnderTest = Endpoint;
    type Reference = Reference;

    fn init_test(r: &RefState) -> Endpoint {
        endpoint_for(r)
    }

    fn apply(mut ep: Endpoint, r: &RefState, t: Transition) -> Endpoint {
        if let Err(why) = step(&mut ep, r, &t) {
            panic!(
                "endpoint departs from the model on {t:?} in {} (model now {}):\n  {why}",
                r.before.state.rfc_name(),
                r.tcb.state.rfc_name()
            );
        }
        ep
    }

    fn check_invariants(ep: &Endpoint, r: &RefState) {
        assert_eq!(
            crate::abstraction::state(ep.conn.state()),
            r.tcb.state,
            "states agree"
        );
    }
}
