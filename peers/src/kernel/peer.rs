//! A stack behind the namespace's TUN device as a scenario [`Peer`], on the wall clock:
//! datagrams cross the TUN device, and the user calls go through a [`Calls`] backend: the
//! kernel's sockets in this thread's namespace ([`SocketCalls`], with the connection's state
//! read from `/proc/thread-self/net/tcp`, which lists request sockets (SYN-RECEIVED) and
//! TIME-WAIT sockets too; a connection the table does not list has no TCB: CLOSED, RFC 9293
//! §3.3.2), or a driver process (`crate::probe::driver`).
//!
//! A response is what the kernel sends within [`SETTLE`] of an input. Linux would delay some
//! ACKs (at least 40 ms, `TCP_DELACK_MIN`, as RFC 9293 §3.8.6.3 allows: SHLD-18, MUST-40),
//! but [`Kernel::start`] turns that off for the TUN route (`quickack`), so an answer comes at
//! once and a late one is the kernel's own timer.

use super::{proc_tcp, sockets, Kernel, KERNEL_IP, OURS_IP};
use crate::scenario::Peer;
use std::io;
use std::net::{Ipv4Addr, Shutdown, SocketAddrV4, TcpListener, TcpStream};
use std::time::{Duration, Instant as Wall};
use synfin_model::State;

/// How long the kernel may take to respond to an input.
pub const SETTLE: Duration = Duration::from_millis(60);
/// The longest one wait for the kernel's timers lasts (the runner checks its limits between).
const IDLE_CHUNK: Duration = Duration::from_millis(200);

/// The user calls of the stack behind the TUN device, for one run.
pub trait Calls {
    /// A short name for reports.
    fn name(&self) -> String;
    /// Active OPEN from `local` to `remote`, without waiting for the handshake.
    fn open_active(&mut self, local: SocketAddrV4, remote: SocketAddrV4) -> Result<(), String>;
    /// Passive OPEN on `local`; the first connection is taken off the listener by itself.
    fn open_passive(&mut self, local: SocketAddrV4) -> Result<(), String>;
    /// CLOSE: a FIN, the connection still open for reading.
    fn close(&mut self) -> Result<(), String>;
    /// ABORT: a RST, and the connection and listener gone.
    fn abort(&mut self) -> Result<(), String>;
    /// The connection's state (the listener's while there is none), where the backend can
    /// tell; also where it takes a waiting connection off its listener.
    fn state(&mut self, port: u16) -> Option<State>;
    /// Takes a waiting connection off its listener, between steps (default: nothing; a driver
    /// does it at its next request).
    fn accept(&mut self) {}
    /// The run is over: whatever is left goes with a RST.
    fn end(&mut self);
}

/// The kernel's sockets, called from this thread (in the namespace).
#[derive(Default)]
pub struct SocketCalls {
    listener: Option<TcpListener>,
    stream: Option<TcpStream>,
}

impl SocketCalls {
    /// Takes the connection off the listener once the handshake is done, and closes the
    /// listener: the model's TCB is one connection, and a listener left open would answer a
    /// late SYN with a new connection.
    fn take_connection(&mut self) {
        let Some(l) = &self.listener else { return };
        if self.stream.is_some() {
            return;
        }
        if let Ok((s, _)) = l.accept() {
            self.stream = Some(s);
            self.listener = None;
        }
    }
}

impl Calls for SocketCalls {
    fn accept(&mut self) {
        self.take_connection();
    }

    fn name(&self) -> String {
        "linux".into()
    }

    fn open_active(&mut self, local: SocketAddrV4, remote: SocketAddrV4) -> Result<(), String> {
        let s = sockets::connect_from(local, remote).map_err(|e| format!("connect: {e}"))?;
        self.stream = Some(s);
        Ok(())
    }

    fn open_passive(&mut self, local: SocketAddrV4) -> Result<(), String> {
        let l = TcpListener::bind(local).map_err(|e| format!("listen: {e}"))?;
        l.set_nonblocking(true)
            .map_err(|e| format!("listen: {e}"))?;
        self.listener = Some(l);
        Ok(())
    }

    /// CLOSE as `shutdown(SHUT_WR)`: a FIN once the queue is sent, and the socket stays open
    /// for reading, as RFC 9293 §3.10.4 describes CLOSE.
    fn close(&mut self) -> Result<(), String> {
        self.take_connection();
        match &self.stream {
            Some(s) => s
                .shutdown(Shutdown::Write)
                .map_err(|e| format!("shutdown: {e}")),
            None => Err("no connection accepted yet".into()),
        }
    }

    /// ABORT as SO_LINGER 0 and `close`: a RST, and the socket is gone.
    fn abort(&mut self) -> Result<(), String> {
        self.take_connection();
        self.listener = None;
        match self.stream.take() {
            Some(s) => sockets::linger_zero(&s).map_err(|e| format!("SO_LINGER: {e}")),
            None => Ok(()),
        }
    }

    fn state(&mut self, port: u16) -> Option<State> {
        self.take_connection();
        let (conn, listen) = sockets(port).expect("reading /proc/thread-self/net/tcp");
        match (conn, listen) {
            (Some(c), _) => proc_tcp::state(c),
            (None, Some(l)) => proc_tcp::state(l),
            (None, None) => Some(State::Closed),
        }
    }

