//! The pcap exporter (`synfin_conformance::pcap`): the seed's handshake and close (RFC 9293
//! §3.5 Figure 6, §3.6 Figure 12) written as captures, read back two ways.
//!
//! - With `pcap-file` and `etherparse`, here (no tool needed): the records, their timestamps,
//!   addresses, ports, SEQ, ACK and control bits, and both checksums.
//! - With tshark, Wireshark's dissectors and their checksum validation turned on: an outside
//!   reader's opinion of the same bytes. Where tshark is missing these tests print why and
//!   pass, except under `CI=true`, where they fail (`.ci/install-tshark.sh` installs it).

use pcap_file::pcap::PcapReader;
use pcap_file::DataLink;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::process::Command;
use synfin_conformance::pcap::{capture, ADDR_A, ADDR_B, EPOCH_SECS, WINDOW};
use synfin_conformance::scenario::model_steps;
use synfin_model::scenarios::scenario;
use synfin_model::trace::Step;
use synfin_model::TcpModel;
use synfin_tcp::Packet;

const A: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const B: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);
/// J and K, the seed's ISNs; M = J+1 and N = K+1 begin the close.
const J: u32 = 100;
const K: u32 = 4_294_967_292;
const M: u32 = 101;
const N: u32 = 4_294_967_293;

/// One captured segment as the tests compare it: direction, control bits in RFC notation,
/// SEQ and ACK (0 without the ACK bit, as the codec sends it).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    src: Ipv4Addr,
    dst: Ipv4Addr,
    flags: String,
    seq: u32,
    ack: u32,
}

fn seen(src: Ipv4Addr, dst: Ipv4Addr, flags: &str, seq: u32, ack: u32) -> Seen {
    Seen {
        src,
        dst,
        flags: flags.to_string(),
        seq,
        ack,
    }
}

/// Figure 6 with the seed's ISNs: SYN, SYN,ACK, ACK.
fn handshake() -> Vec<Seen> {
    vec![
        seen(A, B, "SYN", J, 0),
        seen(B, A, "SYN,ACK", K, J + 1),
        seen(A, B, "ACK", J + 1, K + 1),
    ]
}

/// Figure 12 after the handshake: FIN,ACK, ACK, FIN,ACK, ACK.
fn close() -> Vec<Seen> {
    vec![
        seen(A, B, "FIN,ACK", M, N),
        seen(B, A, "ACK", N, M + 1),
        seen(B, A, "FIN,ACK", N, M + 1),
        seen(A, B, "ACK", M + 1, N + 1),
    ]
}

/// TCP control bits (the low byte of the flags field) as RFC 9293's figures write them.
fn flag_names(bits: u16) -> String {
    let names: Vec<_> = [
        (0x02, "SYN"),
        (0x01, "FIN"),
        (0x04, "RST"),
        (0x08, "PSH"),
        (0x10, "ACK"),
        (0x20, "URG"),
        (0x40, "ECE"),
        (0x80, "CWR"),
    ]
    .iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, n)| *n)
    .collect();
    names.join(",")
}

/// The scenario's model and its steps on the model.
fn replay(name: &str) -> (TcpModel, Vec<Step>) {
    let sc = scenario(name).expect("named scenario");
    let steps = model_steps(&sc).expect("the scenario replays");
    (sc.model(), steps)
}

fn capture_of(name: &str) -> Vec<u8> {
    let (model, steps) = replay(name);
    capture(&model, &steps).expect("the trace captures")
}

/// A record read back: its timestamp in seconds and the segment, checked.
struct Record {
    secs: u64,
    seen: Seen,
}

