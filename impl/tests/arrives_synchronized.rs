//! RFC 9293 §3.10.7.4: SEGMENT ARRIVES in SYN-RECEIVED and the synchronized states, step by
//! step (Table 6 incl. zero window, RST, SYN, ACK, text, FIN), in the default configuration
//! (RFC 5961 profile, RFC 1337 on); profiles.rs covers the differences. The SEG.ACK > SND.NXT
//! rule is in profiles.rs too.

mod common;

use common::*;
use std::time::Duration;
use synfin_tcp::State::*;
use synfin_tcp::{Event, Flags};

/// ESTABLISHED with a 10-octet receive buffer that the peer has filled: RCV.WND = 0,
/// RCV.NXT = IRS+11. We have sent 4 octets (SND.NXT = ISS+5), not yet acknowledged.
fn zero_window() -> Tcp {
    let mut t = Setup::new().recv_buffer(10).build(Established);
    t.conn.send(t.now, b"ping").unwrap();
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"0123456789");
    t.events();
    assert_eq!(t.conn.tcb().rcv_wnd, 0);
    t
}

// ---- First: the sequence number (Table 6) ----------------------------------------------

/// Table 6, length 0, RCV.WND > 0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND is acceptable (here
/// shown by the window update it carries); outside, "an acknowledgment should be sent in reply
/// `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`" and the segment dropped.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# There are four cases for the acceptability test for an incoming segment:
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If an incoming segment is not acceptable, an acknowledgment should be sent in reply (unless the
//# RST bit is set, if so drop the segment and return): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# After sending the acknowledgment, drop the unacceptable segment and return.
#[test]
fn empty_segment_acceptable_only_inside_the_receive_window() {
    let mut t = at(Established);
    let (nxt, una) = (t.rcv_nxt, t.snd_nxt);
    t.peer_wnd = 1111;
    let out = t.arrive(ACK, nxt - 1, una, b"");
    assert_segs(&out, &[ack(una, nxt)]);
    let out = t.arrive(ACK, nxt + 65535, una, b"");
    assert_segs(&out, &[ack(una, nxt)]);
    assert_eq!(t.conn.tcb().snd_wnd, 65535, "dropped: no update");
    t.quiet(ACK, nxt, una, b"");
    assert_eq!(t.conn.tcb().snd_wnd, 1111);
    t.peer_wnd = 2222;
    t.quiet(ACK, nxt + 65534, una, b"");
    assert_eq!(t.conn.tcb().snd_wnd, 2222);
    assert_eq!(t.state(), Established);
}

/// Table 6, length > 0, RCV.WND > 0: acceptable if its first or its last octet is in the window;
/// "If a segment's contents straddle the boundary between old and new, only the new parts are
/// processed." An entirely old segment is acknowledged and dropped.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If a segment's contents straddle the boundary between old and new, only the new parts are
//# processed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# A segment is judged to occupy a portion of valid receive sequence space if RCV.NXT =< SEG.SEQ <
//# RCV.NXT+RCV.WND or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
#[test]
fn data_straddling_the_left_edge_is_trimmed_and_old_data_is_acked() {
    let mut t = at(Established);
    let (nxt, una) = (t.rcv_nxt, t.snd_nxt);
    let out = t.arrive(ACK, nxt - 5, una, b"old!!");
    assert_segs(&out, &[ack(una, nxt)]);
    assert_eq!(t.events(), []);
    let out = t.arrive(ACK, nxt - 3, una, b"oldNEWER");
    assert_segs(&out, &[ack(una, nxt + 5)]);
    assert_eq!(t.events(), [Event::Readable]);
    assert_eq!(t.read_all(), b"NEWER");
    let out = t.arrive(ACK, nxt + 5 + 65535, una, b"far");
    assert_segs(&out, &[ack(una, nxt + 5)]);
}

/// Table 6 and "trimming off any portions that lie outside the window": of 15 octets at
/// RCV.NXT with RCV.WND = 10, the first 10 are taken.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# One could tailor actual segments to fit this assumption by trimming off any portions that lie
//# outside the window (including SYN and FIN)
#[test]
fn data_past_the_right_edge_is_trimmed_to_the_window() {
    let mut t = Setup::new().recv_buffer(10).build(Established);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"0123456789abcde");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 11))]);
    assert_eq!(out[0].window, 0);
    assert_eq!(t.read_all(), b"0123456789");
}

