//! synfin-tcp and the Linux kernel open and close real connections with each other, through a
//! TUN device in a private network namespace that the test creates (nothing leaves it). Skips
//! with a printed reason where namespaces or TUN are not available; fails instead when
//! `SYNFIN_REQUIRE_KERNEL=1` (CI sets it).

use std::io::{Read, Write};
use std::net::{SocketAddrV4, TcpListener, TcpStream};
use std::time::{Duration, Instant as Wall};
use synfin_peers::kernel::{KERNEL_IP, OURS_IP};
use synfin_tcp::{Config, Connection, FixedIsn, Instant, SeqNum, State};

mod common;
use common::linux::{in_netns, pump, Trace};

/// What the snapshots show, written into them.
const RELATIVE: &str = "SEQ and ACK relative to the ISN of the side that chose them (synfin's \
ISN is 1000, the kernel's comes from its SYN or SYN-ACK); len: data octets; the MSS option \
only. Windows, other options and ports are left out: they vary with the kernel's version and \
settings.";

/// The exchange is the seed's seven segments, and matches the snapshot `name` with SEQ and
/// ACK relative to each side's ISN (synfin's is 1000).
fn seven_segments(log: &Trace, name: &str) {
    println!("{}", log.lines());
    assert_eq!(log.len(), 7, "the seed's seven segments:\n{}", log.lines());
    insta::with_settings!({ description => RELATIVE, omit_expression => true }, {
        insta::assert_snapshot!(name, log.relative(SeqNum(1000)));
    });
}

#[test]
fn synfin_opens_and_closes_with_a_listening_linux() {
    in_netns("synfin_opens_and_closes_with_a_listening_linux", |mut k| {
        let listener = TcpListener::bind(SocketAddrV4::new(KERNEL_IP, 8080)).unwrap();
        let start = Wall::now();
        let mut c = Connection::with_isn(
            Config::default(),
            SocketAddrV4::new(OURS_IP, 40000),
            FixedIsn(1000),
        );
        let mut log = Trace::default();
        c.open_active(Instant::ZERO, SocketAddrV4::new(KERNEL_IP, 8080))
            .unwrap();
        pump(&mut k, &mut c, start, &mut log, |c| {
            c.state() == State::Established
        });
        listener.set_nonblocking(true).unwrap();
        let accept_by = Wall::now() + Duration::from_secs(5);
        let (mut sock, _) = loop {
            match listener.accept() {
                Ok(x) => break x,
                Err(_) if Wall::now() < accept_by => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => panic!("accept: {e}\n{}", log.lines()),
            }
        };
        sock.set_nonblocking(false).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        c.close(Instant::from_epoch(start.elapsed())).unwrap();
        pump(&mut k, &mut c, start, &mut log, |c| {
            c.state() == State::FinWait2
        });
        // The kernel reads end of file, then closes its side. (Our ACK of its FIN, and its
        // FIN, are pumped on the next call.)
        let mut buf = [0u8; 8];
        assert_eq!(sock.read(&mut buf).unwrap(), 0);
        drop(sock);
        pump(&mut k, &mut c, start, &mut log, |c| {
            c.state() == State::TimeWait
        });
        seven_segments(&log, "synfin_opens_and_closes_first_linux_listens");
    });
}

#[test]
fn linux_opens_and_closes_with_a_listening_synfin() {
    in_netns("linux_opens_and_closes_with_a_listening_synfin", |mut k| {
        let start = Wall::now();
        let mut c = Connection::with_isn(
            Config::default(),
            SocketAddrV4::new(OURS_IP, 80),
            FixedIsn(1000),
        );
        c.open_passive(None).unwrap();
        // The kernel connects from a thread of this namespace (it inherits it).
        let client = std::thread::spawn(|| {
            let mut s = TcpStream::connect_timeout(
                &SocketAddrV4::new(OURS_IP, 80).into(),
                Duration::from_secs(5),
            )
            .unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            s.write_all(b"").unwrap();
            s.shutdown(std::net::Shutdown::Write).unwrap();
            let mut buf = [0u8; 8];
            // Waits for our FIN.
            assert_eq!(s.read(&mut buf).unwrap(), 0);
        });
        let mut log = Trace::default();
        pump(&mut k, &mut c, start, &mut log, |c| {
            c.state() == State::CloseWait
        });
        c.close(Instant::from_epoch(start.elapsed())).unwrap();
        pump(&mut k, &mut c, start, &mut log, |c| {
            c.state() == State::Closed
        });
        client.join().unwrap();
        seven_segments(&log, "linux_opens_and_closes_first_synfin_listens");
    });
}
