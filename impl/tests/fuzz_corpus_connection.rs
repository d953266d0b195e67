//! Replays the `connection` fuzz target's seed corpus (`fuzz/corpus/connection/`) through the
//! target's own driver and checks (`fuzz/src/connection.rs`): one live `Connection` fed user
//! calls, segments and clock moves, checked after every step. The fuzzer itself needs
//! nightly flags and is run by hand (see `fuzz/README.md`).

#[path = "../../fuzz/src/connection.rs"]
mod connection;
#[path = "../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn the_connection_seed_corpus_passes_the_fuzz_checks() {
    let n = replay::replay(env!("CARGO_MANIFEST_DIR"), "connection", connection::check);
    println!("replayed {n} inputs");
}

/// With `SYNFIN_FUZZ_TRACE` set, prints what each seed does, step by step (run with
/// `--nocapture`).
#[test]
fn trace_the_connection_seed_corpus_on_request() {
    if std::env::var_os("SYNFIN_FUZZ_TRACE").is_none() {
        return;
    }
    for f in replay::corpus(env!("CARGO_MANIFEST_DIR"), "connection") {
        eprintln!("== {}", f.display());
        let r = connection::run(&std::fs::read(&f).unwrap(), true);
        eprintln!("== {r:?}");
    }
}

// =======================================================================================
// Regressions found by the `connection` fuzz target (minimized with `cargo fuzz tmin`; each
// input is also in the seed corpus).

/// A peer that announces MSS 65535 (RFC 9293 §3.7.1 allows any 16-bit value) made the
/// endpoint put 65535 octets of text in one segment: 65555 octets of TCP, more than the
/// 16-bit length of the pseudo-header and of an IPv4 datagram, so `Packet::encode` refused it
/// (`TooLong`) and the data could never leave. The effective send MSS is now capped at
/// 65535 - 20 (IPv4 header) - 20 (TCP header) = 65495 octets.
///
/// Input: OPEN active; `<SEQ=0><ACK=ISS+1><CTL=SYN,ACK>` with WND=65535 and MSS=65535;
/// SEND of 65535 octets.
#[test]
fn regression_a_peer_mss_of_65535_still_gives_segments_that_encode() {
    const INPUT: &[u8] = &[
        0x02, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x40, 0x01, 0x07, 0x04, 0x12, 0x2d, 0x00, 0x00,
        0x00, 0xff, 0xff, 0x52, 0xff, 0xff, 0xff,
    ];
    connection::check(INPUT).unwrap();

    use synfin_tcp::pair::{ADDR_A, ADDR_B};
    use synfin_tcp::{Config, Connection, FixedIsn, Flags, Instant, Packet, Segment, SeqNum};
    let now = Instant::from_millis(1_000);
    let mut c = Connection::with_isn(Config::default(), ADDR_A, FixedIsn(1000));
    c.open_active(now, ADDR_B).unwrap();
    while c.poll_transmit().is_some() {}
    let syn_ack = Segment {
        seq: SeqNum(0),
        ack: SeqNum(1001),
        flags: Flags::SYN | Flags::ACK,
        window: 65535,
        mss: Some(65535),
        ..Segment::default()
    };
    c.handle_packet(
        now,
        &Packet {
            src: ADDR_B,
            dst: ADDR_A,
            segment: syn_ack,
        },
    )
    .unwrap();
    assert_eq!(c.send(now, &[7; 65535]), Ok(65535));
    let sent: Vec<Packet> = std::iter::from_fn(|| c.poll_transmit()).collect();
    let text: Vec<usize> = sent.iter().map(|p| p.segment.payload.len()).collect();
    assert_eq!(
        text,
        [0, 65495, 40],
        "the handshake's ACK, one full segment, the rest of the window"
    );
    for p in &sent {
        let bytes = p.encode().unwrap();
        assert!(bytes.len() + 20 <= 65535, "no room for the IPv4 header");
    }
}
