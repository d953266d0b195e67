//! Liveness on the real model, under the TCP fairness of `liveness::tcp`: delivery strongly
//! fair as request and response (a segment sent again and again is delivered), timers weakly
//! fair, loss unfair, and on a lossy network a run may end where no timer is due. Each named
//! configuration's verdicts, why the ones that fail fail, and that every lasso is a genuine
//! fair run of the model.

use stateright::actor::ActorModelAction;
use stateright::Model;
use std::ops::Deref;
use synfin_model::config::Config;
use synfin_model::liveness::graph::Graph;
use synfin_model::liveness::leads_to::{leads_to, Fair, Fairness, Lasso};
use synfin_model::liveness::tcp::{self, fairness, requests};
use synfin_model::model::{host, SysAction, SysState};
use synfin_model::{config, Broken, Flags, State, TcpModel};

fn model(name: &str, tweak: impl FnOnce(&mut Config)) -> TcpModel {
    let mut cfg = config(name).unwrap();
    tweak(&mut cfg);
    TcpModel::new(cfg).unwrap()
}

type Verdicts = Vec<(&'static str, Option<Lasso>)>;

/// A graph with its states replayed ([`Graph::states`]), for tests that look at them.
struct Explored {
    g: Graph<TcpModel>,
    states: Vec<SysState>,
}

impl Deref for Explored {
    type Target = Graph<TcpModel>;
    fn deref(&self) -> &Graph<TcpModel> {
        &self.g
    }
}

fn explored(model: &TcpModel, g: Graph<TcpModel>) -> Explored {
    Explored {
        states: g.states(model).expect("every state replays"),
        g,
    }
}

/// The model's graph, and every liveness property of its configuration: its name and its
/// counterexample, each checked to be genuine.
fn verdicts(model: &TcpModel) -> (Explored, Verdicts) {
    let props = tcp::properties(model.cfg());
    let g = tcp::explore(model, &props, 2_000_000).unwrap();
    let fair = tcp::fair(model, &g);
    let v: Verdicts = (0..props.len())
        .map(|k| (props[k].name, tcp::check_property(&g, &fair, &props, k)))
        .collect();
    drop(fair);
    let g = explored(model, g);
    for l in v.iter().filter_map(|(_, l)| l.as_ref()) {
        genuine(model, &g, l);
    }
    (g, v)
}

fn violated(v: &Verdicts) -> Vec<&'static str> {
    v.iter()
        .filter(|(_, l)| l.is_some())
        .map(|(n, _)| *n)
        .collect()
}

fn lasso<'a>(v: &'a Verdicts, name: &str) -> &'a Lasso {
    v.iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, l)| l.as_ref())
        .unwrap_or_else(|| panic!("{name} holds"))
}

/// The lasso replays on the model (as `synfin check` replays it), and it ends where a fair
/// run may end: in a cycle on which every weakly fair action enabled all round is taken and
/// every requested delivery is made (or ignored by its destination in a state of the cycle);
/// or, with no cycle, in a state where no timer is due (nothing enabled at all, on a lossless
/// network).
fn genuine(model: &TcpModel, g: &Explored, l: &Lasso) {
    let (actions, _) = l.actions(g);
    assert!(model.path(&actions).is_some(), "the lasso does not replay");
    let fair = fairness(model.cfg());
    let weak = |a: &SysAction| fair(a) == Fairness::Weak;
    let end = *l.stem.last().unwrap();
    if l.cycle.is_empty() {
        let mut enabled: Vec<&SysAction> = g.succ(end).map(|(_, a)| a).collect();
        if model.cfg().network.loss {
            enabled.retain(|a| weak(a));
        }
        assert!(enabled.is_empty(), "the run must go on: {enabled:?}");
        return;
    }
    let states = &l.cycle[..l.cycle.len() - 1];
    let taken: Vec<&SysAction> = l.cycle_edges.iter().map(|&e| g.action(e)).collect();
    for (_, a) in g.succ(states[0]) {
        let everywhere = states.iter().all(|&v| g.succ(v).any(|(_, b)| b == a));
        assert!(
            !weak(a) || !everywhere || taken.contains(&a),
            "{a:?} enabled all round, never taken"
        );
    }
    for &e in &l.cycle_edges {
        let s = &g.states[g.source(e)];
        let Some(r) = requests(model, s, g.action(e)) else {
            continue;
        };
        let ignored = states
            .iter()
            .any(|&v| tcp::ignored(model, &g.states[v], &r));
        assert!(
            fair(&r) != Fairness::Strong || taken.contains(&&r) || ignored,
            "{r:?} requested on the cycle, never delivered"
        );
    }
}