    fn end(&mut self) {
        self.listener = None;
        if let Some(s) = self.stream.take() {
            let _ = sockets::linger_zero(&s);
        }
    }
}

/// The stack's side of one run: its connection (or listener) at [`KERNEL_IP`]`:port`, the
/// user calls made through `C`.
pub struct KernelPeer<'k, C: Calls = SocketCalls> {
    k: &'k mut Kernel,
    /// The stack's address: [`KERNEL_IP`], or a user-space stack's.
    ip: Ipv4Addr,
    start: Wall,
    port: Option<u16>,
    calls: C,
    /// Datagrams of other runs' connections, skipped.
    pub stray: usize,
}

impl<'k> KernelPeer<'k> {
    /// The kernel's sockets, with a clock that starts now.
    pub fn new(k: &'k mut Kernel) -> KernelPeer<'k> {
        KernelPeer::with_calls(k, SocketCalls::default())
    }
}

impl<'k, C: Calls> KernelPeer<'k, C> {
    /// The stack reached through `calls`, with a clock that starts now.
    pub fn with_calls(k: &'k mut Kernel, calls: C) -> KernelPeer<'k, C> {
        KernelPeer::with_calls_at(k, calls, KERNEL_IP)
    }

    /// The stack at `ip` (a user-space stack behind [`super::STACK_DEVICE`]).
    pub fn with_calls_at(k: &'k mut Kernel, calls: C, ip: Ipv4Addr) -> KernelPeer<'k, C> {
        KernelPeer {
            k,
            ip,
            start: Wall::now(),
            port: None,
            calls,
            stray: 0,
        }
    }

    /// Lets `calls` take a waiting connection off its listener.
    fn accept(&mut self) {
        self.calls.accept();
    }

    /// The next datagram of this run's connection, waiting at most `wait`.
    fn recv(&mut self, wait: Duration) -> Option<Vec<u8>> {
        let deadline = Wall::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Wall::now());
            let d = self.k.recv(left).expect("reading the TUN device")?;
            let sport = (d.len() >= 24).then(|| {
                let ihl = usize::from(d[0] & 0x0f) * 4;
                d.get(ihl..ihl + 2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
            });
            if sport.flatten().is_some() && sport.flatten() == self.port {
                return Some(d);
            }
            self.stray += 1;
            if left.is_zero() {
                return None;
            }
        }
    }

    /// Everything the kernel sends until it has been quiet for `quiet`, after waiting at most
    /// `first` for the first datagram.
    fn gather(&mut self, first: Duration, quiet: Duration) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut wait = first;
        while let Some(d) = self.recv(wait) {
            out.push(d);
            wait = quiet;
        }
        out
    }
}

/// The states of the sockets on local port `port` in this thread's namespace: the connection
/// (a remote port) and the listener (none).
fn sockets(port: u16) -> io::Result<(Option<u8>, Option<u8>)> {
    let (mut conn, mut listen) = (None, None);
    for e in proc_tcp::entries()?
        .into_iter()
        .filter(|e| e.local_port == port)
    {
        if e.remote_port == 0 {
            listen = Some(e.state);
        } else {
            conn = Some(e.state);
        }
    }
    Ok((conn, listen))
}

impl<C: Calls> Peer for KernelPeer<'_, C> {
    fn name(&self) -> String {
        self.calls.name()
    }

    fn addrs(&self) -> (Ipv4Addr, Ipv4Addr) {
        (self.ip, OURS_IP)
    }

    fn now(&mut self) -> Duration {
        self.start.elapsed()
    }

    fn open_active(&mut self, local_port: u16, remote: SocketAddrV4) -> Result<(), String> {
        self.port = Some(local_port);
        self.calls
            .open_active(SocketAddrV4::new(self.ip, local_port), remote)
    }

    fn open_passive(&mut self, port: u16) -> Result<(), String> {
        self.port = Some(port);
        self.calls.open_passive(SocketAddrV4::new(self.ip, port))
    }

    fn close(&mut self) -> Result<(), String> {
        self.calls.close()
    }

    fn abort(&mut self) -> Result<(), String> {
        self.calls.abort()
    }

    fn inject(&mut self, datagram: &[u8]) {
        self.k.send(datagram).expect("writing the TUN device");
    }

    fn sent(&mut self) -> Vec<Vec<u8>> {
        let out = self.gather(SETTLE, SETTLE);
        self.accept();
        out
    }

    fn idle(&mut self, until: Option<Duration>) -> Option<Vec<Vec<u8>>> {
        let now = self.now();
        let wait = until.map_or(IDLE_CHUNK, |u| u.saturating_sub(now).min(IDLE_CHUNK));
        let out = self.gather(wait, SETTLE);
        self.accept();
        Some(out)
    }

    fn state(&mut self) -> Option<State> {
        let port = self.port?;
        self.calls.state(port)
    }

    fn quiet_limit(&self) -> Option<Duration> {
        Some(Duration::from_millis(1500))
    }
}

impl<C: Calls> Drop for KernelPeer<'_, C> {
    /// Whatever is left of the connection goes with a RST (its datagrams are strays for the
    /// next run, on other ports).
    fn drop(&mut self) {
        self.calls.end();
    }
}
