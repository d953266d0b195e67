//! IPv4 framing around the TCP bytes `synfin-tcp` produces and consumes (smoltcp speaks whole
//! IPv4 datagrams).

use etherparse::{IpNumber, Ipv4Header, Ipv4Slice};
use std::net::Ipv4Addr;

/// A TCP segment's bytes inside an IPv4 header (TTL 64, header checksum set).
pub fn wrap(src: Ipv4Addr, dst: Ipv4Addr, tcp: &[u8]) -> Result<Vec<u8>, String> {
    let len = u16::try_from(tcp.len()).map_err(|_| "TCP segment too long for IPv4".to_string())?;
    let mut h = Ipv4Header::new(len, 64, IpNumber::TCP, src.octets(), dst.octets())
        .map_err(|e| e.to_string())?;
    h.header_checksum = h.calc_header_checksum();
    let mut out = Vec::with_capacity(h.header_len() + tcp.len());
    out.extend_from_slice(&h.to_bytes());
    out.extend_from_slice(tcp);
    Ok(out)
}

/// A synfin-tcp packet as one IPv4 datagram, encoded in a single buffer.
pub fn wrap_packet(p: &synfin_tcp::Packet) -> Result<Vec<u8>, String> {
    let len =
        u16::try_from(p.encoded_len()).map_err(|_| "TCP segment too long for IPv4".to_string())?;
    let mut h = Ipv4Header::new(
        len,
        64,
        IpNumber::TCP,
        p.src.ip().octets(),
        p.dst.ip().octets(),
    )
    .map_err(|e| e.to_string())?;
    h.header_checksum = h.calc_header_checksum();
    let mut out = Vec::with_capacity(h.header_len() + usize::from(len));
    out.extend_from_slice(&h.to_bytes());
    p.encode_into(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The addresses and TCP bytes of an IPv4 datagram, borrowed from it; `Err` for anything that
/// is not IPv4/TCP.
pub fn split(datagram: &[u8]) -> Result<(Ipv4Addr, Ipv4Addr, &[u8]), String> {
    let ip = Ipv4Slice::from_slice(datagram).map_err(|e| e.to_string())?;
    if ip.header().protocol() != IpNumber::TCP {
        return Err(format!("not TCP: protocol {:?}", ip.header().protocol()));
    }
    Ok((
        ip.header().source_addr(),
        ip.header().destination_addr(),
        ip.payload().payload,
    ))
}

/// The addresses and TCP bytes of an IPv4 datagram; `Err` for anything that is not IPv4/TCP.
pub fn unwrap(datagram: &[u8]) -> Result<(Ipv4Addr, Ipv4Addr, Vec<u8>), String> {
    split(datagram).map(|(src, dst, tcp)| (src, dst, tcp.to_vec()))
}