fn states_of(g: &Explored, v: usize) -> [State; 2] {
    [0, 1].map(|i| host(&g.states[v], i).tcb.state)
}

/// One end stranded in FIN-WAIT-2 with the other CLOSED, and the run ends there: the peer sent
/// its FIN (or RST) finitely often, every copy was lost, it gave up, and RFC 9293 gives
/// FIN-WAIT-2 no timer.
fn stranded(g: &Explored, l: &Lasso) {
    let pair = states_of(g, *l.stem.last().unwrap());
    assert!(l.cycle.is_empty(), "a stop, not a cycle");
    assert!(
        pair.contains(&State::FinWait2) && pair.contains(&State::Closed),
        "{pair:?}"
    );
}

/// The strict form of `close-leads-to-closed`: both ends CLOSED, no allowance for the
/// FIN-WAIT-2 stranding.
fn strictly_closed(g: &Explored, m: &TcpModel) -> Option<Lasso> {
    let fair = tcp::fair(m, g);
    let closed = |v: usize| (0..2).all(|i| host(&g.states[v], i).tcb.state == State::Closed);
    fair.leads_to(
        |v| (0..2).any(|i| host(&g.states[v], i).next_call > 1),
        closed,
    )
}

/// `lifecycle`: every liveness property holds, `close-leads-to-closed` and `not-stuck` counting
/// the FIN-WAIT-2 stranding as resolved under loss. Their strict forms fail, and only by that
/// stranding: B's FIN and its one retransmission are lost, B's user timeout closes it, A waits
/// in FIN-WAIT-2 for ever (RFC 9293 gives FIN-WAIT-2 no timer). Under the old, state-based
/// strong fairness the FIN, still deliverable in the duplicating network, had to be delivered,
/// which hid this.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In addition to the processing for the ESTABLISHED state, if the retransmission queue is empty,
//# the user's CLOSE can be acknowledged ("ok") but do not delete the TCB.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# If an ACK is not forthcoming, after the user timeout the connection is aborted and the user is
//# told.
#[test]
fn lifecycle_close_holds_but_for_the_fin_wait_2_stranding() {
    let m = model("lifecycle", |_| {});
    let (g, v) = verdicts(&m);
    assert_eq!(violated(&v), Vec::<&str>::new());
    let strict = strictly_closed(&g, &m).expect("the strict close fails");
    genuine(&m, &g, &strict);
    stranded(&g, &strict);
}

/// The same on a network that does not duplicate, where loss is explicit (drop actions): the
/// verdicts agree.
#[test]
fn lifecycle_verdicts_agree_on_a_non_duplicating_network() {
    let m = model("lifecycle", |c| {
        c.network.duplication = false;
        c.network.reordering = false;
    });
    let (g, v) = verdicts(&m);
    assert_eq!(violated(&v), Vec::<&str>::new());
    stranded(
        &g,
        &strictly_closed(&g, &m).expect("the strict close fails"),
    );
}

/// `handshake` and `two-listeners`: every property holds.
#[test]
fn handshake_and_two_listeners_hold_every_liveness_property() {
    for name in ["handshake", "two-listeners"] {
        let (_, v) = verdicts(&model(name, |_| {}));
        assert!(violated(&v).is_empty(), "{name}: {:?}", violated(&v));
        assert!(v.len() >= 3, "{name}");
    }
}

