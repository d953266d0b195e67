//! Property tests that throw arbitrary input at the codec:
//!
//! (a) arbitrary bytes into `Packet::decode`;
//! (b) real segments with fields changed, re-encoded (so the checksum is right) and decoded.
//!
//! Live endpoints fed arbitrary input are in `fuzz_endpoint.rs`.

#[path = "live/tamper.rs"]
mod tamper;

use proptest::prelude::*;
use std::net::{Ipv4Addr, SocketAddrV4};
use synfin_tcp::pair::{Pair, Side, ADDR_B};
use synfin_tcp::{Config, FixedIsn, Flags, Packet, WireError};
use tamper::{apply, tamper};

const CASES: u32 = 256;

/// `CASES` cases; failures are reported, not saved to a regressions file.
fn proptest_config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// =======================================================================================
// (a) Arbitrary bytes into Packet::decode.

/// What every decode result must satisfy, whatever the input.
fn check_decode(src: Ipv4Addr, dst: Ipv4Addr, bytes: &[u8]) -> Result<(), TestCaseError> {
    match Packet::decode(src, dst, bytes) {
        Ok(p) => {
            let header_len = usize::from(bytes[12] >> 4) * 4;
            prop_assert!(header_len >= 20);
            prop_assert_eq!(&p.segment.payload[..], &bytes[header_len..]);
            prop_assert_eq!(
                p.src,
                SocketAddrV4::new(src, u16::from_be_bytes([bytes[0], bytes[1]]))
            );
            prop_assert_eq!(
                p.dst,
                SocketAddrV4::new(dst, u16::from_be_bytes([bytes[2], bytes[3]]))
            );
            prop_assert_eq!(p.segment.flags, Flags(bytes[13]));
            // What decodes encodes again, and that decodes to the same packet.
            let again = p
                .encode()
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(Packet::decode(src, dst, &again), Ok(p));
        }
        Err(WireError::Truncated { needed, got }) => {
            prop_assert_eq!(got, bytes.len());
            prop_assert!(needed > got);
        }
        Err(WireError::BadDataOffset { data_offset }) => {
            prop_assert!(data_offset < 5);
            prop_assert_eq!(data_offset, bytes[12] >> 4);
        }
        Err(WireError::BadChecksum { found, expected }) => {
            prop_assert_ne!(found, expected);
            prop_assert_eq!(found, u16::from_be_bytes([bytes[16], bytes[17]]));
        }
        Err(WireError::BadOption { .. }) => prop_assert!(bytes.len() > 20),
        Err(WireError::TooLong { len }) => prop_assert!(len > 65535),
    }
    Ok(())
}

