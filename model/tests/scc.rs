//! The iterative strongly-connected-components search, on graphs whose answer is known.

use synfin_model::liveness::scc::{is_cyclic, sccs};

fn sorted(mut comps: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    for c in &mut comps {
        c.sort();
    }
    comps.sort();
    comps
}

/// Two cycles joined by one edge, and a tail: {0,1,2} -> {3,4} -> 5.
#[test]
fn finds_the_components_of_a_small_graph() {
    let succ = vec![vec![1], vec![2], vec![0, 3], vec![4], vec![3, 5], vec![]];
    let comps = sccs(&succ);
    assert_eq!(
        sorted(comps.clone()),
        vec![vec![0, 1, 2], vec![3, 4], vec![5]]
    );
    // Reverse topological order: the sink {5} first, the source {0,1,2} last.
    assert_eq!(comps[0], vec![5]);
    assert_eq!(sorted(vec![comps[2].clone()]), vec![vec![0, 1, 2]]);
    assert!(is_cyclic(&comps[1], &succ));
    assert!(!is_cyclic(&comps[0], &succ));
}

/// A self-loop is a cycle of one state (a retransmission that changes nothing); a lone node
/// without one is not.
#[test]
fn a_self_loop_is_cyclic_a_lone_node_is_not() {
    let succ = vec![vec![0], vec![]];
    let comps = sccs(&succ);
    assert_eq!(comps.len(), 2);
    let with_loop = comps.iter().find(|c| c == &&vec![0]).unwrap();
    let lone = comps.iter().find(|c| c == &&vec![1]).unwrap();
    assert!(is_cyclic(with_loop, &succ));
    assert!(!is_cyclic(lone, &succ));
}

/// A chain of a million nodes closed into one cycle: one component, and no stack overflow
/// (a recursive Tarjan would need a million frames).
#[test]
fn a_million_node_cycle_is_one_component_without_recursion() {
    let n = 1_000_000;
    let succ: Vec<Vec<usize>> = (0..n).map(|v| vec![(v + 1) % n]).collect();
    let comps = sccs(&succ);
    assert_eq!(comps.len(), 1);
    assert_eq!(comps[0].len(), n);
}

/// A million-node chain without the closing edge: a million singleton components.
#[test]
fn a_million_node_chain_is_a_million_components() {
    let n = 1_000_000;
    let succ: Vec<Vec<usize>> = (0..n)
        .map(|v| if v + 1 < n { vec![v + 1] } else { vec![] })
        .collect();
    let comps = sccs(&succ);
    assert_eq!(comps.len(), n);
    assert!(comps.iter().all(|c| !is_cyclic(c, &succ)));
}

/// Against the definition, on random graphs: two nodes share a component exactly when each
/// reaches the other; and no edge leads from a component to one listed after it.
mod random {
    use super::sccs;
    use proptest::prelude::*;

    fn reach(succ: &[Vec<usize>], from: usize) -> Vec<bool> {
        let mut seen = vec![false; succ.len()];
        let mut todo = vec![from];
        seen[from] = true;
        while let Some(v) = todo.pop() {
            for &w in &succ[v] {
                if !seen[w] {
                    seen[w] = true;
                    todo.push(w);
                }
            }
        }
        seen
    }

    fn graph() -> impl Strategy<Value = Vec<Vec<usize>>> {
        (1usize..12)
            .prop_flat_map(|n| proptest::collection::vec(proptest::collection::vec(0..n, 0..4), n))
    }

    proptest! {
        #[test]
        fn components_are_mutual_reachability_in_reverse_topological_order(succ in graph()) {
            let comps = sccs(&succ);
            let n = succ.len();
            let mut comp_of = vec![usize::MAX; n];
            for (i, c) in comps.iter().enumerate() {
                for &v in c {
                    prop_assert_eq!(comp_of[v], usize::MAX, "node {} in two components", v);
                    comp_of[v] = i;
                }
            }
            prop_assert!(comp_of.iter().all(|&c| c != usize::MAX));
            let reach: Vec<Vec<bool>> = (0..n).map(|v| reach(&succ, v)).collect();
            for u in 0..n {
                for v in 0..n {
                    let mutual = reach[u][v] && reach[v][u];
                    prop_assert_eq!(comp_of[u] == comp_of[v], mutual, "{} {}", u, v);
                }
                for &w in &succ[u] {
                    prop_assert!(comp_of[w] <= comp_of[u], "edge {}->{} goes forward", u, w);
                }
            }
        }
    }
}
