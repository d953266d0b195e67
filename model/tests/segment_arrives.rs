//! SEGMENT ARRIVES (RFC 9293 §3.10.7), one test per case, against the pure rules.
//!
//! The oracle is the RFC 9293 text, with RFC 5961 (the default profile) and RFC 1337 where
//! named. Each test checks the resulting state, the exact segment sent (or that none is), and
//! the user-visible events. Many tests put sequence numbers across the 2^32 wrap.
//!
//! One deliberate choice of the model is tested as such: in SYN-RECEIVED a SYN,ACK whose SYN
//! was already received is unacceptable by Table 6 (its only octet is old) and draws an ACK;
//! the model follows the §3.10.7.4 text rather than the drawing of Figure 7.

use synfin_model::rules::{self, Event, Events, Outcome};
use synfin_model::{Flags, Reading, Rfc, Segment, Seq, State, Tcb};

mod common;
use common::tcb_in;
const WND: u32 = 65535;

fn seg(flags: Flags, seq: u32, ack: u32) -> Segment {
    Segment::new(flags, Seq(seq), Seq(ack))
}

fn data(flags: Flags, seq: Seq, ack: Seq) -> Segment {
    Segment::new(flags, seq, ack).with_len(1)
}

fn arrive(t: &Tcb, s: Segment) -> Outcome {
    rules::segment_arrives(t, &s, &Reading::default())
}

fn arrive_with(t: &Tcb, s: Segment, p: Reading) -> Outcome {
    rules::segment_arrives(t, &s, &p)
}

fn rfc793() -> Reading {
    Reading {
        rfc: Rfc::Rfc793,
        ..Reading::default()
    }
}

fn events(list: &[Event]) -> Events {
    let mut e = Events::NONE;
    for &x in list {
        e.add(x);
    }
    e
}

/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> of `t`.
fn ack_of(t: &Tcb) -> Segment {
    Segment::new(Flags::ACK, t.snd_nxt, t.rcv_nxt)
}

/// The segment was dropped: nothing changed, nothing sent, nothing signalled.
#[track_caller]
fn assert_dropped(out: &Outcome, before: &Tcb) {
    assert_eq!(out.tcb, *before, "TCB must not change");
    assert_eq!(out.send, None, "nothing may be sent");
    assert!(out.events.is_empty(), "no events: {:?}", out.events);
}

/// The segment was dropped with `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>` in reply.
#[track_caller]
fn assert_acked_and_dropped(out: &Outcome, before: &Tcb) {
    assert_eq!(out.tcb, *before, "TCB must not change");
    assert_eq!(out.send, Some(ack_of(before)));
    assert_eq!(out.send.unwrap().len, 0);
    assert!(out.events.is_empty(), "no events: {:?}", out.events);
}

// =============================================================================================
// §3.10.7.1 CLOSED
// =============================================================================================

/// RFC 9293 §3.10.7.1: "An incoming segment containing a RST is discarded."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# An incoming segment containing a RST is discarded.
#[test]
fn closed_rst_is_discarded() {
    let t = tcb_in(State::Closed, 100, 0);
    assert_dropped(&arrive(&t, seg(Flags::RST, 5, 0)), &t);
    assert_dropped(&arrive(&t, seg(Flags::RST_ACK, 5, 9)), &t);
    assert_dropped(&arrive(&t, data(Flags::RST_ACK, Seq(5), Seq(9))), &t);
}

/// RFC 9293 §3.10.7.1: "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the connection does not exist (CLOSED), then a reset is sent in response to any incoming
//# segment except another reset.
#[test]
fn closed_ack_draws_rst_seq_seg_ack() {
    let t = tcb_in(State::Closed, 100, 0);
    for (s, ack) in [
        (seg(Flags::ACK, 300, u32::MAX), u32::MAX),
        (seg(Flags::SYN_ACK, 300, 0), 0),
        (data(Flags::FIN_ACK, Seq(7), Seq(42)), 42),
    ] {
        let out = arrive(&t, s);
        assert_eq!(out.tcb, t);
        assert_eq!(out.send, Some(seg(Flags::RST, ack, 0)), "{s:?}");
        assert_eq!(out.send.unwrap().len, 0);
        assert!(out.events.is_empty());
    }
}

/// RFC 9293 §3.10.7.1: "If the ACK bit is off, sequence number zero is used,
/// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" (SEG.LEN counts SYN and FIN).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# A SYN segment that does not match an existing connection is rejected by this means.
#[test]
fn closed_no_ack_draws_rst_ack() {
    let t = tcb_in(State::Closed, 100, 0);
    for (s, ack) in [
        // A SYN at 2^32-1: SEG.SEQ+SEG.LEN wraps to 0.
        (seg(Flags::SYN, u32::MAX, 0), 0),
        (data(Flags::FIN, Seq(10), Seq(0)), 12),
        (data(Flags::NONE, Seq(u32::MAX), Seq(0)), 0),
        (seg(Flags::NONE, 20, 0), 20),
    ] {
        let out = arrive(&t, s);
        assert_eq!(out.tcb, t);
        assert_eq!(out.send, Some(seg(Flags::RST_ACK, 0, ack)), "{s:?}");
        assert_eq!(out.send.unwrap().len, 0);
        assert!(out.events.is_empty());
    }
}

// =============================================================================================
// §3.10.7.2 LISTEN
// =============================================================================================

/// RFC 9293 §3.10.7.2 first: "An incoming RST segment could not be valid ... should be ignored."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# An incoming RST should be ignored. Return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# If the receiver was in the LISTEN state, it ignores it.
#[test]
fn listen_rst_ignored() {
    let t = tcb_in(State::Listen, 100, 0);
    assert_dropped(&arrive(&t, seg(Flags::RST, 300, 0)), &t);
    assert_dropped(&arrive(&t, seg(Flags::RST_ACK, 300, 101)), &t);
    assert_dropped(&arrive(&t, seg(Flags::RST.with(Flags::SYN), 300, 0)), &t);
}

/// RFC 9293 §3.10.7.2 second: any acknowledgment is bad in LISTEN: <SEQ=SEG.ACK><CTL=RST>.
/// The connection stays in LISTEN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# Any acknowledgment is bad if it arrives on a connection still in the LISTEN state. An acceptable
//# reset segment should be formed for any arriving ACK-bearing segment. The RST should be formatted
//# as follows: <SEQ=SEG.ACK><CTL=RST>
#[test]
fn listen_ack_draws_rst() {
    let t = tcb_in(State::Listen, 100, 0);
    for (s, ack) in [
        (seg(Flags::ACK, 300, 555), 555),
        (seg(Flags::SYN_ACK, 300, u32::MAX), u32::MAX),
        (seg(Flags::FIN_ACK, 300, 101), 101),
    ] {
        let out = arrive(&t, s);
        assert_eq!(out.tcb, t, "{s:?}");
        assert_eq!(out.tcb.state, State::Listen);
        assert_eq!(out.send, Some(seg(Flags::RST, ack, 0)), "{s:?}");
        assert!(out.events.is_empty());
    }
}

/// RFC 9293 §3.10.7.2 third: on a SYN, RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, send
/// <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SND.NXT = ISS+1, SND.UNA = ISS, enter SYN-RECEIVED.
/// ISS = IRS = 2^32-1: SND.NXT and RCV.NXT both wrap to 0.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ,
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# ISS should be selected and a SYN segment sent of the form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# SND.NXT is set to ISS+1 and SND.UNA to ISS. The connection state should be changed to
//# SYN-RECEIVED.
#[test]
fn listen_syn_enters_syn_received() {
    let t = tcb_in(State::Listen, u32::MAX, 0);
    let out = arrive(&t, seg(Flags::SYN, u32::MAX, 0));
    assert_eq!(out.tcb.state, State::SynReceived);
    assert!(out.tcb.passive);
    assert_eq!(out.tcb.irs, Seq(u32::MAX));
    assert_eq!(out.tcb.rcv_nxt, Seq(0));
    assert_eq!(out.tcb.snd_una, Seq(u32::MAX));
    assert_eq!(out.tcb.snd_nxt, Seq(0));
    assert_eq!(
        out.send,
        Some(seg(Flags::SYN_ACK, u32::MAX, 0)),
        "SYN,ACK seq=ISS ack=IRS+1"
    );
    assert_eq!(out.send.unwrap().len, 0);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.2 fourth: "Any other control or text-bearing segment (not containing SYN)
/// must have an ACK and thus would be discarded by the ACK processing ... drop the segment."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# This should not be reached. Drop the segment and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Do not process the FIN if the state is CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ cannot be
//# validated; drop the segment and return.
#[test]
fn listen_other_segment_dropped() {
    let t = tcb_in(State::Listen, 100, 0);
    assert_dropped(&arrive(&t, seg(Flags::FIN, 300, 0)), &t);
    assert_dropped(&arrive(&t, data(Flags::NONE, Seq(300), Seq(0))), &t);
    assert_dropped(&arrive(&t, seg(Flags::NONE, 300, 0)), &t);
}

// =============================================================================================
// §3.10.7.3 SYN-SENT (ISS = 2^32-1, so SND.NXT = 0)
// =============================================================================================

/// RFC 9293 §3.10.7.3 first: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the
/// RST bit is set ...) <SEQ=SEG.ACK><CTL=RST> and discard the segment."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so drop the
//# segment and return) <SEQ=SEG.ACK><CTL=RST>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# and discard the segment. Return.
#[test]
fn syn_sent_unacceptable_ack_draws_rst() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    assert_eq!(t.snd_nxt, Seq(0));
    for (s, rst_seq) in [
        // SEG.ACK = ISS.
        (seg(Flags::ACK, 300, u32::MAX), u32::MAX),
        (seg(Flags::SYN_ACK, 300, u32::MAX), u32::MAX),
        // SEG.ACK < ISS.
        (seg(Flags::SYN_ACK, 300, u32::MAX - 5), u32::MAX - 5),
        // SEG.ACK = SND.NXT + 1.
        (seg(Flags::SYN_ACK, 300, 1), 1),
        (seg(Flags::FIN_ACK, 300, 1), 1),
    ] {
        let out = arrive(&t, s);
        assert_eq!(out.tcb, t, "{s:?}");
        assert_eq!(out.tcb.state, State::SynSent);
        assert_eq!(out.send, Some(seg(Flags::RST, rst_seq, 0)), "{s:?}");
        assert!(out.events.is_empty());
    }
}