/// Reads `pcap` back with pcap-file and etherparse, checking on the way what a receiver
/// checks: the IPv4 header checksum, the TCP checksum over the pseudo-header (RFC 9293 §3.1,
/// MUST-3, by the codec's own `Packet::decode`), the ports, the window and the MSS option on
/// SYNs.
fn read_back(pcap: &[u8]) -> Vec<Record> {
    let mut reader = PcapReader::new(pcap).expect("a pcap header");
    assert_eq!(reader.header().datalink, DataLink::RAW);
    let mut out = Vec::new();
    while let Some(p) = reader.next_packet() {
        let p = p.expect("a pcap record");
        assert_eq!(p.orig_len as usize, p.data.len(), "whole datagrams");
        assert_eq!(p.timestamp.subsec_nanos(), 0);
        let ip = etherparse::Ipv4Slice::from_slice(&p.data).expect("an IPv4 datagram");
        let h = ip.header().to_header();
        assert_eq!(h.header_checksum, h.calc_header_checksum(), "IPv4 checksum");
        assert_eq!(h.protocol, etherparse::IpNumber::TCP);
        assert_eq!(usize::from(h.total_len), p.data.len());
        let (src, dst) = (ip.header().source_addr(), ip.header().destination_addr());
        let tcp = ip.payload().payload;
        let parsed = etherparse::TcpSlice::from_slice(tcp).expect("a TCP header");
        // The codec's own decoder verifies the TCP checksum; etherparse gives the fields.
        let packet: Packet = Packet::decode(src, dst, tcp).expect("a valid TCP checksum");
        let ports = if src == A {
            (ADDR_A, ADDR_B)
        } else {
            (ADDR_B, ADDR_A)
        };
        assert_eq!((packet.src, packet.dst), ports);
        assert_eq!(parsed.window_size(), WINDOW);
        assert_eq!(
            packet.segment.mss.is_some(),
            parsed.syn(),
            "MSS option on SYNs"
        );
        let bits = [
            (parsed.fin(), 0x01),
            (parsed.syn(), 0x02),
            (parsed.rst(), 0x04),
            (parsed.psh(), 0x08),
            (parsed.ack(), 0x10),
            (parsed.urg(), 0x20),
            (parsed.ece(), 0x40),
            (parsed.cwr(), 0x80),
        ]
        .iter()
        .filter(|(set, _)| *set)
        .fold(0u16, |acc, (_, bit)| acc | bit);
        out.push(Record {
            secs: p.timestamp.as_secs(),
            seen: seen(
                src,
                dst,
                &flag_names(bits),
                parsed.sequence_number(),
                parsed.acknowledgment_number(),
            ),
        });
    }
    out
}

fn segments(records: &[Record]) -> Vec<Seen> {
    records.iter().map(|r| r.seen.clone()).collect()
}

#[test]
fn the_handshake_reads_back_as_figure_6() {
    let records = read_back(&capture_of("seed-handshake"));
    assert_eq!(segments(&records), handshake());
    // Steps 3, 4 and 5 of `synfin trace --scenario seed-handshake` are the deliveries.
    let secs: Vec<_> = records.iter().map(|r| r.secs - EPOCH_SECS).collect();
    assert_eq!(secs, [3, 4, 5]);
}

#[test]
fn the_close_reads_back_as_the_handshake_then_figure_12() {
    let records = read_back(&capture_of("seed-close"));
    let mut want = handshake();
    want.extend(close());
    assert_eq!(segments(&records), want);
    let secs: Vec<_> = records.iter().map(|r| r.secs - EPOCH_SECS).collect();
    assert_eq!(secs, [3, 4, 5, 7, 8, 10, 11]);
}

#[test]
fn captures_are_deterministic_and_little_endian_microseconds() {
    let one = capture_of("seed-close");
    assert_eq!(one, capture_of("seed-close"));
    // The classic pcap magic, little-endian, microsecond timestamps; version 2.4; LINKTYPE_RAW.
    assert_eq!(one[..4], [0xd4, 0xc3, 0xb2, 0xa1]);
    assert_eq!(one[4..8], [2, 0, 4, 0]);
    assert_eq!(one[20..24], 101u32.to_le_bytes());
    // The first record's seconds: step 3 of the handshake.
    assert_eq!(one[24..28], (EPOCH_SECS as u32 + 3).to_le_bytes());
}

