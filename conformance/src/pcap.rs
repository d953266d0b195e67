//! A model trace as a packet capture: the segments of a [`Step`] list as the IPv4 datagrams a
//! sniffer between the two hosts would have seen, in a classic pcap file that Wireshark,
//! tshark and tcpdump read.
//!
//! One packet per delivery, that is per step in which a segment arrives at a host (RFC 9293
//! §3.5's "arrival of a segment"); a segment the network loses never arrives and is not in the
//! capture, and a sent segment appears when it is delivered, so a segment delivered twice
//! (a duplicate) appears twice. The segment goes through the same wire codec as everywhere
//! else ([`crate::abstraction::wire`], then [`synfin_tcp::Packet::encode_into`]): a TCP header
//! with the checksum over the IPv4 pseudo-header (§3.1, MUST-2), the window the endpoint
//! advertises (its default receive buffer, 65535), the MSS option on SYNs (§3.7.1), and the
//! model's data octets as `x`s. Around it, an IPv4 header (TTL 64, DF, header checksum) from
//! A = 192.0.2.1 port 40000 to B = 192.0.2.2 port 80 and back ([`ADDR_A`], [`ADDR_B`]: the
//! addresses of `synfin-tcp`'s pair harness, RFC 5737 documentation addresses).
//!
//! The link type is LINKTYPE_RAW (101): each record is an IPv4 datagram, no Ethernet header.
//! Timestamps make the file deterministic and line up with the step numbers of `synfin trace`:
//! the `n`-th step (numbered from 1, as the text diagram numbers them) is at [`EPOCH_SECS`] +
//! `n` seconds, 2026-01-01T00:00:00Z + `n` s. The model has no clock; the seconds are only an
//! order.

use crate::abstraction;
use etherparse::{IpNumber, Ipv4Header};
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::{DataLink, Endianness, TsResolution};
use std::time::Duration;
use synfin_model::trace::Step;
use synfin_model::TcpModel;
use synfin_tcp::Packet;

pub use synfin_tcp::pair::{ADDR_A, ADDR_B};

/// 2026-01-01T00:00:00Z as seconds since the Unix epoch: step `n`'s packet is at this plus `n`.
pub const EPOCH_SECS: u64 = 1_767_225_600;

/// The window every captured segment advertises: the endpoint's default receive buffer, all
/// of it free (the model's hosts keep their windows open).
pub const WINDOW: u16 = 65535;

/// The capture's snapshot length: whole datagrams.
const SNAPLEN: u32 = 65535;

/// The deliveries of `steps` (a trace of `model`, as [`synfin_model::trace::steps`] or
/// [`crate::scenario::model_steps`] give it) as a classic pcap file (little-endian,
/// microsecond timestamps, LINKTYPE_RAW): one IPv4/TCP datagram per segment that arrives at a
/// host, with valid IPv4 and TCP checksums.
///
/// `Err` if a step's actor is neither one of the model's hosts nor the network, if a delivery
/// names a sender that is not the other host, if a segment does not encode, or if the pcap
/// writer fails.
pub fn capture(model: &TcpModel, steps: &[Step]) -> Result<Vec<u8>, String> {
    let names = model.cfg().names;
    let header = PcapHeader {
        version_major: 2,
        version_minor: 4,
        ts_correction: 0,
        ts_accuracy: 0,
        snaplen: SNAPLEN,
        datalink: DataLink::RAW,
        ts_resolution: TsResolution::MicroSecond,
        endianness: Endianness::Little,
    };
    let mut writer =
        PcapWriter::with_header(Vec::new(), header).map_err(|e| format!("pcap header: {e}"))?;
    for (n, step) in steps.iter().enumerate() {
        let at = |what: String| format!("step {} ({} {}): {what}", n + 1, step.actor, step.action);
        let Some((src, seg)) = step.segment else {
            continue;
        };
        let dst = match names.iter().position(|h| *h == step.actor) {
            Some(dst) => dst,
            // A loss: nothing arrives, nothing on the capture.
            None if step.actor == "network" => continue,
            None => return Err(at("the actor is neither a host nor the network".into())),
        };
        if src > 1 || src == dst {
            return Err(at(format!(
                "a segment from host {src} cannot arrive at host {dst}"
            )));
        }
        let (from, to) = if src == 0 {
            (ADDR_A, ADDR_B)
        } else {
            (ADDR_B, ADDR_A)
        };
        let packet = Packet {
            src: from,
            dst: to,
            segment: abstraction::wire(&seg, WINDOW),
        };
        let datagram = ipv4(&packet).map_err(&at)?;
        let secs = EPOCH_SECS + n as u64 + 1;
        let len = u32::try_from(datagram.len()).map_err(|_| at("datagram too long".into()))?;
        writer
            .write_packet(&PcapPacket::new(Duration::from_secs(secs), len, &datagram))
            .map_err(|e| at(format!("pcap record: {e}")))?;
    }
    Ok(writer.into_writer())
}

/// `packet` as one IPv4 datagram: a 20-byte header (TTL 64, DF, protocol TCP, checksum set)
/// and the encoded TCP segment, in one buffer.
fn ipv4(packet: &Packet) -> Result<Vec<u8>, String> {
    let len = u16::try_from(packet.encoded_len())
        .map_err(|_| "TCP segment too long for IPv4".to_string())?;
    let mut h = Ipv4Header::new(
        len,
        64,
        IpNumber::TCP,
        packet.src.ip().octets(),
        packet.dst.ip().octets(),
    )
    .map_err(|e| e.to_string())?;
    h.dont_fragment = true;
    h.header_checksum = h.calc_header_checksum();
    let mut out = Vec::with_capacity(h.header_len() + usize::from(len));
    out.extend_from_slice(&h.to_bytes());
    packet
        .encode_into(&mut out)
        .map_err(|e| format!("the segment does not encode: {e}"))?;
    Ok(out)
}