/// RFC 9293 §3.10.7.3 first: an unacceptable ACK on a RST draws no reset; "if so, drop the
/// segment and return".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so drop the
//# segment and return)
#[test]
fn syn_sent_unacceptable_ack_on_rst_dropped() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    assert_dropped(&arrive(&t, seg(Flags::RST_ACK, 300, u32::MAX)), &t);
    assert_dropped(&arrive(&t, seg(Flags::RST_ACK, 300, 1)), &t);
}

/// RFC 9293 §3.10.7.3 second: "If the ACK was acceptable, then signal to the user 'error:
/// connection reset', drop the segment, enter CLOSED state, delete TCB" (the model names the
/// signal "connection refused", the answer to a SYN). RFC 5961 §3.2: "In the SYN-SENT state
/// ... the RST is acceptable if the ACK field acknowledges the SYN" — whatever its SEQ.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If the ACK was acceptable, then signal to the user "error: connection reset", drop the segment,
//# enter CLOSED state, delete TCB, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# In the SYN-SENT state (a RST received in response to an initial SYN), the RST is acceptable if
//# the ACK field acknowledges the SYN.
#[test]
fn syn_sent_rst_with_acceptable_ack_refuses() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    for s in [seg(Flags::RST_ACK, 0, 0), seg(Flags::RST_ACK, 300, 0)] {
        let out = arrive(&t, s);
        assert_eq!(out.tcb.state, State::Closed, "{s:?}");
        assert_eq!(out.send, None);
        assert!(out.events.contains(Event::Refused));
        assert_eq!(out.events, events(&[Event::Refused]));
    }
}

/// RFC 9293 §3.10.7.3 second: "Otherwise (no ACK), drop the segment and return."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# Otherwise (no ACK), drop the segment and return.
#[test]
fn syn_sent_rst_without_ack_dropped() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    assert_dropped(&arrive(&t, seg(Flags::RST, 300, 0)), &t);
    assert_dropped(&arrive(&t, seg(Flags::RST, 0, 0)), &t);
    assert_dropped(&arrive(&t, seg(Flags::RST.with(Flags::SYN), 300, 0)), &t);
}

/// RFC 9293 §3.10.7.3 fourth: SYN with an acceptable ACK: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ,
/// SND.UNA = SEG.ACK; SND.UNA > ISS, so enter ESTABLISHED and send
/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. ISS = IRS = 2^32-1: everything wraps to 0.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If the SYN bit is on and the security/compartment is acceptable, then RCV.NXT is set to
//# SEG.SEQ+1, IRS is set to SEG.SEQ.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# SND.UNA should be advanced to equal SEG.ACK (if there is an ACK), and any segments on the
//# retransmission queue that are thereby acknowledged should be removed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If SND.UNA > ISS (our SYN has been ACKed), change the connection state to ESTABLISHED, form an
//# ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
#[test]
fn syn_sent_syn_ack_establishes() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    let out = arrive(&t, seg(Flags::SYN_ACK, u32::MAX, 0));
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(out.tcb.irs, Seq(u32::MAX));
    assert_eq!(out.tcb.rcv_nxt, Seq(0));
    assert_eq!((out.tcb.snd_una, out.tcb.snd_nxt), (Seq(0), Seq(0)));
    assert_eq!(out.send, Some(seg(Flags::ACK, 0, 0)));
    assert_eq!(out.send.unwrap().len, 0);
    assert!(out.events.contains(Event::Connected));
    assert_eq!(out.events, events(&[Event::Connected]));

    let out = arrive(&t, seg(Flags::SYN_ACK, 300, 0));
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!((out.tcb.irs, out.tcb.rcv_nxt), (Seq(300), Seq(301)));
    assert_eq!(out.send, Some(seg(Flags::ACK, 0, 301)));
    assert_eq!(out.events, events(&[Event::Connected]));
}

/// RFC 9293 §3.10.7.3 fourth: after entering ESTABLISHED, "if there are other controls or text
/// in the segment, then continue processing at the sixth step": the data byte after the SYN is
/// delivered, and the FIN after it processed (ESTABLISHED -> CLOSE-WAIT, "connection closing").
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If there are other controls or text in the segment, then continue processing at the sixth step
//# under Section 3.10.7.4 where the URG bit is checked; otherwise, return.
#[test]
fn syn_sent_syn_ack_with_data_and_fin_continues_at_sixth_step() {
    let t = tcb_in(State::SynSent, 100, 0);
    let s = data(Flags::SYN_ACK.with(Flags::FIN), Seq(u32::MAX - 1), Seq(101));
    let out = arrive(&t, s);
    assert_eq!(out.tcb.state, State::CloseWait);
    assert!(out.tcb.fin_rcvd);
    assert_eq!(out.tcb.delivered, 1);
    // SYN at 2^32-2, byte at 2^32-1, FIN at 0: RCV.NXT = 1.
    assert_eq!(out.tcb.rcv_nxt, Seq(1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 1)));
    assert_eq!(
        out.events,
        events(&[Event::Connected, Event::Data, Event::Closing])
    );
}

/// RFC 9293 §3.10.7.3 fourth, Figure 7 (simultaneous open): a SYN without ACK: IRS = SEG.SEQ,
/// RCV.NXT = SEG.SEQ+1, SND.UNA = ISS is not > ISS, so enter SYN-RECEIVED and send
/// <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# A TCP implementation MUST support simultaneous open attempts (MUST-10).
#[test]
fn syn_sent_bare_syn_simultaneous_open() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    let out = arrive(&t, seg(Flags::SYN, 300, 0));
    assert_eq!(out.tcb.state, State::SynReceived);
    assert!(!out.tcb.passive);
    assert_eq!((out.tcb.irs, out.tcb.rcv_nxt), (Seq(300), Seq(301)));
    assert_eq!((out.tcb.snd_una, out.tcb.snd_nxt), (Seq(u32::MAX), Seq(0)));
    assert_eq!(out.send, Some(seg(Flags::SYN_ACK, u32::MAX, 301)));
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.3 fifth: "If neither of the SYN or RST bits is set, then drop the segment
/// and return" (even with an acceptable ACK).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# Fifth, if neither of the SYN or RST bits is set, then drop the segment and return.
#[test]
fn syn_sent_neither_syn_nor_rst_dropped() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    assert_dropped(&arrive(&t, seg(Flags::ACK, 300, 0)), &t);
    assert_dropped(&arrive(&t, seg(Flags::FIN_ACK, 300, 0)), &t);
    assert_dropped(&arrive(&t, data(Flags::NONE, Seq(300), Seq(0))), &t);
}

// =============================================================================================
// §3.10.7.4 first step: sequence number (Table 6)
// =============================================================================================

/// An ESTABLISHED TCB with one data byte outstanding and RCV.NXT = 2^32-10, so that the window
/// [RCV.NXT, RCV.NXT+RCV.WND) crosses the wrap. A segment that acknowledges the byte shows by
/// SND.UNA whether it was processed.
fn established_with_byte_outstanding() -> Tcb {
    let mut t = tcb_in(State::Established, 100, u32::MAX - 10);
    t.snd_nxt = Seq(102);
    assert_eq!(t.rcv_nxt, Seq(u32::MAX - 9));
    t
}

