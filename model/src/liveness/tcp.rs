//! Liveness for the TCP model: the fairness of its actions, what each step requests, and the
//! `leads-to` properties that `synfin check` reports.

use super::graph::{Graph, Observe};
use super::leads_to::{Avoid, Fair, Fairness, Lasso};
use crate::config::Config;
use crate::engine::{on_engine, OnEngine};
use crate::host::Input;
use crate::model::{SysAction, TcpModel};
use crate::script::Call;
use crate::state::State;
use crate::system::{SystemState, TcpSystem};
use stateright::actor::{ActorModelAction, Id};
use stateright::Model;
use std::hash::Hash;

/// The fairness assumption, as printed with every liveness verdict.
pub const FAIRNESS: &str = "delivery strongly fair: a segment sent again and again is \
     delivered again and again (losing every retransmission is excluded), but every copy of a \
     segment sent finitely often may be lost, in any lossy network, and a run may end wherever \
     no timer is due (everything in flight lost); on a lossless network delivery is weakly \
     fair (a segment in flight is delivered); timers, user calls and reboots weakly fair; loss \
     and crashes unfair";

/// The fairness of each action under `cfg`'s network.
///
/// On a lossy network delivery is strongly fair in the request/response sense of
/// [`super::leads_to`]: each step that sends a segment requests its delivery ([`requests`]),
/// and a cycle that sends a segment must deliver it. Excluded: runs that postpone forever a
/// delivery requested again and again (every retransmission lost, forever), and runs that keep
/// a timer set without letting it fire (timers, user calls, which are timers too, and reboots
/// are weakly fair). Not excluded: losing every copy of a segment that is sent finitely often,
/// in any network, duplicating or not, even though a duplicating network keeps it deliverable;
/// and a run that ends where no timer is due (see [`fair`]). Drops and crashes are unfair.
///
/// On a lossless network every segment sent arrives: delivery is weakly fair, so a delivery
/// that stays enabled is made (a segment in flight stays deliverable until delivered, and in
/// a duplicating network for ever).
pub fn fairness(cfg: &Config) -> impl Fn(&SysAction) -> Fairness {
    let lossy = cfg.network.loss;
    move |a| match a {
        ActorModelAction::Deliver { .. } if lossy => Fairness::Strong,
        ActorModelAction::Deliver { .. } => Fairness::Weak,
        ActorModelAction::Timeout(..) | ActorModelAction::Recover(_) => Fairness::Weak,
        _ => Fairness::Unfair,
    }
}

/// The delivery a step requests: that of the segment it sends, if any. Delivering `msg` to
/// `dst` requests the delivery of `dst`'s reply to it; a timer (a user call is one) requests
/// the delivery of what its host sends when it fires. Drops, crashes and reboots send nothing.
pub fn requests<M: TcpSystem>(model: &M, s: &M::State, a: &SysAction) -> Option<SysAction> {
    let (i, input) = match a {
        ActorModelAction::Deliver { dst, msg, .. } => (usize::from(*dst), Input::Segment(*msg)),
        ActorModelAction::Timeout(id, t) => (usize::from(*id), Input::Timeout(*t)),
        _ => return None,
    };
    let h = model.host_actor(i);
    let r = h.react(s.host(i), input)?;
    // As the actor sends it: with its ghost tag (configurations with incarnations).
    let msg = h.tag(&r.next, r.outcome.send?, &input);
    Some(ActorModelAction::Deliver {
        src: Id::from(i),
        dst: h.peer,
        msg,
    })
}

/// Whether delivering `a` in `s` is a step that changes nothing: the segment is in flight, its
/// destination is up and ignores it. stateright has no edge for such a delivery; a request for
/// it is answered by being in `s` (a segment sent again and again that the peer ignores each
/// time does not make the cycle unfair).
pub fn ignored<M: TcpSystem>(model: &M, s: &M::State, a: &SysAction) -> bool {
    let ActorModelAction::Deliver { src, dst, msg } = a else {
        return false;
    };
    let (src, dst) = (usize::from(*src), usize::from(*dst));
    let in_flight = !model.all_in_flight(s, |d, seg| !(d == dst && 1 - d == src && seg == msg));
    !s.crashed(dst) && in_flight && model.next_state(s, a.clone()).is_none()
}