/// Table 6, RCV.WND = 0: length 0 is acceptable only at SEG.SEQ = RCV.NXT; anything else draws
/// `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
//# When the receiving TCP peer has a zero window and a segment arrives, it must still send an
//# acknowledgment showing its next expected sequence number and current window (zero).
#[test]
fn zero_window_accepts_only_empty_segments_at_rcv_nxt() {
    let mut t = zero_window();
    let (una, nxt) = (s(ISS + 5), s(IRS + 11));
    t.quiet(ACK, nxt, una, b"");
    assert_eq!(t.conn.tcb().snd_una, una);
    let out = t.arrive(ACK, nxt + 1, una, b"");
    assert_segs(&out, &[ack(una, nxt)]);
    assert_eq!(out[0].window, 0);
}

/// Table 6, length > 0 and RCV.WND = 0: "not acceptable", but "special allowance should be
/// made to accept valid ACKs": the ACK is processed, the text is not, and RCV.NXT is re-sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made to
//# accept valid ACKs, URGs, and RSTs.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# Note that when the receive window is zero no segments should be acceptable except ACK segments.
//# Thus, it is possible for a TCP implementation to maintain a zero receive window while
//# transmitting data and receiving ACKs.
#[test]
fn zero_window_takes_the_ack_of_a_data_segment_but_not_its_text() {
    let mut t = zero_window();
    let nxt = s(IRS + 11);
    let out = t.arrive(ACK, nxt, s(ISS + 5), b"more");
    assert_segs(&out, &[ack(s(ISS + 5), nxt)]);
    assert_eq!(t.conn.tcb().snd_una, s(ISS + 5));
    assert_eq!(t.conn.tcb().rcv_nxt, nxt);
    assert_eq!(t.events(), []);
}

/// Table 6: a FIN occupies sequence space, so with RCV.WND = 0 it is "not acceptable" and the
/// allowance covers only "ACKs, URGs, and RSTs": the FIN is not processed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made to
//# accept valid ACKs, URGs, and RSTs.
#[test]
fn zero_window_does_not_take_a_fin() {
    let mut t = zero_window();
    let out = t.arrive(FIN | ACK, s(IRS + 11), s(ISS + 5), b"");
    assert_segs(&out, &[ack(s(ISS + 5), s(IRS + 11))]);
    assert_eq!(t.conn.tcb().snd_una, s(ISS + 5));
    t.check(Established, &[]);
}

/// Table 6, RCV.WND = 0, and the "special allowance ... to accept valid ... RSTs".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# A TCP receiver MUST process the RST and URG fields of all incoming segments, even when the
//# receive window is zero (MUST-66).
#[test]
fn zero_window_rst_at_rcv_nxt_resets() {
    let mut t = zero_window();
    t.quiet(RST, s(IRS + 11), s(0), b"");
    t.check(Closed, &[Event::Reset]);
}

/// First step: unacceptable RSTs are dropped without a reply, in every synchronized state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number is outside the current receive window, silently
//# drop the segment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# In all states except SYN-SENT, all reset (RST) segments are validated by checking their SEQ
//# fields. A reset is valid if its sequence number is in the window.
#[test]
fn rst_outside_the_window_is_silently_dropped_in_every_state() {
    for (name, mut t) in synchronized(Setup::new()) {
        eprintln!("in {name}");
        let st = t.state();
        let nxt = t.rcv_nxt;
        t.quiet(RST, nxt + 70000, s(0), b"");
        t.quiet(RST, nxt - 1, s(0), b"");
        t.check(st, &[]);
    }
}

/// The first step also recovers a lost handshake ACK: a retransmitted SYN,ACK in ESTABLISHED
/// lies left of RCV.NXT and is answered with `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# any unacceptable segment (out-of-window sequence number or unacceptable acknowledgment number)
//# must be responded to with an empty acknowledgment segment (without any user data) containing the
//# current send sequence number and an acknowledgment indicating the next sequence number expected
//# to be received, and the connection remains in the same state.
#[test]
fn retransmitted_syn_ack_in_established_is_acked_again() {
    let mut t = at(Established);
    let out = t.arrive(SYN | ACK, s(IRS), s(ISS + 1), b"");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 1))]);
    t.check(Established, &[]);
}

