//! synfin-tcp and smoltcp open and close connections with each other, in both roles, through
//! the in-memory link, with and without loss. Every datagram crosses as real IPv4+TCP bytes.
//!
//! Without loss, each of the four lives (either side opens, either side closes first) is the
//! seed's seven segments (RFC 9293 Figures 6 and 12), pinned as an insta snapshot with SEQ and
//! ACK relative to each side's ISN; these run through `synfin_peers::scenario::run`, which
//! records smoltcp's inputs and outputs, and smoltcp's side is replayed into the model's rules.

use std::collections::BTreeMap;
use std::net::SocketAddrV4;
use std::time::Duration;
use synfin_conformance::peer_trace::{self, Input, Tally};
use synfin_peers::life::{open_and_close, First};
use synfin_peers::link::{Link, IP_A, IP_B};
use synfin_peers::scenario::run::TESTER_ISS;
use synfin_peers::scenario::smol::SmolPeer;
use synfin_peers::scenario::{run, Ending, Open, Ports, Scenario, Side};
use synfin_peers::smol::SmolHost;
use synfin_tcp::{Config, Connection, FixedIsn, Instant, SeqNum};

mod common;
use common::linux::relative;

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
    b.open_passive(None).unwrap();
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

/// What the seven-segment snapshots show, written into them.
const RELATIVE: &str = "SEQ and ACK relative to the ISN of the side that chose them (synfin's \
ISN is 2^32 - 4, smoltcp's comes from its SYN or SYN-ACK); len: data octets; the MSS option \
only; in the order smoltcp received and sent them. Windows, other options and ports are left \
out, as in the Linux snapshots.";

/// One life without loss: `open` says who opens actively, `first` who closes first (the other
/// closes once in CLOSE-WAIT). Runs it through the scenario runner (smoltcp on the virtual
/// clock, synfin-tcp with ISS 2^32 - 4), which records every input smoltcp gets and what it
/// sends right after; then checks that
///
/// * the exchange is the seed's seven segments and matches the snapshot `name`, each line
///   attributed to the side that sent it, SEQ and ACK relative to each side's ISN;
/// * smoltcp's steps replay into the model's rules (`peer_trace::replay`, smoltcp's profile)
///   without a difference, every segment it sent one the model allows.
fn seven_segments(open: Open, first: Side, name: &str) {
    let sc = Scenario {
        open,
        ending: Ending::Close(first),
        faults: BTreeMap::new(),
    };
    let ports = Ports {
        peer: PORT_B,
        tester: PORT_A,
    };
    let r = run(&mut SmolPeer::new(), &sc, ports, LIMIT);
    let log = r.log.join("\n");
    assert!(r.finished, "the life did not end:\n{log}");
    // The exchange as smoltcp saw it: what arrived, then what it sent in reply.
    let mut exchange = Vec::new();
    for step in &r.steps {
        if let Input::Arrive(seg) = &step.input {
            exchange.push((false, seg));
        }
        exchange.extend(step.sent.iter().map(|seg| (true, seg)));
    }
    let smol_isn = exchange
        .iter()
        .find(|(from_smol, seg)| *from_smol && seg.flags.syn())
        .map(|(_, seg)| seg.seq)
        .unwrap_or_else(|| panic!("smoltcp's SYN or SYN-ACK:\n{log}"));
    let synfin_isn = SeqNum(TESTER_ISS);
    let lines: Vec<String> = exchange
        .iter()
        .map(|&(from_smol, seg)| {
            if from_smol {
                relative("smoltcp -> synfin", seg, smol_isn, synfin_isn)
            } else {
                relative("synfin -> smoltcp", seg, synfin_isn, smol_isn)
            }
        })
        .collect();
    let lines = lines.join("\n");
    println!("{name}:\n{lines}\n{}", peer_trace::show(&r.steps));
    assert_eq!(
        exchange.len(),
        7,
        "the seed's seven segments:\n{lines}\n{log}"
    );
    insta::with_settings!({ description => RELATIVE, omit_expression => true }, {
        insta::assert_snapshot!(name, lines);
    });
    let mut tally = Tally::default();
    let diffs = peer_trace::replay(
        &r.steps,
        synfin_peers::profiles::smoltcp().reading(),
        &mut tally,
    );
    let report: String = diffs.iter().map(|d| d.describe("smoltcp")).collect();
    assert!(
        diffs.is_empty(),
        "smoltcp against the model:\n{report}{}",
        peer_trace::show(&r.steps)
    );
    let sent = exchange.iter().filter(|(from_smol, _)| *from_smol).count();
    assert_eq!(
        (tally.segments, tally.agreed_segments),
        (sent, sent),
        "every segment smoltcp sent is compared and allowed: {tally:?}"
    );
}

#[test]
fn seven_segments_smoltcp_opens_synfin_closes_first() {
    seven_segments(
        Open::PeerActive,
        Side::Tester,
        "smoltcp_opens_synfin_listens_and_closes_first",
    );
}

#[test]
fn seven_segments_smoltcp_opens_and_closes_first() {
    seven_segments(
        Open::PeerActive,
        Side::Peer,
        "smoltcp_opens_and_closes_first_synfin_listens",
    );
}

#[test]
fn seven_segments_synfin_opens_and_closes_first() {
    seven_segments(
        Open::PeerPassive,
        Side::Tester,
        "synfin_opens_and_closes_first_smoltcp_listens",
    );
}

#[test]
fn seven_segments_synfin_opens_smoltcp_closes_first() {
    seven_segments(
        Open::PeerPassive,
        Side::Peer,
        "synfin_opens_smoltcp_listens_and_closes_first",
    );
}