/// The explored graph of `model` with its fairness. Duplication is finite: a segment delivered
/// again and again must be sent again and again (every copy lives at most an MSL, §3.4.1), so a
/// cycle that replays one old duplicate forever, sending it never again, is excluded. (A
/// duplicating network keeps every segment deliverable for ever; without this, an old SYN
/// replayed forever at a listener would be a liveness counterexample.) Only where the network
/// is lossy: there a run may stop once no timer is due, so excluding the replay leaves the stop;
/// on a lossless network, which must deliver what stays deliverable, it would leave no fair run
/// at all and hide the state. Where the network is lossy a run may end
/// in any state where no timer is due: the network may lose every segment in flight (in a
/// duplicating network loss is implicit: a segment never delivered again), which leaves the
/// hosts nothing to do.
pub fn fair<'g, M: TcpSystem>(model: &'g M, g: &'g Graph<M>) -> Fair<'g, M> {
    let lossy = model.config().network.loss;
    Fair::new(g, fairness(model.config()))
        .may_stop(lossy)
        .bounded(move |a| lossy && matches!(a, ActorModelAction::Deliver { .. }))
}

/// What the exploration records for the TCP liveness search: each step's request
/// ([`requests`]), the deliveries ignored in each state ([`ignored`]: a delivery the state lists
/// with no successor, to a host that is up), and the P and Q of each of `props` for both
/// hosts as facts ([`fact`]).
pub fn observe<'a, M: TcpSystem>(model: &'a M, props: &'a [LiveProperty<M>]) -> Observe<'a, M> {
    Observe::default()
        .requests(move |s, a| requests(model, s, a))
        .idle(|s: &M::State, a: &SysAction| {
            matches!(a, ActorModelAction::Deliver { dst, .. } if !s.crashed(usize::from(*dst)))
        })
        .facts(move |s| {
            let mut bits = 0;
            for (k, prop) in props.iter().enumerate() {
                for i in 0..2 {
                    if (prop.q)(i, model, s) {
                        bits |= fact(k, Pred::Q, i);
                    }
                    if prop.p.is_some_and(|p| p(i, model, s)) {
                        bits |= fact(k, Pred::P, i);
                    }
                }
            }
            bits
        })
}

/// Which side of a `P leads-to Q` property a fact bit records.
#[derive(Clone, Copy)]
pub enum Pred {
    P,
    Q,
}

/// The most properties one graph records facts for (four bits each).
pub const MAX_PROPERTIES: usize = 8;

/// The fact bit of property number `k`'s P or Q for host `i`.
pub fn fact(k: usize, pred: Pred, i: usize) -> u32 {
    1 << (4 * k + 2 * pred as usize + i)
}

/// `ends-at-goal`: every fair run reaches a state where both users have made all their calls
/// and the configuration's goal accepts both ends' states. The goal's allowance for loss (an
/// end stranded in FIN-WAIT-2: the peer gave up after its FIN retransmissions, or its RST, were
/// lost) applies wherever the network is lossy: every copy of a segment sent finitely often
/// may be lost, in a duplicating network too.
///
/// A user whose next call can never be made where its end has settled counts as done: a SEND
/// that waits for a connection that failed (`data`), an OPEN that waits for CLOSED on an end
/// stranded in FIN-WAIT-2 (`reincarnation`).
pub fn ends_at_goal<M: TcpSystem>(s: &M::State, model: &M) -> bool {
    let cfg = model.config();
    let done = |i: usize| {
        let h = s.host(i);
        cfg.scripts[i]
            .get(h.next_call as usize)
            .is_none_or(|c| !c.ready(h.tcb.state))
    };
    (0..2).all(done)
        && cfg
            .goal
            .accepts(s.host(0).tcb.state, s.host(1).tcb.state, cfg.network.loss)
}