/// RFC 9293 §3.10.7.4 first, Table 6 (RCV.WND > 0): a segment is unacceptable unless
/// RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND (zero length), or that holds for its first or its last
/// octet (SEG.SEQ+SEG.LEN-1). An unacceptable segment draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
/// and is dropped.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If an incoming segment is not acceptable, an acknowledgment should be sent in reply (unless the
//# RST bit is set, if so drop the segment and return): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# After sending the acknowledgment, drop the unacceptable segment and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# | 0 | >0 | RCV.NXT =< SEG.SEQ < | | | | RCV.NXT+RCV.WND |
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# any unacceptable segment (out-of-window sequence number or unacceptable acknowledgment number)
//# must be responded to with an empty acknowledgment segment (without any user data) containing the
//# current send sequence number and an acknowledgment indicating the next sequence number expected
//# to be received, and the connection remains in the same state.
#[test]
fn unacceptable_segment_draws_ack() {
    let t = established_with_byte_outstanding();
    let nxt = t.rcv_nxt;
    let ack = Seq(102);
    let cases = [
        // Zero length, one left of the left edge.
        Segment::new(Flags::ACK, Seq(nxt.0 - 1), ack),
        // Zero length, at the right edge RCV.NXT+RCV.WND (just outside; wraps).
        Segment::new(Flags::ACK, nxt.add(WND), ack),
        // Zero length, far away (half the sequence space).
        Segment::new(Flags::ACK, nxt.add(1 << 31), ack),
        // One byte, its only octet old (RCV.NXT-1).
        data(Flags::ACK, Seq(nxt.0 - 1), ack),
        // One byte at RCV.NXT+RCV.WND: just outside the right edge.
        data(Flags::ACK, nxt.add(WND), ack),
        // One byte well left of the window.
        data(Flags::ACK, Seq(nxt.0 - 1000), ack),
        // A FIN whose octet is old (a retransmission).
        Segment::new(Flags::FIN_ACK, Seq(nxt.0 - 1), ack),
        // A SYN,ACK retransmission: its SYN octet is IRS = RCV.NXT-1.
        Segment::new(Flags::SYN_ACK, t.irs, Seq(101)),
    ];
    for s in cases {
        let out = arrive(&t, s);
        assert_eq!(out.tcb, t, "{s:?} must be dropped");
        assert_eq!(
            out.send,
            Some(Segment::new(Flags::ACK, Seq(102), Seq(u32::MAX - 9))),
            "{s:?}"
        );
        assert!(out.events.is_empty(), "{s:?}");
    }
}

/// RFC 9293 §3.10.7.4 first, Table 6 (RCV.WND > 0): the acceptable edges. A zero-length segment
/// at RCV.NXT or at RCV.NXT+RCV.WND-1, and a one-byte segment at RCV.NXT+RCV.WND-1, are
/// processed (SND.UNA advances). The empty ones draw nothing; the byte beyond RCV.NXT is
/// out of order: acknowledged, not delivered.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# | 0 | >0 | RCV.NXT =< SEG.SEQ < | | | | RCV.NXT+RCV.WND |
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# A segment is judged to occupy a portion of valid receive sequence space if RCV.NXT =< SEG.SEQ <
//# RCV.NXT+RCV.WND or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# A TCP implementation MAY send an ACK segment acknowledging RCV.NXT when a valid segment arrives
//# that is in the window but not at the left window edge (MAY-13).
#[test]
fn acceptable_segment_at_window_edges_processed() {
    let t = established_with_byte_outstanding();
    let nxt = t.rcv_nxt;
    let ack = Seq(102);
    for s in [
        Segment::new(Flags::ACK, nxt, ack),
        Segment::new(Flags::ACK, nxt.add(WND - 1), ack),
    ] {
        let out = arrive(&t, s);
        assert_eq!(out.tcb.state, State::Established, "{s:?}");
        assert_eq!(out.tcb.snd_una, ack, "{s:?} must be processed");
        assert_eq!(out.tcb.rcv_nxt, nxt);
        assert_eq!(out.send, None, "{s:?}");
        assert!(out.events.is_empty());
    }
    let out = arrive(&t, data(Flags::ACK, nxt.add(WND - 1), ack));
    assert_eq!(out.tcb.snd_una, ack);
    assert_eq!((out.tcb.rcv_nxt, out.tcb.delivered), (nxt, 0));
    assert_eq!(out.send, Some(Segment::new(Flags::ACK, Seq(102), nxt)));
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 first, Table 6: a segment whose first octet is old but whose last octet
/// (SEG.SEQ+SEG.LEN-1) is RCV.NXT is acceptable; it is trimmed to the idealized segment that
/// starts at RCV.NXT: the old byte is not delivered again, the FIN at RCV.NXT is processed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If a segment's contents straddle the boundary between old and new, only the new parts are
//# processed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# A segment is judged to occupy a portion of valid receive sequence space if RCV.NXT =< SEG.SEQ <
//# RCV.NXT+RCV.WND or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
#[test]
fn segment_straddling_left_edge_trimmed() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    assert_eq!(t.rcv_nxt, Seq(u32::MAX));
    // Byte at 2^32-2 (old), FIN at 2^32-1 = RCV.NXT.
    let out = arrive(&t, data(Flags::FIN_ACK, Seq(u32::MAX - 1), Seq(101)));
    assert_eq!(out.tcb.state, State::CloseWait);
    assert_eq!(out.tcb.delivered, 0);
    assert_eq!(out.tcb.rcv_nxt, Seq(0));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 0)));
    assert_eq!(out.events, events(&[Event::Closing]));
}

