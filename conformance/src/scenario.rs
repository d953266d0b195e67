//! The model's named scenarios ([`synfin_model::scenarios`]) replayed on two `synfin-tcp`
//! endpoints, and written down as the model's own trace steps ([`synfin_model::trace::Step`]).
//!
//! A scenario is a list of instructions: host `i`'s next user call, the delivery of the oldest
//! segment host `i` sent that is still in flight, or one of host `i`'s timers. The model replays
//! it as stateright actions ([`model_steps`]); here the same instructions drive two endpoints
//! ([`endpoint_steps`]), with one FIFO queue of sent packets per direction, exactly as
//! [`Scenario::actions`] keeps one per direction for the model. Every delivery goes through the
//! wire codec (encode, then decode with the checksum checked), as a real network would carry it.
//! When the endpoint reads RFC 9293 as the model does, the two lists of steps are equal, and
//! so are their diagrams and JSON.

use crate::abstraction;
use crate::endpoint::{self, Endpoint, Observation};
use std::collections::VecDeque;
use synfin_model::scenarios::{Do, Scenario};
use synfin_model::trace::{self, Step};
use synfin_model::{Config, Segment as MSegment, State as MState, TcpModel};
use synfin_tcp::Packet;

/// The model's configuration for a scenario.
fn scenario_config(sc: &Scenario) -> Result<Config, String> {
    synfin_model::config(sc.config).map_err(|e| format!("scenario '{}': {e}", sc.name))?;
    Ok(sc.config())
}

/// The scenario's steps on the model: its actions replayed as a stateright path, rendered by
/// [`trace::steps`].
pub fn model_steps(sc: &Scenario) -> Result<Vec<Step>, String> {
    let model = sc.model();
    let actions = sc
        .actions(&model)
        .map_err(|e| format!("scenario '{}' on the model: {e}", sc.name))?;
    let path = model.path(&actions).ok_or_else(|| {
        format!(
            "scenario '{}': its actions do not form a path of the model",
            sc.name
        )
    })?;
    Ok(trace::steps(&model, &path))
}

/// The scenario's steps on two endpoints, in the model's terms: the same actor names and
/// action words as [`trace::steps`], the segment that arrived (and its sender's index), the
/// segment the acting endpoint sent in reply, both endpoints' states after the step and the
/// acting endpoint's events in the model's order.
///
/// An `Err` says where the endpoint cannot be written as a model step: it sent more than one
/// segment for one input (the model sends at most one), a timer instruction found no timer set
/// (or the wrong one), a delivery found nothing in flight, or a user script ran out.
pub fn endpoint_steps(sc: &Scenario) -> Result<Vec<Step>, String> {
    let cfg = scenario_config(sc)?;
    let ecfg = endpoint::config(&cfg.profile, cfg.retries);
    let mut eps = [
        Endpoint::new(0, cfg.isn[0].0, ecfg.clone()),
        Endpoint::new(1, cfg.isn[1].0, ecfg),
    ];
    let mut next_call = [0usize; 2];
    // What each host sent that has not arrived yet, oldest first.
    let mut queues: [VecDeque<Packet>; 2] = Default::default();
    let mut steps = Vec::with_capacity(sc.script.len());
    for (n, d) in sc.script.iter().enumerate() {
        let at = |what: String| format!("scenario '{}', step {}: {d:?}: {what}", sc.name, n + 1);
        let (i, action, segment, obs) = match *d {
            Do::User(i) => {
                let call = *cfg.scripts[i]
                    .get(next_call[i])
                    .ok_or_else(|| at(format!("host {i}'s user script has no more calls")))?;
                next_call[i] += 1;
                (i, call.name().to_string(), None, eps[i].call(call))
            }
            Do::Deliver(src) | Do::DeliverNewest(src) | Do::Stale(src) => {
                let (src, packet) = match *d {
                    // An old duplicate from an earlier incarnation, as the config lists it.
                    Do::Stale(k) => {
                        let (src, seg) = *cfg
                            .stale
                            .get(k)
                            .ok_or_else(|| at(format!("the config has no old duplicate {k}")))?;
                        let packet = Packet {
                            src: eps[src].local,
                            dst: eps[src].remote,
                            segment: abstraction::wire(&seg, u16::MAX),
                        };
                        (src, packet)
                    }
                    Do::DeliverNewest(_) => (
                        src,
                        queues[src]
                            .pop_back()
                            .ok_or_else(|| at(format!("nothing in flight from host {src}")))?,
                    ),
                    _ => (
                        src,
                        queues[src]
                            .pop_front()
                            .ok_or_else(|| at(format!("nothing in flight from host {src}")))?,
                    ),
                };
                let seg = abstraction::segment(&packet.segment)
                    .ok_or_else(|| at("a segment the model cannot represent".into()))?;
                let packet = over_the_wire(&packet).map_err(&at)?;
                let dst = 1 - src;
                (
                    dst,
                    "receives".to_string(),
                    Some((src, seg)),
                    eps[dst].arrive_packet(&packet),
                )
            }
            Do::Retransmit(i) => {
                if eps[i].conn.state() == synfin_tcp::State::TimeWait {
                    return Err(at(format!(
                        "host {i} is in TIME-WAIT: its only timer is 2MSL"
                    )));
                }
                let obs = eps[i]
                    .fire_timer()
                    .ok_or_else(|| at(format!("host {i} has no retransmission timer set")))?;
                (i, "retransmission timeout".to_string(), None, obs)
            }
            Do::TimeWait(i) => {
                let state = eps[i].conn.state();
                if state != synfin_tcp::State::TimeWait {
                    return Err(at(format!(
                        "host {i} is in {state}, not TIME-WAIT: no 2MSL timer"
                    )));
                }
                let obs = eps[i]
                    .fire_timer()
                    .ok_or_else(|| at(format!("host {i} has no 2MSL timer set")))?;
                (i, "2MSL timeout".to_string(), None, obs)
            }
        };
        let sent = at_most_one(&obs).map_err(|e| at(format!("host {i} {e}")))?;
        queues[i].extend(eps[i].take_packets());
        steps.push(Step {
            actor: cfg.names[i].to_string(),
            action,
            segment,
            sent,
            states: [state(&eps[0]), state(&eps[1])],
            events: obs.events.iter().map(|e| e.name()).collect(),
        });
    }
    Ok(steps)
}