/// The §3.1 checksum over the IPv4 pseudo-header, written here (as in tests/codec.rs) so
/// that arbitrary bytes can be given a correct one and get past the checksum check.
fn seal(src: Ipv4Addr, dst: Ipv4Addr, tcp: &mut [u8]) {
    tcp[16] = 0;
    tcp[17] = 0;
    let mut data = Vec::new();
    data.extend_from_slice(&src.octets());
    data.extend_from_slice(&dst.octets());
    data.extend_from_slice(&[0, 6]);
    data.extend_from_slice(&(tcp.len() as u16).to_be_bytes());
    data.extend_from_slice(tcp);
    if data.len() % 2 == 1 {
        data.push(0);
    }
    let mut sum: u32 = data
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    tcp[16..18].copy_from_slice(&(!(sum as u16)).to_be_bytes());
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn decode_of_arbitrary_bytes_never_panics_and_is_consistent(
        src: [u8; 4],
        dst: [u8; 4],
        bytes in proptest::collection::vec(any::<u8>(), 0..100),
    ) {
        check_decode(src.into(), dst.into(), &bytes)?;
    }

    /// With a correct checksum the bytes reach the data offset and option checks, whatever
    /// the reserved bits of octet 12 (the checksum is verified over the raw bytes).
    #[test]
    fn decode_of_arbitrary_checksummed_bytes_only_fails_on_length_offset_or_options(
        src: [u8; 4],
        dst: [u8; 4],
        mut bytes in proptest::collection::vec(any::<u8>(), 20..100),
        offset in 0u8..16,
    ) {
        let (src, dst) = (Ipv4Addr::from(src), Ipv4Addr::from(dst));
        // The low four bits (the reserved bits 0x0e and the old NS bit) stay arbitrary.
        bytes[12] = (offset << 4) | (bytes[12] & 0x0f);
        seal(src, dst, &mut bytes);
        check_decode(src, dst, &bytes)?;
        let r = Packet::decode(src, dst, &bytes);
        prop_assert!(!matches!(r, Err(WireError::BadChecksum { .. })), "{:?}", r);
    }

    /// Options made of arbitrary octets are walked without panicking; when the walk
    /// succeeds, so does the whole decode.
    #[test]
    fn decode_of_arbitrary_option_octets_never_panics(
        words in 0usize..=10,
        opts in proptest::collection::vec(any::<u8>(), 40),
        payload in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let mut b = vec![0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0];
        b.push(((5 + words as u8) << 4) & 0xf0);
        b.extend_from_slice(&[0x12, 0xff, 0xff, 0, 0, 0, 0]);
        b.extend_from_slice(&opts[..words * 4]);
        b.extend_from_slice(&payload);
        let (src, dst) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        seal(src, dst, &mut b);
        check_decode(src, dst, &b)?;
        let r = Packet::decode(src, dst, &b);
        prop_assert!(matches!(r, Ok(_) | Err(WireError::BadOption { .. })), "{:?}", r);
    }
}

// =======================================================================================
// (b) Real segments, mutated, re-encoded and decoded.

/// Every packet a connection's life puts on the wire: handshake (B's ISS wraps), data both
/// ways, an orderly close. Collected from the pair's log.
fn real_packets() -> Vec<Packet> {
    let mut p = Pair::new(
        Config::default(),
        FixedIsn(100),
        Config::default(),
        FixedIsn(u32::MAX - 1),
    );
    p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
    p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
        .unwrap();
    p.run(100);
    p.with(Side::A, |a, now| a.send(now, b"hello world"))
        .unwrap();
    p.with(Side::B, |b, now| b.send(now, b"pong")).unwrap();
    p.run(100);
    p.with(Side::A, |a, now| a.close(now)).unwrap();
    p.run(100);
    p.with(Side::B, |b, now| b.close(now)).unwrap();
    p.run(100);
    let packets: Vec<Packet> = p.sent().map(|(_, pk)| pk.clone()).collect();
    assert!(packets.len() >= 8, "{packets:?}");
    packets
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn tampered_real_segments_re_encode_and_decode_to_the_tampering(
        original in proptest::sample::select(real_packets()),
        tampers in proptest::collection::vec(tamper(), 1..6),
    ) {
        let mut p = original;
        for m in &tampers {
            apply(&mut p, m);
        }
        let bytes = p.encode().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(Packet::decode(*p.src.ip(), *p.dst.ip(), &bytes), Ok(p));
    }

    /// The checksum catches every single-bit error, octet 12's reserved bits included (see
    /// tests/codec.rs, `a_flipped_reserved_bit_fails_the_checksum`).
    #[test]
    fn a_single_flipped_bit_in_a_real_segment_is_always_rejected(
        original in proptest::sample::select(real_packets()),
        tampers in proptest::collection::vec(tamper(), 0..3),
        at: prop::sample::Index,
        bit in 0u8..8,
    ) {
        let mut p = original;
        for m in &tampers {
            apply(&mut p, m);
        }
        let mut bytes = p.encode().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let i = at.index(bytes.len());
        bytes[i] ^= 1 << bit;
        let r = Packet::decode(*p.src.ip(), *p.dst.ip(), &bytes);
        prop_assert!(r.is_err(), "bit {} of octet {} flipped, decoded as {:?}", bit, i, r);
    }
}
