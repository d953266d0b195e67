//! `P leads-to Q` under fairness, on an explored [`Graph`]: a counterexample is a reachable
//! state where P holds and Q does not, from which a *fair* run avoids Q forever. The run ends
//! in a lasso: a fair cycle of ¬Q states, or a ¬Q state where nothing more can happen, or
//! (when runs may stop, see [`Fair::may_stop`]) a ¬Q state where no weakly fair action is
//! enabled.
//!
//! Fairness, per action (an action is identified by its value, so a segment sent again and
//! again is the same delivery action):
//! * weak: an action enabled in every state of a cycle must be taken on it (a set timer fires);
//! * strong, as request and response (Streett fairness on edges): each edge may *request* one
//!   strongly fair action (a step that sends segment m requests the delivery of m); an action
//!   requested by an edge of a cycle must be taken on that cycle. So a delivery requested again
//!   and again is eventually made, while one requested finitely often (a segment sent once)
//!   may be postponed forever, even if it stays enabled (a duplicating network keeps every
//!   segment deliverable). A request is also answered by a state of the cycle where taking
//!   the action would change nothing (see [`Observe::idle`](super::graph::Observe::idle)).
//!
//! The search (Emerson-Lei refinement, on edges): split the ¬Q subgraph into strongly
//! connected components. A component in which some weakly fair action is enabled in every
//! state and taken by none of its edges holds no fair cycle: dropped. In a component where an
//! edge requests a strongly fair action that no edge of the component takes (nor is idle in
//! one of its states), no fair cycle uses that edge: such edges are removed and the component
//! is split again. A component that still has an edge inside and violates nothing is fair:
//! the walk that takes every one of its edges is a fair cycle. Every fair cycle lies inside
//! one of these fair components, so none is missed.
//!
//! The lasso's cycle is itself fair (see `tour`): it starts as a shortest cycle through its
//! entry state and grows by detours inside the fair component until every weakly fair action
//! enabled in all its states is taken on it and every request of one of its edges is answered
//! on it. It is usually much shorter than a walk through every edge.

use super::graph::Graph;
use super::scc::Tarjan;
use stateright::Model;
use std::collections::{HashMap, VecDeque};

/// How an action must be treated on an infinite path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fairness {
    /// May be postponed forever.
    Unfair,
    /// Taken on every cycle on which it is enabled in every state.
    Weak,
    /// Taken on every cycle on which some edge requests it.
    Strong,
}

/// A counterexample: `stem` from an initial state to the first state of `cycle`; `cycle`
/// returns to its first state. `cycle` is empty when the stem ends where the run may end:
/// nothing more can happen there, or (runs that may stop) no weakly fair action is enabled.
/// `stem_edges[k]` is the edge from `stem[k]` to `stem[k + 1]`, `cycle_edges` likewise (edge
/// numbers of the [`Graph`]): two actions may lead to the same state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lasso {
    pub stem: Vec<usize>,
    pub cycle: Vec<usize>,
    pub stem_edges: Vec<usize>,
    pub cycle_edges: Vec<usize>,
}

impl Lasso {
    /// The lasso's actions from the initial state (the stem's, then the cycle's once), and how
    /// many of them are the stem's.
    pub fn actions<M>(&self, g: &Graph<M>) -> (Vec<M::Action>, usize)
    where
        M: Model,
        M::Action: Clone,
    {
        let actions = self
            .stem_edges
            .iter()
            .chain(&self.cycle_edges)
            .map(|&e| g.action(e).clone())
            .collect();
        (actions, self.stem_edges.len())
    }
}

/// `None`: P leads to Q on every fair run. `Some`: a counterexample. `p(v)` and `q(v)` say
/// whether P and Q hold in state number `v` (from [`Graph::facts`], or states replayed with
/// [`Graph::states`]); what each step requests was recorded while exploring (see
/// [`Fair::new`]). Runs do not stop where an action is enabled; see [`Fair`] for the other
/// option and for checking several properties on one graph.
pub fn leads_to<M: Model>(
    g: &Graph<M>,
    p: impl Fn(usize) -> bool,
    q: impl Fn(usize) -> bool,
    fairness: impl Fn(&M::Action) -> Fairness,
) -> Option<Lasso> {
    Fair::new(g, fairness).leads_to(p, q)
}