/// A `P leads-to Q` property of one host (`i`), checked for both hosts.
type HostPred<M> = fn(usize, &M, &<M as Model>::State) -> bool;

/// A liveness property: its name, what it says, and P and Q. `p: None` stands for the initial
/// state ("eventually Q"). A property that `forbids_cycles` is not `P leads-to Q` but "every
/// fair run ends" (no livelock): its counterexample is a fair cycle, and a run that stops
/// satisfies it; its P and Q say nothing (every state, never).
pub struct LiveProperty<M: Model = TcpModel> {
    pub name: &'static str,
    pub about: &'static str,
    pub p: Option<HostPred<M>>,
    pub q: HostPred<M>,
    pub forbids_cycles: bool,
}

fn state_of(i: usize, s: &impl SystemState) -> State {
    s.host(i).tcb.state
}

/// The one dead end RFC 9293 permits under loss: end `i` in FIN-WAIT-2, its peer CLOSED. Its
/// FIN was acknowledged; the peer's FIN (every retransmission of it) or RST was lost and the
/// peer is gone. FIN-WAIT-2 has no timer in the RFC (real stacks add one, Linux
/// `tcp_fin_timeout`), so the end waits forever. The close properties count it as resolved
/// where the network is lossy, as the `closed` goal does; `fin-wait-2-stranded` shows it happens.
fn stranded<M: TcpSystem>(i: usize, m: &M, s: &M::State) -> bool {
    m.config().network.loss
        && state_of(i, s) == State::FinWait2
        && state_of(1 - i, s) == State::Closed
}

/// The liveness properties checked for `cfg`.
pub fn properties(cfg: &Config) -> Vec<LiveProperty> {
    properties_of::<TcpModel>(cfg)
}

