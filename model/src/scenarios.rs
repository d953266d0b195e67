//! Named scenarios as explicit action lists (not BFS discoveries: stateright 0.31's BFS does not
//! return shortest paths). Used by `synfin trace` and the snapshot tests.

use crate::config::{config, Config, OLD_SYN};
use crate::host::{Input, Timer};
use crate::model::{host, SysAction, SysState, TcpModel};
use crate::segment::Segment;
use crate::trace::Names;
use stateright::actor::{ActorModelAction, Id};
use stateright::Model;
use std::collections::VecDeque;

/// One instruction of a scenario.
#[derive(Clone, Copy, Debug)]
pub enum Do {
    /// Host `i`'s user makes its next call.
    User(usize),
    /// The oldest segment host `i` sent that is still in flight arrives at the other host.
    Deliver(usize),
    /// The newest segment host `i` sent that is still in flight arrives at the other host
    /// (the network reorders).
    DeliverNewest(usize),
    /// The configuration's `k`-th old duplicate (`Config::stale`) arrives.
    Stale(usize),
    /// Host `i`'s retransmission timer fires.
    Retransmit(usize),
    /// Host `i`'s 2MSL timer fires.
    TimeWait(usize),
    /// Host `i` crashes (stateright `Crash`): its timers are cancelled and it receives nothing
    /// until it recovers; the segments in flight, to it and from it, stay in the network.
    Crash(usize),
    /// Crashed host `i` reboots (stateright `Recover`): CLOSED, its next incarnation's ISS
    /// ([`crate::host::Host::iss_of`]), its user's script from the start.
    Recover(usize),
}

/// A scenario: a configuration, instructions, and how to name sequence numbers.
pub struct Scenario {
    pub name: &'static str,
    pub about: &'static str,
    pub config: &'static str,
    pub script: Vec<Do>,
    /// Print the diagram from this step on (the earlier steps set the scene).
    pub first: usize,
    pub names: fn(&Config) -> Names,
    /// Old duplicates to put in the network at the start, in place of the configuration's
    /// (`Config::stale`); empty: the configuration's own.
    pub stale: &'static [(usize, Segment)],
}

pub const NAMES: [&str; 8] = [
    "seed-handshake",
    "seed-close",
    "fig7-simultaneous-open",
    "fig8-old-duplicate-syn",
    "fig9-half-open-discovery",
    "fig10-half-open-by-segment",
    "fig11-old-syn-resets-two-listeners",
    "fig13-simultaneous-close",
];

fn jk(cfg: &Config) -> Names {
    Names(vec![("J", cfg.isn[0]), ("K", cfg.isn[1])])
}

fn mn(cfg: &Config) -> Names {
    Names(vec![("M", cfg.isn[0].add(1)), ("N", cfg.isn[1].add(1))])
}

/// J and K, and J': the ISS of A's second incarnation (after a reboot).
fn jk_rebooted(cfg: &Config) -> Names {
    let j2 = TcpModel::new(cfg.clone())
        .map(|m| m.host(0).iss_of(1))
        .unwrap_or(cfg.isn[0]);
    Names(vec![("J", cfg.isn[0]), ("K", cfg.isn[1]), ("J'", j2)])
}

fn handshake() -> Vec<Do> {
    vec![
        Do::User(0),
        Do::User(1),
        Do::Deliver(0),
        Do::Deliver(1),
        Do::Deliver(0),
    ]
}

