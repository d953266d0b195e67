//! RFC 9293 §3.10.7.1–§3.10.7.3: SEGMENT ARRIVES in CLOSED, LISTEN and SYN-SENT, and
//! `synfin_tcp::reset_for` (the CLOSED rule, for a demultiplexer with no connection).

mod common;

use common::*;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;
use synfin_tcp::pair::{ADDR_A, ADDR_B};
use synfin_tcp::State::*;
use synfin_tcp::{reset_for, Event, Flags, InputError, Packet};

// ---- §3.10.7.1 CLOSED ------------------------------------------------------------------

/// §3.10.7.1: "An incoming segment containing a RST is discarded."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# An incoming segment containing a RST is discarded.
#[test]
fn closed_discards_rst() {
    let mut t = at(Closed);
    assert_segs(&t.arrive(RST, s(IRS), s(0), b""), &[]);
    assert_segs(&t.arrive(RST | ACK, s(IRS), s(ISS), b""), &[]);
    assert_eq!(t.state(), Closed);
    assert_eq!(t.events(), []);
}

/// §3.10.7.1: ACK bit off: `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`; SEG.LEN counts the
/// SYN, the FIN and the data ("all data in the incoming segment is discarded").
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# all data in the incoming segment is discarded.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
#[test]
fn closed_answers_segment_without_ack_with_rst_ack_seq_zero() {
    let mut t = at(Closed);
    assert_segs(
        &t.arrive(SYN, s(IRS), s(0), b""),
        &[rst_ack(s(0), s(IRS + 1))],
    );
    let out = t.arrive(SYN | FIN, s(IRS), s(0), b"hello");
    assert_segs(&out, &[rst_ack(s(0), s(IRS + 7))]);
    assert_eq!(t.state(), Closed);
    assert_eq!(t.conn.recv_queue_len(), 0);
    assert_eq!(t.events(), []);
}

/// §3.10.7.1: ACK bit on: `<SEQ=SEG.ACK><CTL=RST>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>
#[test]
fn closed_answers_segment_with_ack_with_rst_at_seg_ack() {
    let mut t = at(Closed);
    assert_segs(&t.arrive(ACK, s(IRS), s(4242), b"data"), &[rst(s(4242))]);
    assert_segs(&t.arrive(FIN | ACK, s(IRS), s(7), b""), &[rst(s(7))]);
    assert_eq!(t.state(), Closed);
}

/// §3.10.7.1 applies to whoever sent the segment: the reset goes back to the sender's socket.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
//# An incoming segment not containing a RST causes a RST to be sent in response. The acknowledgment
//# and sequence field values are selected to make the reset sequence acceptable to the TCP endpoint
//# that sent the offending segment.
#[test]
fn closed_replies_to_any_sender() {
    let mut t = at(Closed);
    let stranger = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 7), 1234);
    let mut p = t.pkt(SYN, s(IRS), s(0), b"");
    p.src = stranger;
    t.conn.handle_packet(t.now, &p).unwrap();
    let reply = t.conn.poll_transmit().expect("a reset");
    assert_eq!((reply.src, reply.dst), (ADDR_A, stranger));
    assert_eq!(show(&reply.segment), rst_ack(s(0), s(IRS + 1)));
}

/// §3.10.8: "If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED
/// state" - after exactly 2*MSL (MUST-13); afterwards the §3.10.7.1 rule answers.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state, and
//# return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
//# (Maximum Segment Lifetime) (MUST-13).
#[test]
fn closed_after_time_wait_answers_like_no_connection() {
    let mut t = at(TimeWait);
    assert_eq!(t.conn.poll_timeout(), Some(T0 + TWO_MSL));
    t.advance(TWO_MSL - Duration::from_millis(1));
    assert_eq!(t.state(), TimeWait);
    t.advance(Duration::from_millis(1));
    assert_eq!(t.state(), Closed);
    assert_eq!(t.events(), [Event::Closed]);
    let out = t.arrive(ACK, s(IRS + 2), s(ISS + 2), b"");
    assert_segs(&out, &[rst(s(ISS + 2))]);
}

