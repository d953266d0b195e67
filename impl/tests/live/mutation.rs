//! One change to a parsed packet, and its strategy: used on real segments by
//! `fuzz_decode.rs` and on the peer's earlier segments by the live-endpoint fuzz.

use proptest::prelude::*;
use synfin_tcp::{Flags, Packet, SeqNum};

/// One change to a packet.
#[derive(Clone, Debug)]
pub enum Mutation {
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

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(Mutation::SrcIp),
        any::<[u8; 4]>().prop_map(Mutation::DstIp),
        any::<u16>().prop_map(Mutation::SrcPort),
        any::<u16>().prop_map(Mutation::DstPort),
        any::<u32>().prop_map(Mutation::Seq),
        any::<u32>().prop_map(Mutation::Ack),
        any::<u8>().prop_map(Mutation::FlipFlags),
        any::<u16>().prop_map(Mutation::Window),
        any::<u16>().prop_map(Mutation::Urgent),
        any::<Option<u16>>().prop_map(Mutation::Mss),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(Mutation::Payload),
    ]
}

pub fn apply(p: &mut Packet, m: &Mutation) {
    let s = &mut p.segment;
    match m {
        Mutation::SrcIp(ip) => p.src.set_ip((*ip).into()),
        Mutation::DstIp(ip) => p.dst.set_ip((*ip).into()),
        Mutation::SrcPort(port) => p.src.set_port(*port),
        Mutation::DstPort(port) => p.dst.set_port(*port),
        Mutation::Seq(v) => s.seq = SeqNum(*v),
        Mutation::Ack(v) => s.ack = SeqNum(*v),
        Mutation::FlipFlags(f) => s.flags = Flags(s.flags.0 ^ f),
        Mutation::Window(w) => s.window = *w,
        Mutation::Urgent(u) => s.urgent = *u,
        Mutation::Mss(mss) => s.mss = *mss,
        Mutation::Payload(bytes) => s.payload = bytes.clone(),
    }
}
