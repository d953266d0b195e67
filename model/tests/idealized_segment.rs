//! RFC 9293 §3.10.7.4 processes "the idealized segment that begins at RCV.NXT and does not
//! exceed the window": text before RCV.NXT (a segment straddling old and new octets) and text
//! past the right edge are trimmed off; with a zero window, "special allowance should be made
//! to accept valid ACKs, URGs, and RSTs" at RCV.NXT, their text dropped.

use synfin_model::rules::{self, Event, Outcome};
use synfin_model::{Flags, Reading, Segment, Seq, State, Tcb};

mod common;
use common::tcb_in;

fn arrive_in_window(t: &Tcb, s: Segment, window: u32) -> Outcome {
    let profile = Reading {
        window,
        ..Reading::default()
    };
    rules::segment_arrives(t, &s, &profile)
}

/// Text one octet before RCV.NXT and two at and after it: the two new octets are delivered,
/// across the wrap of 2^32.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If a segment's contents straddle the boundary between old and new, only the new parts are
//# processed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Once the TCP endpoint takes responsibility for the data, it advances RCV.NXT over the data
//# accepted,
#[test]
fn straddling_text_delivers_only_the_new_octets() {
    let t = tcb_in(State::Established, 100, u32::MAX - 1); // RCV.NXT = 2^32 - 1
    let seg = Segment::new(Flags::ACK, Seq(u32::MAX - 1), Seq(101)).with_len(3);
    let out = arrive_in_window(&t, seg, 65535);
    assert_eq!(
        out.tcb.rcv_nxt,
        Seq(1),
        "RCV.NXT advances past the two new octets"
    );
    assert_eq!(out.tcb.delivered, 2);
    assert!(out.events.contains(Event::Data));
    assert_eq!(out.send, Some(Segment::new(Flags::ACK, Seq(101), Seq(1))));
}

/// Three octets at RCV.NXT into a window of two: two are taken, and the FIN after them lies
/// beyond the window and is not processed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In the following it is assumed that the segment is the idealized segment that begins at RCV.NXT
//# and does not exceed the window. One could tailor actual segments to fit this assumption by
//# trimming off any portions that lie outside the window (including SYN and FIN) and only
//# processing further if the segment then begins at RCV.NXT.
#[test]
fn text_past_the_right_edge_is_trimmed_with_its_fin() {
    let t = tcb_in(State::Established, 100, 7000); // RCV.NXT = 7001
    let seg = Segment::new(Flags::FIN_ACK, Seq(7001), Seq(101)).with_len(3);
    let out = arrive_in_window(&t, seg, 2);
    assert_eq!(out.tcb.rcv_nxt, Seq(7003));
    assert_eq!(out.tcb.state, State::Established, "the FIN was trimmed");
    assert!(!out.tcb.fin_rcvd);
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::ACK, Seq(101), Seq(7003)))
    );
}

/// Zero window: an ACK at RCV.NXT that carries text acknowledges our FIN (FIN-WAIT-1 to
/// FIN-WAIT-2); its text is not taken and draws an ACK.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made to
//# accept valid ACKs, URGs, and RSTs.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# Thus, it is possible for a TCP implementation to maintain a zero receive window while
//# transmitting data and receiving ACKs.
#[test]
fn zero_window_takes_the_ack_of_a_segment_with_text() {
    let t = tcb_in(State::FinWait1, 100, 7000); // SND.NXT = 102, RCV.NXT = 7001
    let seg = Segment::new(Flags::ACK, Seq(7001), Seq(102)).with_len(1);
    let out = arrive_in_window(&t, seg, 0);
    assert_eq!(out.tcb.state, State::FinWait2);
    assert_eq!(out.tcb.snd_una, Seq(102));
    assert_eq!(out.tcb.rcv_nxt, Seq(7001), "no text taken");
    assert!(!out.events.contains(Event::Data));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::ACK, Seq(102), Seq(7001)))
    );
}

/// Zero window: a RST at RCV.NXT resets even with text in it; one elsewhere is dropped.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# A TCP receiver MUST process the RST and URG fields of all incoming segments, even when the
//# receive window is zero (MUST-66).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# TCP implementations SHOULD allow a received RST segment to include data (SHLD-2).
#[test]
fn zero_window_takes_a_rst_at_rcv_nxt_only() {
    let t = tcb_in(State::Established, 100, 7000);
    let at = Segment::new(Flags::RST, Seq(7001), Seq(0)).with_len(1);
    let out = arrive_in_window(&t, at, 0);
    assert_eq!(out.tcb.state, State::Closed);
    assert!(out.events.contains(Event::Reset));
    let off = Segment::new(Flags::RST, Seq(7002), Seq(0));
    let out = arrive_in_window(&t, off, 0);
    assert_eq!(out.tcb, t);
    assert_eq!(out.send, None);
}