/// The scenario named `name`.
pub fn scenario(name: &str) -> Option<Scenario> {
    use Do::*;
    let s = match name {
        "seed-handshake" => Scenario {
            name: "seed-handshake",
            about: "the seed's three-way handshake (RFC 9293 Figure 6)",
            config: "lifecycle",
            script: handshake(),
            first: 0,
            names: jk,
            stale: &[],
        },
        "seed-close" => {
            let mut script = handshake();
            let first = script.len();
            script.extend([
                User(0),
                Deliver(0),
                Deliver(1),
                User(1),
                Deliver(1),
                Deliver(0),
                TimeWait(0),
            ]);
            Scenario {
                name: "seed-close",
                about: "the seed's four-way close after the handshake (RFC 9293 Figure 12)",
                config: "lifecycle",
                script,
                first,
                names: mn,
                stale: &[],
            }
        }
        "fig7-simultaneous-open" => Scenario {
            name: "fig7-simultaneous-open",
            about: "both ends open actively at once (RFC 9293 Figure 7)",
            config: "simultaneous-open",
            script: vec![
                User(0),
                User(1),
                Deliver(0),
                Deliver(1),
                Deliver(1),
                Deliver(0),
                Deliver(0),
                Deliver(1),
            ],
            first: 0,
            names: jk,
            stale: &[],
        },
        "fig8-old-duplicate-syn" => Scenario {
            name: "fig8-old-duplicate-syn",
            about: "recovery from an old duplicate SYN (RFC 9293 Figure 8; B's ISS stays K)",
            // The handshake with Figure 8's old SYN. Not a named configuration: with one ISS per
            // end per run, a duplicated old SYN lets a stale ACK complete a half-open
            // connection (proof `isn-reuse-old-duplicate`); this scenario shows the recovery.
            config: "handshake",
            script: vec![
                User(1),
                User(0),
                Stale(0),
                Deliver(1),
                DeliverNewest(0),
                Deliver(0),
                Deliver(1),
                Deliver(0),
            ],
            first: 0,
            names: jk,
            stale: &OLD_SYN,
        },
        "fig9-half-open-discovery" => {
            let mut script = handshake();
            let first = script.len();
            script.extend([
                // 1-2. A crashes and comes back CLOSED; B is still ESTABLISHED.
                Crash(0),
                Recover(0),
                // 3. A's user opens again: a SYN with the new ISS J'.
                User(0),
                // 4. B, ESTABLISHED, answers with an ACK (RFC 5961 §4's challenge ACK).
                Deliver(0),
                // 5. The ACK acknowledges nothing A sent: A, in SYN-SENT, answers with a RST
                // carrying SEQ = its ACK field, which is B's RCV.NXT.
                Deliver(1),
                // 6. B aborts.
                Deliver(0),
            ]);
            Scenario {
                name: "fig9-half-open-discovery",
                about: "half-open connection discovery: A crashes and reboots, its new SYN draws \
                        an ACK from B, still ESTABLISHED, and A's RST makes B abort (RFC 9293 \
                        Figure 9)",
                config: "crash",
                script,
                first,
                names: jk_rebooted,
                stale: &[],
            }
        }
        "fig10-half-open-by-segment" => {
            let mut script = handshake();
            let first = script.len();
            script.extend([
                // 1. A crashes and reboots: CLOSED, its user has not opened again.
                Crash(0),
                Recover(0),
                // 2. B sends on the half-open connection: its FIN (the crash configuration's
                // users send no data).
                User(1),
                // 2-3. A, CLOSED, answers with a RST (SEQ = the FIN's ACK field).
                Deliver(1),
                // 3. B aborts.
                Deliver(0),
            ]);
            Scenario {
                name: "fig10-half-open-by-segment",
                about: "active side causes half-open connection discovery: B sends (a FIN) to A, \
                        which crashed and rebooted and is CLOSED; A's RST makes B abort (RFC \
                        9293 Figure 10)",
                config: "crash",
                script,
                first,
                names: jk_rebooted,
                stale: &[],
            }
        }
        "fig11-old-syn-resets-two-listeners" => Scenario {
            name: "fig11-old-syn-resets-two-listeners",
            about: "an old duplicate SYN initiates a reset on two passive sockets (RFC 9293 \
                    Figure 11)",
            config: "two-listeners",
            script: vec![User(0), User(1), Stale(0), Deliver(1), Deliver(0)],
            first: 0,
            names: jk,
            stale: &[],
        },
        "fig13-simultaneous-close" => {
            let mut script = handshake();
            let first = script.len();
            script.extend([
                User(0),
                User(1),
                Deliver(0),
                Deliver(1),
                Deliver(0),
                Deliver(1),
                TimeWait(0),
                TimeWait(1),
            ]);
            Scenario {
                name: "fig13-simultaneous-close",
                about: "both ends CLOSE at once after the handshake (RFC 9293 Figure 13)",
                config: "lifecycle",
                script,
                first,
                names: mn,
                stale: &[],
            }
        }
        _ => return None,
    };
    Some(s)
}