/// `reset_for` is the §3.10.7.1 rule: None for a RST, the two forms otherwise, addresses
/// swapped.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the connection does not exist (CLOSED), then a reset is sent in response to any incoming
//# segment except another reset.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the incoming segment has the ACK bit set, the reset takes its sequence number from the ACK
//# field of the segment; otherwise, the reset has sequence number zero and the ACK field is set to
//# the sum of the sequence number and segment length of the incoming segment.
#[test]
fn reset_for_follows_the_closed_rule() {
    let p = peer_packet(RST, s(IRS), s(0), 100, b"");
    assert_eq!(reset_for(&p), None);
    let p = peer_packet(RST | ACK, s(IRS), s(9), 100, b"");
    assert_eq!(reset_for(&p), None);

    let p = peer_packet(ACK, s(IRS), s(9), 100, b"xyz");
    let r = reset_for(&p).unwrap();
    assert_eq!((r.src, r.dst), (ADDR_A, ADDR_B));
    assert_eq!(show(&r.segment), rst(s(9)));
    assert!(r.segment.payload.is_empty());

    let p = peer_packet(SYN, s(IRS), s(0), 100, b"ab");
    let r = reset_for(&p).unwrap();
    assert_eq!(show(&r.segment), rst_ack(s(0), s(IRS + 3)));
}

/// §3.10.7.1 with sequence arithmetic modulo 2^32 (§3.4): SEG.SEQ+SEG.LEN wraps.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# Since the space is finite, all arithmetic dealing with sequence numbers must be performed modulo
//# 2^32.
#[test]
fn reset_for_wraps_seg_seq_plus_seg_len() {
    let p = peer_packet(SYN | FIN, s(u32::MAX - 1), s(0), 100, b"abc");
    let r: Packet = reset_for(&p).unwrap();
    assert_eq!(show(&r.segment), rst_ack(s(0), s(3)));
}

// ---- §3.10.7.2 LISTEN ------------------------------------------------------------------

/// §3.10.7.2 first: "An incoming RST should be ignored."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# An incoming RST should be ignored.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# If the receiver was in the LISTEN state, it ignores it.
#[test]
fn listen_ignores_rst() {
    let mut t = Setup::new().passive().build(Listen);
    assert_segs(&t.arrive(RST, s(IRS), s(0), b""), &[]);
    assert_segs(&t.arrive(RST | ACK, s(IRS), s(ISS), b""), &[]);
    assert_eq!(t.state(), Listen);
    assert_eq!(t.events(), []);
}

/// §3.10.7.2 second: "Any acknowledgment is bad ... `<SEQ=SEG.ACK><CTL=RST>`", checked before
/// the SYN, so a SYN,ACK is answered the same way.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# Any acknowledgment is bad if it arrives on a connection still in the LISTEN state. An acceptable
//# reset segment should be formed for any arriving ACK-bearing segment. The RST should be formatted
//# as follows: <SEQ=SEG.ACK><CTL=RST>
#[test]
fn listen_answers_any_ack_with_rst_at_seg_ack() {
    let mut t = Setup::new().passive().build(Listen);
    assert_segs(&t.arrive(ACK, s(IRS), s(777), b""), &[rst(s(777))]);
    assert_segs(&t.arrive(SYN | ACK, s(IRS), s(778), b""), &[rst(s(778))]);
    assert_eq!(t.state(), Listen);
    assert_eq!(t.events(), []);
}

/// §3.10.7.2 third: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, `<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>`,
/// SND.NXT = ISS+1, SND.UNA = ISS, SYN-RECEIVED; an unspecified remote socket is filled in.
/// The SYN carries our MSS (§3.7.1, SHLD-5: it differs from the default 536).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ,
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# ISS should be selected and a SYN segment sent of the form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# SND.NXT is set to ISS+1 and SND.UNA to ISS. The connection state should be changed to
//# SYN-RECEIVED.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# If the listen was not fully specified (i.e., the remote socket was not fully specified), then
//# the unspecified fields should be filled in now.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
//# TCP implementations SHOULD send an MSS Option in every SYN segment when its receive MSS differs
//# from the default 536 for IPv4 or 1220 for IPv6 (SHLD-5)
#[test]
fn listen_syn_selects_iss_and_sends_syn_ack() {
    let mut t = Setup::new().passive().build(Listen);
    assert_eq!(t.conn.remote(), None);
    let out = t.arrive(SYN, s(IRS), s(0), b"");
    assert_segs(&out, &[syn_ack(s(ISS), s(IRS + 1))]);
    assert_eq!(out[0].mss, Some(1460));
    assert_eq!(t.state(), SynReceived);
    assert_eq!(t.conn.remote(), Some(ADDR_B));
    let tcb = *t.conn.tcb();
    assert_eq!((tcb.irs, tcb.rcv_nxt), (s(IRS), s(IRS + 1)));
    assert_eq!(
        (tcb.iss, tcb.snd_una, tcb.snd_nxt),
        (s(ISS), s(ISS), s(ISS + 1))
    );
    assert_eq!(t.events(), []);
}