/// The scenario as `synfin trace` prints it: a `name: about` line, then the model's sequence
/// diagram of `steps` (from the scenario's first step of interest, with its names).
pub fn diagram(sc: &Scenario, steps: &[Step]) -> String {
    let model: TcpModel = sc.model();
    format!(
        "{}: {}\n{}",
        sc.name,
        sc.about,
        trace::render(&model, steps, &(sc.names)(model.cfg()), sc.first)
    )
}

fn state(ep: &Endpoint) -> MState {
    abstraction::state(ep.conn.state())
}

/// The one segment an input made the endpoint send, if any. The model sends at most one per
/// input, so more than one cannot be a model step.
fn at_most_one(obs: &Observation) -> Result<Option<MSegment>, String> {
    match obs.sent.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        many => {
            let list: Vec<String> = many.iter().map(|s| format!("{s:?}")).collect();
            Err(format!(
                "sent {} segments where the model sends at most one: {}",
                many.len(),
                list.join(", ")
            ))
        }
    }
}

/// `packet` encoded to bytes and decoded back, checksum and all.
fn over_the_wire(packet: &Packet) -> Result<Packet, String> {
    let bytes = packet
        .encode()
        .map_err(|e| format!("the endpoint's segment does not encode: {e}"))?;
    Packet::decode(*packet.src.ip(), *packet.dst.ip(), &bytes)
        .map_err(|e| format!("the endpoint's segment does not decode: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use synfin_model::scenarios::{scenario, NAMES};

    fn named(name: &str) -> Scenario {
        scenario(name).expect("named scenario")
    }

    #[test]
    fn a_delivery_with_nothing_in_flight_is_an_error() {
        let mut sc = named("seed-handshake");
        sc.script = vec![Do::Deliver(1)];
        let err = endpoint_steps(&sc).unwrap_err();
        assert!(err.contains("nothing in flight from host 1"), "{err}");
    }

    #[test]
    fn a_timer_instruction_without_a_timer_is_an_error() {
        let mut sc = named("seed-handshake");
        sc.script = vec![Do::Retransmit(0)];
        let err = endpoint_steps(&sc).unwrap_err();
        assert!(err.contains("no retransmission timer"), "{err}");
        sc.script = vec![Do::TimeWait(1)];
        let err = endpoint_steps(&sc).unwrap_err();
        assert!(err.contains("not TIME-WAIT"), "{err}");
    }

    #[test]
    fn a_user_call_past_the_script_is_an_error() {
        let mut sc = named("seed-handshake");
        sc.script = vec![Do::User(0), Do::User(0), Do::User(0)];
        let err = endpoint_steps(&sc).unwrap_err();
        assert!(err.contains("no more calls"), "{err}");
    }

    #[test]
    fn a_retransmitted_syn_is_one_model_step() {
        let mut sc = named("seed-handshake");
        sc.script = vec![Do::User(0), Do::Retransmit(0)];
        assert_eq!(endpoint_steps(&sc), model_steps(&sc));
        let steps = endpoint_steps(&sc).unwrap();
        assert_eq!(steps[1].action, "retransmission timeout");
        assert!(steps[1].sent.is_some_and(|s| s.syn()));
    }

    #[test]
    fn every_named_scenario_replays_on_both() {
        for name in NAMES {
            let sc = named(name);
            assert_eq!(model_steps(&sc).unwrap().len(), sc.script.len(), "{name}");
            assert_eq!(
                endpoint_steps(&sc).unwrap().len(),
                sc.script.len(),
                "{name}"
            );
        }
    }
}
