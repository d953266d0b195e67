//! The liveness search validated on small hand-made models: lassos it must find, cycles that
//! fairness must exclude, weak fairness and request/response (strong) fairness told apart,
//! runs that may stop, lassos whose cycle is itself fair, agreement with stateright's
//! `eventually` on acyclic models, and, on random graphs, agreement with a brute-force search
//! over every set of edges a run could take forever.

use stateright::{Checker, Model, Property};
use synfin_model::liveness::graph::{Graph, Observe};
use synfin_model::liveness::leads_to::{leads_to, Fair, Fairness, Lasso};

/// Edges (from, action, to) over states 0..n; state 0 is initial.
#[derive(Clone, Debug)]
struct Edges(Vec<(u8, char, u8)>);

impl Model for Edges {
    type State = u8;
    type Action = char;

    fn init_states(&self) -> Vec<u8> {
        vec![0]
    }

    fn actions(&self, s: &u8, actions: &mut Vec<char>) {
        actions.extend(self.0.iter().filter(|(f, _, _)| f == s).map(|(_, a, _)| *a));
    }

    fn next_state(&self, s: &u8, a: char) -> Option<u8> {
        self.0
            .iter()
            .find(|(f, b, _)| f == s && *b == a)
            .map(|(_, _, t)| *t)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::eventually("reaches 3", |_, s: &u8| *s == 3)]
    }
}

/// What the search is told: each action's fairness, what each step (from, action) requests,
/// and whether runs may stop where no weakly fair action is enabled.
struct Assume {
    fairness: fn(&char) -> Fairness,
    requests: Vec<(u8, char, char)>,
    may_stop: bool,
}

impl Assume {
    fn new(fairness: fn(&char) -> Fairness) -> Assume {
        Assume {
            fairness,
            requests: Vec::new(),
            may_stop: false,
        }
    }
    fn requesting(mut self, from: u8, action: char, requested: char) -> Assume {
        self.requests.push((from, action, requested));
        self
    }
    fn stopping(mut self) -> Assume {
        self.may_stop = true;
        self
    }
    fn request(&self, s: u8, a: char) -> Option<char> {
        self.requests
            .iter()
            .find(|(f, b, _)| *f == s && *b == a)
            .map(|(_, _, r)| *r)
    }
}

/// `from 0, eventually 3` (P: state 0, Q: state 3), with the lasso checked to be a genuine
/// fair counterexample when there is one.
fn check(m: &Edges, assume: &Assume) -> Option<Lasso> {
    check_pq(m, assume, |s| s == 0, |s| s == 3)
}

fn check_pq(m: &Edges, assume: &Assume, p: fn(u8) -> bool, q: fn(u8) -> bool) -> Option<Lasso> {
    let observe = Observe::default().requests(|s: &u8, a: &char| assume.request(*s, *a));
    let g = Graph::observed(m, 1000, &observe).unwrap();
    let states = g.states(m).unwrap();
    let fair = Fair::new(&g, assume.fairness).may_stop(assume.may_stop);
    let lasso = fair.leads_to(|v| p(states[v]), |v| q(states[v]));
    if let Some(l) = &lasso {
        let request = |s, a| assume.request(s, a);
        let never = |_, _| false;
        let (f, stop) = (&assume.fairness, assume.may_stop);
        if let Err(e) = genuine(&g, &states, l, f, &request, &never, stop, &p, &q) {
            panic!("{e}: {l:?} on {m:?}");
        }
    }
    lasso
}