/// RFC 9293 §3.10.7.4 first, Table 6 with RCV.WND = 0: a zero-length segment is acceptable iff
/// SEG.SEQ = RCV.NXT; a segment with length > 0 is never acceptable (draws an ACK), but "special
/// allowance should be made to accept valid ACKs, URGs, and RSTs": at RCV.NXT its ACK is
/// processed and its text is not. `Reading::window` is public and may be 0.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# | 0 | 0 | SEG.SEQ = RCV.NXT |
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# | >0 | 0 | not acceptable |
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made to
//# accept valid ACKs, URGs, and RSTs.
#[test]
fn zero_window_accepts_only_empty_segment_at_rcv_nxt() {
    let p = Reading {
        window: 0,
        ..Reading::default()
    };
    let t = established_with_byte_outstanding();
    let nxt = t.rcv_nxt;
    let out = arrive_with(&t, data(Flags::ACK, nxt, Seq(102)), p);
    assert_eq!(
        out.tcb.snd_una,
        Seq(102),
        "the ACK of a segment at RCV.NXT is taken"
    );
    assert_eq!(out.tcb.rcv_nxt, nxt, "its text is not");
    assert_eq!(out.send, Some(seg(Flags::ACK, 102, nxt.0)));
    assert!(out.events.is_empty());
    let out = arrive_with(&t, data(Flags::ACK, nxt.add(1), Seq(102)), p);
    assert_acked_and_dropped(&out, &t);
    let out = arrive_with(&t, Segment::new(Flags::ACK, nxt.add(1), Seq(102)), p);
    assert_acked_and_dropped(&out, &t);
    let out = arrive_with(&t, Segment::new(Flags::ACK, nxt, Seq(102)), p);
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(
        out.tcb.snd_una,
        Seq(102),
        "the empty ACK at RCV.NXT is acceptable"
    );
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

// =============================================================================================
// §3.10.7.4 second step: RST
// =============================================================================================

/// RFC 9293 §3.10.7.4 second (RFC 5961 §3.2 case 2): RST with SEG.SEQ = RCV.NXT in ESTABLISHED:
/// "connection reset", enter CLOSED; nothing is sent. RCV.NXT = 0 after the wrap.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number exactly matches the next expected sequence number
//# (RCV.NXT), then TCP endpoints MUST reset the connection in the manner prescribed below according
//# to the connection state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Users should also receive an unsolicited general "connection reset" signal. Enter the CLOSED
//# state, delete the TCB, and return.
#[test]
fn rst_exact_resets_established() {
    let t = tcb_in(State::Established, u32::MAX, u32::MAX);
    assert_eq!(t.rcv_nxt, Seq(0));
    for s in [seg(Flags::RST, 0, 0), seg(Flags::RST_ACK, 0, 0)] {
        let out = arrive(&t, s);
        assert_eq!(out.tcb.state, State::Closed, "{s:?}");
        assert_eq!(out.send, None);
        assert!(out.events.contains(Event::Reset));
        assert_eq!(out.events, events(&[Event::Reset]));
    }
}

/// RFC 9293 §3.10.7.4 second, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: as ESTABLISHED, "connection
/// reset", enter CLOSED.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Users should also receive an unsolicited general "connection reset" signal. Enter the CLOSED
//# state, delete the TCB, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# If the local TCP connection is closed by the remote side due to a FIN or RST received from the
//# remote side, then the local application MUST be informed whether it closed normally or was
//# aborted (MUST-12).
#[test]
fn rst_exact_resets_fin_wait_and_close_wait() {
    for st in [State::FinWait1, State::FinWait2, State::CloseWait] {
        let t = tcb_in(st, u32::MAX, u32::MAX - 1);
        let out = arrive(&t, Segment::new(Flags::RST, t.rcv_nxt, Seq(0)));
        assert_eq!(out.tcb.state, State::Closed, "{st}");
        assert_eq!(out.send, None, "{st}");
        assert_eq!(out.events, events(&[Event::Reset]), "{st}");
    }
}

/// RFC 9293 §3.10.7.4 second, CLOSING, LAST-ACK: "If the RST bit is set, then enter the CLOSED
/// state, delete the TCB, and return" (the model signals Closed).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
#[test]
fn rst_exact_closes_closing_and_last_ack() {
    for st in [State::Closing, State::LastAck] {
        let t = tcb_in(st, 100, u32::MAX - 1);
        let out = arrive(&t, Segment::new(Flags::RST, t.rcv_nxt, Seq(0)));
        assert_eq!(out.tcb.state, State::Closed, "{st}");
        assert_eq!(out.send, None, "{st}");
        assert!(out.events.contains(Event::Closed), "{st}");
        assert!(!out.events.contains(Event::Reset), "{st}");
    }
}

/// RFC 5961 §3.2 case 3 (RFC 9293 §3.10.7.4 second): a RST in the window but not at RCV.NXT
/// draws a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and is dropped, in every
/// synchronized state and SYN-RECEIVED.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number does not exactly match the next expected sequence
//# value, yet is within the current receive window, TCP endpoints MUST send an acknowledgment
//# (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# After sending the challenge ACK, TCP endpoints MUST drop the unacceptable segment and stop
//# processing the incoming packet further.
#[test]
fn rst_in_window_draws_challenge_ack_rfc5961() {
    for st in [
        State::SynReceived,
        State::Established,
        State::FinWait1,
        State::FinWait2,
        State::CloseWait,
        State::Closing,
        State::LastAck,
    ] {
        let t = tcb_in(st, u32::MAX, u32::MAX - 1);
        for off in [1, 100, WND - 1] {
            let out = arrive(&t, Segment::new(Flags::RST, t.rcv_nxt.add(off), Seq(0)));
            assert_acked_and_dropped(&out, &t);
        }
    }
    // SND.NXT and RCV.NXT both 0 after the wrap; the RST one past RCV.NXT.
    let t = tcb_in(State::Established, u32::MAX, u32::MAX);
    let out = arrive(&t, seg(Flags::RST, 1, 0));
    assert_eq!(out.tcb, t);
    assert_eq!(out.send, Some(seg(Flags::ACK, 0, 0)));
}

/// RFC 5961 §3.2 case 1 (RFC 9293 §3.10.7.4 first and second): a RST outside the window is
/// silently dropped, under both profiles.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number is outside the current receive window, silently
//# drop the segment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# In all states except SYN-SENT, all reset (RST) segments are validated by checking their SEQ
//# fields. A reset is valid if its sequence number is in the window.
#[test]
fn rst_out_of_window_silently_dropped() {
    for p in [Reading::default(), rfc793()] {
        for st in [State::Established, State::FinWait2, State::LastAck] {
            let t = tcb_in(st, 100, u32::MAX - 1);
            for s in [
                Segment::new(Flags::RST, Seq(t.rcv_nxt.0.wrapping_sub(1)), Seq(0)),
                Segment::new(Flags::RST, t.rcv_nxt.add(WND), Seq(0)),
                Segment::new(Flags::RST_ACK, t.rcv_nxt.add(1 << 31), t.snd_nxt),
            ] {
                assert_dropped(&arrive_with(&t, s, p), &t);
            }
        }
    }
}

/// RFC 9293 §3.10.7.4 second, RFC 793 behaviour: any RST in the window resets the connection.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# For stacks implementing the protection described in RFC 5961, the three checks below apply;
//# otherwise, processing for these states is indicated further below.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# In all states except SYN-SENT, all reset (RST) segments are validated by checking their SEQ
//# fields. A reset is valid if its sequence number is in the window.
#[test]
fn rst_in_window_resets_rfc793() {
    let t = tcb_in(State::Established, 100, u32::MAX - 50);
    let out = arrive_with(
        &t,
        Segment::new(Flags::RST, t.rcv_nxt.add(100), Seq(0)),
        rfc793(),
    );
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert_eq!(out.events, events(&[Event::Reset]));
    let out = arrive_with(
        &t,
        Segment::new(Flags::RST, t.rcv_nxt.add(WND - 1), Seq(0)),
        rfc793(),
    );
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.events, events(&[Event::Reset]));
}

/// RFC 9293 §3.10.7.4 second, SYN-RECEIVED: "If this connection was initiated with a passive
/// OPEN (i.e., came from the LISTEN state), then return this connection to LISTEN state and
/// return. The user need not be informed."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If this connection was initiated with a passive OPEN (i.e., came from the LISTEN state), then
//# return this connection to LISTEN state and return. The user need not be informed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# If the receiver was in SYN-RECEIVED state and had previously been in the LISTEN state, then the
//# receiver returns to the LISTEN state;
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# Note that a TCP implementation MUST keep track of whether a connection has reached SYN-RECEIVED
//# state as the result of a passive OPEN or an active OPEN (MUST-11).
#[test]
fn rst_in_syn_received_passive_returns_to_listen() {
    let t = tcb_in(State::SynReceived, u32::MAX, u32::MAX);
    assert!(t.passive);
    let out = arrive(&t, seg(Flags::RST, 0, 0));
    assert_eq!(out.tcb.state, State::Listen);
    assert!(out.tcb.passive);
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
    // RFC 793 profile: the same.
    let out = arrive_with(&t, seg(Flags::RST, 5, 0), rfc793());
    assert_eq!(out.tcb.state, State::Listen);
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 second, SYN-RECEIVED: "If this connection was initiated with an active
/// OPEN (i.e., came from SYN-SENT state), then the connection was refused; signal the user
/// 'connection refused'" ... "enter the CLOSED state and delete the TCB".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If this connection was initiated with an active OPEN (i.e., came from SYN-SENT state), then the
//# connection was refused; signal the user "connection refused".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# And in the active OPEN case, enter the CLOSED state and delete the TCB, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# Note that a TCP implementation MUST keep track of whether a connection has reached SYN-RECEIVED
//# state as the result of a passive OPEN or an active OPEN (MUST-11).
#[test]
fn rst_in_syn_received_active_refuses() {
    let mut t = tcb_in(State::SynReceived, u32::MAX, 300);
    t.passive = false;
    let out = arrive(&t, seg(Flags::RST, 301, 0));
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert!(out.events.contains(Event::Refused));
    assert_eq!(out.events, events(&[Event::Refused]));
}

/// RFC 1337 §3 (fix F1): "Ignore RST segments in TIME-WAIT state." Even a RST at RCV.NXT
/// changes nothing and draws nothing.
#[test]
fn rst_in_time_wait_ignored_rfc1337() {
    let t = tcb_in(State::TimeWait, u32::MAX, u32::MAX - 1);
    assert_eq!(t.rcv_nxt, Seq(0));
    assert_dropped(&arrive(&t, seg(Flags::RST, 0, 0)), &t);
    assert_dropped(&arrive(&t, seg(Flags::RST_ACK, 0, 1)), &t);
    let p = Reading {
        rfc: Rfc::Rfc793,
        ..Reading::default()
    };
    assert_dropped(&arrive_with(&t, seg(Flags::RST, 10, 0), p), &t);
}

/// RFC 9293 §3.10.7.4 second with RFC 5961 and RFC 1337 layered as the text orders them: the
/// three RFC 5961 checks come first, and RFC 1337 replaces only the TIME-WAIT action ("enter
/// the CLOSED state") that a RST at RCV.NXT would take. An in-window RST not at RCV.NXT
/// therefore draws the challenge ACK; the connection stays in TIME-WAIT. (Neither RFC states
/// the order; a stricter reading of RFC 1337, "ignore RST segments in TIME-WAIT", would send
/// nothing.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number does not exactly match the next expected sequence
//# value, yet is within the current receive window, TCP endpoints MUST send an acknowledgment
//# (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
#[test]
fn rst_in_window_in_time_wait_challenge_ack_rfc5961_rfc1337() {
    let t = tcb_in(State::TimeWait, u32::MAX, u32::MAX - 1);
    let out = arrive(&t, seg(Flags::RST, 5, 0));
    assert_acked_and_dropped(&out, &t);
    assert_eq!(out.tcb.state, State::TimeWait);
    assert_eq!(out.send, Some(seg(Flags::ACK, 1, 0)));
}

/// RFC 9293 §3.10.7.4 second, TIME-WAIT without RFC 1337: "If the RST bit is set, then enter
/// the CLOSED state, delete the TCB, and return."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
#[test]
fn rst_in_time_wait_closes_without_rfc1337() {
    let p = Reading {
        rfc1337: false,
        ..Reading::default()
    };
    let t = tcb_in(State::TimeWait, u32::MAX, u32::MAX - 1);
    let out = arrive_with(&t, seg(Flags::RST, 0, 0), p);
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert!(out.events.contains(Event::Closed));
}

// =============================================================================================
// §3.10.7.4 fourth step: SYN
// =============================================================================================

/// RFC 9293 §3.10.7.4 fourth (RFC 5961 §4.2): "If the SYN bit is set, irrespective of the
/// sequence number, TCP endpoints MUST send a 'challenge ACK' ... <SEQ=SND.NXT><ACK=RCV.NXT>
/// <CTL=ACK>" and drop the segment, in every synchronized state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# RFC 5961 recommends that in these synchronized states, if the SYN bit is set, irrespective of
//# the sequence number, TCP endpoints MUST send a "challenge ACK" to the remote peer:
//# <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# After sending the acknowledgment, TCP implementations MUST drop the unacceptable segment and
//# stop processing further.
#[test]
fn syn_in_established_challenge_ack_rfc5961() {
    for st in [
        State::Established,
        State::FinWait1,
        State::FinWait2,
        State::CloseWait,
        State::Closing,
        State::LastAck,
        State::TimeWait,
    ] {
        let t = tcb_in(st, u32::MAX, u32::MAX - 1);
        for s in [
            Segment::new(Flags::SYN, t.rcv_nxt, Seq(0)),
            Segment::new(Flags::SYN, t.rcv_nxt.add(10), Seq(0)),
            Segment::new(Flags::SYN_ACK, t.rcv_nxt.add(WND - 1), t.snd_nxt),
            Segment::new(Flags::SYN, Seq(t.rcv_nxt.0.wrapping_sub(1000)), Seq(0)),
        ] {
            assert_acked_and_dropped(&arrive(&t, s), &t);
        }
    }
}

/// RFC 9293 §3.10.7.4 fourth, RFC 793 behaviour: "If the SYN is in the window it is an error:
/// send a reset, ... signal 'connection reset', enter the CLOSED state". The reset takes the
/// form of §3.5.2 for a segment without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the SYN is in the window it is an error: send a reset, any outstanding RECEIVEs and SEND
//# should receive "reset" responses, all segment queues should be flushed, the user should also
//# receive an unsolicited general "connection reset" signal, enter the CLOSED state, delete the
//# TCB, and return.
#[test]
fn syn_in_established_resets_rfc793() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    assert_eq!(t.rcv_nxt, Seq(u32::MAX));
    let out = arrive_with(&t, seg(Flags::SYN, u32::MAX, 0), rfc793());
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, Some(seg(Flags::RST_ACK, 0, 0)));
    assert!(out.events.contains(Event::Reset));
    assert_eq!(out.events, events(&[Event::Reset]));
}

