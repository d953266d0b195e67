//! The model's named scenarios ([`synfin_model::scenarios`]) replayed on two `synfin-tcp`
//! endpoints, and written down as the model's own trace steps ([`synfin_model::trace::Step`]).
//!
//! A scenario is a list of instructions: host `i`'s next user call, the delivery of the oldest
//! segment host `i` sent that is still in flight, one of host `i`'s timers, or host `i`'s
//! crash and reboot (its connection dropped; a fresh endpoint with the model's ISS for its next
//! incarnation, its user's script from the start; segments in flight stay). The model replays
//! it as stateright actions ([`model_steps`]); here the same instructions drive two endpoints
//! ([`endpoint_steps`]): a [`synfin_tcp::pair::Pair`] (through [`crate::hosts`]) whose
//! network, read oldest first per receiver, is the one FIFO queue per direction that
//! [`Scenario::actions`] keeps for the model. Every delivery goes through the
//! wire codec (encode, then decode with the checksum checked), as a real network would carry it.
//! When the endpoint reads RFC 9293 as the model does, the two lists of steps are equal, and
//! so are their diagrams and JSON.

use crate::abstraction;
use crate::endpoint::{self, Observation};
use crate::hosts;
use stateright::actor::Id;
use synfin_model::model::SysAction;
use synfin_model::scenarios::{Do, Scenario};
use synfin_model::script::Call;
use synfin_model::trace::{self, Step};
use synfin_model::{Config, Segment as MSegment, State as MState, TcpModel};
use synfin_tcp::pair::Pair;
use synfin_tcp::{FixedIsn, Packet};

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
/// (or the wrong one), a delivery found nothing in flight, a user script ran out, a crashed
/// host was given an input, or a host that is up was told to recover. (That each host reboots
/// at most once, one at a time, is the model's rule: [`model_steps`] refuses the rest.)
pub fn endpoint_steps(sc: &Scenario) -> Result<Vec<Step>, String> {
    let cfg = scenario_config(sc)?;
    let model = sc.model();
    let ecfg = endpoint::config(&cfg.profile, cfg.retries);
    let [a, b] = [0, 1].map(|i| hosts::connection(i, ecfg.clone(), FixedIsn(cfg.isn[i].0)));
    let mut pair = hosts::pair(a, b);
    // A crashed host's connection is gone and it receives nothing, but the model keeps a
    // crashed host's last state (and its trace shows it): the state it crashed in.
    let mut crashed: [Option<MState>; 2] = [None; 2];
    // The last incarnation each host began, as the model's hosts keep it in stable storage
    // (a later OPEN begins one too): a reboot begins the next, with that incarnation's ISS.
    let mut incarnation = [0u8; 2];
    let mut next_call = [0usize; 2];
    let mut steps = Vec::with_capacity(sc.script.len());
    for (n, d) in sc.script.iter().enumerate() {
        let at = |what: String| format!("scenario '{}', step {}: {d:?}: {what}", sc.name, n + 1);
        let up = |crashed: &[Option<MState>; 2], i: usize| match crashed[i] {
            None => Ok(()),
            Some(_) => Err(at(format!("host {i} has crashed: it does nothing"))),
        };
        let (i, action, segment, obs) = match *d {
            Do::Crash(i) | Do::Recover(i) => {
                let action = match *d {
                    Do::Crash(_) => {
                        up(&crashed, i)?;
                        crashed[i] = Some(state(&pair, i));
                        SysAction::Crash(Id::from(i))
                    }
                    _ => {
                        if crashed[i].is_none() {
                            return Err(at(format!("host {i} has not crashed")));
                        }
                        incarnation[i] = incarnation[i].saturating_add(1);
                        let iss = model.host(i).iss_of(incarnation[i]);
                        // The clock kept running while the host was down: the pair's is one.
                        pair.replace(
                            hosts::side(i),
                            hosts::connection(i, ecfg.clone(), FixedIsn(iss.0)),
                        );
                        crashed[i] = None;
                        next_call[i] = 0;
                        SysAction::Recover(Id::from(i))
                    }
                };
                // The model's step for an action that is no host's input (trace::steps).
                steps.push(Step {
                    actor: cfg.names[i].to_string(),
                    action: synfin_model::trace::crash_action(&action).to_string(),
                    segment: None,
                    sent: None,
                    states: states(&pair, &crashed),
                    events: vec![],
                });
                continue;
            }
            Do::User(i) => {
                let call = *cfg.scripts[i]
                    .get(next_call[i])
                    .ok_or_else(|| at(format!("host {i}'s user script has no more calls")))?;
                up(&crashed, i)?;
                if matches!(call, Call::OpenActive | Call::OpenPassive) && next_call[i] > 0 {
                    incarnation[i] = incarnation[i].saturating_add(1);
                }
                next_call[i] += 1;
                let seen = hosts::call(&mut pair, i, call);
                (i, call.name().to_string(), None, seen.obs)
            }
            Do::Deliver(src) | Do::DeliverNewest(src) | Do::Stale(src) => {
                let (src, k) = match *d {
                    // An old duplicate from an earlier incarnation, as the config lists it:
                    // put in flight, then delivered.
                    Do::Stale(k) => {
                        let (src, seg) = *cfg
                            .stale
                            .get(k)
                            .ok_or_else(|| at(format!("the config has no old duplicate {k}")))?;
                        let packet = Packet {
                            src: pair.conn(hosts::side(src)).local(),
                            dst: pair.conn(hosts::side(1 - src)).local(),
                            segment: abstraction::wire(&seg, u16::MAX),
                        };
                        let now = pair.now();
                        pair.net.push(hosts::side(1 - src), packet, now);
                        (src, pair.net.len() - 1)
                    }
                    Do::DeliverNewest(_) => (
                        src,
                        pair.net
                            .last_to(hosts::side(1 - src))
                            .ok_or_else(|| at(format!("nothing in flight from host {src}")))?,
                    ),
                    _ => (
                        src,
                        pair.net
                            .first_to(hosts::side(1 - src))
                            .ok_or_else(|| at(format!("nothing in flight from host {src}")))?,
                    ),
                };
                let packet = &pair.net.in_flight()[k].packet;
                let seg = abstraction::segment(&packet.segment)
                    .ok_or_else(|| at("a segment the model cannot represent".into()))?;
                over_the_wire(packet).map_err(&at)?;
                let dst = 1 - src;
                up(&crashed, dst)?;
                let seen = hosts::deliver(&mut pair, k).map_err(&at)?;
                (dst, "receives".to_string(), Some((src, seg)), seen.obs)
            }
            Do::Retransmit(i) => {
                up(&crashed, i)?;
                if pair.conn(hosts::side(i)).state() == synfin_tcp::State::TimeWait {
                    return Err(at(format!(
                        "host {i} is in TIME-WAIT: its only timer is 2MSL"
                    )));
                }
                let seen = hosts::fire_timer(&mut pair, i)
                    .ok_or_else(|| at(format!("host {i} has no retransmission timer set")))?;
                (i, "retransmission timeout".to_string(), None, seen.obs)
            }
            Do::TimeWait(i) => {
                up(&crashed, i)?;
                let now = pair.conn(hosts::side(i)).state();
                if now != synfin_tcp::State::TimeWait {
                    return Err(at(format!(
                        "host {i} is in {now}, not TIME-WAIT: no 2MSL timer"
                    )));
                }
                let seen = hosts::fire_timer(&mut pair, i)
                    .ok_or_else(|| at(format!("host {i} has no 2MSL timer set")))?;
                (i, "2MSL timeout".to_string(), None, seen.obs)
            }
        };
        let sent = at_most_one(&obs).map_err(|e| at(format!("host {i} {e}")))?;
        steps.push(Step {
            actor: cfg.names[i].to_string(),
            action,
            segment,
            sent,
            states: states(&pair, &crashed),
            events: obs.events.iter().map(|e| e.name()).collect(),
        });
    }
    Ok(steps)
}

