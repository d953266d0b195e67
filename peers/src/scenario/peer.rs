//! What the scenario runner needs of a TCP stack under test.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;
use synfin_model::State;

/// A TCP stack with one connection, driven by the runner. Every method that lets the peer act
/// returns the IPv4 datagrams it sent in response, so each can be tied to its input.
pub trait Peer {
    /// A short name for reports ("smoltcp", "linux").
    fn name(&self) -> String;
    /// The peer's address and the tester's.
    fn addrs(&self) -> (Ipv4Addr, Ipv4Addr);
    /// The run's clock: virtual for smoltcp, wall time since the run began for the kernel.
    fn now(&mut self) -> Duration;

    /// Active OPEN (RFC 9293 §3.10.1) from `local_port` to `remote`.
    fn open_active(&mut self, local_port: u16, remote: SocketAddrV4) -> Result<(), String>;
    /// Passive OPEN on `port`.
    fn open_passive(&mut self, port: u16) -> Result<(), String>;
    /// CLOSE (§3.10.4).
    fn close(&mut self) -> Result<(), String>;
    /// ABORT (§3.10.5).
    fn abort(&mut self) -> Result<(), String>;
    /// One datagram arrives.
    fn inject(&mut self, datagram: &[u8]);

    /// What the peer sent in response to the last call or arrival.
    fn sent(&mut self) -> Vec<Vec<u8>>;
    /// Lets time pass until `until` or until the peer sends something on its own, whichever
    /// comes first; returns what it sent. `None` when there is nothing to wait for: no
    /// `until` and (as far as the runner can know) no timer of the peer's running.
    fn idle(&mut self, until: Option<Duration>) -> Option<Vec<Vec<u8>>>;
    /// The state of the peer's connection, where the peer shows it.
    fn state(&mut self) -> Option<State>;
    /// How long the run may go without any datagram before it ends, for a peer whose timers
    /// are hidden (the kernel); `None` for a peer that reports its timers.
    fn quiet_limit(&self) -> Option<Duration>;
}