/// §3.10.7.2 third, with both ISNs at the top of the sequence space: RCV.NXT = IRS+1 wraps
/// to 0 (§3.4, arithmetic modulo 2^32).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
//# Since the space is finite, all arithmetic dealing with sequence numbers must be performed modulo
//# 2^32.
#[test]
fn listen_syn_at_top_of_sequence_space_wraps_rcv_nxt() {
    let mut t = Setup::new()
        .passive()
        .isns(u32::MAX - 1, u32::MAX)
        .build(Listen);
    let out = t.arrive(SYN, s(u32::MAX), s(0), b"");
    assert_segs(&out, &[syn_ack(s(u32::MAX - 1), s(0))]);
    assert_eq!(t.conn.tcb().rcv_nxt, s(0));
    assert_eq!(t.conn.tcb().snd_nxt, s(u32::MAX));
}

/// §3.10.7.2 fourth: other text or control (no SYN, RST or ACK): "Drop the segment and
/// return."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2
//# This should not be reached. Drop the segment and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Do not process the FIN if the state is CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ cannot be
//# validated; drop the segment and return.
#[test]
fn listen_drops_segment_without_syn_rst_or_ack() {
    let mut t = Setup::new().passive().build(Listen);
    assert_segs(&t.arrive(FIN, s(IRS), s(0), b""), &[]);
    assert_segs(&t.arrive(Flags::PSH, s(IRS), s(0), b"data"), &[]);
    assert_eq!(t.state(), Listen);
    assert_eq!(t.events(), []);
}

/// §3.10.1: a passive OPEN may name the foreign socket; then only it can connect (a SYN from
/// elsewhere is not for this connection: the caller's demultiplexer answers it).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
//# A passive OPEN may have either a fully specified remote socket to wait for a particular
//# connection or an unspecified remote socket to wait for any call.
#[test]
fn listen_with_specified_foreign_socket_takes_syn_only_from_it() {
    let mut t = Setup::new().build(Closed);
    t.conn.open_passive(Some(ADDR_B)).unwrap();
    let mut other = t.pkt(SYN, s(IRS), s(0), b"");
    other.src = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 7), 80);
    assert_eq!(
        t.conn.handle_packet(t.now, &other),
        Err(InputError::NotOurs)
    );
    assert_segs(&t.out(), &[]);
    assert_eq!(t.state(), Listen);
    let out = t.arrive(SYN, s(IRS), s(0), b"");
    assert_segs(&out, &[syn_ack(s(ISS), s(IRS + 1))]);
    assert_eq!(t.state(), SynReceived);
}

/// §3.10.7.2 third: "any other control or text should be queued for processing later". This
/// endpoint does not queue it (a documented simplification): RCV.NXT covers only the SYN, so
/// the text stays unacknowledged and the peer sends it again once synchronized, when it is
/// taken.
#[test]
fn listen_syn_text_is_not_acknowledged_and_is_taken_when_resent() {
    let mut t = Setup::new().passive().build(Listen);
    let out = t.arrive(SYN, s(IRS), s(0), b"hello");
    assert_segs(&out, &[syn_ack(s(ISS), s(IRS + 1))]);
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"");
    assert_eq!(t.state(), Established);
    assert_eq!(t.conn.tcb().rcv_nxt, s(IRS + 1));
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"hello");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 6))]);
    assert_eq!(t.read_all(), b"hello");
}

// ---- §3.10.7.3 SYN-SENT ----------------------------------------------------------------

/// §3.10.7.3 first: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
/// `<SEQ=SEG.ACK><CTL=RST>` and discard the segment."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so drop the
//# segment and return) <SEQ=SEG.ACK><CTL=RST>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# and discard the segment. Return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
//# If the connection is in any non-synchronized state (LISTEN, SYN-SENT, SYN-RECEIVED), and the
//# incoming segment acknowledges something not yet sent (the segment carries an unacceptable ACK)
#[test]
fn syn_sent_unacceptable_ack_gets_rst_at_seg_ack() {
    let mut t = at(SynSent);
    assert_segs(&t.arrive(SYN | ACK, s(IRS), s(ISS), b""), &[rst(s(ISS))]);
    assert_segs(
        &t.arrive(SYN | ACK, s(IRS), s(ISS - 1), b""),
        &[rst(s(ISS - 1))],
    );
    assert_segs(
        &t.arrive(SYN | ACK, s(IRS), s(ISS + 2), b""),
        &[rst(s(ISS + 2))],
    );
    assert_segs(&t.arrive(ACK, s(IRS), s(ISS + 9), b""), &[rst(s(ISS + 9))]);
    assert_eq!(t.state(), SynSent);
    assert_eq!(t.events(), []);
}

