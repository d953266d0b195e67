//! Groundwork for a liveness checker that is sound on cycles (stateright's `eventually` is
//! checked only at terminal states). So far: strongly connected components, computed
//! iteratively so that graphs of millions of states do not overflow the stack.

pub mod scc;
