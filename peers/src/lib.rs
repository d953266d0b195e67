//! TCP that nobody here wrote, as a peer for `synfin-tcp`: smoltcp's TCP socket driven through
//! an in-memory IPv4 device on a virtual clock ([`smol`]), and a link that carries raw IPv4
//! datagrams between the two stacks, with loss ([`link`]).
#![forbid(unsafe_code)]

pub mod ipv4;
pub mod link;
pub mod smol;
