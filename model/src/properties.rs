//! The named properties: safety (`always`) and reachability (`sometimes`).
//!
//! No property uses `Property::eventually`: stateright checks it only at terminal states, so
//! cycles (retransmissions, a duplicating network) hide its violations. Progress is checked
//! soundly by `good-terminal-states` instead.

use crate::config::Config;
use crate::ghost::Ghost;
use crate::host::{HostState, Input, Timer};
use crate::model::TcpModel;
pub use crate::prop::Prop;
use crate::script::Call;
use crate::seed::SeedProgress;
use crate::state::State;
use crate::system::{time_wait_holds, SystemState, TcpSystem};
use stateright::actor::ActorModelAction;
use stateright::{Expectation, Model, Property};

type Cond<M> = fn(&M, &<M as Model>::State) -> bool;

/// A property's name, kind and meaning, for `synfin list` and the README, with its condition
/// on `M`'s states (the actor model by default; the compact engine's states through the same
/// generic functions).
pub struct Info<M: Model = TcpModel> {
    pub id: Prop,
    /// `id`'s name.
    pub name: &'static str,
    pub expectation: Expectation,
    pub about: &'static str,
    pub condition: Cond<M>,
}

const fn always<M: Model>(id: Prop, about: &'static str, condition: Cond<M>) -> Info<M> {
    Info {
        id,
        name: id.name(),
        expectation: Expectation::Always,
        about,
        condition,
    }
}

const fn sometimes<M: Model>(id: Prop, about: &'static str, condition: Cond<M>) -> Info<M> {
    Info {
        id,
        name: id.name(),
        expectation: Expectation::Sometimes,
        about,
        condition,
    }
}

fn both(s: &impl SystemState) -> [&HostState; 2] {
    [s.host(0), s.host(1)]
}

/// Forged data entered a byte stream (`Ghost::FORGED_DATA`, configs with the attacker): the
/// properties that compare the two ends' streams hold vacuously from then on.
fn forged(s: &impl SystemState) -> bool {
    both(s).iter().any(|h| h.ghost.has(Ghost::FORGED_DATA))
}

/// Each host with its peer.
fn pairs(s: &impl SystemState) -> [(&HostState, &HostState); 2] {
    [(s.host(0), s.host(1)), (s.host(1), s.host(0))]
}

fn isn_agreement<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    let [a, b] = both(s);
    // Ends on different incarnations may be synchronized on different connections.
    let related = (a.incarnation == 0 && b.incarnation == 0)
        || a.tcb.irs == b.tcb.iss
        || b.tcb.irs == a.tcb.iss;
    let both_synchronized = a.tcb.state.is_synchronized() && b.tcb.state.is_synchronized();
    !(both_synchronized && related) || (a.tcb.irs == b.tcb.iss && b.tcb.irs == a.tcb.iss)
}

/// Whether `f(destination, segment)` holds for every segment in flight. (stateright 0.31's
/// `Network::iter_all` never ends on an ordered network, so the variants are walked here.)
fn honest_acks<M: TcpSystem>(m: &M, s: &M::State) -> bool {
    forged(s)
        || m.all_in_flight(s, |i, seg| {
            let h = s.host(i);
            let dst = &h.tcb;
            // What an earlier incarnation of `dst` sent counts as sent: Figure 8's old SYN, and
            // at most the SYN, the script's bytes and the FIN of each earlier incarnation.
            let stale = m
                .config()
                .stale
                .iter()
                .any(|(src, old)| *src == i && seg.ack == old.seq.add(old.seg_len()));
            let most = 2 + m.config().scripts[i]
                .iter()
                .filter(|c| **c == Call::Send)
                .count() as u32;
            let earlier = (0..h.incarnation).any(|k| {
                let iss = m.host_actor(i).iss_of(k);
                iss.lt(seg.ack) && seg.ack.le(iss.add(most))
            });
            // The off-path attacker's segments acknowledge what they guess (`crate::attack`).
            let injected = crate::attack::injected(seg);
            !seg.ack_bit()
                || (dst.iss.lt(seg.ack) && seg.ack.le(dst.snd_nxt))
                || stale
                || earlier
                || injected
        })
}

/// Whether `peer` still is the incarnation `h` connected to: the one whose SYN `h` accepted
/// (the ghost tag; without tags, in configurations of one incarnation, always). The
/// properties that compare an end with its peer speak of one connection.
fn same_connection(h: &HostState, peer: &HostState) -> bool {
    h.peer_tag == 0 || h.peer_tag == peer.incarnation.saturating_add(1)
}