/// `abort`: A's ABORT sends one RST; if it is lost, B (which closed first) waits in FIN-WAIT-2
/// for ever. `not-stuck` counts that stranding as resolved under loss; everything holds.
#[test]
fn abort_holds_every_liveness_property() {
    let m = model("abort", |_| {});
    let (_, v) = verdicts(&m);
    assert_eq!(violated(&v), Vec::<&str>::new());
}

/// `simultaneous-open` (475,000 states: release builds only). An end that leaves SYN-SENT for
/// SYN-RECEIVED (the simultaneous open) and closes from there goes FIN-WAIT-1, FIN-WAIT-2 and,
/// stranded, never passes ESTABLISHED, LISTEN or CLOSED: `syn-sent-resolves` holds only because
/// it counts the stranding as resolved.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# A TCP implementation MUST support simultaneous open attempts (MUST-10).
#[test]
#[cfg_attr(debug_assertions, ignore = "475,000 states: run with --release")]
fn simultaneous_open_holds_every_liveness_property() {
    let m = model("simultaneous-open", |_| {});
    let (_, v) = verdicts(&m);
    assert_eq!(violated(&v), Vec::<&str>::new());
}

/// FIN never retransmitted (gallery 6): the closing ends wait for ever, and every close
/// property fails, the goal too.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# All segments preceding and including FIN will be retransmitted until acknowledged.
#[test]
fn a_fin_sent_once_and_lost_strands_the_closing_end() {
    let m = model("lifecycle", |c| {
        c.profile.broken = Some(Broken::FinNeverRetransmitted)
    });
    let (g, v) = verdicts(&m);
    for p in ["ends-at-goal", "close-leads-to-closed", "not-stuck"] {
        assert!(violated(&v).contains(&p), "{p}: {:?}", violated(&v));
        genuine(&m, &g, lasso(&v, p));
    }
}

/// Without fairness the goal is not reached: a cycle that avoids it for ever (a duplicate
/// delivered again and again, or a timer never fired). The lasso is reported.
/// A FIN,ACK that acknowledges B's SYN takes B from SYN-RECEIVED through ESTABLISHED to
/// CLOSE-WAIT in one step (§3.10.7.4): SYN-RECEIVED has resolved there. Where A's FIN is then
/// never retransmitted and lost, the run strands in CLOSE-WAIT/LAST-ACK, which
/// `close-leads-to-closed` reports; `syn-received-resolves` must not.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing
#[test]
fn syn_received_resolves_through_close_wait_in_one_step() {
    let m = model("lifecycle", |c| {
        c.profile.broken = Some(Broken::FinNeverRetransmitted)
    });
    let (_, v) = verdicts(&m);
    assert!(
        violated(&v).contains(&"close-leads-to-closed"),
        "{:?}",
        violated(&v)
    );
    assert!(
        !violated(&v).contains(&"syn-received-resolves"),
        "{:?}",
        violated(&v)
    );
}

#[test]
fn lifecycle_without_fairness_has_a_lasso() {
    let m = model("lifecycle", |_| {});
    let g = explored(&m, Graph::explore(&m, 2_000_000).unwrap());
    let lasso = leads_to(
        &g,
        |_| true,
        |v| tcp::ends_at_goal(&g.states[v], &m),
        |_| Fairness::Unfair,
    )
    .expect("an unfair cycle");
    assert!(!lasso.stem.is_empty() && !lasso.cycle.is_empty());
}

