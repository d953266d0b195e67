//! Groundwork for a liveness checker that is sound on cycles (stateright's `eventually` is
//! checked only at terminal states): the explored state graph ([`graph`]), strongly connected
//! components computed iteratively ([`scc`]), and `P leads-to Q` under weak and strong
//! fairness with lasso counterexamples ([`leads_to`]), and the TCP model's fairness and
//! `ends-at-goal` property ([`tcp`]), which `synfin check` reports.

pub mod graph;
pub mod leads_to;
pub mod scc;
pub mod tcp;