/// The lasso is a path of the graph from the initial state; from some P state on it avoids Q;
/// and it ends where a fair run may end (nothing enabled, or a stop with no weakly fair action
/// enabled) or in a cycle that is fair on its own: every weakly fair action enabled in all its
/// states is taken on it, and every strongly fair action one of its edges requests is taken
/// on it, or idle in one of its states.
#[allow(clippy::too_many_arguments)]
fn genuine<M: Model<State = u8, Action = char>>(
    g: &Graph<M>,
    states: &[u8],
    l: &Lasso,
    fairness: &dyn Fn(&char) -> Fairness,
    request: &dyn Fn(u8, char) -> Option<char>,
    idle: &dyn Fn(u8, char) -> bool,
    may_stop: bool,
    p: &dyn Fn(u8) -> bool,
    q: &dyn Fn(u8) -> bool,
) -> Result<(), String> {
    let st = |v: usize| states[v];
    let walk = |states: &[usize], edges: &[usize]| -> Result<(), String> {
        if !states.is_empty() && edges.len() + 1 != states.len() {
            return Err("edges and states disagree".into());
        }
        for (k, &e) in edges.iter().enumerate() {
            if !g.edges(states[k]).contains(&e) || g.target(e) != states[k + 1] {
                return Err(format!("edge {e} is not step {k}"));
            }
        }
        Ok(())
    };
    walk(&l.stem, &l.stem_edges)?;
    walk(&l.cycle, &l.cycle_edges)?;
    if !g.init.contains(l.stem.first().ok_or("empty stem")?) {
        return Err("the stem does not start at an initial state".into());
    }
    let from = l.stem.iter().rposition(|&v| q(st(v))).map_or(0, |k| k + 1);
    if !l.stem[from..].iter().any(|&v| p(st(v))) {
        return Err("no P state after the last Q state".into());
    }
    if l.cycle.iter().any(|&v| q(st(v))) {
        return Err("the cycle meets Q".into());
    }
    let entry = *l.stem.last().unwrap();
    let weak = |a: &char| fairness(a) == Fairness::Weak;
    if l.cycle.is_empty() {
        let enabled: Vec<char> = g.succ(entry).map(|(_, a)| *a).collect();
        let may_end = enabled.is_empty() || (may_stop && !enabled.iter().any(weak));
        return if may_end {
            Ok(())
        } else {
            Err("the stem ends where the run must go on".into())
        };
    }
    if l.cycle.first() != Some(&entry) || l.cycle.last() != Some(&entry) {
        return Err("the cycle does not start and end at the stem's end".into());
    }
    let taken: Vec<char> = l.cycle_edges.iter().map(|&e| *g.action(e)).collect();
    let states = &l.cycle[..l.cycle.len() - 1];
    for (_, a) in g.succ(states[0]) {
        let everywhere = states.iter().all(|&v| g.succ(v).any(|(_, b)| b == a));
        if weak(a) && everywhere && !taken.contains(a) {
            return Err(format!(
                "weakly fair {a} enabled all round the cycle, never taken"
            ));
        }
    }
    for &e in &l.cycle_edges {
        if let Some(r) = request(st(g.source(e)), *g.action(e)) {
            let idles = states.iter().any(|&v| idle(st(v), r));
            if fairness(&r) == Fairness::Strong && !taken.contains(&r) && !idles {
                return Err(format!("{r} requested on the cycle, never taken"));
            }
        }
    }
    Ok(())
}

fn unfair(_: &char) -> Fairness {
    Fairness::Unfair
}

fn strong(_: &char) -> Fairness {
    Fairness::Strong
}

fn weak(_: &char) -> Fairness {
    Fairness::Weak
}

/// 0 -a-> 1 -b-> 2 -c-> 1, and 2 -d-> 3 (the goal). The cycle 1,2 can avoid 3 forever unless
/// `d` must eventually be taken.
fn loop_with_exit() -> Edges {
    Edges(vec![(0, 'a', 1), (1, 'b', 2), (2, 'c', 1), (2, 'd', 3)])
}

#[test]
fn without_fairness_the_loop_is_a_lasso_counterexample() {
    let m = loop_with_exit();
    let lasso = check(&m, &Assume::new(unfair)).expect("the loop avoids 3");
    let g = Graph::explore(&m, 1000).unwrap();
    let all = g.states(&m).unwrap();
    let states: Vec<u8> = lasso.stem.iter().map(|&i| all[i]).collect();
    assert_eq!(states.first(), Some(&0));
    let cycle: Vec<u8> = lasso.cycle.iter().map(|&i| all[i]).collect();
    assert!(cycle.len() >= 3, "a closed walk: {cycle:?}");
    assert_eq!(cycle.first(), cycle.last());
    assert!(cycle.contains(&1) && cycle.contains(&2) && !cycle.contains(&3));
    // stateright's `eventually` misses it: the loop has no terminal state.
    let checker = m.checker().spawn_bfs().join();
    assert!(checker.discovery("reaches 3").is_none());
}

/// `b` requests `d` on every round of the loop (a segment sent again and again): strong
/// fairness makes `d` happen, so the loop is not a counterexample.
#[test]
fn an_action_requested_on_every_round_of_a_cycle_must_be_taken() {
    let assume = Assume::new(strong).requesting(1, 'b', 'd');
    assert_eq!(check(&loop_with_exit(), &assume), None);
}