/// RFC 9293 §3.10.7.4 fourth, RFC 793 behaviour: "If the SYN is not in the window, this step
/// would not be reached and an ACK would have been sent in the first step" — e.g. a
/// retransmitted SYN,ACK at IRS.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the SYN is not in the window, this step would not be reached and an ACK would have been sent
//# in the first step (sequence number check).
#[test]
fn syn_out_of_window_draws_ack_rfc793() {
    let t = tcb_in(State::Established, 100, u32::MAX);
    let out = arrive_with(&t, seg(Flags::SYN_ACK, u32::MAX, 101), rfc793());
    assert_acked_and_dropped(&out, &t);
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 0)));
    let out = arrive_with(
        &t,
        Segment::new(Flags::SYN, Seq(0).add(WND), Seq(0)),
        rfc793(),
    );
    assert_acked_and_dropped(&out, &t);
}

/// RFC 9293 §3.10.7.4 first: the rules work on "the idealized segment that begins at RCV.NXT",
/// "trimming off any portions that lie outside the window (including SYN and FIN)". A SYN,FIN
/// at RCV.NXT-1 is acceptable (its FIN is at RCV.NXT), but its SYN lies left of the window, so
/// under RFC 793 the fourth step does not see it ("If the SYN is not in the window this step
/// would not be reached"): the FIN is processed and acknowledged, ESTABLISHED goes to
/// CLOSE-WAIT. Under RFC 5961 the SYN still draws a challenge ACK ("irrespective of the
/// sequence number"). (Found by FreeBSD's `rcv-syn-fin-time-wait-*-outside-left-insecure`
/// scripts; the model used to send a RST.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# One could tailor actual segments to fit this assumption by trimming off any portions that lie
//# outside the window (including SYN and FIN) and only processing further if the segment then
//# begins at RCV.NXT.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the SYN is not in the window, this step would not be reached and an ACK would have been sent
//# in the first step (sequence number check).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# RFC 5961 recommends that in these synchronized states, if the SYN bit is set, irrespective of
//# the sequence number, TCP endpoints MUST send a "challenge ACK" to the remote peer:
#[test]
fn syn_left_of_window_trimmed_rfc793_challenged_rfc5961() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    let nxt = t.rcv_nxt;
    let s = Segment::new(
        Flags(Flags::SYN_ACK.0 | Flags::FIN.0),
        Seq(nxt.0.wrapping_sub(1)),
        Seq(101),
    );
    let out = arrive_with(&t, s, rfc793());
    assert_eq!(out.tcb.state, State::CloseWait);
    assert_eq!(out.tcb.rcv_nxt, nxt.add(1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, nxt.add(1).0)));
    assert_eq!(out.events, events(&[Event::Closing]));
    let out = arrive(&t, s);
    assert_acked_and_dropped(&out, &t);
}

/// The same trimming in a passive SYN-RECEIVED, in both profiles: a retransmitted SYN that
/// carries the third step's ACK and an octet of text (SYN at IRS, text at RCV.NXT) does not
/// send the connection back to LISTEN; its ACK establishes the connection and its text is
/// taken.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# One could tailor actual segments to fit this assumption by trimming off any portions that lie
//# outside the window (including SYN and FIN) and only processing further if the segment then
//# begins at RCV.NXT.
#[test]
fn syn_left_of_window_in_syn_received_passive_not_back_to_listen() {
    let t = tcb_in(State::SynReceived, 100, 300);
    let s = data(Flags::SYN_ACK, Seq(300), Seq(101));
    for p in [Reading::default(), rfc793()] {
        let out = arrive_with(&t, s, p);
        assert_eq!(out.tcb.state, State::Established, "{:?}", p.rfc);
        assert_eq!(out.tcb.rcv_nxt, Seq(302));
        assert_eq!(out.send, Some(seg(Flags::ACK, 101, 302)));
    }
}

/// RFC 9293 §3.10.7.4 fourth, SYN-RECEIVED: "If the connection was initiated with a passive
/// OPEN, then return this connection to the LISTEN state and return."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the connection was initiated with a passive OPEN, then return this connection to the LISTEN
//# state and return.
#[test]
fn syn_in_syn_received_passive_returns_to_listen() {
    let t = tcb_in(State::SynReceived, 100, u32::MAX);
    let out = arrive(&t, seg(Flags::SYN, 5, 0));
    assert_eq!(out.tcb.state, State::Listen);
    assert!(out.tcb.passive);
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 fourth, SYN-RECEIVED from an active OPEN: "Otherwise, handle per the
/// directions for synchronized states below": RFC 5961 challenge ACK; RFC 793 reset.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Otherwise, handle per the directions for synchronized states below.
#[test]
fn syn_in_syn_received_active_challenge_ack_rfc5961_or_reset_rfc793() {
    let mut t = tcb_in(State::SynReceived, u32::MAX, 300);
    t.passive = false;
    let s = seg(Flags::SYN, 310, 0);
    let out = arrive(&t, s);
    assert_acked_and_dropped(&out, &t);
    assert_eq!(out.send, Some(seg(Flags::ACK, 0, 301)));
    let out = arrive_with(&t, s, rfc793());
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, Some(seg(Flags::RST_ACK, 0, 311)));
    assert_eq!(out.events, events(&[Event::Reset]));
}