/// The requests at work. Take runs that never stop while something is enabled (as if the
/// duplicating network kept delivering old duplicates for ever). In the FIN-WAIT-2 stranding,
/// B is CLOSED and answers every duplicate it is given with a RST (RFC 9293 §3.10.7.1): a
/// cycle that delivers a duplicate to B again and again sends that RST again and again.
/// Without requests the cycle is fair and `close-leads-to-closed` fails on it; with them the
/// RST must be delivered, it resets A, and the property holds. (With stops, as `tcp::fair`
/// has it on a lossy network, the stranding fails it either way: the network may lose
/// everything in flight.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# An incoming segment not containing a RST causes a RST to be sent in response.
#[test]
fn a_segment_sent_again_and_again_in_a_cycle_must_be_delivered() {
    let m = model("lifecycle", |_| {});
    // The strict close: both CLOSED (the stranding is the point here).
    let props = [tcp::LiveProperty {
        name: "strict-close",
        about: "",
        p: Some(|i, _, s| host(s, i).next_call > 1),
        q: |_, _, s| (0..2).all(|k| host(s, k).tcb.state == State::Closed),
        forbids_cycles: false,
    }];
    let m = &m;
    let observe = |with_requests: bool| {
        tcp::observe(m, &props)
            .requests(move |s, a| with_requests.then(|| requests(m, s, a)).flatten())
    };
    let without = explored(m, Graph::observed(m, 2_000_000, &observe(false)).unwrap());
    let never_stopping = |g| Fair::new(g, fairness(m.cfg()));
    let lasso = tcp::check_property(&without, &never_stopping(&without), &props, 0)
        .expect("a cycle that never delivers the RST it sends");
    stranded_cycle(&without, &lasso);
    let g = &without;
    let sends: Vec<SysAction> = lasso
        .cycle_edges
        .iter()
        .filter_map(|&e| requests(m, &g.states[g.source(e)], g.action(e)))
        .collect();
    let taken: Vec<&SysAction> = lasso.cycle_edges.iter().map(|&e| g.action(e)).collect();
    assert!(
        sends.iter().any(|r| !taken.contains(&r)),
        "the cycle sends a segment it never delivers"
    );
    let with = Graph::observed(m, 2_000_000, &observe(true)).unwrap();
    assert_eq!(
        tcp::check_property(&with, &never_stopping(&with), &props, 0),
        None
    );
}

/// A cycle through the FIN-WAIT-2 stranding: one end FIN-WAIT-2, the other CLOSED.
fn stranded_cycle(g: &Explored, l: &Lasso) {
    assert!(!l.cycle.is_empty());
    for &v in &l.cycle {
        let pair = states_of(g, v);
        assert!(
            pair.contains(&State::FinWait2) && pair.contains(&State::Closed),
            "{pair:?}"
        );
    }
}

/// A broken rule (CLOSE refused in CLOSE-WAIT) fails `ends-at-goal` under fairness: the
/// passive end stays in CLOSE-WAIT, its user done.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Queue this request until all preceding SENDs have been segmentized; then send a FIN segment,
//# enter LAST-ACK state.
#[test]
fn close_wait_ignoring_close_is_a_liveness_violation_under_fairness() {
    let m = model("lifecycle", |c| {
        c.profile.broken = Some(Broken::CloseWaitIgnoresClose)
    });
    let (_, v) = verdicts(&m);
    assert!(violated(&v).contains(&"ends-at-goal"), "{:?}", violated(&v));
}

/// RFCNLP's phi4 as written (SYN-RECEIVED leads to ESTABLISHED, FIN-WAIT-1 or CLOSED) fails for
/// a passive end: a RST in SYN-RECEIVED returns it to LISTEN (RFC 9293 §3.10.7.4), where a user
/// who never closes leaves it. With LISTEN added, as `syn-received-resolves` has it, it holds.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If this connection was initiated with a passive OPEN (i.e., came from the LISTEN state), then
//# return this connection to LISTEN state and return.
#[test]
fn rfcnlp_phi4_as_written_misses_the_return_to_listen() {
    let m = model("handshake", |_| {});
    let props = tcp::properties(m.cfg());
    let g = explored(&m, tcp::explore(&m, &props, 100_000).unwrap());
    let fair = tcp::fair(&m, &g);
    let b = |v: usize| host(&g.states[v], 1).tcb.state;
    let phi4 = fair.leads_to(
        |v| b(v) == State::SynReceived,
        |v| matches!(b(v), State::Established | State::FinWait1 | State::Closed),
    );
    let lasso = phi4.expect("a passive end can stay in LISTEN");
    genuine(&m, &g, &lasso);
    let end: Vec<State> = lasso
        .stem
        .iter()
        .chain(&lasso.cycle)
        .map(|&v| host(&g.states[v], 1).tcb.state)
        .collect();
    assert!(end.contains(&State::Listen), "{end:?}");
    let with_listen = fair.leads_to(
        |v| b(v) == State::SynReceived,
        |v| {
            matches!(
                b(v),
                State::Established | State::FinWait1 | State::Closed | State::Listen
            )
        },
    );
    assert_eq!(with_listen, None);
}