/// §3.10.7.3 first, at the top of the sequence space: with ISS = 2^32-1, SND.NXT is 0; an ACK
/// of 0 is acceptable and an ACK of 2^32-1 (= ISS) is not.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If SND.UNA < SEG.ACK =< SND.NXT, then the ACK is acceptable.
#[test]
fn syn_sent_ack_check_wraps_around_zero() {
    let mut t = Setup::new().isns(u32::MAX, u32::MAX - 1).build(SynSent);
    let out = t.arrive(SYN | ACK, s(u32::MAX - 1), s(u32::MAX), b"");
    assert_segs(&out, &[rst(s(u32::MAX))]);
    assert_eq!(t.state(), SynSent);
    let out = t.arrive(SYN | ACK, s(u32::MAX - 1), s(0), b"");
    assert_segs(&out, &[ack(s(0), s(u32::MAX))]);
    assert_eq!(t.state(), Established);
}

/// §3.10.7.3 first: an unacceptable ACK on a RST: "unless the RST bit is set, if so drop the
/// segment and return".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# (unless the RST bit is set, if so drop the segment and return)
#[test]
fn syn_sent_rst_with_unacceptable_ack_is_dropped() {
    let mut t = at(SynSent);
    assert_segs(&t.arrive(RST | ACK, s(0), s(ISS + 5), b""), &[]);
    assert_segs(&t.arrive(RST | ACK, s(0), s(ISS), b""), &[]);
    assert_eq!(t.state(), SynSent);
    assert_eq!(t.events(), []);
}

/// §3.10.7.3 second: "If the ACK was acceptable, then signal to the user 'error: connection
/// reset', drop the segment, enter CLOSED state". The crate reports this one terminal signal
/// as `Event::Refused` (a RST answering our SYN), which is how it is checked here.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# drop the segment, enter CLOSED state, delete TCB, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# In the SYN-SENT state (a RST received in response to an initial SYN), the RST is acceptable if
//# the ACK field acknowledges the SYN.
#[test]
fn syn_sent_rst_with_acceptable_ack_is_refused() {
    let mut t = at(SynSent);
    assert_segs(&t.arrive(RST | ACK, s(0), s(ISS + 1), b""), &[]);
    assert_eq!(t.state(), Closed);
    assert_eq!(t.events(), [Event::Refused]);
    assert_eq!(
        t.conn.poll_timeout(),
        None,
        "the TCB and its timers are deleted"
    );
}

/// §3.10.7.3 second: "Otherwise (no ACK), drop the segment and return."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# Otherwise (no ACK), drop the segment and return.
#[test]
fn syn_sent_rst_without_ack_is_dropped() {
    let mut t = at(SynSent);
    assert_segs(&t.arrive(RST, s(IRS), s(0), b""), &[]);
    assert_eq!(t.state(), SynSent);
    assert_eq!(t.events(), []);
}

/// §3.10.7.3 fourth: SYN with an acceptable ACK: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, SND.UNA =
/// SEG.ACK; our SYN is acknowledged, so ESTABLISHED and `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If the SYN bit is on and the security/compartment is acceptable, then RCV.NXT is set to
//# SEG.SEQ+1, IRS is set to SEG.SEQ. SND.UNA should be advanced to equal SEG.ACK (if there is an
//# ACK), and any segments on the retransmission queue that are thereby acknowledged should be
//# removed.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If SND.UNA > ISS (our SYN has been ACKed), change the connection state to ESTABLISHED, form an
//# ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
#[test]
fn syn_sent_syn_ack_establishes() {
    let mut t = Setup::new().peer_wnd(4000).build(SynSent);
    let out = t.arrive(SYN | ACK, s(IRS), s(ISS + 1), b"");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 1))]);
    assert_eq!(t.state(), Established);
    assert_eq!(t.events(), [Event::Connected]);
    let tcb = *t.conn.tcb();
    assert_eq!((tcb.irs, tcb.rcv_nxt), (s(IRS), s(IRS + 1)));
    assert_eq!((tcb.snd_una, tcb.snd_nxt), (s(ISS + 1), s(ISS + 1)));
    assert_eq!(tcb.snd_wnd, 4000);
}

