//! Tarjan's strongly connected components, without recursion: an explicit stack of
//! (node, next edge to look at) frames replaces the call stack.
//!
//! [`Tarjan`] works on a subgraph given by its nodes and a filter on edges, and keeps its
//! working arrays between runs, so that the liveness search can split a component again and
//! again (after removing edges) without allocating per run. [`sccs`] is the plain version.

use std::ops::Range;

const UNSEEN: u32 = u32::MAX;

struct Frame {
    v: usize,
    next: usize,
    end: usize,
}

/// Reusable working memory for Tarjan's algorithm over nodes `0..n`.
pub struct Tarjan {
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    frames: Vec<Frame>,
}

impl Tarjan {
    pub fn new(n: usize) -> Tarjan {
        Tarjan {
            index: vec![UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            frames: Vec::new(),
        }
    }

    /// The strongly connected components of the subgraph on `nodes`, each passed to `emit`
    /// once, in reverse topological order (every edge leaving a component points to one
    /// emitted earlier). The edges of node `v` are the edge numbers `edges(v)`; `target(e)` is
    /// `Some(w)` when edge `e` belongs to the subgraph (then `w` must be one of `nodes`) and
    /// `None` to ignore it.
    pub fn run(
        &mut self,
        nodes: &[usize],
        edges: impl Fn(usize) -> Range<usize>,
        target: impl Fn(usize) -> Option<usize>,
        mut emit: impl FnMut(&[usize]),
    ) {
        let mut next_index = 0u32;
        for &root in nodes {
            if self.index[root] != UNSEEN {
                continue;
            }
            self.open(root, &mut next_index, &edges);
            while let Some(f) = self.frames.last_mut() {
                let v = f.v;
                if f.next < f.end {
                    let e = f.next;
                    f.next += 1;
                    let Some(w) = target(e) else {
                        continue;
                    };
                    if self.index[w] == UNSEEN {
                        self.open(w, &mut next_index, &edges);
                    } else if self.on_stack[w] {
                        self.low[v] = self.low[v].min(self.index[w]);
                    }
                    continue;
                }
                // All edges of v done: v roots a component if nothing below reached higher.
                self.frames.pop();
                if let Some(parent) = self.frames.last() {
                    let p = parent.v;
                    self.low[p] = self.low[p].min(self.low[v]);
                }
                if self.low[v] == self.index[v] {
                    let at = self
                        .stack
                        .iter()
                        .rposition(|&w| w == v)
                        .expect("v is on the stack");
                    for &w in &self.stack[at..] {
                        self.on_stack[w] = false;
                    }
                    emit(&self.stack[at..]);
                    self.stack.truncate(at);
                }
            }
        }
        // Ready for the next run.
        for &v in nodes {
            self.index[v] = UNSEEN;
        }
    }

    fn open(&mut self, v: usize, next_index: &mut u32, edges: &impl Fn(usize) -> Range<usize>) {
        self.index[v] = *next_index;
        self.low[v] = *next_index;
        *next_index += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        let r = edges(v);
        self.frames.push(Frame {
            v,
            next: r.start,
            end: r.end,
        });
    }
}

/// The strongly connected components of the graph whose node `v` has successors `succ[v]`,
/// in reverse topological order (every edge leaving a component points to one listed
/// earlier). Each component lists its nodes; every node is in exactly one component.
pub fn sccs(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut first = Vec::with_capacity(succ.len() + 1);
    first.push(0);
    let mut target = Vec::new();
    for s in succ {
        target.extend_from_slice(s);
        first.push(target.len());
    }
    let nodes: Vec<usize> = (0..succ.len()).collect();
    let mut out = Vec::new();
    Tarjan::new(succ.len()).run(
        &nodes,
        |v| first[v]..first[v + 1],
        |e| Some(target[e]),
        |c| out.push(c.to_vec()),
    );
    out
}

/// Whether a component can be stayed in forever: more than one node, or one node with an
/// edge to itself.
pub fn is_cyclic(comp: &[usize], succ: &[Vec<usize>]) -> bool {
    comp.len() > 1 || comp.first().is_some_and(|&v| succ[v].contains(&v))
}