// ---- Second: the RST bit (at exactly RCV.NXT, which both profiles take) ----------------

/// SYN-RECEIVED from a passive OPEN: "return this connection to LISTEN state and return. The
/// user need not be informed"; "the retransmission queue should be flushed". (MUST-11.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If this connection was initiated with a passive OPEN (i.e., came from the LISTEN state), then
//# return this connection to LISTEN state and return. The user need not be informed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In either case, the retransmission queue should be flushed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# If the receiver was in SYN-RECEIVED state and had previously been in the LISTEN state, then the
//# receiver returns to the LISTEN state
#[test]
fn syn_received_passive_rst_returns_to_listen() {
    let mut t = Setup::new().passive().build(SynReceived);
    t.quiet(RST, s(IRS + 1), s(0), b"");
    t.check(Listen, &[]);
    assert_eq!(t.conn.remote(), None, "unspecified again");
    assert_eq!(t.conn.poll_timeout(), None, "no SYN,ACK left to retransmit");
    let out = t.arrive(SYN, s(IRS + 100), s(0), b"");
    assert_segs(&out, &[syn_ack(s(ISS), s(IRS + 101))]);
}

/// SYN-RECEIVED from an active OPEN: "the connection was refused; signal the user 'connection
/// refused'... enter the CLOSED state and delete the TCB".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If this connection was initiated with an active OPEN (i.e., came from SYN-SENT state), then the
//# connection was refused; signal the user "connection refused".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# And in the active OPEN case, enter the CLOSED state and delete the TCB, and return.
#[test]
fn syn_received_active_rst_is_refused() {
    let mut t = Setup::new().active().build(SynReceived);
    t.quiet(RST, s(IRS + 1), s(0), b"");
    t.check(Closed, &[Event::Refused]);
    assert_eq!(t.conn.poll_timeout(), None);
}

/// ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: "Users should also receive an unsolicited
/// general 'connection reset' signal. Enter the CLOSED state, delete the TCB".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Users should also receive an unsolicited general "connection reset" signal. Enter the CLOSED
//# state, delete the TCB, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# If the local TCP connection is closed by the remote side due to a FIN or RST received from the
//# remote side, then the local application MUST be informed whether it closed normally or was
//# aborted (MUST-12).
#[test]
fn rst_resets_established_fin_wait_and_close_wait() {
    for st in [Established, FinWait1, FinWait2, CloseWait] {
        let mut t = at(st);
        t.quiet(RST, t.rcv_nxt, s(0), b"");
        t.check(Closed, &[Event::Reset]);
        assert_eq!(t.conn.poll_timeout(), None, "timers go with the TCB");
    }
}

/// CLOSING, LAST-ACK: "If the RST bit is set, then enter the CLOSED state, delete the TCB".
/// (TIME-WAIT is in profiles.rs: RFC 1337 changes it.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
#[test]
fn rst_closes_closing_and_last_ack() {
    for st in [Closing, LastAck] {
        let mut t = at(st);
        t.quiet(RST, t.rcv_nxt, s(0), b"");
        t.check(Closed, &[Event::Closed]);
    }
}

/// §3.10.7.4 second, ESTABLISHED: "All segment queues should be flushed": text received but
/// not yet read is gone after a reset.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# All segment queues should be flushed.
#[test]
fn rst_flushes_the_receive_queue() {
    let mut t = at(Established);
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"unread");
    t.arrive(RST, s(IRS + 7), s(0), b"");
    assert_eq!(t.state(), Closed);
    assert_eq!(t.conn.recv_queue_len(), 0);
}

// ---- Fourth: the SYN bit ---------------------------------------------------------------

/// A retransmitted SYN in SYN-RECEIVED occupies IRS, left of RCV.NXT = IRS+1: the first step
/// finds it unacceptable and answers `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the SYN is not in the window, this step would not be reached and an ACK would have been sent
//# in the first step (sequence number check).
#[test]
fn syn_received_retransmitted_syn_fails_the_sequence_check() {
    let mut t = Setup::new().passive().build(SynReceived);
    let out = t.arrive(SYN, s(IRS), s(0), b"");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 1))]);
    assert_eq!(t.state(), SynReceived);
}

