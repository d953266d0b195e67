//! synfin-tcp and smoltcp open and close connections with each other, in both roles, through
//! the in-memory link, with and without loss. Every datagram crosses as real IPv4+TCP bytes.

use std::net::SocketAddrV4;
use std::time::Duration;
use synfin_peers::life::{open_and_close, First};
use synfin_peers::link::{Link, IP_A, IP_B};
use synfin_peers::smol::SmolHost;
use synfin_tcp::{Config, Connection, FixedIsn, Instant};

const PORT_A: u16 = 40000;
const PORT_B: u16 = 80;
const LIMIT: Duration = Duration::from_secs(600);

fn ours(port: u16, ip: std::net::Ipv4Addr) -> Connection {
    Connection::with_isn(
        Config::default(),
        SocketAddrV4::new(ip, port),
        FixedIsn(u32::MAX - 3),
    )
}

fn report<A: synfin_peers::link::Stack, B: synfin_peers::link::Stack>(l: &Link<A, B>) -> String {
    l.log
        .iter()
        .map(|c| {
            format!(
                "{:>8.3}s {} {}{}\n",
                c.at.as_secs_f64(),
                ["A->B", "B->A"][c.from],
                c.summary,
                if c.dropped { "  (lost)" } else { "" }
            )
        })
        .collect()
}

/// synfin-tcp (A) opens actively to a listening smoltcp (B); A closes first, then B; A ends
/// in TIME-WAIT and then CLOSED, B in CLOSED.
fn synfin_active(loss: impl FnMut(usize, usize) -> bool + 'static) -> Link<Connection, SmolHost> {
    let mut b = SmolHost::new(IP_B, Duration::ZERO);
    b.listen(PORT_B).unwrap();
    let mut l = Link::new(ours(PORT_A, IP_A), b).with_loss(loss);
    l.a.open_active(Instant::ZERO, SocketAddrV4::new(IP_B, PORT_B))
        .unwrap();
    if let Err(stage) = open_and_close(&mut l, First::A, LIMIT) {
        panic!("{stage}\n{}", report(&l));
    }
    l
}

/// smoltcp (A) opens actively to a listening synfin-tcp (B); B closes first, then A.
fn smoltcp_active(loss: impl FnMut(usize, usize) -> bool + 'static) {
    let mut b = ours(PORT_B, IP_B);
    b.open_passive(Instant::ZERO, None).unwrap();
    let mut a = SmolHost::new(IP_A, Duration::ZERO);
    a.connect(SocketAddrV4::new(IP_B, PORT_B), PORT_A).unwrap();
    let mut l = Link::new(a, b).with_loss(loss);
    if let Err(stage) = open_and_close(&mut l, First::B, LIMIT) {
        panic!("{stage}\n{}", report(&l));
    }
}

#[test]
fn synfin_opens_and_closes_with_a_listening_smoltcp() {
    let l = synfin_active(|_, _| false);
    // SYN, SYN-ACK, ACK, FIN, ACK, FIN, ACK: the seven segments of the seed, nothing else.
    assert_eq!(l.log.len(), 7, "{}", report(&l));
}

#[test]
fn smoltcp_opens_and_closes_with_a_listening_synfin() {
    smoltcp_active(|_, _| false);
}

/// A's first SYN and its handshake ACK are lost: A retransmits the SYN (after the 1 s
/// initial RTO), smoltcp retransmits its SYN,ACK, and the connection opens and closes.
#[test]
fn synfin_active_survives_a_lost_syn_and_a_lost_ack() {
    let l = synfin_active(|n, _| n == 0 || n == 3);
    let log = report(&l);
    let from = |side: usize, ctl: &str| {
        l.log
            .iter()
            .filter(|c| c.from == side && c.summary.contains(ctl))
            .count()
    };
    assert_eq!(from(0, "<CTL=SYN>"), 2, "A retransmits its SYN\n{log}");
    assert_eq!(
        from(1, "<CTL=SYN,ACK>"),
        2,
        "B retransmits its SYN,ACK\n{log}"
    );
    assert_eq!(l.log.iter().filter(|c| c.dropped).count(), 2, "{log}");
}

/// smoltcp's first SYN and the handshake's third datagram are lost.
#[test]
fn smoltcp_active_survives_a_lost_syn_and_a_lost_ack() {
    smoltcp_active(|n, _| n == 0 || n == 3);
}

/// Every third datagram is lost, throughout.
#[test]
fn both_roles_survive_steady_loss() {
    let _ = synfin_active(|n, _| n % 3 == 1);
    smoltcp_active(|n, _| n % 3 == 1);
}