/// `d` is enabled every time round the loop, but nothing on the loop requests it: strong
/// fairness is about requests, not enabledness, so the loop stays a counterexample (the old,
/// state-based strong fairness excluded it).
#[test]
fn an_action_enabled_on_every_round_but_never_requested_may_wait_forever() {
    assert!(check(&loop_with_exit(), &Assume::new(strong)).is_some());
}

/// Weak fairness only forces actions enabled continuously; `d` is disabled in state 1, so the
/// loop stays a counterexample.
#[test]
fn weak_fairness_does_not_exclude_an_intermittently_enabled_exit() {
    assert!(check(&loop_with_exit(), &Assume::new(weak)).is_some());
}

/// A self-loop with the exit enabled in the same state: weak fairness suffices.
#[test]
fn weak_fairness_excludes_a_self_loop_with_a_continuously_enabled_exit() {
    let m = Edges(vec![(0, 'a', 1), (1, 'r', 1), (1, 'd', 3)]);
    assert!(check(&m, &Assume::new(unfair)).is_some());
    let d_weak: fn(&char) -> Fairness = |a| {
        if *a == 'd' {
            Fairness::Weak
        } else {
            Fairness::Unfair
        }
    };
    assert_eq!(check(&m, &Assume::new(d_weak)), None);
}

/// A timer (`t`, weakly fair) enabled in both states of the loop 1,2 and never taken on it
/// excludes the loop; enabled in only one of them it does not.
#[test]
fn a_weak_timer_enabled_everywhere_on_a_cycle_excludes_it() {
    let t_weak: fn(&char) -> Fairness = |a| {
        if *a == 't' {
            Fairness::Weak
        } else {
            Fairness::Unfair
        }
    };
    let both = Edges(vec![
        (0, 'a', 1),
        (1, 'b', 2),
        (2, 'c', 1),
        (1, 't', 3),
        (2, 't', 3),
    ]);
    assert_eq!(check(&both, &Assume::new(t_weak)), None);
    let one = Edges(vec![(0, 'a', 1), (1, 'b', 2), (2, 'c', 1), (2, 't', 3)]);
    assert!(check(&one, &Assume::new(t_weak)).is_some());
}

/// A duplicating network in miniature. `s` sends segment `m` once (requests its delivery);
/// `m` stays deliverable in states 1 and 2 (as every segment does in a duplicating network),
/// and its delivery reaches the goal 3. Meanwhile `x` and `y` go round 1,2 forever (old
/// duplicates answered back and forth, each requesting the other). The segment sent once may
/// be lost forever: a lasso through 1,2 that never delivers `m`.
fn sent_once() -> Edges {
    Edges(vec![
        (0, 's', 1),
        (1, 'm', 3),
        (2, 'm', 3),
        (1, 'x', 2),
        (2, 'y', 1),
    ])
}

fn ping_pong(assume: Assume) -> Assume {
    assume
        .requesting(0, 's', 'm')
        .requesting(1, 'x', 'y')
        .requesting(2, 'y', 'x')
}

#[test]
fn a_segment_sent_once_on_a_duplicating_network_may_be_lost_forever() {
    let m = sent_once();
    let lasso = check(&m, &ping_pong(Assume::new(strong))).expect("m may be lost");
    let g = Graph::explore(&m, 1000).unwrap();
    let cycle: Vec<char> = lasso.cycle_edges.iter().map(|&e| *g.action(e)).collect();
    assert!(cycle.contains(&'x') && cycle.contains(&'y') && !cycle.contains(&'m'));
}

/// The same, but `y` resends `m` on every round (a retransmission): now `m` must be delivered,
/// and there is no counterexample.
#[test]
fn a_segment_sent_on_every_round_of_a_cycle_must_be_delivered() {
    let assume = ping_pong(Assume::new(strong)).requesting(2, 'y', 'm');
    let assume = Assume {
        requests: assume
            .requests
            .into_iter()
            .filter(|r| *r != (2, 'y', 'x'))
            .collect(),
        ..assume
    };
    assert_eq!(check(&sent_once(), &assume), None);
}

