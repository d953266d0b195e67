//! The abstraction function from the endpoint to the model: states, segments, events and the
//! transmission control block, each mapped onto the model's vocabulary. What the model does
//! not represent (window, urgent pointer, options, PSH, payload bytes) is dropped here, and
//! nowhere else.

use synfin_model::rules::Event as MEvent;
use synfin_model::{Flags as MFlags, Segment as MSegment, Seq, State as MState, Tcb as MTcb};
use synfin_tcp::{CallError, Connection, Event, Flags, Segment, SeqNum, State};

/// The model's name for an endpoint state (both follow RFC 9293 §3.3.2).
pub fn state(s: State) -> MState {
    match s {
        State::Closed => MState::Closed,
        State::Listen => MState::Listen,
        State::SynSent => MState::SynSent,
        State::SynReceived => MState::SynReceived,
        State::Established => MState::Established,
        State::FinWait1 => MState::FinWait1,
        State::FinWait2 => MState::FinWait2,
        State::CloseWait => MState::CloseWait,
        State::Closing => MState::Closing,
        State::LastAck => MState::LastAck,
        State::TimeWait => MState::TimeWait,
    }
}

pub fn seq(s: SeqNum) -> Seq {
    Seq(s.0)
}

/// The model's view of a segment: SYN, ACK, FIN and RST, SEQ, ACK (0 without the ACK bit) and
/// the payload length. PSH, URG, ECE, CWR, window, urgent pointer and options are dropped.
/// `None` for a payload longer than the model's `u8` length can say.
pub fn segment(s: &Segment) -> Option<MSegment> {
    let mut f = MFlags::NONE;
    for (ours, theirs) in [
        (Flags::SYN, MFlags::SYN),
        (Flags::ACK, MFlags::ACK),
        (Flags::FIN, MFlags::FIN),
        (Flags::RST, MFlags::RST),
    ] {
        if s.flags.contains(ours) {
            f = f.with(theirs);
        }
    }
    let len = u8::try_from(s.payload.len()).ok()?;
    Some(MSegment::new(f, seq(s.seq), seq(s.ack)).with_len(len))
}

/// A wire segment for a model segment: the model's window (`window`, both ends keep it open),
/// an MSS option on SYNs, and `len` octets of payload.
pub fn wire(s: &MSegment, window: u16) -> Segment {
    let mut flags = Flags::NONE;
    for (theirs, ours) in [
        (MFlags::SYN, Flags::SYN),
        (MFlags::ACK, Flags::ACK),
        (MFlags::FIN, Flags::FIN),
        (MFlags::RST, Flags::RST),
    ] {
        if s.flags.has(theirs) {
            flags = Flags(flags.0 | ours.0);
        }
    }
    Segment {
        seq: SeqNum(s.seq.0),
        ack: SeqNum(s.ack.0),
        flags,
        window,
        urgent: 0,
        mss: s.syn().then_some(1460),
        payload: vec![b'x'; s.len as usize],
    }
}

/// The model's event for an endpoint event (RFC 9293 §3.9.1 names both).
pub fn event(e: Event) -> MEvent {
    match e {
        Event::Connected => MEvent::Connected,
        Event::Readable => MEvent::Data,
        Event::PeerClosed => MEvent::Closing,
        Event::Reset => MEvent::Reset,
        Event::Refused => MEvent::Refused,
        Event::TimedOut => MEvent::TimedOut,
        Event::Closed => MEvent::Closed,
    }
}

/// The model's event for a refused user call. `None` for errors the model's calls cannot
/// produce (an unspecified foreign socket, a full send buffer).
pub fn call_error(e: CallError) -> Option<MEvent> {
    match e {
        CallError::ConnectionExists => Some(MEvent::ErrorExists),
        CallError::ConnectionDoesNotExist => Some(MEvent::ErrorNoConnection),
        CallError::ConnectionClosing => Some(MEvent::ErrorClosing),
        CallError::ForeignSocketUnspecified | CallError::InsufficientResources => None,
    }
}

/// The model's TCB for an endpoint that has handed `delivered` octets to its user.
/// `retries_left` and `retry_budget` are the model's bookkeeping (the endpoint counts
/// retransmissions per segment and does not expose the count); they are taken from `like`.
pub fn tcb(c: &Connection, delivered: u32, like: &MTcb) -> MTcb {
    let t = c.tcb();
    MTcb {
        state: state(c.state()),
        iss: seq(t.iss),
        snd_una: seq(t.snd_una),
        snd_nxt: seq(t.snd_nxt),
        irs: seq(t.irs),
        rcv_nxt: seq(t.rcv_nxt),
        passive: c.is_passive(),
        retries_left: like.retries_left,
        retry_budget: like.retry_budget,
        fin_sent: c.fin_sent(),
        fin_rcvd: c.fin_received(),
        delivered: delivered.min(u32::from(u8::MAX)) as u8,
    }
}