/// Checked two ways: when an end becomes synchronized (the ghost bit `HALF_OPEN`, set where
/// both ends are seen), and, while the peer is on its first incarnation, in every state (the
/// model keeps a closed TCB's ISS and SND.NXT, so a first incarnation's SYN stays on record).
fn no_half_open<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    pairs(s).iter().all(|(h, peer)| {
        !h.ghost.has(Ghost::HALF_OPEN)
            && (h.tcb.state != State::Established
                || peer.incarnation > 0
                || (peer.tcb.syn_sent() && peer.tcb.iss == h.tcb.irs))
    })
}

fn diagram_edges<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s).iter().all(|h| !h.ghost.has(Ghost::BAD_EDGE))
}

fn orderly_close<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    forged(s)
        || pairs(s).iter().all(|(h, peer)| {
            !h.ghost.has(Ghost::CLOSED_ORDERLY)
                || (h.tcb.fin_rcvd
                    && h.tcb.fin_acked()
                    && (!same_connection(h, peer)
                        || (peer.tcb.fin_sent && h.tcb.rcv_nxt == peer.tcb.snd_nxt)))
        })
}

fn fin_ack_means_received<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    forged(s)
        || pairs(s).iter().all(|(h, peer)| {
            !h.tcb.fin_acked()
                || !same_connection(h, peer)
                || (peer.tcb.fin_rcvd && peer.tcb.rcv_nxt == h.tcb.snd_nxt)
        })
}

fn data_integrity<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    forged(s)
        || pairs(s).iter().all(|(h, peer)| {
            !same_connection(h, peer) || h.tcb.delivered as u32 <= peer.tcb.data_sent()
        })
}

fn no_blind<M: TcpSystem, const BIT: u16>(_: &M, s: &M::State) -> bool {
    both(s).iter().all(|h| !h.ghost.has(BIT))
}

/// Nothing more can happen: no timer would do anything and no delivery would change the state
/// (a duplicating network never empties, so "no message left" is not the test; dropping a
/// message only removes options and is not counted).
pub fn quiescent<M: TcpSystem>(m: &M, s: &M::State) -> bool {
    if (0..2).any(|i| s.crashed(i)) {
        // A crashed host can still reboot.
        return false;
    }
    for i in 0..2 {
        for t in [Timer::User, Timer::Retransmit, Timer::TimeWait] {
            if !m.timer_set(s, i, t) {
                continue;
            }
            if t == Timer::TimeWait && time_wait_holds(m.config(), s, i) {
                // Held while the peer may resend its FIN: it cannot fire now.
                continue;
            }
            if m.host_actor(i)
                .react(s.host(i), Input::Timeout(t))
                .is_some()
            {
                return false;
            }
        }
    }
    if m.loss_is_implicit() {
        // Every segment in flight may be lost, leaving nothing to deliver.
        return true;
    }
    let mut actions = Vec::new();
    m.actions(s, &mut actions);
    actions
        .into_iter()
        .filter(|a| matches!(a, ActorModelAction::Deliver { .. }))
        .all(|a| match m.next_state(s, a) {
            None => true,
            Some(next) => m.same_state(&next, s),
        })
}

fn good_terminal_states<M: TcpSystem>(m: &M, s: &M::State) -> bool {
    let [a, b] = both(s);
    m.config()
        .goal
        .accepts(a.tcb.state, b.tcb.state, m.config().network.loss)
        || !quiescent(m, s)
}

/// Some end is in state `S` (a `State` as a number: const generics take no enums).
fn reach<M: TcpSystem, const S: usize>(_: &M, s: &M::State) -> bool {
    both(s).iter().any(|h| h.tcb.state as usize == S)
}

fn seed_handshake<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    s.seed().reached(SeedProgress::HANDSHAKE)
}

fn seed_close<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    s.seed().reached(SeedProgress::CLOSE)
}

fn syn_retransmitted<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    let [a, b] = both(s);
    (a.ghost.has(Ghost::SYN_RETRANSMITTED) || b.ghost.has(Ghost::SYN_RETRANSMITTED))
        && a.tcb.state == State::Established
        && b.tcb.state == State::Established
}

fn simultaneous_open<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s)
        .iter()
        .any(|h| h.tcb.state == State::SynReceived && !h.tcb.passive)
}

fn peer_reset<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s).iter().any(|h| h.ghost.has(Ghost::RESET))
}