/// RFC 9293 §3.10.7.4 first, Table 6, in SYN-RECEIVED (deliberate model choice): a SYN,ACK or
/// SYN whose SYN was already received occupies only the octet IRS = RCV.NXT-1, so it is
/// unacceptable and draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; the state does not change
/// (the text, not Figure 7's drawing, where SYN-RECEIVED moves to ESTABLISHED).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If an incoming segment is not acceptable, an acknowledgment should be sent in reply (unless the
//# RST bit is set, if so drop the segment and return): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
#[test]
fn syn_ack_with_old_syn_in_syn_received_draws_ack() {
    // Simultaneous open (Figure 7): our SYN at 2^32-1, theirs at 300.
    let mut t = tcb_in(State::SynReceived, u32::MAX, 300);
    t.passive = false;
    let out = arrive(&t, seg(Flags::SYN_ACK, 300, 0));
    assert_acked_and_dropped(&out, &t);
    assert_eq!(out.tcb.state, State::SynReceived);
    assert_eq!(out.send, Some(seg(Flags::ACK, 0, 301)));
    // Passive: the peer retransmits its SYN.
    let t = tcb_in(State::SynReceived, u32::MAX, 300);
    let out = arrive(&t, seg(Flags::SYN, 300, 0));
    assert_acked_and_dropped(&out, &t);
    assert_eq!(out.send, Some(seg(Flags::ACK, 0, 301)));
}

/// RFC 9293 §3.5 Figure 7, line 6, kept as an allowed alternative (`rules::allowed::arrivals`,
/// used by trace inclusion, not by the model checker): the same SYN,ACK read with its old SYN
/// trimmed off is an acceptable ACK of our SYN, and SYN-RECEIVED enters ESTABLISHED, with an
/// acknowledgment (as Linux sends) or without (as the figure draws). Only in a simultaneous
/// open, and only when the ACK acknowledges our SYN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# Simultaneous initiation is only slightly more complex, as is shown in Figure 7. Each TCP peer's
//# connection state cycles from CLOSED to SYN-SENT to SYN-RECEIVED to ESTABLISHED.
#[test]
fn figure7_syn_ack_in_syn_received_may_establish() {
    let mut t = tcb_in(State::SynReceived, u32::MAX, 300);
    t.passive = false;
    let p = Reading::default();
    let allowed = rules::allowed::arrivals(&t, &seg(Flags::SYN_ACK, 300, 0), &p);
    assert_eq!(
        allowed[0].tcb.state,
        State::SynReceived,
        "the reference rule first"
    );
    let established: Vec<_> = allowed
        .iter()
        .filter(|o| o.tcb.state == State::Established)
        .collect();
    assert_eq!(established.len(), 2, "{allowed:?}");
    for o in &established {
        assert_eq!(o.tcb.snd_una, Seq(0));
        assert_eq!(o.events, events(&[Event::Connected]));
    }
    assert_eq!(established[0].send, Some(seg(Flags::ACK, 0, 301)));
    assert_eq!(established[1].send, None);
    // A SYN,ACK that does not acknowledge our SYN, or a passive SYN-RECEIVED: the text only.
    let only_text = |t: &Tcb, ack: u32| {
        rules::allowed::arrivals(t, &seg(Flags::SYN_ACK, 300, ack), &p)
            .iter()
            .all(|o| o.tcb.state == State::SynReceived)
    };
    assert!(only_text(&t, 7));
    t.passive = true;
    assert!(only_text(&t, 0));
}

// =============================================================================================
// §3.10.7.4 fifth step: ACK
// =============================================================================================

/// RFC 9293 §3.10.7.4 fifth: "if the ACK bit is off, drop the segment and return" (even with
/// data or a FIN at RCV.NXT).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# if the ACK bit is off, drop the segment and return
#[test]
fn segment_without_ack_bit_dropped() {
    for st in [State::SynReceived, State::Established, State::FinWait2] {
        let t = tcb_in(st, 100, 300);
        assert_dropped(&arrive(&t, data(Flags::NONE, t.rcv_nxt, Seq(0))), &t);
        assert_dropped(&arrive(&t, Segment::new(Flags::FIN, t.rcv_nxt, Seq(0))), &t);
    }
}

/// RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED: "If SND.UNA < SEG.ACK =< SND.NXT, then enter
/// ESTABLISHED state and continue processing". ISS = 2^32-1: the ACK of our SYN is 0.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing
#[test]
fn ack_in_syn_received_establishes() {
    let t = tcb_in(State::SynReceived, u32::MAX, 300);
    let out = arrive(&t, seg(Flags::ACK, 301, 0));
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!((out.tcb.snd_una, out.tcb.snd_nxt), (Seq(0), Seq(0)));
    assert_eq!(out.tcb.rcv_nxt, Seq(301));
    assert_eq!(out.send, None);
    assert!(out.events.contains(Event::Connected));
    assert_eq!(out.events, events(&[Event::Connected]));
}

/// RFC 9293 §3.10.7.4 fifth then seventh and eighth: an ACK with a byte and a FIN in
/// SYN-RECEIVED: ESTABLISHED, the byte delivered, the FIN processed (-> CLOSE-WAIT) and
/// acknowledged.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Enter the CLOSE-WAIT state.
#[test]
fn ack_with_data_and_fin_in_syn_received_to_close_wait() {
    let t = tcb_in(State::SynReceived, 100, u32::MAX - 1);
    assert_eq!(t.rcv_nxt, Seq(u32::MAX));
    let out = arrive(&t, data(Flags::FIN_ACK, Seq(u32::MAX), Seq(101)));
    assert_eq!(out.tcb.state, State::CloseWait);
    assert_eq!(out.tcb.snd_una, Seq(101));
    assert_eq!((out.tcb.rcv_nxt, out.tcb.delivered), (Seq(1), 1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 1)));
    assert_eq!(
        out.events,
        events(&[Event::Connected, Event::Data, Event::Closing])
    );
}

/// RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED: "If the segment acknowledgment is not acceptable,
/// form a reset segment <SEQ=SEG.ACK><CTL=RST> and send it." The state does not change.
/// Under RFC 5961 this applies only to ACKs that passed the §5.2 range check first
/// (SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT): "When the ACK value is acceptable, the
/// per-state processing below applies"; an ACK beyond SND.NXT is dropped with an ACK instead.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# When the ACK value is acceptable, the per-state processing below applies:
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED), and the
//# incoming segment acknowledges something not yet sent (the segment carries an unacceptable ACK),
#[test]
fn bad_ack_in_syn_received_draws_rst() {
    let t = tcb_in(State::SynReceived, u32::MAX, 300);
    // SND.UNA = ISS = u32::MAX, SND.NXT = 0.
    for bad in [u32::MAX, u32::MAX - 1, 1, 1000] {
        let out = arrive_with(&t, seg(Flags::ACK, 301, bad), rfc793());
        assert_eq!(out.tcb, t, "ack={bad}");
        assert_eq!(out.send, Some(seg(Flags::RST, bad, 0)), "ack={bad}");
        assert!(out.events.is_empty());
    }
    for bad in [u32::MAX, u32::MAX - 1] {
        let out = arrive(&t, seg(Flags::ACK, 301, bad));
        assert_eq!(out.tcb, t, "ack={bad}");
        assert_eq!(out.send, Some(seg(Flags::RST, bad, 0)), "ack={bad}");
    }
    for beyond in [1, 1000] {
        let out = arrive(&t, seg(Flags::ACK, 301, beyond));
        assert_acked_and_dropped(&out, &t);
    }
}

/// RFC 9293 §3.10.7.4 fifth, ESTABLISHED: "If the ACK acks something not yet sent
/// (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and return" — its data is not
/// delivered.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment,
//# and return.
#[test]
fn ack_beyond_snd_nxt_draws_ack() {
    for p in [Reading::default(), rfc793()] {
        for st in [
            State::Established,
            State::FinWait1,
            State::CloseWait,
            State::LastAck,
        ] {
            let t = tcb_in(st, u32::MAX - 1, 300);
            let s = data(Flags::ACK, t.rcv_nxt, t.snd_nxt.add(1));
            assert_acked_and_dropped(&arrive_with(&t, s, p), &t);
        }
    }
    let t = tcb_in(State::Established, u32::MAX - 1, 300);
    let out = arrive(&t, seg(Flags::ACK, 301, 0));
    assert_eq!(out.send, Some(seg(Flags::ACK, u32::MAX, 301)));
}

/// RFC 9293 §3.10.7.4 fifth (RFC 5961 §5.2): an ACK is acceptable only if
/// SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT; an older one is discarded and an ACK sent back.
/// SND.UNA = 101, so the bound wraps below zero.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# TCP stacks that implement RFC 5961 MUST add an input check that the ACK value is acceptable only
//# if it is in the range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# All incoming segments whose ACK value doesn't satisfy the above condition MUST be discarded and
//# an ACK sent back.
#[test]
fn old_ack_rfc5961_draws_ack() {
    let t = tcb_in(State::Established, 100, 300);
    let bound = Seq(101u32.wrapping_sub(WND));
    let out = arrive(&t, data(Flags::ACK, Seq(301), Seq(bound.0.wrapping_sub(1))));
    assert_acked_and_dropped(&out, &t);
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 301)));
    // At the bound: an acceptable (duplicate) ACK; the byte is delivered.
    let out = arrive(&t, data(Flags::ACK, Seq(301), bound));
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(out.tcb.snd_una, Seq(101));
    assert_eq!((out.tcb.rcv_nxt, out.tcb.delivered), (Seq(302), 1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 302)));
    assert_eq!(out.events, events(&[Event::Data]));
}