/// §3.10.7.3 fourth: "If there are other controls or text in the segment, then continue
/// processing at the sixth step": the text is delivered. One ACK covers the SYN and the text
/// (MUST-58: aggregate ACK segments whenever possible).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If there are other controls or text in the segment, then continue processing at the sixth step
//# under Section 3.10.7.4 where the URG bit is checked; otherwise, return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In general, the processing of received segments MUST be implemented to aggregate ACK segments
//# whenever possible (MUST-58).
#[test]
fn syn_sent_syn_ack_with_text_delivers_it() {
    let mut t = at(SynSent);
    let out = t.arrive(SYN | ACK, s(IRS), s(ISS + 1), b"hello");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 6))]);
    assert_eq!(t.state(), Established);
    assert_eq!(t.events(), [Event::Connected, Event::Readable]);
    assert_eq!(t.read_all(), b"hello");
}

/// §3.10.7.3 fourth, then §3.10.7.4 eighth: a FIN on the SYN,ACK takes ESTABLISHED on to
/// CLOSE-WAIT, "connection closing" is signalled and the FIN acknowledged.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# If there are other controls or text in the segment, then continue processing at the sixth step
//# under Section 3.10.7.4 where the URG bit is checked; otherwise, return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the FIN bit is set, signal the user "connection closing" and return any pending RECEIVEs with
//# same message, advance RCV.NXT over the FIN, and send an acknowledgment for the FIN.
#[test]
fn syn_sent_syn_ack_fin_enters_close_wait() {
    let mut t = at(SynSent);
    let out = t.arrive(SYN | ACK | FIN, s(IRS), s(ISS + 1), b"");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 2))]);
    assert_eq!(t.state(), CloseWait);
    assert_eq!(t.events(), [Event::Connected, Event::PeerClosed]);
}

/// §3.10.7.3 fourth, "Otherwise": a SYN without ACK (simultaneous open, MUST-10): SYN-RECEIVED,
/// `<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>`, SND.WND = SEG.WND.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# and send it. Set the variables: SND.WND <- SEG.WND SND.WL1 <- SEG.SEQ SND.WL2 <- SEG.ACK
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# A TCP implementation MUST support simultaneous open attempts (MUST-10).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# Note that a TCP implementation MUST keep track of whether a connection has reached SYN-RECEIVED
//# state as the result of a passive OPEN or an active OPEN (MUST-11).
#[test]
fn syn_sent_bare_syn_is_simultaneous_open() {
    let mut t = Setup::new().peer_wnd(3000).build(SynSent);
    let out = t.arrive(SYN, s(IRS), s(0), b"");
    assert_segs(&out, &[syn_ack(s(ISS), s(IRS + 1))]);
    assert_eq!(t.state(), SynReceived);
    assert!(!t.conn.is_passive(), "MUST-11: it came from an active OPEN");
    let tcb = *t.conn.tcb();
    assert_eq!(
        (tcb.irs, tcb.rcv_nxt, tcb.snd_wnd),
        (s(IRS), s(IRS + 1), 3000)
    );
    assert_eq!((tcb.snd_una, tcb.snd_nxt), (s(ISS), s(ISS + 1)));
    assert_eq!(t.events(), []);
}

/// §3.10.7.3 fifth: "if neither of the SYN or RST bits is set, then drop the segment".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# if neither of the SYN or RST bits is set, then drop the segment and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Do not process the FIN if the state is CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ cannot be
//# validated; drop the segment and return.
#[test]
fn syn_sent_segment_without_syn_or_rst_is_dropped() {
    let mut t = at(SynSent);
    assert_segs(&t.arrive(ACK, s(IRS), s(ISS + 1), b""), &[]);
    assert_segs(&t.arrive(ACK | FIN, s(IRS), s(ISS + 1), b"data"), &[]);
    assert_segs(&t.arrive(FIN, s(IRS), s(0), b""), &[]);
    assert_eq!(t.state(), SynSent);
    assert_eq!(t.conn.tcb().snd_una, s(ISS));
    assert_eq!(t.events(), []);
}
