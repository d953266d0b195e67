//! Transitions chosen with intent, from the reference TCB: the exact segment a correct peer
//! would send next, the same with one field off (left edge, right edge, just outside the
//! window, stale and wrong ACKs), SYN / RST / FIN in every state, duplicates of earlier
//! segments, partial ACKs, text that straddles RCV.NXT or the right edge, user calls and
//! timer expiry. Weighted so that every state is reached often: the coverage table in
//! `tests/single_endpoint.rs` measures it.

use super::reference::{RefState, Transition};
use proptest::prelude::*;
use proptest::sample::select;
use synfin_model::script::Call;
use synfin_model::{Flags, Segment, Seq, State};

/// Where SEG.SEQ lies relative to what the endpoint expects next.
#[derive(Clone, Copy, Debug)]
pub enum SeqAt {
    /// RCV.NXT (or the peer's ISS before any SYN was received): the left edge.
    Next,
    /// One before the left edge: an old duplicate, or with two or more octets of text a
    /// segment that straddles RCV.NXT (old and new octets in one segment).
    BeforeLeft,
    /// The last octet inside the window.
    RightEdge,
    /// The first octet past the window.
    PastRight,
    /// Half the sequence space away.
    Far,
    Any(u32),
}

/// What SEG.ACK acknowledges.
#[derive(Clone, Copy, Debug)]
pub enum AckAt {
    /// SND.NXT: everything sent.
    Nxt,
    /// SND.UNA: a duplicate ACK.
    Una,
    /// SND.UNA - 1: a stale ACK.
    BeforeUna,
    /// SND.NXT + 1: acknowledges something not yet sent.
    PastNxt,
    /// Older than SND.UNA - MAX.SND.WND (RFC 5961 §5.2).
    TooOld,
    /// ISS: unacceptable in SYN-SENT and SYN-RECEIVED.
    Iss,
    /// SND.UNA + 1: a partial ACK when more than one octet is outstanding.
    Partial,
    /// SND.NXT - 1: with our FIN sent, everything but the FIN (the data acknowledged).
    AllButFin,
    Any(u32),
}

/// The sequence number a correct peer uses next.
pub fn next_seq(s: &RefState) -> Seq {
    match s.tcb.state {
        State::Closed | State::Listen | State::SynSent => s.peer_iss,
        _ => s.tcb.rcv_nxt,
    }
}

pub fn seq_at(s: &RefState, at: SeqAt) -> Seq {
    let next = next_seq(s);
    let wnd = s.profile.window;
    match at {
        SeqAt::Next => next,
        SeqAt::BeforeLeft => Seq(next.0.wrapping_sub(1)),
        SeqAt::RightEdge => next.add(wnd - 1),
        SeqAt::PastRight => next.add(wnd),
        SeqAt::Far => next.add(1 << 31),
        SeqAt::Any(v) => Seq(v),
    }
}

pub fn ack_at(s: &RefState, at: AckAt) -> Seq {
    let t = &s.tcb;
    match at {
        AckAt::Nxt => t.snd_nxt,
        AckAt::Una => t.snd_una,
        AckAt::BeforeUna => Seq(t.snd_una.0.wrapping_sub(1)),
        AckAt::PastNxt => t.snd_nxt.add(1),
        AckAt::TooOld => Seq(t.snd_una.0.wrapping_sub(s.profile.window + 1)),
        AckAt::Iss => t.iss,
        AckAt::Partial => t.snd_una.add(1),
        AckAt::AllButFin => Seq(t.snd_nxt.0.wrapping_sub(1)),
        AckAt::Any(v) => Seq(v),
    }
}

const FLAGS: [Flags; 10] = [
    Flags::ACK,
    Flags::SYN,
    Flags::SYN_ACK,
    Flags::FIN_ACK,
    Flags::RST,
    Flags::RST_ACK,
    Flags::FIN,
    Flags::NONE,
    Flags(Flags::SYN.0 | Flags::FIN.0),
    Flags(Flags::RST.0 | Flags::ACK.0 | Flags::FIN.0),
];

fn seq_strategy() -> impl Strategy<Value = SeqAt> {
    prop_oneof![
        6 => Just(SeqAt::Next),
        2 => Just(SeqAt::BeforeLeft),
        2 => Just(SeqAt::RightEdge),
        2 => Just(SeqAt::PastRight),
        1 => Just(SeqAt::Far),
        1 => any::<u32>().prop_map(SeqAt::Any),
    ]
}

fn ack_strategy() -> impl Strategy<Value = AckAt> {
    prop_oneof![
        6 => Just(AckAt::Nxt),
        2 => Just(AckAt::Una),
        1 => Just(AckAt::BeforeUna),
        2 => Just(AckAt::PastNxt),
        1 => Just(AckAt::TooOld),
        1 => Just(AckAt::Iss),
        1 => Just(AckAt::Partial),
        1 => Just(AckAt::AllButFin),
        1 => any::<u32>().prop_map(AckAt::Any),
    ]
}