/// A parent-pointer sentinel.
const ROOT: usize = usize::MAX;

/// A graph with its fairness: what each action's fairness is, computed once for any number of
/// `leads-to` checks. What each edge requests, and which actions are idle in each state, the
/// graph recorded while exploring ([`super::graph::Observe`]).
pub struct Fair<'g, M: Model> {
    g: &'g Graph<M>,
    /// Per label.
    kind: Vec<Fairness>,
    may_stop: bool,
    /// Per label: taken infinitely often only if requested infinitely often.
    bounded: Vec<bool>,
    /// The states of the graph's components that hold a cycle (every cycle lies in one):
    /// component `k` is `cyclic[start[k]..start[k + 1]]`. Components of the ¬Q states refine
    /// these, so the search splits only them and skips every state on no cycle at all.
    cyclic: Vec<u32>,
    start: Vec<u32>,
}

impl<'g, M: Model> Fair<'g, M> {
    /// `fairness` classifies actions. A step's request (recorded in the graph) counts only if
    /// it names a strongly fair action: a cycle that takes the step must also take the
    /// requested action, or pass through a state where it is idle.
    pub fn new(g: &'g Graph<M>, fairness: impl Fn(&M::Action) -> Fairness) -> Fair<'g, M> {
        let mut cyclic = Vec::new();
        let mut start = vec![0];
        let all: Vec<usize> = (0..g.len()).collect();
        Tarjan::new(g.len()).run(
            &all,
            |v| g.edges(v),
            |e| Some(g.target(e)),
            |c| {
                if c.len() > 1 || g.edges(c[0]).any(|e| g.target(e) == c[0]) {
                    cyclic.extend(c.iter().map(|&v| v as u32));
                    start.push(cyclic.len() as u32);
                }
            },
        );
        Fair {
            g,
            kind: g.actions.iter().map(fairness).collect(),
            may_stop: false,
            bounded: Vec::new(),
            cyclic,
            start,
        }
    }

    /// The strongly fair action (label) edge `e` requests, if any.
    fn request(&self, e: usize) -> Option<usize> {
        self.g.asks(e).filter(|&r| self.kind[r] == Fairness::Strong)
    }

    /// Whether some weakly fair action is enabled in state `v`.
    fn weak_enabled(&self, v: usize) -> bool {
        self.g
            .edges(v)
            .any(|e| self.kind[self.g.label(e)] == Fairness::Weak)
    }

    /// `bounded(a)`: action `a` may be taken infinitely often only if it is requested
    /// infinitely often (a cycle that takes it must also request it). For a network whose
    /// duplication is finite: a segment delivered again and again was sent again and again.
    pub fn bounded(mut self, bounded: impl Fn(&M::Action) -> bool) -> Self {
        self.bounded = self.g.actions.iter().map(bounded).collect();
        self
    }

    /// Whether action (label) `r` is idle (answered without an edge) in one of `states`.
    fn idle_in(&self, states: &[usize], r: usize) -> bool {
        states.iter().any(|&v| self.g.idle(v).contains(&(r as u16)))
    }

    /// Whether a run may stop in a state where no weakly fair action is enabled (default: no,
    /// a run stops only where nothing at all is enabled). Right for a lossy network whose
    /// loss is implicit: a segment that is never delivered is lost, so the network may lose
    /// every segment in flight and leave the hosts with nothing to do but their timers.
    pub fn may_stop(mut self, yes: bool) -> Self {
        self.may_stop = yes;
        self
    }

    /// `None`: P leads to Q on every fair run. `Some`: a counterexample. `p(v)`, `q(v)`: whether
    /// P, Q hold in state number `v`.
    pub fn leads_to(&self, p: impl Fn(usize) -> bool, q: impl Fn(usize) -> bool) -> Option<Lasso> {
        let avoid = self.avoid((0..self.g.len()).map(|v| !q(v)).collect());
        self.counterexample(&avoid, p)
    }

    /// The analysis of the states in `bad` (¬Q), reusable for every P.
    pub fn avoid(&self, bad: Vec<bool>) -> Avoid {
        let g = self.g;
        let n = g.len();
        let (comp, alive, fair) = self.fair_components(&bad);
        // Where a fair run may end up avoiding Q forever.
        let target: Vec<bool> = (0..n)
            .map(|v| {
                fair[v]
                    || (bad[v]
                        && (g.edges(v).is_empty() || (self.may_stop && !self.weak_enabled(v))))
            })
            .collect();
        let doomed = if target.contains(&true) {
            self.doomed(&bad, &target)
        } else {
            vec![false; n]
        };
        Avoid {
            bad,
            comp,
            alive,
            fair,
            target,
            doomed,
        }
    }

    /// The ¬Q states (`bad`) that can reach a `target` through ¬Q states: a backward search
    /// over the ¬Q edges, reversed into `pred` (compressed: `pred[start[w]..start[w + 1]]`).
    fn doomed(&self, bad: &[bool], target: &[bool]) -> Vec<bool> {
        let g = self.g;
        let n = g.len();
        let mut start = vec![0u32; n + 1];
        for v in (0..n).filter(|&v| bad[v]) {
            for e in g.edges(v) {
                let w = g.target(e);
                if bad[w] {
                    start[w + 1] += 1;
                }
            }
        }
        for w in 0..n {
            start[w + 1] += start[w];
        }
        let mut fill = start.clone();
        let mut pred = vec![0u32; start[n] as usize];
        for v in (0..n).filter(|&v| bad[v]) {
            for e in g.edges(v) {
                let w = g.target(e);
                if bad[w] {
                    pred[fill[w] as usize] = v as u32;
                    fill[w] += 1;
                }
            }
        }
        drop(fill);
        let mut doomed = target.to_vec();
        let mut todo: Vec<u32> = (0..n as u32).filter(|&v| target[v as usize]).collect();
        while let Some(w) = todo.pop() {
            let w = w as usize;
            for &v in &pred[start[w] as usize..start[w + 1] as usize] {
                if !doomed[v as usize] {
                    doomed[v as usize] = true;
                    todo.push(v);
                }
            }
        }
        doomed
    }

    /// A counterexample to `P leads-to Q` for the ¬Q states analysed in `avoid`; `p(v)` says
    /// whether P holds in state number `v`.
    pub fn counterexample(&self, avoid: &Avoid, p: impl Fn(usize) -> bool) -> Option<Lasso> {
        let g = self.g;
        let start = (0..g.len()).find(|&v| avoid.doomed[v] && p(v))?;
        // Stem: initial state to `start` (anywhere), then `start` to a target (within ¬Q).
        let (mut stem, mut stem_edges) = self.path(&g.init, |v| v == start, |_| true)?;
        let (rest, rest_edges) = self.path(&[start], |v| avoid.target[v], |v| avoid.bad[v])?;
        stem.extend(rest.into_iter().skip(1));
        stem_edges.extend(rest_edges);
        let entry = *stem.last()?;
        let (cycle, cycle_edges) = if avoid.fair[entry] {
            let edges = self.tour(avoid, entry);
            let mut states = vec![entry];
            states.extend(edges.iter().map(|&e| g.target(e)));
            (states, edges)
        } else {
            (Vec::new(), Vec::new())
        };
        Some(Lasso {
            stem,
            cycle,
            stem_edges,
            cycle_edges,
        })
    }

    /// A run that never ends: a fair cycle anywhere in the graph, reached by a shortest stem
    /// from an initial state (a livelock; a run that stops is not one). `None` when every fair
    /// run ends. The cycle is fair on its own, as for [`Fair::counterexample`].
    pub fn livelock(&self) -> Option<Lasso> {
        let g = self.g;
        let n = g.len();
        let (comp, alive, fair) = self.fair_components(&vec![true; n]);
        if !fair.contains(&true) {
            return None;
        }
        let avoid = Avoid {
            bad: vec![true; n],
            comp,
            alive,
            target: fair.clone(),
            doomed: fair.clone(),
            fair,
        };
        let (stem, stem_edges) = self.path(&g.init, |v| avoid.fair[v], |_| true)?;
        let entry = *stem.last()?;
        let cycle_edges = self.tour(&avoid, entry);
        let mut cycle = vec![entry];
        cycle.extend(cycle_edges.iter().map(|&e| g.target(e)));
        Some(Lasso {
            stem,
            cycle,
            stem_edges,
            cycle_edges,
        })
    }

    /// The Emerson-Lei refinement (see the module comment). Returns, per state, the stamp of
    /// the last component it was in; per edge, whether it survived; per state, whether it is in
    /// a fair component. A fair component's internal edges are its surviving edges between
    /// states with its stamp.
    fn fair_components(&self, bad: &[bool]) -> (Vec<u32>, Vec<bool>, Vec<bool>) {
        let g = self.g;
        let n = g.len();
        let mut comp = vec![0u32; n];
        let mut alive = vec![true; g.edge_count()];
        let mut fair = vec![false; n];
        // `taken[r] == stamp`: the component with that stamp takes action (request) `r`;
        // `idle[r] == (stamp, answer)`: whether `r` is idle somewhere in it, once asked.
        let requests = self.kind.len();
        let mut taken = vec![0u32; requests];
        let mut requested = vec![0u32; requests];
        let mut idle = vec![(0u32, false); requests];
        let mut tarjan = Tarjan::new(n);
        let mut stamp = 1u32;
        // Node sets to split into components, each with the stamp its nodes carry: to begin
        // with, the ¬Q states of each component of the whole graph that holds a cycle.
        let mut work: Vec<(Vec<usize>, u32)> = Vec::new();
        for k in 0..self.start.len() - 1 {
            let members = &self.cyclic[self.start[k] as usize..self.start[k + 1] as usize];
            let set: Vec<usize> = members
                .iter()
                .map(|&v| v as usize)
                .filter(|&v| bad[v])
                .collect();
            if !set.is_empty() {
                stamp += 1;
                for &v in &set {
                    comp[v] = stamp;
                }
                work.push((set, stamp));
            }
        }
        let mut comps: Vec<Vec<usize>> = Vec::new();
        while let Some((set, s)) = work.pop() {
            {
                let inside = |e: usize| {
                    let w = g.target(e);
                    (alive[e] && comp[w] == s).then_some(w)
                };
                tarjan.run(
                    &set,
                    |v| g.edges(v),
                    inside,
                    |c| {
                        if c.len() > 1 || g.edges(c[0]).any(|e| inside(e) == Some(c[0])) {
                            comps.push(c.to_vec());
                        }
                    },
                );
            }
            for c in comps.drain(..) {
                stamp += 1;
                let s = stamp;
                for &v in &c {
                    comp[v] = s;
                }
                let inside = |e: usize| alive[e] && comp[g.target(e)] == s;
                for &v in &c {
                    for e in g.edges(v).filter(|&e| inside(e)) {
                        taken[g.label(e)] = s;
                    }
                }
                if self.weak_violated(&c, |a| taken[a] == s) {
                    continue;
                }
                // Edges whose request the component cannot answer are on no fair cycle.
                let mut cut = Vec::new();
                // Bounded actions taken but never requested here are on no fair cycle either.
                if !self.bounded.is_empty() {
                    for &v in &c {
                        for e in g.edges(v).filter(|&e| inside(e)) {
                            if let Some(r) = g.asks(e) {
                                requested[r] = s;
                            }
                        }
                    }
                    for &v in &c {
                        for e in g.edges(v).filter(|&e| inside(e)) {
                            let a = g.label(e);
                            if self.bounded[a] && requested[a] != s {
                                cut.push(e);
                            }
                        }
                    }
                }
                for &v in &c {
                    for e in g.edges(v).filter(|&e| inside(e)) {
                        let Some(r) = self.request(e) else {
                            continue;
                        };
                        if taken[r] == s {
                            continue;
                        }
                        if idle[r].0 != s {
                            idle[r] = (s, self.idle_in(&c, r));
                        }
                        if !idle[r].1 {
                            cut.push(e);
                        }
                    }
                }
                if cut.is_empty() {
                    for &v in &c {
                        fair[v] = true;
                    }
                } else {
                    for e in cut {
                        alive[e] = false;
                    }
                    work.push((c, s));
                }
            }
        }
        (comp, alive, fair)
    }

    /// Some weakly fair action is enabled in every state of `states` and not `taken`.
    fn weak_violated(&self, states: &[usize], taken: impl Fn(usize) -> bool) -> bool {
        self.weak_untaken(states, taken).is_some()
    }

    /// A weakly fair action (label) enabled in every state of `states` and not `taken`.
    fn weak_untaken(&self, states: &[usize], taken: impl Fn(usize) -> bool) -> Option<usize> {
        let g = self.g;
        g.edges(*states.first()?).map(|e| g.label(e)).find(|&a| {
            self.kind[a] == Fairness::Weak
                && !taken(a)
                && states.iter().all(|&v| g.edges(v).any(|e| g.label(e) == a))
        })
    }

    /// A shortest path from one of `from` to a state satisfying `to`, through states
    /// satisfying `allowed`: its states and its edges.
    fn path(
        &self,
        from: &[usize],
        to: impl Fn(usize) -> bool,
        allowed: impl Fn(usize) -> bool,
    ) -> Option<(Vec<usize>, Vec<usize>)> {
        let g = self.g;
        let mut parent = vec![ROOT; g.len()];
        let mut via = vec![ROOT; g.len()];
        let mut queue = VecDeque::new();
        for &s in from {
            parent[s] = s;
            queue.push_back(s);
        }
        while let Some(v) = queue.pop_front() {
            if to(v) {
                let mut states = vec![v];
                let mut edges = Vec::new();
                let mut at = v;
                while parent[at] != at {
                    edges.push(via[at]);
                    at = parent[at];
                    states.push(at);
                }
                states.reverse();
                edges.reverse();
                return Some((states, edges));
            }
            for e in g.edges(v) {
                let w = g.target(e);
                if parent[w] == ROOT && allowed(w) {
                    parent[w] = v;
                    via[w] = e;
                    queue.push_back(w);
                }
            }
        }
        None
    }

    /// A fair cycle (as edges) from `entry` back to it, inside `entry`'s fair component. It
    /// starts as a shortest cycle and grows by detours until it is fair on its own: every
    /// strongly fair action one of its edges requests is taken on it (or idle in one of its
    /// states), and every weakly fair action enabled in all its states is taken on it. Each
    /// detour meets one unmet obligation, in a way the component guarantees (it is fair): it
    /// takes the action if the component has an edge for it; otherwise it visits a state where
    /// the requested action is idle, or where the weakly fair action is disabled. Each detour
    /// meets its obligation for good (the walk only grows), so the growth ends.
    fn tour(&self, avoid: &Avoid, entry: usize) -> Vec<usize> {
        let g = self.g;
        let s = avoid.comp[entry];
        let inside = |e: usize| avoid.alive[e] && avoid.comp[g.target(e)] == s;
        let component: Vec<usize> = (0..g.len()).filter(|&v| avoid.comp[v] == s).collect();
        let component_takes = |a: usize| {
            component
                .iter()
                .any(|&v| g.edges(v).any(|e| inside(e) && g.label(e) == a))
        };
        let mut walk = self
            .detour(&[entry], &inside, |_, e| {
                e.is_some_and(|e| g.target(e) == entry)
            })
            .map(|(_, d)| d)
            .unwrap_or_default();
        loop {
            let states: Vec<usize> = walk.iter().map(|&e| g.source(e)).collect();
            let mut taken = vec![false; self.kind.len()];
            for &e in &walk {
                taken[g.label(e)] = true;
            }
            // An obligation the walk does not meet, as a goal for the detour.
            type Goal<'a> = Box<dyn Fn(usize, Option<usize>) -> bool + 'a>;
            let take =
                |a: usize| -> Goal { Box::new(move |_, e| e.is_some_and(|e| g.label(e) == a)) };
            let goal: Goal = if let Some(r) = walk
                .iter()
                .filter_map(|&e| self.request(e))
                .find(|&r| !taken[r] && !self.idle_in(&states, r))
            {
                if component_takes(r) {
                    take(r)
                } else {
                    Box::new(move |v, e| e.is_none() && self.idle_in(&[v], r))
                }
            } else if let Some(a) = self.weak_untaken(&states, |a| taken[a]) {
                if component_takes(a) {
                    take(a)
                } else {
                    Box::new(move |v, e| e.is_none() && !g.edges(v).any(|e| g.label(e) == a))
                }
            } else {
                return walk;
            };
            let Some((at, mut leg)) = self.detour(&states, &inside, goal) else {
                return walk; // cannot happen in a fair component
            };
            // Back from the end of the leg to where it left the walk.
            let end = leg.last().map_or(at, |&e| g.target(e));
            if end != at {
                let (_, back) = self
                    .detour(&[end], &inside, |v, e| {
                        (e.is_none() && v == at) || e.is_some_and(|e| g.target(e) == at)
                    })
                    .expect("the component is strongly connected");
                leg.extend(back);
            }
            let pos = states.iter().position(|&v| v == at).unwrap_or(0);
            walk.splice(pos..pos, leg);
        }
    }

    /// A shortest walk over `inside` edges from one of `from` that ends at a goal: `goal(v,
    /// None)` for reaching state `v`, `goal(v, Some(e))` for taking edge `e` out of `v`. Returns
    /// the state of `from` it starts at and its edges.
    fn detour(
        &self,
        from: &[usize],
        inside: &impl Fn(usize) -> bool,
        goal: impl Fn(usize, Option<usize>) -> bool,
    ) -> Option<(usize, Vec<usize>)> {
        let g = self.g;
        let mut parent: HashMap<usize, (usize, usize)> = HashMap::new();
        let mut queue = VecDeque::new();
        for &v in from {
            if parent.insert(v, (ROOT, ROOT)).is_none() {
                queue.push_back(v);
            }
        }
        let back = |parent: &HashMap<usize, (usize, usize)>, mut v: usize, last: Option<usize>| {
            let mut edges: Vec<usize> = last.into_iter().collect();
            while let Some(&(u, e)) = parent.get(&v).filter(|(u, _)| *u != ROOT) {
                edges.push(e);
                v = u;
            }
            edges.reverse();
            (v, edges)
        };
        while let Some(v) = queue.pop_front() {
            if goal(v, None) {
                return Some(back(&parent, v, None));
            }
            for e in g.edges(v).filter(|&e| inside(e)) {
                if goal(v, Some(e)) {
                    return Some(back(&parent, v, Some(e)));
                }
                let w = g.target(e);
                if let std::collections::hash_map::Entry::Vacant(slot) = parent.entry(w) {
                    slot.insert((v, e));
                    queue.push_back(w);
                }
            }
        }
        None
    }
}

/// The ¬Q states of a graph, analysed for [`Fair::counterexample`]: their fair components and
/// which of them can reach one (or a state where a run may end) without meeting Q.
pub struct Avoid {
    bad: Vec<bool>,
    comp: Vec<u32>,
    alive: Vec<bool>,
    fair: Vec<bool>,
    target: Vec<bool>,
    doomed: Vec<bool>,
}

impl Avoid {
    /// The states analysed (¬Q), as given to [`Fair::avoid`].
    pub fn states(&self) -> &[bool] {
        &self.bad
    }

    /// Whether state `v` lies in a fair component of the ¬Q states.
    pub fn on_fair_cycle(&self, v: usize) -> bool {
        self.fair[v]
    }
}
