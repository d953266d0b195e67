//! The Linux kernel's TCP as a peer: a private network namespace (so nothing leaves it), with
//! loopback and a TUN device `synfin0` at 10.7.0.1/24. Kernel sockets live at 10.7.0.1;
//! synfin-tcp plays 10.7.0.2, on the other side of the TUN device, whose file descriptor
//! carries raw IPv4 datagrams both ways.
//!
//! Needs root or user namespaces with CAP_NET_ADMIN inside them; [`Kernel::start`] returns a
//! clear error when the system does not allow it, and the tests print it and skip (or fail,
//! with `SYNFIN_REQUIRE_KERNEL=1`).

mod os;
pub mod peer;
pub mod proc_tcp;
mod sockets;

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::Ipv4Addr;
use std::process::Command;
use std::time::{Duration, Instant};

/// The kernel's address inside the namespace.
pub const KERNEL_IP: Ipv4Addr = Ipv4Addr::new(10, 7, 0, 1);
/// synfin-tcp's address, reached through the TUN device.
pub const OURS_IP: Ipv4Addr = Ipv4Addr::new(10, 7, 0, 2);
const TUN: &str = "synfin0";

/// The device a user-space stack under test attaches to (`synfin probe --device`), and its
/// subnet: the kernel of the namespace at [`STACK_GATEWAY`] routes between it and [`TUN`].
pub const STACK_DEVICE: &str = "synfin1";
/// The kernel's address on [`STACK_DEVICE`]: the user-space stack's gateway.
pub const STACK_GATEWAY: Ipv4Addr = Ipv4Addr::new(10, 9, 0, 1);
/// The user-space stack's address.
pub const STACK_IP: Ipv4Addr = Ipv4Addr::new(10, 9, 0, 2);

/// What a user-space stack sits behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    /// A TUN device: raw IPv4 datagrams.
    Tun,
    /// A TAP device: Ethernet frames (the stack answers the kernel's ARP for its address).
    Tap,
}

impl Medium {
    /// `tun` or `tap`.
    pub fn word(self) -> &'static str {
        match self {
            Medium::Tun => "tun",
            Medium::Tap => "tap",
        }
    }
}

/// The namespace's TUN device, for the thread that created it (and threads it spawns).
pub struct Kernel {
    tun: File,
}

fn ip(args: &[&str]) -> io::Result<()> {
    let out = Command::new("ip").args(args).output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

impl Kernel {
    /// Enters a private network namespace on this thread and sets up loopback and the TUN
    /// device. Everything the tests send stays inside it.
    pub fn start() -> io::Result<Kernel> {
        os::enter_private_netns()
            .map_err(|e| io::Error::new(e.kind(), format!("no private network namespace: {e}")))?;
        let tun = os::open_tun(TUN)
            .map_err(|e| io::Error::new(e.kind(), format!("no TUN device: {e}")))?;
        ip(&["link", "set", "lo", "up"])?;
        ip(&["addr", "add", "10.7.0.1/24", "dev", TUN])?;
        ip(&["link", "set", TUN, "up"])?;
        // No delayed ACKs towards the TUN side: the kernel acknowledges at once, so each of
        // its answers comes within the settle time after the segment it answers (a delayed
        // ACK of 40 ms or more would be taken for a timer of its own under load).
        ip(&[
            "route",
            "replace",
            "10.7.0.0/24",
            "dev",
            TUN,
            "quickack",
            "1",
        ])?;
        // Non-blocking reads: `recv` polls with a deadline.
        os::set_nonblocking(&tun)?;
        Ok(Kernel { tun })
    }

    /// Adds the device a user-space stack attaches to: a persistent TUN or TAP device
    /// [`STACK_DEVICE`] at [`STACK_GATEWAY`]/24, and IPv4 forwarding in the namespace, so that
    /// what synfin writes to its own device reaches [`STACK_IP`] through the kernel's routing,
    /// and back. The stack opens the device by name; it goes with the namespace.
    pub fn add_stack_device(&mut self, medium: Medium) -> io::Result<()> {
        ip(&["tuntap", "add", "dev", STACK_DEVICE, "mode", medium.word()])?;
        ip(&["addr", "add", "10.9.0.1/24", "dev", STACK_DEVICE])?;
        ip(&["link", "set", STACK_DEVICE, "up"])?;
        // Per namespace: this namespace's kernel forwards, nothing else's.
        std::fs::write("/proc/sys/net/ipv4/ip_forward", "1\n")?;
        Ok(())
    }

    /// Writes one IPv4 datagram into the kernel.
    pub fn send(&mut self, datagram: &[u8]) -> io::Result<()> {
        self.tun.write_all(datagram)
    }

    /// The next datagram the kernel sends to 10.7.0.0/24, waiting at most `wait`. Datagrams
    /// that are not IPv4 TCP (e.g. IPv6 router solicitations) are skipped.
    pub fn recv(&mut self, wait: Duration) -> io::Result<Option<Vec<u8>>> {
        let deadline = Instant::now() + wait;
        let mut buf = vec![0u8; 65536];
        loop {
            match self.tun.read(&mut buf) {
                Ok(n) => {
                    let d = buf[..n].to_vec();
                    if n >= 20 && d[0] >> 4 == 4 && d[9] == 6 {
                        return Ok(Some(d));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        return Ok(None);
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(e) => return Err(e),
            }
        }
    }
}