impl Scenario {
    /// The scenario's configuration, with its old duplicates.
    pub fn config(&self) -> Config {
        let mut cfg = config(self.config).expect("scenario names a known config");
        if !self.stale.is_empty() {
            cfg.stale = self.stale;
        }
        cfg
    }

    /// The model for this scenario (its configuration, default network).
    pub fn model(&self) -> TcpModel {
        TcpModel::new(self.config()).expect("named configs are valid")
    }

    /// The scenario's stateright actions, replayed on `model`. Each direction is tracked as a
    /// queue of the segments sent so far, so `Deliver(i)` names the oldest in-flight one.
    pub fn actions(&self, model: &TcpModel) -> Result<Vec<SysAction>, String> {
        let mut state = model.init_states().remove(0);
        let mut queues: [VecDeque<Segment>; 2] = Default::default();
        let mut actions = Vec::new();
        for (n, d) in self.script.iter().enumerate() {
            let (i, action, input) = match *d {
                // No host input: the segments in flight stay queued.
                Do::Crash(i) | Do::Recover(i) => {
                    let action = match *d {
                        Do::Crash(_) => ActorModelAction::Crash(Id::from(i)),
                        _ => ActorModelAction::Recover(Id::from(i)),
                    };
                    state = step(model, &state, &action)
                        .ok_or_else(|| format!("step {n}: {d:?} does not apply"))?;
                    actions.push(action);
                    continue;
                }
                Do::User(i) => (
                    i,
                    ActorModelAction::Timeout(Id::from(i), Timer::User),
                    Input::User,
                ),
                Do::Retransmit(i) => (
                    i,
                    ActorModelAction::Timeout(Id::from(i), Timer::Retransmit),
                    Input::Timeout(Timer::Retransmit),
                ),
                Do::TimeWait(i) => (
                    i,
                    ActorModelAction::Timeout(Id::from(i), Timer::TimeWait),
                    Input::Timeout(Timer::TimeWait),
                ),
                Do::Deliver(src) | Do::DeliverNewest(src) | Do::Stale(src) => {
                    let (src, seg) = match *d {
                        Do::Stale(k) => {
                            let (src, seg) = *self.config().stale.get(k).ok_or_else(|| {
                                format!("step {n}: the config has no old duplicate {k}")
                            })?;
                            (src, seg.tagged(crate::segment::Tag::EARLIER))
                        }
                        Do::DeliverNewest(_) => (
                            src,
                            queues[src].pop_back().ok_or_else(|| {
                                format!("step {n}: nothing in flight from host {src}")
                            })?,
                        ),
                        _ => (
                            src,
                            queues[src].pop_front().ok_or_else(|| {
                                format!("step {n}: nothing in flight from host {src}")
                            })?,
                        ),
                    };
                    let dst = 1 - src;
                    let action = ActorModelAction::Deliver {
                        src: Id::from(src),
                        dst: Id::from(dst),
                        msg: seg,
                    };
                    (dst, action, Input::Segment(seg))
                }
            };
            let reaction = model.host(i).react(host(&state, i), input);
            if let Some(r) = reaction {
                if let Some(seg) = r.outcome.send {
                    queues[i].push_back(model.host(i).tag(&r.next, seg, &input));
                }
            }
            state = step(model, &state, &action)
                .ok_or_else(|| format!("step {n}: {d:?} does not apply"))?;
            actions.push(action);
        }
        Ok(actions)
    }
}

/// The state after `action`, if the model offers it in `state` (stateright's `next_state`
/// alone would crash a host twice, or panic recovering one that is up).
fn step(model: &TcpModel, state: &SysState, action: &SysAction) -> Option<SysState> {
    let mut offered = Vec::new();
    model.actions(state, &mut offered);
    if !offered.contains(action) {
        return None;
    }
    model.next_state(state, action.clone())
}
