//! The Linux kernel as a peer, for `linux_interop.rs` and `linux_profile.rs`: running a test
//! inside its own network namespace (or skipping it), shuttling datagrams between synfin-tcp
//! and the kernel, crafting segments by hand, and reading the kernel's view of a connection.

use std::net::SocketAddrV4;
use std::time::{Duration, Instant as Wall};
use synfin_peers::ipv4;
use synfin_peers::kernel::{proc_tcp, Kernel};
use synfin_peers::link::summary;
use synfin_tcp::{Connection, Instant, Packet, Segment, SeqNum};

/// Runs `f` on a fresh thread inside its own network namespace, or explains why it cannot:
/// prints the reason and returns (the test passes), or panics when `SYNFIN_REQUIRE_KERNEL=1`.
pub fn in_netns(name: &'static str, f: impl FnOnce(Kernel) + Send + 'static) {
    let h = std::thread::spawn(move || match Kernel::start() {
        Ok(k) => {
            eprintln!("{name}: namespace and TUN up");
            f(k);
            true
        }
        Err(e) => {
            if std::env::var("SYNFIN_REQUIRE_KERNEL").as_deref() == Ok("1") {
                panic!("SYNFIN_REQUIRE_KERNEL=1 but the kernel peer is unavailable: {e}");
            }
            eprintln!("skipping {name}: the kernel peer is unavailable: {e}");
            false
        }
    });
    h.join().expect("the test thread");
}

/// Which way a segment crossed the TUN device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    ToLinux,
    FromLinux,
}

/// The segments of an exchange between synfin-tcp and the kernel, in the order our side saw
/// them.
#[derive(Default)]
pub struct Trace {
    pub segments: Vec<(Dir, Packet)>,
}

impl Trace {
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    pub fn push(&mut self, dir: Dir, datagram: &[u8]) {
        let (src, dst, tcp) = ipv4::unwrap(datagram).unwrap();
        let p = Packet::decode(src, dst, &tcp)
            .unwrap_or_else(|e| panic!("unparsable TCP ({e}): {}", summary(datagram)));
        self.segments.push((dir, p));
    }