/// Other synchronized states (and SYN-RECEIVED from an active OPEN), RFC 5961 §4: "if the SYN
/// bit is set, irrespective of the sequence number, TCP endpoints MUST send a 'challenge ACK'
/// `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`" and drop the segment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# RFC 5961 recommends that in these synchronized states, if the SYN bit is set, irrespective of
//# the sequence number, TCP endpoints MUST send a "challenge ACK" to the remote peer:
//# <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# After sending the acknowledgment, TCP implementations MUST drop the unacceptable segment and
//# stop processing further.
#[test]
fn syn_in_a_synchronized_state_draws_a_challenge_ack() {
    for (name, mut t) in synchronized(Setup::new()).into_iter().skip(1) {
        eprintln!("in {name}");
        let st = t.state();
        let out = t.arrive(SYN, t.rcv_nxt + 10, s(0), b"");
        assert_segs(&out, &[ack(t.snd_nxt, t.rcv_nxt)]);
        t.check(st, &[]);
    }
}

// ---- Fifth: the ACK field --------------------------------------------------------------

/// "if the ACK bit is off, drop the segment and return".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# if the ACK bit is off, drop the segment and return
#[test]
fn segment_without_ack_bit_is_dropped() {
    for st in [SynReceived, Established] {
        let mut t = Setup::new().passive().build(st);
        t.quiet(Flags::PSH, t.rcv_nxt, s(0), b"data");
        t.quiet(FIN, t.rcv_nxt, s(0), b"");
        assert_eq!(t.state(), st);
        assert_eq!(t.conn.tcb().rcv_nxt, t.rcv_nxt);
        assert_eq!(t.events(), []);
    }
}

/// SYN-RECEIVED: "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state" with SND.WND
/// <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK, whichever OPEN it came from.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing with the
//# variables below set to: SND.WND <- SEG.WND SND.WL1 <- SEG.SEQ SND.WL2 <- SEG.ACK
#[test]
fn syn_received_acceptable_ack_establishes() {
    for setup in [Setup::new().passive(), Setup::new().active()] {
        let mut t = setup.peer_wnd(3000).build(SynReceived);
        t.peer_wnd = 2500;
        t.quiet(ACK, s(IRS + 1), s(ISS + 1), b"");
        t.check(Established, &[Event::Connected]);
        let tcb = *t.conn.tcb();
        assert_eq!((tcb.snd_una, tcb.snd_wnd), (s(ISS + 1), 2500));
        assert_eq!((tcb.snd_wl1, tcb.snd_wl2), (s(IRS + 1), s(ISS + 1)));
    }
}

/// SYN-RECEIVED: "If the segment acknowledgment is not acceptable, form a reset segment
/// `<SEQ=SEG.ACK><CTL=RST>` and send it" (the state stays). SEG.ACK = SND.UNA is in RFC 5961's
/// acceptable range, so both profiles reach this rule.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# and send it.
#[test]
fn syn_received_unacceptable_ack_gets_rst_at_seg_ack() {
    let mut t = Setup::new().passive().build(SynReceived);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS), b"x");
    assert_segs(&out, &[rst(s(ISS))]);
    t.check(SynReceived, &[]);
}

/// ESTABLISHED: "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any segments on
/// the retransmission queue that are thereby entirely acknowledged are removed."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any segments on the retransmission
//# queue that are thereby entirely acknowledged are removed.
#[test]
fn established_ack_of_sent_data_advances_snd_una() {
    let mut t = at(Established);
    t.conn.send(t.now, b"0123456789").unwrap();
    assert_segs(&t.out(), &[data(s(ISS + 1), s(IRS + 1), 10)]);
    assert!(t.conn.poll_timeout().is_some());
    t.quiet(ACK, s(IRS + 1), s(ISS + 6), b"");
    assert_eq!(t.conn.tcb().snd_una, s(ISS + 6));
    assert_eq!(t.conn.send_queue_len(), 5);
    t.quiet(ACK, s(IRS + 1), s(ISS + 11), b"");
    assert_eq!(t.conn.tcb().snd_una, s(ISS + 11));
    assert_eq!(t.conn.send_queue_len(), 0);
    assert_eq!(t.conn.poll_timeout(), None, "nothing left to retransmit");
}

