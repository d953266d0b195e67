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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
    //# A TCP header, followed by any user data in the segment, is formatted as follows, using the
    //# style from [66]:
    pub fn decode(src_ip: Ipv4Addr, dst_ip: Ipv4Addr, bytes: &[u8]) -> Result<Packet, WireError> {
        let (header, payload) = TcpHeader::from_slice(bytes).map_err(|e| match e {
            HeaderSliceError::Len(l) => WireError::Truncated {
                needed: l.required_len,
                got: l.len,
            },
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
            //# The number of 32-bit words in the TCP header. This indicates where the data begins.
            //# The TCP header (even one including options) is an integer multiple of 32 bits long.
            HeaderSliceError::Content(HeaderError::DataOffsetTooSmall { data_offset }) => {
                WireError::BadDataOffset { data_offset }
            }
        })?;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# The TCP checksum is never optional. The sender MUST generate it (MUST-2) and the
        //# receiver MUST check it (MUST-3).
        verify_checksum(src_ip, dst_ip, bytes)?;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# Options: [TCP Option]; size(Options) == (DOffset-5)*32; present only when DOffset > 5.
        let mss = options::parse(header.options.as_slice())?;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# Must be zero in generated segments and must be ignored in received segments if the
        //# corresponding future features are not implemented by the sending or receiving host.
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
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
                //# The number of data octets beginning with the one indicated in the acknowledgment
                //# field that the sender of this segment is willing to accept.
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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
    //# Must be zero in generated segments
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
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# The sender MUST generate it (MUST-2)
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# The checksum field is the 16-bit ones' complement of the ones' complement sum of all
        //# 16-bit words in the header and text. The checksum computation needs to ensure the 16-bit
        //# alignment of the data being summed. If a segment contains an odd number of header and
        //# text octets, alignment can be achieved by padding the last octet with zeros on its right
        //# to form a 16-bit word for checksum purposes. The pad is not transmitted as part of the
        //# segment. While computing the checksum, the checksum field itself is replaced with zeros.
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
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//# and the receiver MUST check it (MUST-3).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
//# The checksum also covers a pseudo-header (Figure 2) conceptually prefixed to the TCP header. The
//# pseudo-header is 96 bits for IPv4 and 320 bits for IPv6. Including the pseudo-header in the
//# checksum gives the TCP connection protection against misrouted segments.
fn verify_checksum(src_ip: Ipv4Addr, dst_ip: Ipv4Addr, bytes: &[u8]) -> Result<(), WireError> {
    let len = u16::try_from(bytes.len()).map_err(|_| WireError::TooLong { len: bytes.len() })?;
    let pseudo = Sum16BitWords::new()
        .add_4bytes(src_ip.octets())
        .add_4bytes(dst_ip.octets())
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# PTCL: the protocol number from the IP header
        .add_2bytes([0, 6])
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
        //# TCP Length: the TCP header length plus the data length in octets (this is not an
        //# explicitly transmitted quantity but is computed), and it does not count the 12 octets of
        //# the pseudo-header.
        .add_2bytes(len.to_be_bytes());
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.1
    //# All options are included in the checksum.
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