fn fin_wait_2_stranded<M: TcpSystem>(m: &M, s: &M::State) -> bool {
    let [a, b] = both(s);
    let pair = [a.tcb.state, b.tcb.state];
    pair.contains(&State::FinWait2) && pair.contains(&State::Closed) && quiescent(m, s)
}

fn resets_justified<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s)
        .iter()
        .all(|h| !h.ghost.has(Ghost::UNJUSTIFIED_RESET))
}

fn no_stale_accepted<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s).iter().all(|h| !h.ghost.has(Ghost::STALE_ACCEPTED))
}

fn time_wait_lasts<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s).iter().all(|h| !h.ghost.has(Ghost::TIME_WAIT_CUT))
}

/// An end was reset in a synchronized state, and its rebooted peer, now in `states`, sent the
/// RST of the figure (`sent`, a ghost bit the peer sets when it sends it).
fn half_open_discovered(s: &impl SystemState, states: &[State], sent: u16) -> bool {
    [(0, 1), (1, 0)].iter().any(|&(i, p)| {
        let (h, peer) = (s.host(i), s.host(p));
        h.ghost.has(Ghost::RESET_SYNCHRONIZED)
            && peer.ghost.has(sent)
            && !s.crashed(p)
            && states.contains(&peer.tcb.state)
    })
}

fn fig9_half_open_by_syn<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    half_open_discovered(s, &[State::SynSent], Ghost::SENT_FIG9_RST)
}

fn fig10_half_open_by_segment<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    half_open_discovered(s, &[State::Closed, State::Listen], Ghost::SENT_FIG10_RST)
}

fn second_incarnation_established<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s)
        .iter()
        .all(|h| h.incarnation == 1 && h.tcb.state == State::Established)
}

fn data_both_ways<M: TcpSystem>(_: &M, s: &M::State) -> bool {
    both(s).iter().all(|h| h.tcb.delivered > 0)
}

/// Every property synfin knows, safety first.
/// Every named property, on the actor model.
pub fn catalog() -> Vec<Info> {
    catalog_of::<TcpModel>()
}