/// A run may stop only if told so, and then only where no weakly fair action is enabled.
/// `s` sends `m`; in state 1 the only thing that can happen is its delivery, so without
/// stopping the run must deliver it. With stopping (a lossy network that may lose everything
/// in flight), it may end in 1. A retransmission timer `t` in state 1 that resends `m`
/// forever (a weakly fair self-loop requesting `m`) prevents the stop and forces delivery; a
/// timer that gives up after one retransmission (1 -t-> 2, where `m` is still deliverable and
/// nothing is due) does not.
#[test]
fn a_run_may_stop_where_no_timer_is_due_if_the_network_can_lose_what_is_in_flight() {
    // `s` (a user call) and `t` are timers; deliveries are strongly fair.
    let timer: fn(&char) -> Fairness = |a| {
        if matches!(a, 's' | 't') {
            Fairness::Weak
        } else {
            Fairness::Strong
        }
    };
    let m = Edges(vec![(0, 's', 1), (1, 'm', 3)]);
    let sends = |a: Assume| a.requesting(0, 's', 'm');
    assert_eq!(check(&m, &sends(Assume::new(timer))), None);
    let stop = check(&m, &sends(Assume::new(timer).stopping())).expect("m lost");
    assert!(stop.cycle.is_empty());
    let g = Graph::explore(&m, 1000).unwrap();
    assert_eq!(g.states(&m).unwrap()[*stop.stem.last().unwrap()], 1);
    let forever = Edges(vec![(0, 's', 1), (1, 'm', 3), (1, 't', 1)]);
    let resend = |a: Assume| sends(a).requesting(1, 't', 'm');
    assert_eq!(
        check(&forever, &resend(Assume::new(timer).stopping())),
        None
    );
    let gives_up = Edges(vec![(0, 's', 1), (1, 'm', 3), (1, 't', 2), (2, 'm', 3)]);
    let lasso = check(&gives_up, &resend(Assume::new(timer).stopping())).expect("lost twice");
    let g = Graph::explore(&gives_up, 1000).unwrap();
    assert_eq!(g.states(&gives_up).unwrap()[*lasso.stem.last().unwrap()], 2);
}

/// A request for an action that labels no edge at all can never be answered: the cycle that
/// makes it is unfair.
#[test]
fn a_request_that_can_never_be_answered_excludes_the_cycle() {
    let m = Edges(vec![(0, 'a', 1), (1, 'b', 1)]);
    let assume = Assume::new(strong).requesting(1, 'b', 'z');
    assert_eq!(check_pq(&m, &assume, |_| true, |_| false), None);
    assert!(check_pq(&m, &Assume::new(strong), |_| true, |_| false).is_some());
}

/// The lasso's cycle is fair on its own, not just the component it lies in. From the entry 1
/// the shortest cycle is 1 -b-> 2 -c-> 1, but `b` requests `r`, taken only at the far end of
/// the component (4 -r-> 5 -e-> 1), and `r` requests `u`, taken from 3; the weakly fair timer
/// `t` is enabled in 1, 2, 4 and 5 but not in 3, and taken nowhere, so the cycle must visit
/// 3. The tour grows by detours until every obligation is met; `genuine` checks it.
#[test]
fn the_lasso_cycle_takes_every_action_fairness_requires() {
    let m = Edges(vec![
        (0, 'a', 1),
        (1, 'b', 2),
        (2, 'c', 1),
        (2, 'f', 4),
        (4, 'r', 5),
        (5, 'e', 1),
        (1, 'g', 6),
        (6, 'u', 7),
        (7, 'h', 1),
        (6, 'k', 1),
        (1, 't', 3),
        (2, 't', 3),
        (4, 't', 3),
        (5, 't', 3),
        (7, 't', 3),
    ]);
    let fairness: fn(&char) -> Fairness = |a| match a {
        't' => Fairness::Weak,
        'r' | 'u' => Fairness::Strong,
        _ => Fairness::Unfair,
    };
    let assume = Assume::new(fairness)
        .requesting(1, 'b', 'r')
        .requesting(4, 'r', 'u');
    let lasso = check_pq(&m, &assume, |s| s == 0, |s| s == 3).expect("a fair cycle exists");
    let g = Graph::explore(&m, 1000).unwrap();
    let states = g.states(&m).unwrap();
    let cycle: Vec<u8> = lasso.cycle.iter().map(|&v| states[v]).collect();
    let actions: Vec<char> = lasso.cycle_edges.iter().map(|&e| *g.action(e)).collect();
    assert!(
        cycle.contains(&6),
        "{cycle:?}: must pass 6, where t is disabled"
    );
    if actions.contains(&'b') {
        assert!(
            actions.contains(&'r') && actions.contains(&'u'),
            "{actions:?}"
        );
    }
}

