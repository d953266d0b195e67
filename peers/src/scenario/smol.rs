//! smoltcp as a scenario [`Peer`]: one [`SmolHost`] on the virtual clock.

use super::Peer;
use crate::link::{IP_A, IP_B};
use crate::smol::{rfc_state, SmolHost};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;
use synfin_model::State;

/// smoltcp at [`IP_B`]; the tester is at [`IP_A`].
pub struct SmolPeer {
    host: SmolHost,
    now: Duration,
}

impl SmolPeer {
    pub fn new() -> SmolPeer {
        SmolPeer {
            host: SmolHost::new(IP_B, Duration::ZERO),
            now: Duration::ZERO,
        }
    }
}

impl Default for SmolPeer {
    fn default() -> Self {
        SmolPeer::new()
    }
}

impl Peer for SmolPeer {
    fn name(&self) -> String {
        "smoltcp".into()
    }

    fn addrs(&self) -> (Ipv4Addr, Ipv4Addr) {
        (IP_B, IP_A)
    }

    fn now(&mut self) -> Duration {
        self.now
    }

    fn open_active(&mut self, local_port: u16, remote: SocketAddrV4) -> Result<(), String> {
        self.host.connect(remote, local_port)
    }

    fn open_passive(&mut self, port: u16) -> Result<(), String> {
        self.host.listen(port)
    }

    fn close(&mut self) -> Result<(), String> {
        self.host.close();
        Ok(())
    }

    fn abort(&mut self) -> Result<(), String> {
        self.host.abort();
        Ok(())
    }

    fn inject(&mut self, datagram: &[u8]) {
        self.host.inject(datagram.to_vec());
    }

    fn sent(&mut self) -> Vec<Vec<u8>> {
        self.host.poll(self.now)
    }

    fn idle(&mut self, until: Option<Duration>) -> Option<Vec<Vec<u8>>> {
        let own = self.host.poll_delay(self.now).map(|d| self.now + d);
        let t = [own, until].into_iter().flatten().min()?;
        // The clock moves at least 1 ms, as on the link.
        self.now = t.max(self.now + Duration::from_millis(1));
        Some(self.host.poll(self.now))
    }

    fn state(&mut self) -> Option<State> {
        Some(rfc_state(self.host.state()))
    }

    fn quiet_limit(&self) -> Option<Duration> {
        None
    }
}
