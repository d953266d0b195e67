//! The actions run on a fuzzed world, and the strategies for them, for the configuration
//! and for the initial sequence numbers.

use super::tamper::{tamper, Tamper};
use super::world::Who;
use proptest::prelude::*;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;
use synfin_tcp::{Config, Connection, Flags, Packet, Profile, Segment, SeqNum};

/// A socket that is neither endpoint.
const STRANGER: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 7), 1234);

/// A sequence number relative to the target's live receive variables, or anywhere.
#[derive(Clone, Copy, Debug)]
pub enum SeqAt {
    RcvNxt(i8),
    WndEnd(i8),
    Irs(i8),
    Any(u32),
}

/// An acknowledgment number relative to the target's live send variables, or anywhere.
#[derive(Clone, Copy, Debug)]
pub enum AckAt {
    SndUna(i8),
    SndNxt(i8),
    Iss(i8),
    Any(u32),
}

pub fn plus(n: SeqNum, d: i8) -> SeqNum {
    n + i32::from(d) as u32
}

/// A segment to build against the target's variables at the time it is sent.
#[derive(Clone, Debug)]
pub struct Spec {
    /// From a stranger rather than the peer.
    stranger: bool,
    /// To another port of the target's host.
    wrong_port: bool,
    flags: Flags,
    seq: SeqAt,
    ack: AckAt,
    window: u16,
    urgent: u16,
    mss: Option<u16>,
    payload: Vec<u8>,
}

impl Spec {
    pub fn resolve(&self, target: &Connection, peer: SocketAddrV4) -> Packet {
        let t = target.tcb();
        let local = target.local();
        let seq = match self.seq {
            SeqAt::RcvNxt(d) => plus(t.rcv_nxt, d),
            SeqAt::WndEnd(d) => plus(t.rcv_nxt + t.rcv_wnd, d),
            SeqAt::Irs(d) => plus(t.irs, d),
            SeqAt::Any(v) => SeqNum(v),
        };
        let ack = match self.ack {
            AckAt::SndUna(d) => plus(t.snd_una, d),
            AckAt::SndNxt(d) => plus(t.snd_nxt, d),
            AckAt::Iss(d) => plus(t.iss, d),
            AckAt::Any(v) => SeqNum(v),
        };
        Packet {
            src: if self.stranger { STRANGER } else { peer },
            dst: if self.wrong_port {
                SocketAddrV4::new(*local.ip(), local.port().wrapping_add(1))
            } else {
                local
            },
            segment: Segment {
                seq,
                ack,
                flags: self.flags,
                window: self.window,
                urgent: self.urgent,
                mss: self.mss,
                payload: self.payload.clone(),
            },
        }
    }
}

#[derive(Clone, Debug)]
pub enum Call {
    OpenActive,
    OpenPassive(bool),
    Send(usize),
    Recv(usize),
    Close,
    Abort,
}

#[derive(Clone, Debug)]
pub enum Action {
    /// A built segment, handed over parsed (`handle_packet`).
    Packet(Spec),
    /// A built segment, encoded and handed over as bytes, with one octet XORed if given.
    Bytes(Spec, Option<(prop::sample::Index, u8)>),
    /// Arbitrary bytes from the peer's address.
    Garbage(Vec<u8>),
    /// The next packet in flight to `who`, through the codec.
    Deliver(Who),
    /// The next packet in flight to `who` is lost.
    Lose(Who),
    /// Something the peer sent earlier, again.
    Replay(prop::sample::Index),
    /// Something the peer sent earlier with fields changed, re-encoded (so with a correct
    /// checksum) and handed over as bytes.
    Tampered(prop::sample::Index, Vec<Tamper>),
    Call(Who, Call),
    /// Time passes by this many milliseconds; both endpoints' timers are run.
    Advance(u64),
    /// The clock jumps to the earliest deadline; both endpoints' timers are run.
    FireNext,
}

pub fn near() -> impl Strategy<Value = i8> {
    -4i8..=4
}

pub fn seq_at() -> impl Strategy<Value = SeqAt> {
    prop_oneof![
        4 => near().prop_map(SeqAt::RcvNxt),
        2 => near().prop_map(SeqAt::WndEnd),
        1 => near().prop_map(SeqAt::Irs),
        1 => any::<u32>().prop_map(SeqAt::Any),
    ]
}

