//! One change to a parsed packet, and its strategy: used on real segments by
//! `fuzz_decode.rs` and on the peer's earlier segments by the live-endpoint fuzz.

use proptest::prelude::*;
use synfin_tcp::{Flags, Packet, SeqNum};

/// One change to a packet.
#[derive(Clone, Debug)]
pub enum Tamper {
    SrcIp([u8; 4]),
    DstIp([u8; 4]),
    SrcPort(u16),
    DstPort(u16),
    Seq(u32),
    Ack(u32),
    FlipFlags(u8),
    Window(u16),
    Urgent(u16),
    Mss(Option<u16>),
    Payload(Vec<u8>),
}

pub fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(Tamper::SrcIp),
        any::<[u8; 4]>().prop_map(Tamper::DstIp),
        any::<u16>().prop_map(Tamper::SrcPort),
        any::<u16>().prop_map(Tamper::DstPort),
        any::<u32>().prop_map(Tamper::Seq),
        any::<u32>().prop_map(Tamper::Ack),
        any::<u8>().prop_map(Tamper::FlipFlags),
        any::<u16>().prop_map(Tamper::Window),
        any::<u16>().prop_map(Tamper::Urgent),
        any::<Option<u16>>().prop_map(Tamper::Mss),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(Tamper::Payload),
    ]
}

pub fn apply(p: &mut Packet, m: &Tamper) {
    let s = &mut p.segment;
    match m {
        Tamper::SrcIp(ip) => p.src.set_ip((*ip).into()),
        Tamper::DstIp(ip) => p.dst.set_ip((*ip).into()),
        Tamper::SrcPort(port) => p.src.set_port(*port),
        Tamper::DstPort(port) => p.dst.set_port(*port),
        Tamper::Seq(v) => s.seq = SeqNum(*v),
        Tamper::Ack(v) => s.ack = SeqNum(*v),
        Tamper::FlipFlags(f) => s.flags = Flags(s.flags.0 ^ f),
        Tamper::Window(w) => s.window = *w,
        Tamper::Urgent(u) => s.urgent = *u,
        Tamper::Mss(mss) => s.mss = *mss,
        Tamper::Payload(bytes) => s.payload = bytes.clone(),
    }
}