#[test]
fn a_lost_segment_is_not_captured() {
    let (model, mut steps) = replay("seed-handshake");
    // The network loses A's SYN at step 3; the same SYN (as if retransmitted) arrives at
    // step 4, and the rest follows one step later than in the scenario.
    let delivered = steps[2].clone();
    let lost = Step {
        actor: "network".into(),
        action: "loses".into(),
        segment: delivered.segment,
        sent: None,
        states: steps[1].states,
        events: vec![],
    };
    steps.insert(2, lost);
    let records = read_back(&capture(&model, &steps).expect("captures"));
    assert_eq!(segments(&records), handshake());
    let secs: Vec<_> = records.iter().map(|r| r.secs - EPOCH_SECS).collect();
    assert_eq!(secs, [4, 5, 6]);
}

#[test]
fn a_step_the_capture_cannot_place_is_an_error() {
    let (model, steps) = replay("seed-handshake");
    let mut bad = steps.clone();
    bad[2].actor = "C".into();
    let err = capture(&model, &bad).unwrap_err();
    assert!(err.contains("step 3") && err.contains("neither"), "{err}");
    let mut bad = steps;
    bad[2].segment = bad[2].segment.map(|(_, seg)| (1, seg));
    let err = capture(&model, &bad).unwrap_err();
    assert!(err.contains("from host 1 cannot arrive at host 1"), "{err}");
}

// ---- tshark ----

/// Whether tshark runs here; `Err` says why not. Under `CI=true` a missing tshark fails the
/// test (CI installs it with `.ci/install-tshark.sh`); elsewhere the test prints why it skips.
fn tshark() -> Result<(), String> {
    let found = match Command::new("tshark").arg("--version").output() {
        Ok(o) if o.status.success() => return Ok(()),
        Ok(o) => format!("`tshark --version` exited with {}", o.status),
        Err(e) => format!("tshark could not be run: {e}"),
    };
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but {found}; run .ci/install-tshark.sh");
    }
    Err(found)
}

/// Where the tshark tests write their captures: `$SYNFIN_PCAP_DIR` when set (the files are
/// kept there, to open in Wireshark), else a directory of this process's and this test's own
/// under the system's temporary directory (removed afterwards). `true`: keep them.
fn capture_dir(name: &str) -> (PathBuf, bool) {
    match std::env::var_os("SYNFIN_PCAP_DIR") {
        Some(dir) => (PathBuf::from(dir), true),
        None => (
            std::env::temp_dir().join(format!("synfin-pcap-{}-{name}", std::process::id())),
            false,
        ),
    }
}

/// One packet as tshark dissects it, with checksum validation on.
#[derive(Debug)]
struct Dissected {
    seen: Seen,
    ports: (u16, u16),
    epoch_secs: u64,
    /// `tcp.checksum.status` and `ip.checksum.status`: 1 = good, 0 = bad, 2 = unverified.
    tcp_checksum: String,
    ip_checksum: String,
    /// Wireshark's expert-info messages for the packet above the "note" level (malformed
    /// fields, bad checksums, sequence-analysis warnings), `severity: message`.
    expert: Vec<String>,
}

/// Wireshark's expert-info severity "note" (`proto.h`, `PI_NOTE`), above "chat": the levels
/// of routine remarks such as "Connection establish request (SYN)" (chat) and "This frame
/// initiates the connection closing" (note). Warnings ("Previous segment not captured",
/// "ACKed segment that wasn't captured") and errors (bad checksum, malformed packet) are above
/// it.
const PI_NOTE: u64 = 0x0040_0000;

const FIELDS: [&str; 12] = [
    "ip.src",
    "ip.dst",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.flags",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.checksum.status",
    "ip.checksum.status",
    "frame.time_epoch",
    "_ws.expert.severity",
    "_ws.expert.message",
];

