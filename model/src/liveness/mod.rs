//! A liveness checker that is sound on cycles (stateright's `eventually` is checked only at
//! terminal states): the explored state graph ([`graph`]), strongly connected components
//! computed iteratively ([`scc`]), `P leads-to Q` under weak fairness and request/response
//! (Streett) strong fairness on edges, with lasso counterexamples whose cycle is itself fair
//! ([`leads_to`]), and the TCP model's fairness and properties ([`tcp`]), which `synfin check`
//! reports.

pub mod graph;
pub mod leads_to;
pub mod scc;
mod seen;
pub mod tcp;
