//! The `wire_codec` target: `Packet::decode` on any bytes, and the round trip through
//! `encoded_len` / `encode_into` / `encode` for whatever decodes.
//!
//! Included as a module by the fuzz crate and by `impl/tests/fuzz_corpus_codec.rs`, so the
//! corpus replay runs the same checks as the fuzzer. It uses nothing but `std` and
//! `synfin_tcp`.
//!
//! Input: 4 octets of source address, 4 of destination address, then the TCP octets
//! (header and payload). Each input is decoded twice: as given (almost always a bad
//! checksum), and with the checksum field set right (RFC 9293 §3.1) so that the data offset,
//! option and payload paths are reached too.

use std::net::{Ipv4Addr, SocketAddrV4};
use synfin_tcp::{Flags, Packet, SeqNum, WireError};

/// Runs every check on one fuzz input.
pub fn check(data: &[u8]) -> Result<(), String> {
    if data.len() < 8 {
        return Ok(());
    }
    let src = Ipv4Addr::new(data[0], data[1], data[2], data[3]);
    let dst = Ipv4Addr::new(data[4], data[5], data[6], data[7]);
    let tcp = &data[8..];
    check_bytes(src, dst, tcp).map_err(|e| format!("as given: {e}"))?;
    if tcp.len() >= 18 && tcp.len() <= 65535 {
        let mut sealed = tcp.to_vec();
        seal(src, dst, &mut sealed);
        check_bytes(src, dst, &sealed).map_err(|e| format!("with its checksum set: {e}"))?;
        if tcp.len() >= 20 {
            if let Err(e @ WireError::BadChecksum { .. }) = Packet::decode(src, dst, &sealed) {
                return Err(format!("a correct checksum is refused: {e}"));
            }
        }
    }
    Ok(())
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(what())
    }
}

/// Whatever `decode` answers for `bytes` must agree with the bytes; what decodes must
/// encode back to bytes that decode to the same packet.
pub fn check_bytes(src: Ipv4Addr, dst: Ipv4Addr, bytes: &[u8]) -> Result<(), String> {
    match Packet::decode(src, dst, bytes) {
        Ok(p) => {
            let header_len = usize::from(bytes[12] >> 4) * 4;
            let be16 = |i: usize| u16::from_be_bytes([bytes[i], bytes[i + 1]]);
            let be32 =
                |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
            let s = &p.segment;
            ensure(header_len >= 20 && header_len <= bytes.len(), || {
                format!("decoded with a data offset of {header_len} octets")
            })?;
            ensure(s.payload[..] == bytes[header_len..], || {
                "payload is not the octets after the header".into()
            })?;
            ensure(p.src == SocketAddrV4::new(src, be16(0)), || {
                format!("source {}", p.src)
            })?;
            ensure(p.dst == SocketAddrV4::new(dst, be16(2)), || {
                format!("destination {}", p.dst)
            })?;
            ensure(s.seq == SeqNum(be32(4)) && s.ack == SeqNum(be32(8)), || {
                format!("SEQ {} / ACK {}", s.seq, s.ack)
            })?;
            ensure(s.flags == Flags(bytes[13]), || {
                format!("flags {:?}", s.flags)
            })?;
            ensure(s.window == be16(14) && s.urgent == be16(18), || {
                format!("window {} / urgent {}", s.window, s.urgent)
            })?;
            ensure(s.mss.is_none() || header_len >= 24, || {
                "MSS without options".into()
            })?;
            round_trip(&p)
        }
        Err(WireError::Truncated { needed, got }) => {
            ensure(got == bytes.len() && needed > got, || {
                format!(
                    "Truncated {{ needed: {needed}, got: {got} }} for {} octets",
                    bytes.len()
                )
            })
        }
        Err(WireError::BadDataOffset { data_offset }) => {
            ensure(data_offset < 5 && data_offset == bytes[12] >> 4, || {
                format!(
                    "BadDataOffset {data_offset} for octet 12 = {:#04x}",
                    bytes[12]
                )
            })
        }
        Err(WireError::BadChecksum { found, expected }) => {
            ensure(found != expected, || {
                format!("BadChecksum with found = expected = {found:#06x}")
            })?;
            ensure(found == u16::from_be_bytes([bytes[16], bytes[17]]), || {
                format!("BadChecksum found {found:#06x} is not the header's")
            })?;
            // The checksum it expected is the right one: with it in place, the checksum passes.
            let mut fixed = bytes.to_vec();
            fixed[16..18].copy_from_slice(&expected.to_be_bytes());
            let again = Packet::decode(src, dst, &fixed);
            ensure(!matches!(again, Err(WireError::BadChecksum { .. })), || {
                format!("the expected checksum {expected:#06x} is refused too: {again:?}")
            })
        }
        Err(WireError::BadOption { kind }) => ensure(bytes.len() > 20, || {
            format!("BadOption {kind} without room for options")
        }),
        Err(WireError::TooLong { len }) => ensure(len > 65535, || format!("TooLong {len}")),
    }
}

/// `encoded_len`, `encode_into` (after a prefix it must leave alone) and `encode` agree,
/// and the octets decode to `p` again.
pub fn round_trip(p: &Packet) -> Result<(), String> {
    let prefix = [0xa5u8; 3];
    let mut out = prefix.to_vec();
    let n = p
        .encode_into(&mut out)
        .map_err(|e| format!("{p:?} decoded but does not encode: {e}"))?;
    ensure(out[..3] == prefix, || {
        "encode_into overwrote what was in the buffer".into()
    })?;
    ensure(n == out.len() - 3 && n == p.encoded_len(), || {
        format!(
            "encode_into wrote {} octets, said {n}, encoded_len {}",
            out.len() - 3,
            p.encoded_len()
        )
    })?;
    let whole = p.encode().map_err(|e| format!("encode: {e}"))?;
    ensure(whole[..] == out[3..], || {
        "encode and encode_into differ".into()
    })?;
    let back = Packet::decode(*p.src.ip(), *p.dst.ip(), &whole);
    ensure(back.as_ref() == Ok(p), || {
        format!("{p:?} re-encoded decodes to {back:?}")
    })
}

/// Sets the checksum field (octets 16 and 17) to the one's complement sum over the IPv4
/// pseudo-header and `tcp` (RFC 9293 §3.1), computed here independently of the crate.
pub fn seal(src: Ipv4Addr, dst: Ipv4Addr, tcp: &mut [u8]) {
    tcp[16] = 0;
    tcp[17] = 0;
    let mut sum: u32 = 0;
    let mut add = |octets: &[u8]| {
        for w in octets.chunks(2) {
            let hi = u32::from(w[0]) << 8;
            let lo = w.get(1).map_or(0, |&b| u32::from(b));
            sum += hi | lo;
        }
    };
    add(&src.octets());
    add(&dst.octets());
    add(&[0, 6]);
    add(&(tcp.len() as u16).to_be_bytes());
    add(tcp);
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    tcp[16..18].copy_from_slice(&(!(sum as u16)).to_be_bytes());
}