/// The liveness properties checked for `cfg`, on any model of the TCP system.
pub fn properties_of<M: TcpSystem>(cfg: &Config) -> Vec<LiveProperty<M>> {
    let mut v = vec![
        LiveProperty {
            name: "ends-at-goal",
            about: "every fair run reaches a state where both users made all their calls and the \
                    goal accepts (from every reachable state)",
            p: Some(|_, _, _| true),
            q: |_, m, s| ends_at_goal(s, m),
            forbids_cycles: false,
        },
        LiveProperty {
            name: "syn-sent-resolves",
            about: "SYN-SENT leads to ESTABLISHED, LISTEN or CLOSED (the TLA+ specification's \
                    property; under loss also the FIN-WAIT-2 stranding, reachable from SYN-SENT \
                    through a simultaneous open closed before ESTABLISHED)",
            p: Some(|i, _, s| state_of(i, s) == State::SynSent),
            q: |i, m, s| {
                matches!(
                    state_of(i, s),
                    State::Established | State::Listen | State::Closed
                ) || stranded(i, m, s)
            },
            forbids_cycles: false,
        },
        LiveProperty {
            name: "syn-received-resolves",
            about: "SYN-RECEIVED leads to ESTABLISHED, FIN-WAIT-1, CLOSE-WAIT, CLOSED or LISTEN \
                    (RFCNLP's phi4, plus the passive return to LISTEN of RFC 9293 §3.10.7.4, \
                    which phi4 omits, and CLOSE-WAIT: a FIN,ACK that acknowledges our SYN \
                    takes SYN-RECEIVED through ESTABLISHED to CLOSE-WAIT in one step, \
                    §3.10.7.4 fifth and eighth steps)",
            p: Some(|i, _, s| state_of(i, s) == State::SynReceived),
            q: |i, _, s| {
                matches!(
                    state_of(i, s),
                    State::Established
                        | State::FinWait1
                        | State::CloseWait
                        | State::Closed
                        | State::Listen
                )
            },
            forbids_cycles: false,
        },
    ];
    // A lossless duplicating network may deliver a copy again and again for ever, and its
    // deliveries are weakly fair there: that cycle is the network's, not TCP's. Where the
    // network is lossy, duplication is finite (see [`fair`]); without duplication, copies are
    // not replayed.
    if cfg.network.loss || !cfg.network.duplication {
        v.push(LiveProperty {
            name: "terminates",
            about: "every fair run ends: no fair cycle, such as two ends exchanging segments for \
                    ever with no timer or retry spent (each retransmission spends the retry \
                    budget, every other send answers a segment, so a correct end cannot \
                    livelock; a run that stops is not a cycle; not checked on a lossless \
                    duplicating network, which may replay a copy for ever by itself)",
            p: None,
            q: |_, _, _| false,
            forbids_cycles: true,
        });
    }
    // RFCNLP's phi2, where both ends open and at least one actively, on a lossless network
    // only: where segments can be lost, establishment may fail for good once the retry budget
    // is spent (`syn-sent-resolves` covers that case).
    let opens =
        |script: &[Call]| matches!(script.first(), Some(Call::OpenActive | Call::OpenPassive));
    if !cfg.network.loss
        && cfg.scripts.iter().all(|s| opens(s))
        && cfg
            .scripts
            .iter()
            .any(|s| s.first() == Some(&Call::OpenActive))
    {
        v.push(LiveProperty {
            name: "establishes",
            about: "every fair run from the initial state reaches both ends ESTABLISHED \
                    (RFCNLP's phi2, passive/active establishment eventually succeeds; checked \
                    only on a lossless network, where no loss can spend the retry budget)",
            p: None,
            q: |_, _, s| (0..2).all(|k| state_of(k, s) == State::Established),
            forbids_cycles: false,
        });
    }
    // "CLOSE called leads to CLOSED on both ends", where both users' scripts CLOSE.
    if cfg.scripts.iter().all(|s| s.contains(&Call::Close)) {
        v.push(LiveProperty {
            name: "close-leads-to-closed",
            about: "once an end's user has called CLOSE, both ends reach CLOSED (a passive end \
                    may be back in LISTEN, §3.10.7.4, its user waiting for a connection before \
                    it closes; under loss, or one CLOSED and the other stranded in FIN-WAIT-2)",
            p: Some(|i, m: &M, s: &M::State| {
                let script = m.config().scripts[i];
                let close = script.iter().position(|c| *c == Call::Close).unwrap_or(0);
                s.host(i).next_call as usize > close
            }),
            q: |_, m, s| {
                (0..2).all(|k| matches!(state_of(k, s), State::Closed | State::Listen))
                    || stranded(0, m, s)
                    || stranded(1, m, s)
            },
            forbids_cycles: false,
        });
    }
    // RFCNLP's phi3 (no end stays forever in a state other than CLOSED) only where both users
    // end their script with CLOSE or ABORT; elsewhere ending in LISTEN or ESTABLISHED is the
    // point of the configuration.
    let closes = |script: &[Call]| matches!(script.last(), Some(Call::Close | Call::Abort));
    if cfg.scripts.iter().all(|s| closes(s)) {
        v.push(LiveProperty {
            name: "not-stuck",
            about: "once both users have made all their calls, every end reaches CLOSED (RFCNLP's \
                    phi3, for configurations whose users close; under loss, or the FIN-WAIT-2 \
                    stranding)",
            p: Some(|_, m, s| {
                (0..2).all(|k| s.host(k).next_call as usize == m.config().scripts[k].len())
            }),
            q: |i, m, s| state_of(i, s) == State::Closed || stranded(i, m, s),
            forbids_cycles: false,
        });
    }
    v
}

/// A lasso as actions from the initial state, and how many of them lead to the cycle.
pub type LassoActions = (Vec<SysAction>, usize);

/// Each liveness property with its lasso where it fails.
pub type Verdicts<M> = Vec<(LiveProperty<M>, Option<LassoActions>)>;

/// Each liveness property's name, with its lasso where it fails.
pub type Named = Vec<(&'static str, Option<LassoActions>)>;

/// The size of the graph a check explored, as `synfin check` reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct GraphSize {
    pub states: usize,
    pub edges: usize,
    /// What the graph holds ([`Graph::bytes`]).
    pub bytes: usize,
    /// The odds that two distinct states share a fingerprint ([`Graph::collision_odds`]).
    #[serde(rename = "fingerprint_collision_odds")]
    pub collision_odds: f64,
}