/// ESTABLISHED: "If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored"; the rest
/// of the segment is still processed (within RFC 5961's SND.UNA - MAX.SND.WND bound).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored.
#[test]
fn established_duplicate_ack_is_ignored_but_its_text_is_taken() {
    let mut t = at(Established);
    t.conn.send(t.now, b"0123456789").unwrap();
    t.out();
    t.arrive(ACK, s(IRS + 1), s(ISS + 11), b"");
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 5), b"text");
    assert_segs(&out, &[ack(s(ISS + 11), s(IRS + 5))]);
    assert_eq!(t.conn.tcb().snd_una, s(ISS + 11));
    assert_eq!(t.read_all(), b"text");
}

/// ESTABLISHED: the send window is updated only "If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ
/// and SND.WL2 =< SEG.ACK))": an older segment (here one straddling RCV.NXT) does not.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated. If (SND.WL1 < SEG.SEQ or
//# (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and
//# set SND.WL2 <- SEG.ACK.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# The check here prevents using old segments to update the window.
#[test]
fn window_is_not_updated_from_an_older_segment() {
    let mut t = at(Established);
    t.peer_wnd = 100;
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"aaaaa");
    t.peer_wnd = 200;
    t.arrive(ACK, s(IRS + 6), s(ISS + 1), b"bbbbb");
    assert_eq!(t.conn.tcb().snd_wnd, 200);
    assert_eq!(t.conn.tcb().snd_wl1, s(IRS + 6));
    t.peer_wnd = 7;
    let out = t.arrive(ACK, s(IRS + 4), s(ISS + 1), b"aabbbbbccc");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 14))]);
    assert_eq!(t.conn.tcb().snd_wnd, 200);
}

/// FIN-WAIT-1: "if the FIN segment is now acknowledged, then enter FIN-WAIT-2"; an ACK short of
/// the FIN leaves FIN-WAIT-1.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In addition to the processing for the ESTABLISHED state, if the FIN segment is now acknowledged,
//# then enter FIN-WAIT-2 and continue processing in that state.
#[test]
fn fin_wait_1_enters_fin_wait_2_when_our_fin_is_acked() {
    let mut t = at(Established);
    t.conn.send(t.now, b"12345").unwrap();
    t.conn.close(t.now).unwrap();
    assert_data_then_fin(&t.out(), s(ISS + 1), s(IRS + 1), 5);
    t.quiet(ACK, s(IRS + 1), s(ISS + 6), b"");
    assert_eq!(t.state(), FinWait1);
    t.quiet(ACK, s(IRS + 1), s(ISS + 7), b"");
    t.check(FinWait2, &[]);
}

/// CLOSING: "if the ACK acknowledges our FIN, then enter the TIME-WAIT state; otherwise, ignore
/// the segment". TIME-WAIT lasts 2*MSL (MUST-13) with "the other timers" off.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In addition to the processing for the ESTABLISHED state, if the ACK acknowledges our FIN, then
//# enter the TIME-WAIT state; otherwise, ignore the segment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
//# (Maximum Segment Lifetime) (MUST-13).
#[test]
fn closing_enters_time_wait_only_on_the_ack_of_our_fin() {
    let mut t = at(Closing);
    t.quiet(ACK, s(IRS + 2), s(ISS + 1), b"");
    assert_eq!(t.state(), Closing);
    t.now = t.now + Duration::from_millis(300);
    t.quiet(ACK, s(IRS + 2), s(ISS + 2), b"");
    assert_eq!(t.state(), TimeWait);
    assert_eq!(t.conn.poll_timeout(), Some(t.now + TWO_MSL));
    assert_eq!(t.events(), []);
}

/// LAST-ACK: "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# The only thing that can arrive in this state is an acknowledgment of our FIN. If our FIN is now
//# acknowledged, delete the TCB, enter the CLOSED state, and return.
#[test]
fn last_ack_closes_on_the_ack_of_our_fin() {
    let mut t = at(LastAck);
    t.quiet(ACK, s(IRS + 2), s(ISS + 1), b"");
    assert_eq!(t.state(), LastAck);
    t.quiet(ACK, s(IRS + 2), s(ISS + 2), b"");
    t.check(Closed, &[Event::Closed]);
    assert_eq!(t.conn.poll_timeout(), None);
}