/// On acyclic models `leads_to(init, Q)` agrees with stateright's `eventually Q`, whatever the
/// fairness: fairness constrains only infinite runs.
#[test]
fn agrees_with_eventually_on_acyclic_models() {
    let models = [
        Edges(vec![(0, 'a', 1), (1, 'b', 3)]),
        Edges(vec![(0, 'a', 1), (0, 'b', 2), (1, 'c', 3)]),
        Edges(vec![(0, 'a', 1), (0, 'b', 2), (1, 'c', 3), (2, 'd', 3)]),
        Edges(vec![(0, 'a', 3), (3, 'b', 4)]),
    ];
    for (k, m) in models.iter().enumerate() {
        let theirs = m
            .clone()
            .checker()
            .spawn_bfs()
            .join()
            .discovery("reaches 3")
            .is_some();
        for f in [unfair, weak, strong] {
            let requests_all = Observe::default().requests(|_: &u8, a: &char| Some(*a));
            let g = Graph::observed(m, 1000, &requests_all).unwrap();
            let states = g.states(m).unwrap();
            let ours = leads_to(&g, |v| states[v] == 0, |v| states[v] == 3, f);
            assert_eq!(ours.is_some(), theirs, "model {k}");
            if let Some(l) = ours {
                assert!(l.cycle.is_empty(), "model {k}: a dead end, not a cycle");
            }
        }
    }
}

/// Against the definition, on random graphs: a counterexample exists exactly when some set of
/// edges that a run could take forever (strongly connected, all ¬Q) is fair and reachable from
/// a P state through ¬Q states, or a ¬Q state where the run may end is; and every lasso found
/// is genuine.
mod random {
    use super::*;
    use proptest::prelude::*;

    const ACTIONS: [char; 4] = ['a', 'b', 'c', 'd'];

    #[derive(Debug, Clone)]
    struct Case {
        edges: Vec<(u8, char, u8)>,
        kinds: [u8; 4],
        requests: Vec<(u8, char, char)>,
        /// (state, action): taking the action there would change nothing (no edge).
        idle: Vec<(u8, char)>,
        p: Vec<bool>,
        q: Vec<bool>,
        may_stop: bool,
    }

    /// `Edges`, whose states also list the `idle` actions: enabled, without a successor.
    #[derive(Clone, Debug)]
    struct WithIdle(Edges, Vec<(u8, char)>);

    impl Model for WithIdle {
        type State = u8;
        type Action = char;

        fn init_states(&self) -> Vec<u8> {
            self.0.init_states()
        }

        fn actions(&self, s: &u8, actions: &mut Vec<char>) {
            self.0.actions(s, actions);
            actions.extend(self.1.iter().filter(|(v, _)| v == s).map(|(_, a)| *a));
        }

        fn next_state(&self, s: &u8, a: char) -> Option<u8> {
            self.0.next_state(s, a)
        }
    }

    fn kind(k: u8) -> Fairness {
        [Fairness::Unfair, Fairness::Weak, Fairness::Strong][k as usize % 3]
    }

    fn case() -> impl Strategy<Value = Case> {
        let n = 5u8;
        (
            proptest::collection::vec((0..n, 0..4usize, 0..n), 1..9),
            [0u8..3, 0u8..3, 0u8..3, 0u8..3],
            proptest::collection::vec(proptest::option::of(0..5usize), 9),
            proptest::collection::vec((0..n, 0..5usize), 0..3),
            proptest::collection::vec(any::<bool>(), n as usize),
            proptest::collection::vec(any::<bool>(), n as usize),
            any::<bool>(),
        )
            .prop_map(|(raw, kinds, req, idle, p, q, may_stop)| {
                let mut edges: Vec<(u8, char, u8)> = Vec::new();
                for (f, a, t) in raw {
                    if !edges.iter().any(|(g, b, _)| *g == f && *b == ACTIONS[a]) {
                        edges.push((f, ACTIONS[a], t));
                    }
                }
                // Request index 4 names an action that labels no edge.
                let requests = edges
                    .iter()
                    .zip(req)
                    .filter_map(|(&(f, a, _), r)| r.map(|r| (f, a, b"abcdz"[r] as char)))
                    .collect();
                let idle = idle
                    .into_iter()
                    .map(|(v, a)| (v, b"abcdz"[a] as char))
                    .filter(|&(v, a)| !edges.iter().any(|&(f, b, _)| f == v && b == a))
                    .collect();
                Case {
                    edges,
                    kinds,
                    requests,
                    idle,
                    p,
                    q,
                    may_stop,
                }
            })
    }