pub fn ack_at() -> impl Strategy<Value = AckAt> {
    prop_oneof![
        3 => near().prop_map(AckAt::SndUna),
        3 => near().prop_map(AckAt::SndNxt),
        1 => near().prop_map(AckAt::Iss),
        1 => any::<u32>().prop_map(AckAt::Any),
    ]
}

pub fn flags() -> impl Strategy<Value = Flags> {
    let common = [
        Flags::ACK,
        Flags::SYN,
        Flags::SYN | Flags::ACK,
        Flags::RST,
        Flags::RST | Flags::ACK,
        Flags::FIN | Flags::ACK,
        Flags::PSH | Flags::ACK,
        Flags::FIN | Flags::PSH | Flags::ACK,
    ];
    prop_oneof![
        3 => proptest::sample::select(common.to_vec()),
        1 => any::<u8>().prop_map(Flags),
    ]
}

pub fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::bool::weighted(0.05),
        prop::bool::weighted(0.05),
        flags(),
        seq_at(),
        ack_at(),
        prop_oneof![3 => Just(65535u16), 1 => Just(0u16), 1 => any::<u16>()],
        prop_oneof![4 => Just(0u16), 1 => any::<u16>()],
        prop_oneof![3 => Just(None), 1 => any::<Option<u16>>()],
        proptest::collection::vec(any::<u8>(), 0..=4),
    )
        .prop_map(
            |(stranger, wrong_port, flags, seq, ack, window, urgent, mss, payload)| Spec {
                stranger,
                wrong_port,
                flags,
                seq,
                ack,
                window,
                urgent,
                mss,
                payload,
            },
        )
}

pub fn who() -> impl Strategy<Value = Who> {
    prop_oneof![3 => Just(Who::Target), 1 => Just(Who::Peer)]
}

pub fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        1 => Just(Call::OpenActive),
        1 => any::<bool>().prop_map(Call::OpenPassive),
        2 => (0usize..=24).prop_map(Call::Send),
        2 => (0usize..=8).prop_map(Call::Recv),
        1 => Just(Call::Close),
        1 => Just(Call::Abort),
    ]
}

pub fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        6 => spec().prop_map(Action::Packet),
        3 => (spec(), proptest::option::weighted(0.3, (any::<prop::sample::Index>(), 1u8..)))
            .prop_map(|(s, c)| Action::Bytes(s, c)),
        1 => proptest::collection::vec(any::<u8>(), 0..48).prop_map(Action::Garbage),
        4 => who().prop_map(Action::Deliver),
        1 => who().prop_map(Action::Lose),
        1 => any::<prop::sample::Index>().prop_map(Action::Replay),
        2 => (any::<prop::sample::Index>(), proptest::collection::vec(tamper(), 1..3))
            .prop_map(|(i, m)| Action::Tampered(i, m)),
        3 => (who(), call()).prop_map(|(w, c)| Action::Call(w, c)),
        1 => prop_oneof![0u64..10, 0u64..3_000, 0u64..400_000].prop_map(Action::Advance),
        1 => Just(Action::FireNext),
    ]
}

pub fn config() -> impl Strategy<Value = Config> {
    (
        prop_oneof![Just(Profile::Rfc5961), Just(Profile::Rfc793)],
        any::<bool>(),
        prop_oneof![
            Just(Duration::from_millis(500)),
            Just(Duration::from_secs(120))
        ],
        prop_oneof![Just(0u32), Just(1), Just(7)],
        prop_oneof![Just(1u32), Just(10)],
        prop_oneof![Just(1u16), Just(536), Just(1460)],
        prop_oneof![Just(3u16), Just(65535)],
        prop_oneof![Just(8usize), Just(65536)],
    )
        .prop_map(
            |(profile, rfc1337, msl, syn_retries, retries, mss, recv_buffer, send_buffer)| Config {
                profile,
                rfc1337,
                msl,
                syn_retries,
                retries,
                mss,
                recv_buffer,
                send_buffer,
                ..Config::default()
            },
        )
}

pub fn isn() -> impl Strategy<Value = u32> {
    prop_oneof![
        proptest::sample::select(vec![
            0u32,
            100,
            u32::MAX,
            u32::MAX - 3,
            (1 << 31) - 2,
            1 << 31
        ]),
        any::<u32>(),
    ]
}