/// RFCNLP's phi2 read as "every fair run reaches both ESTABLISHED", checked on lossless
/// networks only (`establishes`), fails, and not for want of fairness: (1) user calls happen at
/// any moment, so B's passive OPEN may come after A's SYN arrived at a CLOSED port, which
/// refuses it with a RST (RFC 9293 §3.10.7.1); (2) even when B listens first, the model's
/// timers are untimed, so A's retransmission timeout may fire before the SYN arrives, twice,
/// and the user timeout closes A. Real TCP has both runs too (a late listener; a path slower
/// than the retry budget); the property is a wish, not a guarantee.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# A SYN segment that does not match an existing connection is rejected by this means.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# An attempt to open a TCP connection could fail with excessive retransmissions of the SYN segment
//# or by receipt of a RST segment or an ICMP Port Unreachable.
#[test]
fn establishment_can_fail_on_a_lossless_network() {
    let m = model("handshake", |c| c.network.loss = false);
    let (g, v) = verdicts(&m);
    assert_eq!(violated(&v), ["establishes"]);
    let refused = lasso(&v, "establishes");
    let (actions, _) = refused.actions(&g);
    let a_refused = refused.stem.iter().any(|&s| {
        host(&g.states[s], 0).tcb.state == State::Closed && host(&g.states[s], 0).next_call == 1
    });
    assert!(a_refused, "A closed after its OPEN: {actions:?}");

    // From A in SYN-SENT and B in LISTEN: still no guarantee, the timer races the SYN.
    let fair = tcp::fair(&m, &g);
    let [a, b] = [0, 1].map(|i| {
        let g = &g;
        move |v: usize| host(&g.states[v], i).tcb.state
    });
    let timed_out = fair
        .leads_to(
            |v| a(v) == State::SynSent && b(v) == State::Listen,
            |v| a(v) == State::Established && b(v) == State::Established,
        )
        .expect("the retransmission timer beats the SYN");
    genuine(&m, &g, &timed_out);
    let (actions, _) = timed_out.actions(&g);
    let timeouts = actions
        .iter()
        .filter(|a| matches!(a, ActorModelAction::Timeout(id, _) if usize::from(*id) == 0))
        .count();
    assert!(
        timeouts >= 2,
        "OPEN and at least one retransmission timeout: {actions:?}"
    );
}

/// Where the network is lossy `establishes` is not checked (the retry budget may be spent on
/// losses), nor where an end does not open.
#[test]
fn establishes_is_checked_only_on_lossless_networks_where_both_ends_open() {
    let names = |c: &Config| -> Vec<&str> { tcp::properties(c).iter().map(|p| p.name).collect() };
    let lossless = |name: &str| {
        let mut c = config(name).unwrap();
        c.network.loss = false;
        c
    };
    assert!(!names(&config("handshake").unwrap()).contains(&"establishes"));
    assert!(names(&lossless("handshake")).contains(&"establishes"));
    assert!(names(&lossless("simultaneous-open")).contains(&"establishes"));
    assert!(!names(&lossless("two-listeners")).contains(&"establishes"));
}