/// Every named property, on any model of the TCP system.
pub fn catalog_of<M: TcpSystem>() -> Vec<Info<M>> {
    vec![
        always(Prop::IsnAgreement, "when both ends are synchronized, each end's IRS is the other's ISS (the purpose of the handshake)", isn_agreement),
        always(Prop::HonestAcks, "no segment acknowledges a sequence number its destination has not sent", honest_acks),
        always(Prop::NoHalfOpen, "an end is ESTABLISHED only if its peer sent a SYN with the ISN it recorded as IRS", no_half_open),
        always(Prop::DiagramEdges, "every state change is an edge of RFC 9293 Figure 5 or a transition §3.10.7 names (RST, timeout, ABORT)", diagram_edges),
        always(Prop::OrderlyClose, "an end that reaches CLOSED through LAST-ACK or TIME-WAIT received its peer's FIN and had its own FIN acknowledged", orderly_close),
        always(Prop::FinAckMeansReceived, "an end whose FIN is acknowledged has a peer that processed that FIN", fin_ack_means_received),
        always(Prop::GoodTerminalStates, "wherever nothing more can happen, both ends are where the configuration's goal accepts (catches deadlocks)", good_terminal_states),
        always(Prop::ResetsJustified, "a RST ends a synchronized connection only if the peer no longer holds it (it aborted, timed out, rebooted or never synchronized), and never one still closing whose peer closed in order (it must answer from TIME-WAIT)", resets_justified),
        always(Prop::NoStaleAccepted, "an old duplicate of another incarnation (or one addressed to an earlier incarnation of its receiver) never changes a synchronized connection nor makes one", no_stale_accepted),
        always(Prop::TimeWaitLasts, "an end leaves TIME-WAIT only by its 2MSL timer (RFC 1337: a RST must not cut it short)", time_wait_lasts),
        always(Prop::DataIntegrity, "bytes delivered are a prefix of the bytes the peer sent: in order, none twice (configs with data)", data_integrity),
        always(Prop::NoBlindReset, "an off-path attacker's RST ends a connection only if its SEQ is exactly RCV.NXT (RFC 5961 §3; configs with the attacker)", no_blind::<M, { Ghost::BLIND_RESET }>),
        always(Prop::NoBlindSynTeardown, "an off-path attacker's SYN never ends a connection (RFC 5961 §4; configs with the attacker)", no_blind::<M, { Ghost::BLIND_SYN }>),
        always(Prop::NoBlindData, "an off-path attacker's data is delivered only if its SEQ is exactly RCV.NXT and its ACK in SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT (RFC 5961 §5; configs with the attacker)", no_blind::<M, { Ghost::BLIND_DATA }>),
        sometimes(Prop::Reach(State::Closed), "an end is CLOSED", reach::<M, { State::Closed as usize }>),
        sometimes(Prop::Reach(State::Listen), "an end is LISTEN", reach::<M, { State::Listen as usize }>),
        sometimes(Prop::Reach(State::SynSent), "an end is SYN-SENT", reach::<M, { State::SynSent as usize }>),
        sometimes(Prop::Reach(State::SynReceived), "an end is SYN-RECEIVED", reach::<M, { State::SynReceived as usize }>),
        sometimes(Prop::Reach(State::Established), "an end is ESTABLISHED", reach::<M, { State::Established as usize }>),
        sometimes(Prop::Reach(State::FinWait1), "an end is FIN-WAIT-1", reach::<M, { State::FinWait1 as usize }>),
        sometimes(Prop::Reach(State::FinWait2), "an end is FIN-WAIT-2", reach::<M, { State::FinWait2 as usize }>),
        sometimes(Prop::Reach(State::CloseWait), "an end is CLOSE-WAIT", reach::<M, { State::CloseWait as usize }>),
        sometimes(Prop::Reach(State::Closing), "an end is CLOSING (simultaneous close)", reach::<M, { State::Closing as usize }>),
        sometimes(Prop::Reach(State::LastAck), "an end is LAST-ACK", reach::<M, { State::LastAck as usize }>),
        sometimes(Prop::Reach(State::TimeWait), "an end is TIME-WAIT", reach::<M, { State::TimeWait as usize }>),
        sometimes(Prop::SeedHandshake, "the run sends exactly SYN seq=J; SYN,ACK seq=K ack=J+1; ACK seq=J+1 ack=K+1", seed_handshake),
        sometimes(Prop::SeedClose, "the run then sends exactly FIN seq=M; ACK ack=M+1; FIN seq=N; ACK ack=N+1", seed_close),
        sometimes(Prop::SynRetransmitted, "an end retransmits its SYN (the first lost or late) and both ends still reach ESTABLISHED", syn_retransmitted),
        sometimes(Prop::SimultaneousOpen, "an actively opened end goes SYN-SENT -> SYN-RECEIVED (Figure 7)", simultaneous_open),
        sometimes(Prop::PeerReset, "an end is told \"connection reset\" or \"connection refused\" by its peer's RST", peer_reset),
        sometimes(Prop::FinWait2Stranded, "with loss, an end waits in FIN-WAIT-2 for a FIN that will never come (RFC 9293 has no FIN-WAIT-2 timer)", fin_wait_2_stranded),
        sometimes(Prop::Fig9HalfOpenBySyn, "Figure 9: a rebooted end's new SYN draws an ACK from its half-open peer, its RST resets the peer, which was synchronized", fig9_half_open_by_syn),
        sometimes(Prop::Fig10HalfOpenBySegment, "Figure 10: a half-open end sends to its rebooted peer (CLOSED or LISTEN) and is reset (here the segment is a FIN, the model's only text besides data)", fig10_half_open_by_segment),
        sometimes(Prop::SecondIncarnationEstablished, "both ends are ESTABLISHED in their second incarnation", second_incarnation_established),
        sometimes(Prop::DataBothWays, "each end delivers the byte its peer sent", data_both_ways),
    ]
}

/// Property `id`, on any model of the TCP system.
pub fn info<M: TcpSystem>(id: Prop) -> Info<M> {
    catalog_of::<M>()
        .into_iter()
        .find(|p| p.id == id)
        .expect("the catalog has every Prop")
}

/// The properties checked for `cfg`: every safety property (data-integrity only with data)
/// and the reachability properties the configuration lists.
/// The properties checked for `cfg`, on any model of the TCP system.
pub fn for_config<M: TcpSystem>(cfg: &Config) -> Vec<Property<M>> {
    catalog_of::<M>()
        .into_iter()
        .filter(|p| match p.expectation {
            Expectation::Always => match p.id.attack() {
                Some(kind) => cfg.attacker.is_some_and(|a| a.kinds.contains(&kind)),
                None => p.id != Prop::DataIntegrity || cfg.has_data(),
            },
            // Stranding in FIN-WAIT-2 takes a lost segment.
            _ => cfg.reach.contains(&p.id) && (p.id != Prop::FinWait2Stranded || cfg.network.loss),
        })
        .map(|p| Property {
            expectation: p.expectation,
            name: p.name,
            condition: p.condition,
        })
        .collect()
}