impl GraphSize {
    fn of<M: Model>(g: &Graph<M>) -> GraphSize {
        GraphSize {
            states: g.len(),
            edges: g.edge_count(),
            bytes: g.bytes(),
            collision_odds: g.collision_odds(),
        }
    }
}

/// The verdicts of a check, and the size of the graph it explored.
pub struct Checked<V> {
    pub verdicts: V,
    pub graph: GraphSize,
}

/// Every liveness property of `model`'s configuration, for both hosts: `(property, None)` if
/// it holds, `(property, Some(lasso))` if not. `Err` past `max_states` states.
pub fn check<M>(model: &M, max_states: usize) -> Result<Checked<Verdicts<M>>, String>
where
    M: TcpSystem,
    M::State: Hash,
{
    let props = properties_of::<M>(model.config());
    let g = explore(model, &props, max_states)?;
    let fair = fair(model, &g);
    let lassos: Vec<_> = (0..props.len())
        .map(|k| check_property(&g, &fair, &props, k).map(|l| l.actions(&g)))
        .collect();
    Ok(Checked {
        verdicts: props.into_iter().zip(lassos).collect(),
        graph: GraphSize::of(&g),
    })
}

/// The graph of `model`, with the facts of `props` recorded ([`observe`]).
pub fn explore<M>(
    model: &M,
    props: &[LiveProperty<M>],
    max_states: usize,
) -> Result<Graph<M>, String>
where
    M: TcpSystem,
    M::State: Hash,
{
    if props.len() > MAX_PROPERTIES {
        return Err(format!("more than {MAX_PROPERTIES} liveness properties"));
    }
    Graph::observed(model, max_states, &observe(model, props))
}

/// Property number `k` of `props` (whose facts `g` recorded) for host 0, then host 1: the
/// first counterexample. The ¬Q analysis is shared when Q does not depend on the host.
pub fn check_property<M: TcpSystem>(
    g: &Graph<M>,
    fair: &Fair<M>,
    props: &[LiveProperty<M>],
    k: usize,
) -> Option<Lasso> {
    let prop = &props[k];
    if prop.forbids_cycles {
        return fair.livelock();
    }
    let mut cached: Option<Avoid> = None;
    for i in 0..2 {
        let q = fact(k, Pred::Q, i);
        let bad: Vec<bool> = (0..g.len()).map(|v| g.facts(v) & q == 0).collect();
        let avoid = match cached.take() {
            Some(a) if a.states() == bad.as_slice() => cached.insert(a),
            _ => cached.insert(fair.avoid(bad)),
        };
        let p = fact(k, Pred::P, i);
        let lasso = match prop.p {
            Some(_) => fair.counterexample(avoid, |v| g.facts(v) & p != 0),
            None => fair.counterexample(avoid, |v| g.init.contains(&v)),
        };
        if lasso.is_some() {
            return lasso;
        }
    }
    None
}

/// The verdict of each liveness property of `cfg` (its name, and the lasso where it fails),
/// checked on the engine [`on_engine`] picks. The lassos are actions, which replay on
/// [`TcpModel`] as they are.
pub fn check_config(cfg: &Config, max_states: usize) -> Result<Checked<Named>, String> {
    struct Live(usize);
    impl OnEngine for Live {
        type Output = Result<Checked<Named>, String>;
        fn run<M>(&mut self, m: &M) -> Self::Output
        where
            M: TcpSystem + Clone + Send + Sync + 'static,
            M::State: Hash + Eq + Clone + std::fmt::Debug + Send + Sync + 'static,
        {
            let c = check(m, self.0)?;
            Ok(Checked {
                verdicts: c.verdicts.into_iter().map(|(p, l)| (p.name, l)).collect(),
                graph: c.graph,
            })
        }
    }
    on_engine(cfg, &mut Live(max_states))?.1
}