/// `tcp::check`, as `synfin check` uses it: one verdict per property, lassos as actions that
/// replay, and the stem's length.
#[test]
fn check_reports_replayable_lassos() {
    let m = model("abort", |_| {});
    let out = tcp::check(&m, 1_000_000).unwrap().verdicts;
    // All hold on the healthy model.
    let names: Vec<&str> = out.iter().map(|(p, _)| p.name).collect();
    assert_eq!(
        names,
        [
            "ends-at-goal",
            "syn-sent-resolves",
            "syn-received-resolves",
            "terminates",
            "not-stuck"
        ]
    );
    assert!(out.iter().all(|(_, l)| l.is_none()));
    let m = model("lifecycle", |c| {
        c.profile.broken = Some(Broken::CloseWaitIgnoresClose)
    });
    let out = tcp::check(&m, 1_000_000).unwrap().verdicts;
    let (actions, stem) = out[0].1.clone().expect("ends-at-goal fails");
    assert!(stem <= actions.len());
    assert!(m.path(&actions).is_some());
    assert!(m.init_states().len() == 1);
}

/// An ACK storm is a livelock: with every acceptable pure ACK acknowledged
/// (`Broken::AckEveryAck`), the two ends of `handshake` answer each other's ACKs for ever.
/// `terminates` finds the fair cycle (deliveries of bare ACKs between two ESTABLISHED ends,
/// each answering the other) and no other property fails; the lasso is a genuine fair run.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# Note that the sequence number of the segment in line 5 is the same as in line 4 because the ACK
//# does not occupy sequence number space (if it did, we would wind up ACKing ACKs!).
#[test]
fn an_ack_storm_is_a_fair_cycle_that_terminates_reports() {
    let m = model("handshake", |c| {
        c.profile.broken = Some(Broken::AckEveryAck)
    });
    let (g, v) = verdicts(&m);
    assert_eq!(violated(&v), vec!["terminates"]);
    let l = lasso(&v, "terminates");
    assert!(!l.cycle.is_empty(), "a cycle, not a stop");
    for &e in &l.cycle_edges {
        assert!(
            matches!(g.action(e), ActorModelAction::Deliver { msg, .. }
                if msg.flags == Flags::ACK && msg.len == 0),
            "{:?}",
            g.action(e)
        );
    }
    for &s in &l.cycle {
        assert_eq!(states_of(&g, s), [State::Established; 2]);
    }
}

/// A run that stops is not a livelock: where a FIN is never retransmitted the closing ends
/// strand (the close properties fail with a stop), and `terminates` holds.
#[test]
fn a_run_that_stops_is_not_a_livelock() {
    let m = model("lifecycle", |c| {
        c.profile.broken = Some(Broken::FinNeverRetransmitted)
    });
    let (_, v) = verdicts(&m);
    assert!(violated(&v).contains(&"not-stuck"), "{:?}", violated(&v));
    assert!(!violated(&v).contains(&"terminates"), "{:?}", violated(&v));
}

/// `terminates` is checked where duplication is finite: on lossy networks (a copy delivered
/// again and again must be sent again and again) and where nothing is duplicated. A lossless
/// duplicating network replays a copy for ever by itself, fairly: not TCP's cycle.
#[test]
fn terminates_is_not_checked_where_the_network_replays_copies_for_ever() {
    let names = |c: &Config| -> Vec<&str> { tcp::properties(c).iter().map(|p| p.name).collect() };
    let mut c = config("handshake").unwrap();
    assert!(names(&c).contains(&"terminates"));
    c.network.loss = false;
    assert!(!names(&c).contains(&"terminates"));
    c.network.duplication = false;
    assert!(names(&c).contains(&"terminates"));
    // There, an ACK storm is found as well.
    c.profile.broken = Some(Broken::AckEveryAck);
    let (_, v) = verdicts(&TcpModel::new(c).unwrap());
    assert!(violated(&v).contains(&"terminates"), "{:?}", violated(&v));
}
