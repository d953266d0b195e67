//! Two `Connection`s on two threads, talking TCP over real bytes and a real clock: each TCP
//! segment, encoded by the wire codec, travels as the payload of a UDP datagram between two
//! sockets on the loopback interface (127.0.0.1 only). A opens, sends a message and closes;
//! B listens, reads the message to the end of the stream, and closes; both reach CLOSED
//! (TIME-WAIT shortened to 2 x 50 ms).
//!
//! The loop is the call-order contract of the crate documentation: feed each datagram to
//! `handle_bytes`, fire due timers with `handle_timeout`, drain `poll_transmit` to the wire and
//! `poll_event` to the application, and sleep until a datagram arrives or `poll_timeout`.
//!
//! `cargo run -p synfin-tcp --example udp_loopback`

use std::net::{SocketAddr, SocketAddrV4, UdpSocket};
use std::time::Duration;
use synfin_tcp::{CallError, Config, Connection, Event, Instant, State};

/// What one end saw: its events in order, the bytes it read, and its final state.
#[derive(Debug)]
pub struct Seen {
    pub events: Vec<Event>,
    pub read: Vec<u8>,
    pub state: State,
}

/// The message A sends.
pub const MESSAGE: &[u8] = b"synfin-tcp over UDP on loopback, with a real clock";

fn v4(addr: SocketAddr) -> SocketAddrV4 {
    match addr {
        SocketAddr::V4(a) => a,
        SocketAddr::V6(_) => unreachable!("bound to 127.0.0.1"),
    }
}

/// One end: a UDP socket, its `Connection` (whose TCP address is the socket's address), and
/// the caller's clock.
struct End {
    udp: UdpSocket,
    conn: Connection,
    peer: SocketAddrV4,
    start: std::time::Instant,
    seen: Seen,
}

impl End {
    fn new(udp: UdpSocket, peer: SocketAddrV4, key: u8) -> std::io::Result<End> {
        let cfg = Config {
            msl: Duration::from_millis(50),
            ..Config::default()
        };
        let local = v4(udp.local_addr()?);
        Ok(End {
            conn: Connection::new(cfg, local, [key; 16]),
            udp,
            peer,
            start: std::time::Instant::now(),
            seen: Seen {
                events: Vec::new(),
                read: Vec::new(),
                state: State::Closed,
            },
        })
    }

    fn now(&self) -> Instant {
        Instant::from_epoch(self.start.elapsed())
    }

    /// Sends what the connection wants sent and collects its events (reading what arrived).
    fn drain(&mut self) -> std::io::Result<()> {
        while let Some(packet) = self.conn.poll_transmit() {
            let bytes = packet.encode().map_err(std::io::Error::other)?;
            self.udp.send_to(&bytes, self.peer)?;
        }
        while let Some(e) = self.conn.poll_event() {
            self.seen.events.push(e);
        }
        let mut buf = [0; 512];
        while let Ok(n) = self.conn.recv(&mut buf) {
            if n == 0 {
                break;
            }
            self.seen.read.extend_from_slice(&buf[..n]);
        }
        Ok(())
    }

    /// Waits for one datagram or the next deadline (at most `most`), and handles it.
    fn step(&mut self, most: Duration) -> std::io::Result<()> {
        let now = self.now();
        let wait = self
            .conn
            .poll_timeout()
            .map_or(most, |t| t.saturating_since(now).min(most))
            .max(Duration::from_millis(1));
        self.udp.set_read_timeout(Some(wait))?;
        let mut buf = [0; 2048];
        match self.udp.recv_from(&mut buf) {
            Ok((n, from)) => {
                let from = v4(from);
                let local = self.conn.local();
                // A datagram that is not a TCP segment for us is dropped with a typed error.
                let _ = self
                    .conn
                    .handle_bytes(self.now(), *from.ip(), *local.ip(), &buf[..n]);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
        self.conn.handle_timeout(self.now());
        self.drain()
    }

    /// Steps until `done`, or fails after `limit` of real time.
    fn until(&mut self, limit: Duration, done: impl Fn(&End) -> bool) -> std::io::Result<()> {
        let deadline = std::time::Instant::now() + limit;
        while !done(self) {
            if std::time::Instant::now() > deadline {
                return Err(std::io::Error::other(format!(
                    "stuck in {} after {:?}",
                    self.conn.state(),
                    self.seen.events
                )));
            }
            self.step(Duration::from_millis(20))?;
        }
        Ok(())
    }

    fn finish(mut self) -> Seen {
        self.seen.state = self.conn.state();
        self.seen
    }
}

/// Runs the exchange: A on this thread, B on another.
pub fn run() -> std::io::Result<(Seen, Seen)> {
    let ua = UdpSocket::bind("127.0.0.1:0")?;
    let ub = UdpSocket::bind("127.0.0.1:0")?;
    let (addr_a, addr_b) = (v4(ua.local_addr()?), v4(ub.local_addr()?));
    let limit = Duration::from_secs(20);

    let mut b = End::new(ub, addr_a, 2)?;
    b.conn
        .open_passive(Some(addr_a))
        .map_err(std::io::Error::other)?;
    // `Connection` is `Send`: B runs on its own thread.
    let b = std::thread::spawn(move || -> std::io::Result<Seen> {
        // Read to the end of the stream: RECEIVE says "connection closing" once the peer's FIN
        // has arrived and nothing is left on hand.
        b.until(limit, |e| {
            e.conn.state() == State::CloseWait
                && e.conn.recv_queue_len() == 0
                && e.seen.events.contains(&Event::PeerClosed)
        })?;
        assert_eq!(b.conn.recv(&mut [0; 8]), Err(CallError::ConnectionClosing));
        b.conn.close(b.now()).map_err(std::io::Error::other)?;
        b.drain()?;
        b.until(limit, |e| e.conn.state() == State::Closed)?;
        Ok(b.finish())
    });

    let mut a = End::new(ua, addr_b, 1)?;
    let now = a.now();
    a.conn
        .open_active(now, addr_b)
        .map_err(std::io::Error::other)?;
    a.drain()?;
    a.until(limit, |e| e.conn.state() == State::Established)?;
    let now = a.now();
    let sent = a.conn.send(now, MESSAGE).map_err(std::io::Error::other)?;
    assert_eq!(sent, MESSAGE.len(), "the send buffer takes it all");
    a.conn.close(now).map_err(std::io::Error::other)?;
    a.drain()?;
    a.until(limit, |e| e.conn.state() == State::Closed)?;
    let a = a.finish();
    let b = b
        .join()
        .map_err(|_| std::io::Error::other("B panicked"))??;
    Ok((a, b))
}

#[allow(dead_code)] // a test includes this file as a module, without calling `main`
fn main() -> std::io::Result<()> {
    let (a, b) = run()?;
    println!("A: {:?}, ends {}", a.events, a.state);
    println!("B: {:?}, ends {}", b.events, b.state);
    println!("B read: {:?}", String::from_utf8_lossy(&b.read));
    Ok(())
}
