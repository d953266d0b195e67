//! `synfin-conformance`: the only place where the model (`synfin-model`) and the endpoint
//! (`synfin-tcp`) meet. The two crates share no protocol code; this crate maps one onto the
//! other ([`abstraction`]), drives the endpoint through the same inputs as the model's rules
//! ([`endpoint`]), and compares them: step by step against one endpoint ([`single`]), as runs
//! of two endpoints checked with the model's safety properties ([`two`]), and as traces of the
//! named scenarios ([`scenario`]). The last two drive the endpoint crate's one two-endpoint
//! harness, `synfin_tcp::pair::Pair`, as the model's two hosts ([`hosts`]). [`peer_trace`] replays the recorded steps of TCP stacks
//! nobody here wrote (smoltcp, the Linux kernel) into the model's rules.
#![forbid(unsafe_code)]

pub mod abstraction;
pub mod endpoint;
pub mod evidence;
pub mod hosts;
pub mod packetdrill;
pub mod pcap;
pub mod peer_trace;
pub mod profile;
pub mod scenario;
pub mod signature;
pub mod single;
pub mod two;
