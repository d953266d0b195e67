//! The TCP header on the wire (RFC 9293 §3.1) via `etherparse`, with the checksum over the
//! IPv4 pseudo-header (§3.1, MUST-2, MUST-3). etherparse does the fixed header, the data
//! offset and the checksum arithmetic; the option walk is [`super::options`] because
//! etherparse's iterator refuses unknown option kinds, which RFC 9293 §3.2 says to skip.

use super::{options, Flags, Packet, Segment, WireError};
use crate::seq::SeqNum;
use etherparse::checksum::Sum16BitWords;
use etherparse::err::tcp::{HeaderError, HeaderSliceError};
use etherparse::TcpHeader;
use std::net::{Ipv4Addr, SocketAddrV4};

impl Packet {
    /// Parses TCP bytes (header and payload) that arrived from `src_ip` for `dst_ip`. The
    /// checksum is verified over the IPv4 pseudo-header built from the two addresses.
    pub fn decode(src_ip: Ipv4Addr, dst_ip: Ipv4Addr, bytes: &[u8]) -> Result<Packet, WireError> {
        let (header, payload) = TcpHeader::from_slice(bytes).map_err(|e| match e {
            HeaderSliceError::Len(l) => WireError::Truncated {
                needed: l.required_len,
                got: l.len,
            },
            HeaderSliceError::Content(HeaderError::DataOffsetTooSmall { data_offset }) => {
                WireError::BadDataOffset { data_offset }
            }
        })?;
        verify_checksum(src_ip, dst_ip, bytes)?;
        let mss = options::parse(header.options.as_slice())?;
        let mut flags = Flags::NONE;
        for (set, flag) in [
            (header.fin, Flags::FIN),
            (header.syn, Flags::SYN),
            (header.rst, Flags::RST),
            (header.psh, Flags::PSH),
            (header.ack, Flags::ACK),
            (header.urg, Flags::URG),
            (header.ece, Flags::ECE),
            (header.cwr, Flags::CWR),
        ] {
            if set {
                flags |= flag;
            }
        }
        Ok(Packet {
            src: SocketAddrV4::new(src_ip, header.source_port),
            dst: SocketAddrV4::new(dst_ip, header.destination_port),
            segment: Segment {
                seq: SeqNum(header.sequence_number),
                ack: SeqNum(header.acknowledgment_number),
                flags,
                window: header.window_size,
                urgent: header.urgent_pointer,
                mss,
                payload: payload.to_vec(),
            },
        })
    }

    /// Serializes the header (with a correct checksum) and the payload.
    pub fn encode(&self) -> Result<Vec<u8>, WireError> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// The length of [`Packet::encode`]'s output: the header with its options, and the payload.
    pub fn encoded_len(&self) -> usize {
        TcpHeader::MIN_LEN + options::write(self.segment.mss).1 + self.segment.payload.len()
    }

    /// Appends the encoded segment to `out` (after, say, a lower layer's header the caller
    /// wrote there) and returns its length: one buffer for the whole datagram.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<usize, WireError> {
        let s = &self.segment;
        let mut h = TcpHeader::new(self.src.port(), self.dst.port(), s.seq.0, s.window);
        h.acknowledgment_number = s.ack.0;
        h.fin = s.flags.fin();
        h.syn = s.flags.syn();
        h.rst = s.flags.rst();
        h.psh = s.flags.contains(Flags::PSH);
        h.ack = s.flags.ack();
        h.urg = s.flags.contains(Flags::URG);
        h.ece = s.flags.contains(Flags::ECE);
        h.cwr = s.flags.contains(Flags::CWR);
        h.urgent_pointer = s.urgent;
        let (opts, n) = options::write(s.mss);
        h.set_options_raw(&opts[..n])
            .map_err(|_| WireError::BadOption { kind: 2 })?;
        let len = h.header_len() + s.payload.len();
        h.checksum = h
            .calc_checksum_ipv4_raw(self.src.ip().octets(), self.dst.ip().octets(), &s.payload)
            .map_err(|_| WireError::TooLong { len })?;
        out.reserve(len);
        // Writing into a Vec does not fail; the header is written in one piece (cheaper than
        // `to_bytes`, which fills its buffer octet by octet).
        h.write(out).map_err(|_| WireError::TooLong { len })?;
        out.extend_from_slice(&s.payload);
        Ok(len)
    }
}

/// MUST-2/MUST-3: the checksum covers the pseudo-header and every octet of the segment as
/// received, reserved bits included (which etherparse's parsed header does not keep), so it is
/// computed over the raw bytes: the one's-complement sum of a correct segment is all ones.
fn verify_checksum(src_ip: Ipv4Addr, dst_ip: Ipv4Addr, bytes: &[u8]) -> Result<(), WireError> {
    let len = u16::try_from(bytes.len()).map_err(|_| WireError::TooLong { len: bytes.len() })?;
    let pseudo = Sum16BitWords::new()
        .add_4bytes(src_ip.octets())
        .add_4bytes(dst_ip.octets())
        .add_2bytes([0, 6])
        .add_2bytes(len.to_be_bytes());
    if pseudo.clone().add_slice(bytes).ones_complement() == 0 {
        return Ok(());
    }
    // The header is at least 20 bytes here; the checksum field is bytes 16 and 17.
    let found = u16::from_be_bytes([bytes[16], bytes[17]]);
    let expected = pseudo
        .add_slice(&bytes[..16])
        .add_slice(&bytes[18..])
        .ones_complement()
        .to_be();
    Err(WireError::BadChecksum { found, expected })
}