/// TIME-WAIT: "The only thing that can arrive in this state is a retransmission of the remote
/// FIN. Acknowledge it, and restart the 2 MSL timeout."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# The only thing that can arrive in this state is a retransmission of the remote FIN. Acknowledge
//# it, and restart the 2 MSL timeout.
#[test]
fn time_wait_acks_a_retransmitted_fin_and_restarts_2msl() {
    let mut t = at(TimeWait);
    t.advance(Duration::from_secs(60));
    let out = t.arrive(FIN | ACK, s(IRS + 1), s(ISS + 2), b"");
    assert_segs(&out, &[ack(s(ISS + 2), s(IRS + 2))]);
    assert_eq!(t.state(), TimeWait);
    assert_eq!(t.conn.poll_timeout(), Some(t.now + TWO_MSL));
}

// ---- Seventh: the segment text ---------------------------------------------------------

/// ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2: deliver, advance RCV.NXT, adjust RCV.WND to the buffer,
/// and send `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>` (half-close: data flows in after our FIN).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Once the TCP endpoint takes responsibility for the data, it advances RCV.NXT over the data
//# accepted, and adjusts RCV.WND as appropriate to the current buffer availability.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Send an acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# Since the two directions of a TCP connection are closed independently, it is possible for a
//# connection to be "half closed", i.e., closed in only one direction, and a host is permitted to
//# continue sending data in the open direction on a half-closed connection.
#[test]
fn text_is_delivered_and_acked_in_established_and_fin_wait_states() {
    for st in [Established, FinWait1, FinWait2] {
        let mut t = at(st);
        let una = t.conn.tcb().snd_una;
        let out = t.arrive(ACK, t.rcv_nxt, una, b"hello");
        assert_segs(&out, &[ack(t.snd_nxt, t.rcv_nxt + 5)]);
        assert_eq!(out[0].window, 65530, "RCV.WND less what is buffered");
        t.check(st, &[Event::Readable]);
        assert_eq!(t.read_all(), b"hello");
    }
}

/// Sequence numbers are modulo 2^32 (§3.4): data and FIN across the wrap, both directions.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10
//# Please note in the following that all arithmetic on sequence numbers, acknowledgment numbers,
//# windows, et cetera, is modulo 2^32 (the size of the sequence number space).
#[test]
fn text_and_acks_wrap_around_2_32() {
    let setup = Setup::new().isns(u32::MAX - 1, u32::MAX - 2);
    let mut t = setup.build(Established);
    t.conn.send(t.now, b"abcd").unwrap();
    assert_segs(&t.out(), &[data(s(u32::MAX), s(u32::MAX - 1), 4)]);
    let out = t.arrive(FIN | ACK, s(u32::MAX - 1), s(3), b"wxyz");
    assert_segs(&out, &[ack(s(3), s(3))]);
    assert_eq!((t.conn.tcb().snd_una, t.state()), (s(3), CloseWait));
    assert_eq!(t.read_all(), b"wxyz");
}

/// "Segments with higher beginning sequence numbers SHOULD be held for later processing
/// (SHLD-31)". This endpoint does not hold them (a documented simplification): in-window text
/// after a gap is dropped and draws a duplicate ACK; the peer's retransmission fills it.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# A TCP implementation MAY send an ACK segment acknowledging RCV.NXT when a valid segment arrives
//# that is in the window but not at the left window edge (MAY-13).
#[test]
fn out_of_order_text_is_dropped_with_a_duplicate_ack() {
    let mut t = at(Established);
    let out = t.arrive(ACK, s(IRS + 6), s(ISS + 1), b"world");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 1))]);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"hello");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 6))]);
    let out = t.arrive(ACK, s(IRS + 6), s(ISS + 1), b"world");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 11))]);
    assert_eq!(t.read_all(), b"helloworld");
}

/// CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: "This should not occur since a FIN has been
/// received from the remote side. Ignore the segment text."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# This should not occur since a FIN has been received from the remote side. Ignore the segment
//# text.
#[test]
fn text_after_the_peer_fin_is_ignored() {
    for st in [CloseWait, Closing, LastAck, TimeWait] {
        let mut t = at(st);
        let una = t.conn.tcb().snd_una;
        t.quiet(ACK, t.rcv_nxt, una, b"late");
        assert_eq!((t.state(), t.conn.tcb().rcv_nxt), (st, t.rcv_nxt));
        assert_eq!((t.events(), t.conn.recv_queue_len()), (vec![], 0), "{st}");
    }
}