/// Host `i`'s state in the model's terms.
fn state(pair: &Pair<()>, i: usize) -> MState {
    abstraction::state(pair.conn(hosts::side(i)).state())
}

/// Both hosts' states, a crashed host's as it crashed.
fn states(pair: &Pair<()>, crashed: &[Option<MState>; 2]) -> [MState; 2] {
    [0, 1].map(|i| crashed[i].unwrap_or_else(|| state(pair, i)))
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

/// `packet` encoded to bytes and decoded back, checksum and all, as the pair carries it.
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
    fn a_crashed_host_does_nothing() {
        let mut sc = named("fig9-half-open-discovery");
        sc.script = vec![Do::User(0), Do::User(1), Do::Crash(1), Do::Deliver(0)];
        let err = endpoint_steps(&sc).unwrap_err();
        assert!(
            err.contains("step 4") && err.contains("host 1 has crashed"),
            "{err}"
        );
        sc.script = vec![Do::Crash(0), Do::User(0)];
        let err = endpoint_steps(&sc).unwrap_err();
        assert!(err.contains("host 0 has crashed"), "{err}");
        sc.script = vec![Do::Recover(1)];
        let err = endpoint_steps(&sc).unwrap_err();
        assert!(err.contains("host 1 has not crashed"), "{err}");
    }

    #[test]
    fn a_rebooted_host_opens_with_its_next_incarnations_iss() {
        let mut sc = named("fig9-half-open-discovery");
        sc.script = vec![Do::User(0), Do::Crash(0), Do::Recover(0), Do::User(0)];
        let steps = endpoint_steps(&sc).unwrap();
        assert_eq!(steps, model_steps(&sc).unwrap());
        let iss = sc.model().host(0).iss_of(1);
        assert_ne!(iss, sc.config().isn[0]);
        let syn = steps[3].sent.expect("a SYN");
        assert!(syn.syn());
        assert_eq!(syn.seq, iss);
        // The crashed host keeps showing the state it crashed in, as in the model.
        assert_eq!(steps[1].states[0], MState::SynSent);
        assert_eq!(steps[2].states[0], MState::Closed);
    }

    #[test]
    fn segments_in_flight_survive_a_crash() {
        let mut sc = named("fig10-half-open-by-segment");
        // A's SYN, sent before A crashed, still reaches B, whose SYN,ACK finds A rebooted.
        sc.script = vec![
            Do::User(1),
            Do::User(0),
            Do::Crash(0),
            Do::Deliver(0),
            Do::Recover(0),
            Do::Deliver(1),
        ];
        let steps = endpoint_steps(&sc).unwrap();
        assert_eq!(steps, model_steps(&sc).unwrap());
        assert_eq!(steps[3].states, [MState::SynSent, MState::SynReceived]);
        let rst = steps[5]
            .sent
            .expect("CLOSED answers the SYN,ACK with a RST");
        assert!(rst.rst());
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