/// RFC 9293 §3.10.7.4 fifth, RFC 793 behaviour: "If the ACK is a duplicate (SEG.ACK =<
/// SND.UNA), it can be ignored" — processing continues: the byte is delivered.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored.
#[test]
fn old_ack_rfc793_ignored() {
    let t = tcb_in(State::Established, 100, 300);
    let old = Seq(101u32.wrapping_sub(WND + 1));
    let out = arrive_with(&t, data(Flags::ACK, Seq(301), old), rfc793());
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(out.tcb.snd_una, Seq(101));
    assert_eq!((out.tcb.rcv_nxt, out.tcb.delivered), (Seq(302), 1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 302)));
    assert_eq!(out.events, events(&[Event::Data]));
}

/// RFC 9293 §3.10.7.4 fifth, ESTABLISHED: "If SND.UNA < SEG.ACK =< SND.NXT, then set
/// SND.UNA <- SEG.ACK"; a pure ACK draws no reply. Across the wrap: 2^32-1 -> 0.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK.
#[test]
fn new_ack_advances_snd_una() {
    let mut t = tcb_in(State::Established, u32::MAX - 1, 300);
    t.snd_nxt = Seq(0); // one byte at 2^32-1 outstanding
    let out = arrive(&t, seg(Flags::ACK, 301, 0));
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(out.tcb.snd_una, Seq(0));
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 fifth, ESTABLISHED: a duplicate ACK (SEG.ACK =< SND.UNA) is ignored.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored.
#[test]
fn duplicate_ack_ignored() {
    let t = tcb_in(State::Established, u32::MAX, 300);
    assert_dropped(&arrive(&t, seg(Flags::ACK, 301, 0)), &t);
    assert_dropped(&arrive(&t, seg(Flags::ACK, 301, u32::MAX)), &t);
}

/// RFC 9293 §3.10.7.4 fifth, FIN-WAIT-1: "if the FIN segment is now acknowledged, then enter
/// FIN-WAIT-2 and continue processing in that state". Our FIN at 0 (ISS = 2^32-1).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In addition to the processing for the ESTABLISHED state, if the FIN segment is now acknowledged,
//# then enter FIN-WAIT-2 and continue processing in that state.
#[test]
fn fin_wait_1_ack_of_fin_to_fin_wait_2() {
    let t = tcb_in(State::FinWait1, u32::MAX, 300);
    assert_eq!((t.snd_una, t.snd_nxt), (Seq(0), Seq(1)));
    let out = arrive(&t, seg(Flags::ACK, 301, 1));
    assert_eq!(out.tcb.state, State::FinWait2);
    assert_eq!(out.tcb.snd_una, Seq(1));
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 fifth, FIN-WAIT-1: an ACK of data that does not cover our FIN advances
/// SND.UNA only; the state stays FIN-WAIT-1.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In addition to the processing for the ESTABLISHED state, if the FIN segment is now acknowledged,
//# then enter FIN-WAIT-2 and continue processing in that state.
#[test]
fn fin_wait_1_ack_short_of_fin_stays() {
    let mut t = tcb_in(State::FinWait1, u32::MAX - 1, 300);
    t.snd_nxt = Seq(1); // byte at 2^32-1, FIN at 0
    let out = arrive(&t, seg(Flags::ACK, 301, 0));
    assert_eq!(out.tcb.state, State::FinWait1);
    assert_eq!(out.tcb.snd_una, Seq(0));
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 fifth, CLOSING: "if the ACK acknowledges our FIN, then enter the
/// TIME-WAIT state".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In addition to the processing for the ESTABLISHED state, if the ACK acknowledges our FIN, then
//# enter the TIME-WAIT state; otherwise, ignore the segment.
#[test]
fn closing_ack_of_fin_to_time_wait() {
    let t = tcb_in(State::Closing, u32::MAX, u32::MAX);
    let out = arrive(&t, seg(Flags::ACK, 1, 1));
    assert_eq!(out.tcb.state, State::TimeWait);
    assert_eq!(out.tcb.snd_una, Seq(1));
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 fifth, CLOSING: "otherwise, ignore the segment" (after the ESTABLISHED
/// processing, which may advance SND.UNA).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In addition to the processing for the ESTABLISHED state, if the ACK acknowledges our FIN, then
//# enter the TIME-WAIT state; otherwise, ignore the segment.
#[test]
fn closing_ack_short_of_fin_ignored() {
    let t = tcb_in(State::Closing, 100, 300);
    assert_dropped(&arrive(&t, seg(Flags::ACK, 302, 101)), &t);
    let mut t = tcb_in(State::Closing, 100, 300);
    t.snd_nxt = Seq(103); // byte at 101, FIN at 102
    let out = arrive(&t, seg(Flags::ACK, 302, 102));
    assert_eq!(out.tcb.state, State::Closing);
    assert_eq!(out.tcb.snd_una, Seq(102));
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 fifth, LAST-ACK: "If our FIN is now acknowledged, delete the TCB, enter
/// the CLOSED state, and return."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# The only thing that can arrive in this state is an acknowledgment of our FIN. If our FIN is now
//# acknowledged, delete the TCB, enter the CLOSED state, and return.
#[test]
fn last_ack_ack_of_fin_closes() {
    let t = tcb_in(State::LastAck, u32::MAX, 300);
    let out = arrive(&t, seg(Flags::ACK, 302, 1));
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert!(out.events.contains(Event::Closed));
    assert_eq!(out.events, events(&[Event::Closed]));
}

/// RFC 9293 §3.10.7.4 fifth, LAST-ACK: an ACK that does not acknowledge our FIN leaves the
/// connection in LAST-ACK.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# The only thing that can arrive in this state is an acknowledgment of our FIN. If our FIN is now
//# acknowledged, delete the TCB, enter the CLOSED state, and return.
#[test]
fn last_ack_ack_short_of_fin_stays() {
    let t = tcb_in(State::LastAck, u32::MAX, 300);
    assert_dropped(&arrive(&t, seg(Flags::ACK, 302, 0)), &t);
}

// =============================================================================================
// §3.10.7.4 seventh step: segment text
// =============================================================================================

/// RFC 9293 §3.10.7.4 seventh, ESTABLISHED: deliver the text, advance RCV.NXT over it, send
/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. RCV.NXT = 2^32-1 wraps to 0.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Once in the ESTABLISHED state, it is possible to deliver segment data to user RECEIVE buffers.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# When the TCP endpoint takes responsibility for delivering the data to the user, it must also
//# acknowledge the receipt of the data.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Send an acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
#[test]
fn data_in_established_delivered_and_acked() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    let out = arrive(&t, data(Flags::ACK, Seq(u32::MAX), Seq(101)));
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!((out.tcb.rcv_nxt, out.tcb.delivered), (Seq(0), 1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 0)));
    assert_eq!(out.send.unwrap().len, 0);
    assert!(out.events.contains(Event::Data));
    assert_eq!(out.events, events(&[Event::Data]));
}

/// RFC 9293 §3.10.7.4 seventh, FIN-WAIT-1 and FIN-WAIT-2: "Same as ESTABLISHED": the peer may
/// still send; the byte is delivered and acknowledged.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# RECEIVEs are allowed in this state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# Since the two directions of a TCP connection are closed independently, it is possible for a
//# connection to be "half closed", i.e., closed in only one direction,
#[test]
fn data_in_fin_wait_delivered_and_acked() {
    for st in [State::FinWait1, State::FinWait2] {
        let t = tcb_in(st, 100, 300);
        let out = arrive(&t, data(Flags::ACK, Seq(301), t.snd_una));
        assert_eq!(out.tcb.state, st);
        assert_eq!((out.tcb.rcv_nxt, out.tcb.delivered), (Seq(302), 1));
        assert_eq!(out.send, Some(seg(Flags::ACK, 102, 302)));
        assert_eq!(out.events, events(&[Event::Data]));
    }
}

/// RFC 9293 §3.10.7.4 first and seventh: "Segments with higher beginning sequence numbers
/// should be held for later processing"; the model does not hold them. The out-of-order byte is
/// not delivered, RCV.NXT stays, and a duplicate ACK <SEQ=SND.NXT><ACK=RCV.NXT> is sent ("may
/// send an ACK segment acknowledging RCV.NXT when a valid segment arrives that is in the window
/// but not at the left window edge"; RFC 5681 §4.2 SHOULD).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# A TCP implementation MAY send an ACK segment acknowledging RCV.NXT when a valid segment arrives
//# that is in the window but not at the left window edge (MAY-13).
#[test]
fn out_of_order_data_acked_not_delivered() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    let out = arrive(&t, data(Flags::ACK, Seq(0), Seq(101)));
    assert_eq!(out.tcb, t);
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, u32::MAX)));
    assert!(!out.events.contains(Event::Data));
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 seventh, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: "This should not occur
/// since a FIN has been received from the remote side. Ignore the segment text."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# This should not occur since a FIN has been received from the remote side. Ignore the segment
//# text.
#[test]
fn data_after_peer_fin_ignored() {
    for st in [State::CloseWait, State::Closing, State::LastAck] {
        let t = tcb_in(st, 100, 300);
        let out = arrive(&t, data(Flags::ACK, t.rcv_nxt, t.snd_una));
        assert_eq!(out.tcb, t, "{st}");
        assert_eq!(out.send, None, "{st}");
        assert!(out.events.is_empty(), "{st}");
    }
}

// =============================================================================================
// §3.10.7.4 eighth step: FIN
// =============================================================================================

/// RFC 9293 §3.10.7.4 eighth, ESTABLISHED: signal "connection closing", advance RCV.NXT over
/// the FIN, send an acknowledgment for it, enter CLOSE-WAIT. FIN at 2^32-1.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the FIN bit is set, signal the user "connection closing" and return any pending RECEIVEs with
//# same message, advance RCV.NXT over the FIN, and send an acknowledgment for the FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Enter the CLOSE-WAIT state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# If an unsolicited FIN arrives from the network, the receiving TCP endpoint can ACK it and tell
//# the user that the connection is closing.
#[test]
fn fin_in_established_to_close_wait() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    let out = arrive(&t, seg(Flags::FIN_ACK, u32::MAX, 101));
    assert_eq!(out.tcb.state, State::CloseWait);
    assert!(out.tcb.fin_rcvd);
    assert_eq!(out.tcb.rcv_nxt, Seq(0));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 0)));
    assert!(out.events.contains(Event::Closing));
    assert_eq!(out.events, events(&[Event::Closing]));
}