// ---- Eighth: the FIN bit ---------------------------------------------------------------

/// SYN-RECEIVED (through the ACK step) and ESTABLISHED: "signal the user 'connection closing'
/// ..., advance RCV.NXT over the FIN, and send an acknowledgment for the FIN", CLOSE-WAIT.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the FIN bit is set, signal the user "connection closing" and return any pending RECEIVEs with
//# same message, advance RCV.NXT over the FIN, and send an acknowledgment for the FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Enter the CLOSE-WAIT state.
#[test]
fn fin_in_established_and_syn_received_enters_close_wait() {
    let mut t = at(Established);
    let out = t.arrive(FIN | ACK, s(IRS + 1), s(ISS + 1), b"");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 2))]);
    t.check(CloseWait, &[Event::PeerClosed]);

    let mut t = Setup::new().passive().build(SynReceived);
    let out = t.arrive(FIN | ACK, s(IRS + 1), s(ISS + 1), b"hi");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 4))]);
    assert_eq!(t.state(), CloseWait);
    let ev = [Event::Connected, Event::Readable, Event::PeerClosed];
    assert_eq!(t.events(), ev);
}

/// A FIN is processed only once everything before it is in: one past a gap leaves RCV.NXT and
/// the state alone (at most a duplicate ACK, MAY-13).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# and only processing further if the segment then begins at RCV.NXT.
#[test]
fn fin_beyond_rcv_nxt_is_not_processed() {
    let mut t = at(Established);
    let out = t.arrive(FIN | ACK, s(IRS + 6), s(ISS + 1), b"");
    let dup = ack(s(ISS + 1), s(IRS + 1));
    assert!(out.len() <= 1 && shows(&out).iter().all(|x| *x == dup));
    assert_eq!((t.state(), t.conn.tcb().rcv_nxt), (Established, s(IRS + 1)));
    assert_eq!(t.events(), []);
}

/// FIN-WAIT-1: "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT,
/// start the time-wait timer, turn off the other timers; otherwise, enter the CLOSING state."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start the time-wait
//# timer, turn off the other timers; otherwise, enter the CLOSING state.
#[test]
fn fin_in_fin_wait_1_enters_closing_or_time_wait() {
    let mut t = at(FinWait1);
    let out = t.arrive(FIN | ACK, s(IRS + 1), s(ISS + 1), b"");
    assert_segs(&out, &[ack(s(ISS + 2), s(IRS + 2))]);
    t.check(Closing, &[Event::PeerClosed]);

    let mut t = at(FinWait1);
    let out = t.arrive(FIN | ACK, s(IRS + 1), s(ISS + 2), b"");
    assert_segs(&out, &[ack(s(ISS + 2), s(IRS + 2))]);
    t.check(TimeWait, &[Event::PeerClosed]);
    assert_eq!(t.conn.poll_timeout(), Some(t.now + TWO_MSL));
}

/// FIN-WAIT-2: "Enter the TIME-WAIT state. Start the time-wait timer, turn off the other
/// timers."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers.
#[test]
fn fin_in_fin_wait_2_enters_time_wait() {
    let mut t = at(FinWait2);
    t.now = t.now + Duration::from_secs(3);
    let out = t.arrive(FIN | ACK, s(IRS + 1), s(ISS + 2), b"");
    assert_segs(&out, &[ack(s(ISS + 2), s(IRS + 2))]);
    t.check(TimeWait, &[Event::PeerClosed]);
    assert_eq!(t.conn.poll_timeout(), Some(t.now + TWO_MSL));
}

/// CLOSE-WAIT, CLOSING, LAST-ACK "Remain": a retransmitted FIN (at RCV.NXT-1) fails the first
/// step and is acknowledged with `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Remain in the CLOSE-WAIT state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Remain in the CLOSING state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Remain in the LAST-ACK state.
#[test]
fn retransmitted_fin_is_acked_after_the_peer_closed() {
    for st in [CloseWait, Closing, LastAck] {
        let mut t = at(st);
        let una = t.conn.tcb().snd_una;
        let out = t.arrive(FIN | ACK, s(IRS + 1), una, b"");
        assert_segs(&out, &[ack(t.snd_nxt, s(IRS + 2))]);
        assert_eq!(t.state(), st);
        assert_eq!(t.events(), [], "'connection closing' came once");
    }
}