/// The segment a correct peer would send next in the endpoint's state: a SYN to a LISTEN, a
/// SYN,ACK to a SYN-SENT, an ACK of everything (with a byte, or a FIN) to the others.
fn expected(s: &RefState) -> BoxedStrategy<Segment> {
    let (seq, ack) = (next_seq(s), s.tcb.snd_nxt);
    let una = s.tcb.snd_una;
    let candidates: Vec<(u32, Segment)> = match s.tcb.state {
        State::Closed | State::Listen => vec![(1, Segment::new(Flags::SYN, seq, ack))],
        State::SynSent => vec![
            (3, Segment::new(Flags::SYN_ACK, seq, ack)),
            (1, Segment::new(Flags::SYN, seq, ack)),
        ],
        // The peer may not have seen our latest segment yet (simultaneous close, Figure 13):
        // its ACK is then SND.UNA.
        _ => vec![
            (3, Segment::new(Flags::ACK, seq, ack)),
            (2, Segment::new(Flags::ACK, seq, ack).with_len(1)),
            (1, Segment::new(Flags::FIN_ACK, seq, ack)),
            (1, Segment::new(Flags::FIN_ACK, seq, ack).with_len(1)),
            (1, Segment::new(Flags::FIN_ACK, seq, una)),
            (1, Segment::new(Flags::ACK, seq, una).with_len(1)),
            // An old octet again (its ACK was lost): wholly left of the window.
            (
                1,
                Segment::new(Flags::ACK, Seq(seq.0.wrapping_sub(1)), ack).with_len(1),
            ),
            // Text that straddles RCV.NXT: one old octet, one or two new.
            (
                1,
                Segment::new(Flags::ACK, Seq(seq.0.wrapping_sub(1)), ack).with_len(2),
            ),
            (
                1,
                Segment::new(Flags::FIN_ACK, Seq(seq.0.wrapping_sub(1)), ack).with_len(3),
            ),
            // Partial ACKs: the first octet outstanding, or all but our FIN.
            (1, Segment::new(Flags::ACK, seq, una.add(1))),
            (1, Segment::new(Flags::ACK, seq, Seq(ack.0.wrapping_sub(1)))),
            (
                1,
                Segment::new(Flags::FIN_ACK, seq, Seq(ack.0.wrapping_sub(1))),
            ),
        ],
    };
    let options: Vec<_> = candidates
        .into_iter()
        .map(|(w, seg)| (w, Just(seg).boxed()))
        .collect();
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// Any combination of control bits, SEQ and ACK positions, and 0 to 3 octets of text.
fn crafted(s: &RefState) -> BoxedStrategy<Segment> {
    let s = s.clone();
    (
        select(FLAGS.to_vec()),
        seq_strategy(),
        ack_strategy(),
        prop_oneof![6 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)],
    )
        .prop_map(move |(f, sa, aa, len)| {
            Segment::new(f, seq_at(&s, sa), ack_at(&s, aa)).with_len(len)
        })
        .boxed()
}

/// Whether a SEND is compared here: not before ESTABLISHED (the model does not queue), and
/// only with room in the peer's window (the model has no send window).
pub fn send_fits(s: &RefState) -> bool {
    !matches!(
        s.tcb.state,
        State::Listen | State::SynSent | State::SynReceived
    ) && s.unacked_octets() < s.profile.window
}

/// A user call. SEND only where [`send_fits`] (see `Reference::preconditions`), so that
/// generation rejects nothing.
fn call(s: &RefState) -> BoxedStrategy<Call> {
    let send = if send_fits(s) { 3 } else { 0 };
    let options: Vec<(u32, BoxedStrategy<Call>)> = [
        (3, Call::OpenPassive),
        (3, Call::OpenActive),
        (send, Call::Send),
        (5, Call::Close),
        (1, Call::Abort),
    ]
    .into_iter()
    .filter(|(w, _)| *w > 0)
    .map(|(w, c)| (w, Just(c).boxed()))
    .collect();
    proptest::strategy::Union::new_weighted(options).boxed()
}

/// The next transition from `s`.
pub fn transition(s: &RefState) -> BoxedStrategy<Transition> {
    let closed = s.tcb.state == State::Closed;
    let mut options: Vec<(u32, BoxedStrategy<Transition>)> = vec![
        (
            if closed { 6 } else { 3 },
            call(s).prop_map(Transition::Call).boxed(),
        ),
        (8, expected(s).prop_map(Transition::Arrive).boxed()),
        (5, crafted(s).prop_map(Transition::Arrive).boxed()),
    ];
    if !s.arrived.is_empty() {
        let earlier = select(s.arrived.clone()).prop_map(Transition::Duplicate);
        options.push((1, earlier.boxed()));
    }
    if s.timer_armed() {
        options.push((2, Just(Transition::Timeout).boxed()));
    }
    proptest::strategy::Union::new_weighted(options).boxed()
}
