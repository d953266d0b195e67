//! TCP that nobody here wrote, as a peer for `synfin-tcp`: smoltcp's TCP socket driven through
//! an in-memory IPv4 device on a virtual clock ([`smol`]), and a link that carries raw IPv4
//! datagrams between the two stacks, with loss ([`link`]), and one connection's life across it ([`life`]). [`kernel`] puts the Linux kernel's
//! TCP on the other end of a TUN device inside a private network namespace; its `os` module is
//! the only place in the workspace with `unsafe` code. [`scenario`] generates scenarios (who
//! opens, who closes, aborts, faults on the datagrams) and runs them against either peer,
//! recording the peer's steps for replay into the model; [`profiles`] names what each peer is
//! known to do differently.
#![deny(unsafe_code)]

pub mod ipv4;
pub mod kernel;
pub mod life;
pub mod link;
pub mod probe;
pub mod profiles;
pub mod scenario;
pub mod smol;