fn dissect(path: &PathBuf) -> Vec<Dissected> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(path)
        .args(["-n", "-o", "tcp.relative_sequence_numbers:FALSE"])
        .args([
            "-o",
            "tcp.check_checksum:TRUE",
            "-o",
            "ip.check_checksum:TRUE",
        ])
        .args(["-T", "fields", "-E", "separator=|", "-E", "occurrence=a"]);
    for f in FIELDS {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("tshark runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tshark failed: {stderr}");
    stdout
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            assert_eq!(f.len(), FIELDS.len(), "{line:?}");
            let num = |s: &str| -> u64 {
                s.parse()
                    .unwrap_or_else(|e| panic!("{s:?} in {line:?}: {e}"))
            };
            let flags = u16::from_str_radix(f[4].trim_start_matches("0x"), 16)
                .unwrap_or_else(|e| panic!("flags {:?}: {e}", f[4]));
            let epoch: f64 = f[9]
                .parse()
                .unwrap_or_else(|e| panic!("time {:?}: {e}", f[9]));
            Dissected {
                seen: seen(
                    f[0].parse().expect("ip.src"),
                    f[1].parse().expect("ip.dst"),
                    &flag_names(flags),
                    num(f[5]) as u32,
                    num(f[6]) as u32,
                ),
                ports: (num(f[2]) as u16, num(f[3]) as u16),
                epoch_secs: epoch as u64,
                tcp_checksum: f[7].to_string(),
                ip_checksum: f[8].to_string(),
                expert: expert(f[10], f[11]),
            }
        })
        .collect()
}

/// A complaint (`severities: messages`) when any of tshark's comma-separated expert-info
/// severities for a packet is above note level (an unreadable one counts as above); none
/// otherwise. The messages are kept whole for the failure message, since a message may itself
/// hold commas.
fn expert(severities: &str, messages: &str) -> Vec<String> {
    let complaint = severities
        .split(',')
        .filter(|s| !s.is_empty())
        .any(|s| s.parse::<u64>().map_or(true, |s| s > PI_NOTE));
    if complaint {
        vec![format!("severities {severities}: {messages}")]
    } else {
        vec![]
    }
}

/// Exports `name`, has tshark dissect it, and checks every packet: the expected segment,
/// the pair harness's ports, both checksums verified good, nothing malformed, and the
/// timestamps `secs` after the epoch.
fn tshark_agrees(name: &str, want: &[Seen], secs: &[u64]) {
    if let Err(why) = tshark() {
        eprintln!("skipping the tshark check of {name}: {why}");
        return;
    }
    let (dir, keep) = capture_dir(name);
    std::fs::create_dir_all(&dir).expect("a directory for the captures");
    let path = dir.join(format!("{name}.pcap"));
    std::fs::write(&path, capture_of(name)).expect("the capture is written");
    let got = dissect(&path);
    if keep {
        eprintln!("{name}: kept {}", path.display());
    } else {
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_dir(&dir);
    }
    let segs: Vec<_> = got.iter().map(|d| d.seen.clone()).collect();
    assert_eq!(segs, want, "{got:#?}");
    for (d, s) in got.iter().zip(secs) {
        let ports = if d.seen.src == A {
            (ADDR_A.port(), ADDR_B.port())
        } else {
            (ADDR_B.port(), ADDR_A.port())
        };
        assert_eq!(d.ports, ports, "{d:?}");
        assert_eq!(d.tcp_checksum, "1", "TCP checksum not good: {d:?}");
        assert_eq!(d.ip_checksum, "1", "IPv4 checksum not good: {d:?}");
        assert!(d.expert.is_empty(), "tshark's expert info: {d:?}");
        assert_eq!(d.epoch_secs, EPOCH_SECS + s, "{d:?}");
    }
}

#[test]
fn tshark_reads_the_handshake_as_figure_6() {
    tshark_agrees("seed-handshake", &handshake(), &[3, 4, 5]);
}

#[test]
fn tshark_reads_the_close_as_the_handshake_then_figure_12() {
    let mut want = handshake();
    want.extend(close());
    tshark_agrees("seed-close", &want, &[3, 4, 5, 7, 8, 10, 11]);
}