    fn fairness_of(kinds: [u8; 4], a: char) -> Fairness {
        ACTIONS
            .iter()
            .position(|&b| b == a)
            .map_or(Fairness::Strong, |i| kind(kinds[i]))
    }

    /// The brute-force answer: does a counterexample exist?
    fn oracle(c: &Case) -> bool {
        let n = c.p.len();
        let fair = |a: char| fairness_of(c.kinds, a);
        let bad = |v: u8| !c.q[v as usize];
        let out = |v: u8| c.edges.iter().filter(move |(f, _, _)| *f == v);
        // Reachable states.
        let mut reach = vec![false; n];
        let mut todo = vec![0u8];
        reach[0] = true;
        while let Some(v) = todo.pop() {
            for &(_, _, t) in out(v) {
                if !reach[t as usize] {
                    reach[t as usize] = true;
                    todo.push(t);
                }
            }
        }
        // Where a run may end, or cycle fairly, avoiding Q.
        let mut ends = vec![false; n];
        for v in 0..n as u8 {
            let none = out(v).next().is_none();
            let no_weak = !out(v).any(|(_, a, _)| fair(*a) == Fairness::Weak);
            ends[v as usize] = bad(v) && (none || (c.may_stop && no_weak));
        }
        let m = c.edges.len();
        for set in 1u32..(1 << m) {
            let s: Vec<(u8, char, u8)> = (0..m)
                .filter(|k| set & (1 << k) != 0)
                .map(|k| c.edges[k])
                .collect();
            if s.iter().any(|&(f, _, t)| !bad(f) || !bad(t)) {
                continue;
            }
            let nodes: Vec<u8> = s.iter().map(|e| e.0).collect();
            // Strongly connected: from each node every node is reached within `s`.
            let connected = nodes.iter().all(|&from| {
                let mut seen = vec![from];
                let mut todo = vec![from];
                while let Some(v) = todo.pop() {
                    for &(f, _, t) in &s {
                        if f == v && !seen.contains(&t) {
                            seen.push(t);
                            todo.push(t);
                        }
                    }
                }
                nodes.iter().all(|v| seen.contains(v)) && s.iter().all(|e| nodes.contains(&e.2))
            });
            if !connected {
                continue;
            }
            let taken = |a: char| s.iter().any(|e| e.1 == a);
            let answered = |a: char| taken(a) || nodes.iter().any(|&v| c.idle.contains(&(v, a)));
            let weak_ok = ACTIONS.iter().all(|&a| {
                fair(a) != Fairness::Weak
                    || taken(a)
                    || !nodes.iter().all(|&v| out(v).any(|e| e.1 == a))
            });
            let strong_ok = s.iter().all(|&(f, a, _)| {
                c.requests
                    .iter()
                    .filter(|r| r.0 == f && r.1 == a)
                    .all(|r| fair(r.2) != Fairness::Strong || answered(r.2))
            });
            if weak_ok && strong_ok {
                for v in nodes {
                    ends[v as usize] = true;
                }
            }
        }
        // A reachable P ∧ ¬Q state that reaches an end through ¬Q states.
        (0..n as u8).any(|start| {
            if !reach[start as usize] || !c.p[start as usize] || !bad(start) {
                return false;
            }
            let mut seen = vec![false; n];
            let mut todo = vec![start];
            seen[start as usize] = true;
            while let Some(v) = todo.pop() {
                if ends[v as usize] {
                    return true;
                }
                for &(_, _, t) in out(v) {
                    if bad(t) && !seen[t as usize] {
                        seen[t as usize] = true;
                        todo.push(t);
                    }
                }
            }
            false
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn agrees_with_brute_force_and_every_lasso_is_genuine(c in case()) {
            let m = WithIdle(Edges(c.edges.clone()), c.idle.clone());
            let kinds = c.kinds;
            let observe = Observe::default()
                .requests(|s: &u8, a: &char| {
                    c.requests.iter().find(|r| r.0 == *s && r.1 == *a).map(|r| r.2)
                })
                .idle(|s: &u8, a: &char| c.idle.contains(&(*s, *a)));
            let g = Graph::observed(&m, 1000, &observe).unwrap();
            let states = g.states(&m).unwrap();
            let fair = Fair::new(&g, |a: &char| fairness_of(kinds, *a)).may_stop(c.may_stop);
            let lasso = fair.leads_to(|v| c.p[states[v] as usize], |v| c.q[states[v] as usize]);
            prop_assert_eq!(lasso.is_some(), oracle(&c), "{:?}", lasso);
            if let Some(l) = lasso {
                let request = |s: u8, a: char| {
                    c.requests.iter().find(|r| r.0 == s && r.1 == a).map(|r| r.2)
                };
                let r = genuine(
                    &g,
                    &states,
                    &l,
                    &|a: &char| fairness_of(kinds, *a),
                    &request,
                    &|s, a| c.idle.contains(&(s, a)),
                    c.may_stop,
                    &|s| c.p[s as usize],
                    &|s| c.q[s as usize],
                );
                prop_assert!(r.is_ok(), "{:?}: {:?}", r, l);
            }
        }
    }
}

/// Finite duplication (`Fair::bounded`): a delivery taken again and again must be requested
/// again and again. 0 -s-> 1 sends a segment once; in 1 the network may replay it forever
/// (`d`, a self-loop: a duplicating network keeps it deliverable). Without the bound that
/// replay is a fair cycle avoiding 3; with it the cycle is excluded, and what remains, on a
/// lossy network, is the stop in 1 (every copy lost). Where the replay is requested on every
/// round (`r` re-sends it), the cycle stays fair.
#[test]
fn a_segment_replayed_forever_must_be_sent_forever() {
    let m = Edges(vec![(0, 's', 1), (1, 'd', 1), (1, 'x', 3)]);
    let sends = Observe::default().requests(|_: &u8, a: &char| (*a == 's').then_some('d'));
    let g = Graph::observed(&m, 100, &sends).unwrap();
    let states = g.states(&m).unwrap();
    let kind = |a: &char| match a {
        'd' => Fairness::Strong,
        's' => Fairness::Weak,
        _ => Fairness::Unfair,
    };
    let replay = Fair::new(&g, kind);
    let lasso = replay
        .leads_to(|v| states[v] == 0, |v| states[v] == 3)
        .expect("an unbounded replay avoids 3");
    assert!(
        !lasso.cycle.is_empty(),
        "the replay is the cycle: {lasso:?}"
    );

    let bounded = Fair::new(&g, kind).may_stop(true).bounded(|a| *a == 'd');
    let lasso = bounded
        .leads_to(|v| states[v] == 0, |v| states[v] == 3)
        .expect("the stop in 1 remains");
    assert!(lasso.cycle.is_empty(), "a stop, not the replay: {lasso:?}");
    assert_eq!(states[*lasso.stem.last().unwrap()], 1);
    // Bounded where runs may not stop, nothing fair is left in 1 and the search says "holds":
    // which is why `tcp::fair` bounds deliveries only on lossy networks.
    let no_stop = Fair::new(&g, kind).bounded(|a| *a == 'd');
    assert_eq!(
        no_stop.leads_to(|v| states[v] == 0, |v| states[v] == 3),
        None
    );

    let resent = Edges(vec![(0, 's', 1), (1, 'd', 2), (2, 'r', 1), (1, 'x', 3)]);
    let resends =
        Observe::default().requests(|_: &u8, a: &char| matches!(a, 's' | 'r').then_some('d'));
    let g = Graph::observed(&resent, 100, &resends).unwrap();
    let states = g.states(&resent).unwrap();
    let kind = |a: &char| match a {
        'd' => Fairness::Strong,
        _ => Fairness::Unfair,
    };
    let fair = Fair::new(&g, kind).bounded(|a| *a == 'd');
    let lasso = fair
        .leads_to(|v| states[v] == 0, |v| states[v] == 3)
        .expect("a segment sent and delivered on every round may cycle forever");
    assert!(!lasso.cycle.is_empty());
}