    /// Every segment with its absolute numbers and window (not stable from run to run).
    pub fn lines(&self) -> String {
        self.segments
            .iter()
            .map(|(dir, p)| format!("{} {:?}", arrow(*dir), p.segment))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every segment with SEQ and ACK relative to the ISN of the side that chose them:
    /// synfin's ISN is `synfin_isn`, the kernel's comes from its SYN (or SYN-ACK). Shows the
    /// flags, the data length and the MSS option; leaves out the windows and the ports.
    pub fn relative(&self, synfin_isn: SeqNum) -> String {
        let linux_isn = self
            .segments
            .iter()
            .find(|(dir, p)| *dir == Dir::FromLinux && p.segment.flags.syn())
            .map(|(_, p)| p.segment.seq)
            .expect("the kernel's SYN or SYN-ACK");
        self.segments
            .iter()
            .map(|(dir, p)| {
                let (own, theirs) = match dir {
                    Dir::ToLinux => (synfin_isn, linux_isn),
                    Dir::FromLinux => (linux_isn, synfin_isn),
                };
                relative(arrow(*dir), &p.segment, own, theirs)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn arrow(dir: Dir) -> &'static str {
    match dir {
        Dir::ToLinux => "synfin -> linux",
        Dir::FromLinux => "linux -> synfin",
    }
}

/// One line: `who  FLAGS  seq=S ack=A len=L [mss=M]`, SEQ relative to `own_isn` and ACK to
/// `their_isn` (`ack=-` without the ACK bit).
pub fn relative(who: &str, s: &Segment, own_isn: SeqNum, their_isn: SeqNum) -> String {
    let ack = if s.flags.ack() {
        s.ack.since(their_isn).to_string()
    } else {
        "-".to_string()
    };
    let mut line = format!(
        "{who}  {:<7}  seq={} ack={} len={}",
        s.flags.to_string(),
        s.seq.since(own_isn),
        ack,
        s.payload.len()
    );
    if let Some(mss) = s.mss {
        line.push_str(&format!(" mss={mss}"));
    }
    line
}

/// Shuttles datagrams between our connection and the kernel until `done`, on the real clock
/// (the kernel's timers are real), recording them in `log`.
pub fn pump(
    k: &mut Kernel,
    c: &mut Connection,
    start: Wall,
    log: &mut Trace,
    mut done: impl FnMut(&Connection) -> bool,
) {
    let deadline = Wall::now() + Duration::from_secs(10);
    let flush = |k: &mut Kernel, c: &mut Connection, log: &mut Trace| {
        while let Some(p) = c.poll_transmit() {
            let d = ipv4::wrap(*p.src.ip(), *p.dst.ip(), &p.encode().unwrap()).unwrap();
            log.push(Dir::ToLinux, &d);
            k.send(&d).unwrap();
        }
    };
    loop {
        flush(k, c, log);
        if done(c) {
            return;
        }
        assert!(Wall::now() < deadline, "timed out:\n{}", log.lines());
        let now = Instant::from_epoch(start.elapsed());
        if c.poll_timeout().is_some_and(|t| t <= now) {
            c.handle_timeout(now);
        }
        let got = k.recv(Duration::from_millis(5)).unwrap();
        if let Some(d) = got {
            log.push(Dir::FromLinux, &d);
            let (src, dst, tcp) = ipv4::unwrap(&d).unwrap();
            let _ = c.handle_bytes(Instant::from_epoch(start.elapsed()), src, dst, &tcp);
        }
    }
}

/// Sends one crafted segment from `src` to `dst` into the kernel.
pub fn inject(k: &mut Kernel, src: SocketAddrV4, dst: SocketAddrV4, segment: Segment) {
    let p = Packet { src, dst, segment };
    let d = ipv4::wrap(*src.ip(), *dst.ip(), &p.encode().unwrap()).unwrap();
    k.send(&d).unwrap();
}

/// The segments the kernel sends from `from` to `to` during the next `wait`.
pub fn replies(
    k: &mut Kernel,
    from: SocketAddrV4,
    to: SocketAddrV4,
    wait: Duration,
) -> Vec<Segment> {
    replies_to(k, from, &[to], wait).pop().unwrap_or_default()
}

/// What `from` sends to each of `to` during `wait`, one list per destination.
pub fn replies_to(
    k: &mut Kernel,
    from: SocketAddrV4,
    to: &[SocketAddrV4],
    wait: Duration,
) -> Vec<Vec<Segment>> {
    let until = Wall::now() + wait;
    let mut out = vec![Vec::new(); to.len()];
    loop {
        let left = until.saturating_duration_since(Wall::now());
        if left.is_zero() {
            return out;
        }
        if let Some(d) = k.recv(left).unwrap() {
            let (src, dst, tcp) = ipv4::unwrap(&d).unwrap();
            if let Ok(p) = Packet::decode(src, dst, &tcp) {
                if let Some(i) = to.iter().position(|t| p.src == from && p.dst == *t) {
                    out[i].push(p.segment);
                }
            }
        }
    }
}

/// The kernel's view of the connection between local port `local` (the kernel's side) and
/// remote port `remote`, from `/proc/thread-self/net/tcp` (this thread's namespace): the
/// state's name and, when a timer runs, its kind (`tr`) and what is left of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SockInfo {
    pub state: &'static str,
    pub timer: u8,
    pub left: Duration,
}

pub fn kernel_socket(local: u16, remote: u16) -> Option<SockInfo> {
    let e = proc_tcp::entries()
        .expect("/proc/thread-self/net/tcp")
        .into_iter()
        .find(|e| e.local_port == local && e.remote_port == remote)?;
    Some(SockInfo {
        state: proc_tcp::state(e.state).map_or("?", |s| s.rfc_name()),
        timer: e.timer,
        left: e.left,
    })
}

/// A sysctl of this thread's network namespace, e.g. `net/ipv4/tcp_challenge_ack_limit`.
pub fn sysctl(name: &str) -> String {
    std::fs::read_to_string(format!("/proc/sys/{name}"))
        .unwrap_or_else(|e| panic!("/proc/sys/{name}: {e}"))
        .trim()
        .to_string()
}