/// RFC 9293 §3.10.7.4 seventh and eighth: data and FIN in one segment: the byte is delivered,
/// the FIN processed, one ACK covers both.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In general, the processing of received segments MUST be implemented to aggregate ACK segments
//# whenever possible (MUST-58).
#[test]
fn data_and_fin_in_established_to_close_wait() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    let out = arrive(&t, data(Flags::FIN_ACK, Seq(u32::MAX), Seq(101)));
    assert_eq!(out.tcb.state, State::CloseWait);
    assert_eq!((out.tcb.rcv_nxt, out.tcb.delivered), (Seq(1), 1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, 1)));
    assert_eq!(out.events, events(&[Event::Data, Event::Closing]));
}

/// RFC 9293 §3.10.7.4 eighth, FIN-WAIT-1: "If our FIN has been ACKed (perhaps in this segment)
/// ... enter TIME-WAIT ...; otherwise, enter the CLOSING state." Here it has not.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start the time-wait
//# timer, turn off the other timers; otherwise, enter the CLOSING state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# A simultaneous CLOSE by users at both ends of a connection causes FIN segments to be exchanged
//# (Figure 13).
#[test]
fn fin_in_fin_wait_1_unacked_to_closing() {
    let t = tcb_in(State::FinWait1, u32::MAX, u32::MAX);
    // Our FIN at 0 unacknowledged (SEG.ACK = SND.UNA = 0); their FIN at RCV.NXT = 0.
    let out = arrive(&t, seg(Flags::FIN_ACK, 0, 0));
    assert_eq!(out.tcb.state, State::Closing);
    assert!(out.tcb.fin_rcvd);
    assert_eq!(out.tcb.rcv_nxt, Seq(1));
    assert_eq!(out.send, Some(seg(Flags::ACK, 1, 1)));
    assert_eq!(out.events, events(&[Event::Closing]));
}

/// RFC 9293 §3.10.7.4 fifth then eighth, FIN-WAIT-1: a FIN that also acknowledges our FIN
/// takes FIN-WAIT-1 -> (FIN-WAIT-2) -> TIME-WAIT; the FIN is acknowledged.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start the time-wait
//# timer, turn off the other timers; otherwise, enter the CLOSING state.
#[test]
fn fin_with_ack_of_our_fin_in_fin_wait_1_to_time_wait() {
    let t = tcb_in(State::FinWait1, u32::MAX, u32::MAX);
    let out = arrive(&t, seg(Flags::FIN_ACK, 0, 1));
    assert_eq!(out.tcb.state, State::TimeWait);
    assert_eq!((out.tcb.snd_una, out.tcb.rcv_nxt), (Seq(1), Seq(1)));
    assert_eq!(out.send, Some(seg(Flags::ACK, 1, 1)));
    assert_eq!(out.events, events(&[Event::Closing]));
}

/// RFC 9293 §3.10.7.4 eighth, FIN-WAIT-2: "Enter the TIME-WAIT state."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers.
#[test]
fn fin_in_fin_wait_2_to_time_wait() {
    let t = tcb_in(State::FinWait2, u32::MAX - 1, u32::MAX - 1);
    assert_eq!((t.snd_nxt, t.rcv_nxt), (Seq(0), Seq(u32::MAX)));
    let out = arrive(&t, seg(Flags::FIN_ACK, u32::MAX, 0));
    assert_eq!(out.tcb.state, State::TimeWait);
    assert_eq!(out.tcb.rcv_nxt, Seq(0));
    assert_eq!(out.send, Some(seg(Flags::ACK, 0, 0)));
    assert_eq!(out.events, events(&[Event::Closing]));
}

/// RFC 9293 §3.10.7.4 first and eighth, TIME-WAIT: "The only thing that can arrive in this
/// state is a retransmission of the remote FIN. Acknowledge it, and restart the 2 MSL timeout."
/// The retransmitted FIN sits at RCV.NXT-1 (old by Table 6) and draws
/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; the connection stays in TIME-WAIT.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# The only thing that can arrive in this state is a retransmission of the remote FIN. Acknowledge
//# it, and restart the 2 MSL timeout.
#[test]
fn retransmitted_fin_in_time_wait_acknowledged() {
    let t = tcb_in(State::TimeWait, u32::MAX, u32::MAX - 1);
    assert_eq!((t.snd_nxt, t.rcv_nxt), (Seq(1), Seq(0)));
    let out = arrive(&t, seg(Flags::FIN_ACK, u32::MAX, 1));
    assert_eq!(out.tcb.state, State::TimeWait);
    assert_eq!(out.send, Some(seg(Flags::ACK, 1, 0)));
    assert_eq!(out.tcb, t);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 first and eighth, CLOSE-WAIT, CLOSING, LAST-ACK: "Remain in the ... state";
/// a retransmitted FIN is old and draws an ACK.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Remain in the CLOSE-WAIT state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Remain in the CLOSING state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Remain in the LAST-ACK state.
#[test]
fn retransmitted_fin_after_peer_fin_acknowledged() {
    for st in [State::CloseWait, State::Closing, State::LastAck] {
        let t = tcb_in(st, 100, u32::MAX - 1);
        assert_eq!(t.rcv_nxt, Seq(0));
        let out = arrive(&t, seg(Flags::FIN_ACK, u32::MAX, t.snd_una.0));
        assert_eq!(out.tcb.state, st);
        assert_acked_and_dropped(&out, &t);
    }
}

/// RFC 9293 §3.10.7.4 eighth: only a FIN at RCV.NXT is processed; one beyond a gap is held (or
/// dropped) and the state does not change. As an out-of-order segment it should draw an
/// immediate duplicate ACK: RFC 9293 §3.8.6.3 points to RFC 5681 §4.2 "including
/// recommendations to immediately acknowledge out-of-order segments, segments above a gap in
/// sequence space" ("A TCP receiver SHOULD send an immediate duplicate ACK when an out-of-order
/// segment arrives"); §3.10.7.4 seventh makes it a MAY for text. The model does so for an
/// out-of-order byte (`out_of_order_data_acked_not_delivered`) but not for a bare FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# A TCP implementation MAY send an ACK segment acknowledging RCV.NXT when a valid segment arrives
//# that is in the window but not at the left window edge (MAY-13).
#[test]
fn out_of_order_fin_not_processed_draws_duplicate_ack() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    let out = arrive(&t, seg(Flags::FIN_ACK, 0, 101));
    assert_eq!(out.tcb, t);
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(out.send, Some(seg(Flags::ACK, 101, u32::MAX)));
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.7.4 eighth: the state-only part of the out-of-order FIN case: it is not
/// processed (no CLOSE-WAIT, no "connection closing").
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In the following it is assumed that the segment is the idealized segment that begins at RCV.NXT
//# and does not exceed the window.
#[test]
fn out_of_order_fin_not_processed() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1);
    let out = arrive(&t, seg(Flags::FIN_ACK, 0, 101));
    assert_eq!(out.tcb, t);
    assert_eq!(out.tcb.state, State::Established);
    assert!(!out.tcb.fin_rcvd);
    assert!(out.events.is_empty());
}
