//! RFC 9293 §3.10.1–§3.10.5: the user calls OPEN, SEND, RECEIVE, CLOSE and ABORT in every
//! state, with the errors of §3.10 ("error: connection already exists", ...) as `CallError`s,
//! and half-close (§3.6, §3.6.1): data keeps flowing in FIN-WAIT-2 and out in CLOSE-WAIT.

mod common;

use common::*;
use synfin_tcp::pair::ADDR_B;
use synfin_tcp::State::{self, *};
use synfin_tcp::{CallError, Event, Segment, SeqNum};

/// A connection in every state but CLOSED; SYN-RECEIVED from a passive OPEN.
fn every_open_state() -> Vec<Tcp> {
    State::ALL[1..]
        .iter()
        .map(|&st| match st {
            Listen | SynReceived => Setup::new().passive().build(st),
            _ => at(st),
        })
        .collect()
}

/// The segments after the handshake completes with queued data: the data carries the ACK
/// (§3.10.7.3: "Data or controls that were queued for transmission MAY be included"), or
/// follows a pure ACK.
#[track_caller]
fn assert_data_after_handshake(out: &[Segment], seq: SeqNum, ack_: SeqNum, len: usize) {
    let got = shows(out);
    let alone = vec![data(seq, ack_, len)];
    let after_ack = vec![ack(seq, ack_), data(seq, ack_, len)];
    assert!(
        got == alone || got == after_ack,
        "data after handshake: {got:?}"
    );
}

// ---- §3.10.1 OPEN ----------------------------------------------------------------------

/// CLOSED, active: "A SYN segment of the form `<SEQ=ISS><CTL=SYN>` is sent. Set SND.UNA to
/// ISS, SND.NXT to ISS+1, enter SYN-SENT state"; SND.NXT wraps at ISS = 2^32-1.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# An initial send sequence number (ISS) is selected. A SYN segment of the form <SEQ=ISS><CTL=SYN>
//# is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT state, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
//# TCP implementations SHOULD send an MSS Option in every SYN segment when its receive MSS differs
//# from the default 536 for IPv4 or 1220 for IPv6 (SHLD-5)
#[test]
fn open_active_in_closed_sends_syn_and_enters_syn_sent() {
    for iss in [ISS, u32::MAX] {
        let mut t = Setup::new().isns(iss, IRS).build(Closed);
        t.conn.open_active(t.now, ADDR_B).unwrap();
        let out = t.out();
        assert_segs(&out, &[syn(s(iss))]);
        assert_eq!(out[0].mss, Some(1460), "§3.7.1 SHLD-5");
        assert_eq!(t.state(), SynSent);
        let tcb = *t.conn.tcb();
        assert_eq!(
            (tcb.iss, tcb.snd_una, tcb.snd_nxt),
            (s(iss), s(iss), s(iss) + 1)
        );
        assert!(
            t.conn.poll_timeout().is_some(),
            "the SYN is on the retransmission queue"
        );
    }
}

/// CLOSED, passive: a TCB in LISTEN, nothing sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# If passive, enter the LISTEN state and return.
#[test]
fn open_passive_in_closed_listens() {
    let mut t = at(Closed);
    t.conn.open_passive(None).unwrap();
    assert_segs(&t.out(), &[]);
    assert_eq!((t.state(), t.conn.poll_timeout()), (Listen, None));
}

/// LISTEN, active with the remote socket specified: "change the connection from passive to
/// active, select an ISS. Send a SYN segment, ... Enter SYN-SENT state."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# If the OPEN call is active and the remote socket is specified, then change the connection from
//# passive to active, select an ISS. Send a SYN segment, set SND.UNA to ISS, SND.NXT to ISS+1.
//# Enter SYN-SENT state.
#[test]
fn open_active_in_listen_turns_the_connection_active() {
    let mut t = Setup::new().passive().build(Listen);
    t.conn.open_active(t.now, ADDR_B).unwrap();
    assert_segs(&t.out(), &[syn(s(ISS))]);
    assert_eq!(t.state(), SynSent);
    assert!(!t.conn.is_passive());
}

/// SYN-SENT ... TIME-WAIT: 'Return "error: connection already exists"' (also for a passive
/// OPEN in LISTEN); nothing changes.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# Return "error: connection already exists".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
//# Every passive OPEN call either creates a new connection record in LISTEN state, or it returns an
//# error; it MUST NOT affect any previously created connection record (MUST-41).
#[test]
fn open_in_any_other_state_is_connection_exists() {
    for mut t in every_open_state() {
        let st = t.state();
        if st != Listen {
            assert_eq!(
                t.conn.open_active(t.now, ADDR_B),
                Err(CallError::ConnectionExists)
            );
        }
        assert_eq!(t.conn.open_passive(None), Err(CallError::ConnectionExists));
        assert_segs(&t.out(), &[]);
        assert_eq!(t.state(), st);
    }
}

// ---- §3.10.2 SEND ----------------------------------------------------------------------

/// CLOSED: 'return "error: connection does not exist"'.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Otherwise, return "error: connection does not exist".
#[test]
fn send_in_closed_is_connection_does_not_exist() {
    let mut t = at(Closed);
    assert_eq!(
        t.conn.send(t.now, b"x"),
        Err(CallError::ConnectionDoesNotExist)
    );
    assert_segs(&t.out(), &[]);
}

/// LISTEN: 'If the remote socket was not specified, then return "error: remote socket
/// unspecified"'.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# If the remote socket was not specified, then return "error: remote socket unspecified".
#[test]
fn send_in_listen_without_remote_is_foreign_socket_unspecified() {
    let mut t = Setup::new().passive().build(Listen);
    let r = t.conn.send(t.now, b"x");
    assert_eq!(r, Err(CallError::ForeignSocketUnspecified));
    assert_segs(&t.out(), &[]);
    assert_eq!(t.state(), Listen);
}

/// LISTEN with the remote socket specified: the connection turns active (SYN, SYN-SENT); the
/// data is "queued for transmission after entering ESTABLISHED state".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# If the remote socket is specified, then change the connection from passive to active, select an
//# ISS. Send a SYN segment, set SND.UNA to ISS, SND.NXT to ISS+1. Enter SYN-SENT state. Data
//# associated with SEND may be sent with SYN segment or queued for transmission after entering
//# ESTABLISHED state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
//# A fully specified passive call can be made active by the subsequent execution of a SEND.
#[test]
fn send_in_listen_with_remote_turns_active_and_queues_the_data() {
    let mut t = at(Closed);
    t.conn.open_passive(Some(ADDR_B)).unwrap();
    assert_eq!(t.conn.send(t.now, b"hello"), Ok(5));
    assert_segs(&t.out(), &[syn(s(ISS))]);
    assert_eq!(t.state(), SynSent);
    let out = t.arrive(SYN | ACK, s(IRS), s(ISS + 1), b"");
    assert_data_after_handshake(&out, s(ISS + 1), s(IRS + 1), 5);
}

/// SYN-SENT, SYN-RECEIVED: "Queue the data for transmission after entering ESTABLISHED state."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Queue the data for transmission after entering ESTABLISHED state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.3
//# Data or controls that were queued for transmission MAY be included.
#[test]
fn send_in_syn_sent_and_syn_received_waits_for_established() {
    let mut t = at(SynSent);
    assert_eq!(t.conn.send(t.now, b"early"), Ok(5));
    assert_segs(&t.out(), &[]);
    let out = t.arrive(SYN | ACK, s(IRS), s(ISS + 1), b"");
    assert_data_after_handshake(&out, s(ISS + 1), s(IRS + 1), 5);

    let mut t = Setup::new().passive().build(SynReceived);
    assert_eq!(t.conn.send(t.now, b"early"), Ok(5));
    assert_segs(&t.out(), &[]);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"");
    assert_segs(&out, &[data(s(ISS + 1), s(IRS + 1), 5)]);
}

/// ESTABLISHED, CLOSE-WAIT: "Segmentize the buffer and send it with a piggybacked
/// acknowledgment (acknowledgment value = RCV.NXT)."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Segmentize the buffer and send it with a piggybacked acknowledgment (acknowledgment value =
//# RCV.NXT).
#[test]
fn send_in_established_and_close_wait_goes_out_with_rcv_nxt() {
    for st in [Established, CloseWait] {
        let mut t = at(st);
        assert_eq!(t.conn.send(t.now, b"abc"), Ok(3));
        assert_segs(&t.out(), &[data(t.snd_nxt, t.rcv_nxt, 3)]);
        assert_eq!(t.conn.tcb().snd_nxt, t.snd_nxt + 3);
    }
}

/// FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK, TIME-WAIT: 'Return "error: connection closing"
/// and do not service request.'
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Return "error: connection closing" and do not service request.
#[test]
fn send_after_close_is_connection_closing() {
    for st in [FinWait1, FinWait2, Closing, LastAck, TimeWait] {
        let mut t = at(st);
        assert_eq!(
            t.conn.send(t.now, b"x"),
            Err(CallError::ConnectionClosing),
            "{st}"
        );
        assert_segs(&t.out(), &[]);
        assert_eq!((t.state(), t.conn.send_queue_len()), (st, 0));
    }
}

/// SYN-SENT ("If no space to queue") and ESTABLISHED ("insufficient space to remember this
/// buffer"): 'error: insufficient resources'. Sent but unacknowledged data holds its space until
/// it is acknowledged.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# If no space to queue, respond with "error: insufficient resources".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# If there is insufficient space to remember this buffer, simply return "error: insufficient
//# resources".
#[test]
fn send_into_a_full_buffer_is_insufficient_resources() {
    let mut t = Setup::new().send_buffer(8).build(SynSent);
    assert_eq!(t.conn.send(t.now, b"12345678"), Ok(8));
    assert_eq!(
        t.conn.send(t.now, b"9"),
        Err(CallError::InsufficientResources)
    );

    let mut t = Setup::new().send_buffer(8).build(Established);
    assert_eq!(t.conn.send(t.now, b"12345678"), Ok(8));
    assert_segs(&t.out(), &[data(s(ISS + 1), s(IRS + 1), 8)]);
    assert_eq!(
        t.conn.send(t.now, b"9"),
        Err(CallError::InsufficientResources)
    );
    assert_segs(&t.out(), &[]);
    t.arrive(ACK, s(IRS + 1), s(ISS + 9), b"");
    assert_eq!(t.conn.send(t.now, b"9"), Ok(1));
    assert_segs(&t.out(), &[data(s(ISS + 9), s(IRS + 1), 1)]);
}

// ---- §3.10.3 RECEIVE -------------------------------------------------------------------

/// ESTABLISHED: "Reassemble queued incoming segments into receive buffer and return to user";
/// CLOSE-WAIT: "RECEIVEs must be satisfied by data already on hand, but not yet delivered".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//# Reassemble queued incoming segments into receive buffer and return to user.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//# Since the remote side has already sent FIN, RECEIVEs must be satisfied by data already on hand,
//# but not yet delivered to the user.
#[test]
fn receive_returns_data_on_hand_also_after_the_peer_fin() {
    let mut t = at(Established);
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"abc");
    t.arrive(FIN | ACK, s(IRS + 4), s(ISS + 1), b"def");
    assert_eq!(t.state(), CloseWait);
    assert_eq!(
        t.events(),
        [Event::Readable, Event::Readable, Event::PeerClosed]
    );
    let mut buf = [0; 4];
    assert_eq!(t.conn.recv(&mut buf), Ok(4));
    assert_eq!(&buf, b"abcd");
    assert_eq!(t.read_all(), b"ef");
    assert_eq!(t.read_all(), b"");
}

/// With nothing on hand RECEIVE cannot be satisfied (§3.10.3), and says why: before the peer's
/// FIN it is queued ("queue for processing", `Ok(0)`: read again on `Readable`); once the
/// peer's FIN has arrived, "If no text is awaiting delivery, the RECEIVE will get a
/// 'connection closing' error response" (CLOSE-WAIT, and CLOSING, LAST-ACK, TIME-WAIT: the end
/// of the stream); in CLOSED, "error: connection does not exist". Nothing is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//# If no text is awaiting delivery, the RECEIVE will get an "error: connection closing" response.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//# Return "error: connection closing".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//# Otherwise, return "error: connection does not exist".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//# Queue for processing after entering ESTABLISHED state.
#[test]
fn receive_with_nothing_on_hand_answers_as_each_state_says() {
    let mut all = every_open_state();
    all.push(at(Closed));
    for mut t in all {
        let st = t.state();
        let want = match st {
            Closed => Err(CallError::ConnectionDoesNotExist),
            CloseWait | Closing | LastAck | TimeWait => Err(CallError::ConnectionClosing),
            _ => Ok(0),
        };
        assert_eq!(t.conn.recv(&mut [0; 8]), want, "{st}");
        assert_segs(&t.out(), &[]);
        assert_eq!(t.state(), st);
    }
}

/// Text already on hand is delivered first, even after the peer's FIN: "RECEIVEs must be
/// satisfied by data already on hand, but not yet delivered to the user" (§3.10.3,
/// CLOSE-WAIT); then the end of the stream.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
//# Since the remote side has already sent FIN, RECEIVEs must be satisfied by data already on hand,
//# but not yet delivered to the user. If no text is awaiting delivery, the RECEIVE will get an
//# "error: connection closing" response. Otherwise, any remaining data can be used to satisfy the
//# RECEIVE.
#[test]
fn receive_in_close_wait_delivers_what_is_on_hand_then_says_closing() {
    let mut t = at(Established);
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"ab");
    t.arrive(FIN | ACK, s(IRS + 3), s(ISS + 1), b"");
    assert_eq!(t.state(), CloseWait);
    let mut buf = [0; 8];
    assert_eq!(t.conn.recv(&mut buf), Ok(2));
    assert_eq!(&buf[..2], b"ab");
    assert_eq!(t.conn.recv(&mut buf), Err(CallError::ConnectionClosing));
}

/// RECEIVE frees buffer space; when the window was closed, the reopened window is advertised
/// (§3.8.6.2.2: here the increase is the whole buffer, above min(RCV.BUFF/2, MSS)).
#[test]
fn receive_reopening_a_zero_window_sends_a_window_update() {
    let mut t = Setup::new().recv_buffer(10).build(Established);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"0123456789");
    assert_eq!((out.len(), out[0].window), (1, 0));
    assert_eq!(t.read_all(), b"0123456789");
    let out = t.out();
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 11))]);
    assert_eq!(out[0].window, 10);
}

// ---- §3.10.4 CLOSE ---------------------------------------------------------------------

/// CLOSED: 'return "error: connection does not exist"'.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Otherwise, return "error: connection does not exist".
#[test]
fn close_in_closed_is_connection_does_not_exist() {
    let mut t = at(Closed);
    assert_eq!(t.conn.close(t.now), Err(CallError::ConnectionDoesNotExist));
}

/// LISTEN: "Delete TCB, enter CLOSED state"; SYN-SENT: "Delete the TCB" (queued SENDs are
/// dropped). Nothing is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Delete TCB, enter CLOSED state, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Delete the TCB and return "error: closing" responses to any queued SENDs, or RECEIVEs.
#[test]
fn close_in_listen_and_syn_sent_deletes_the_tcb() {
    for mut t in [Setup::new().passive().build(Listen), at(SynSent)] {
        if t.state() == SynSent {
            t.conn.send(t.now, b"queued").unwrap();
        }
        t.conn.close(t.now).unwrap();
        assert_segs(&t.out(), &[]);
        assert_eq!((t.state(), t.events()), (Closed, vec![Event::Closed]));
        assert_eq!((t.conn.send_queue_len(), t.conn.poll_timeout()), (0, None));
    }
}

/// SYN-RECEIVED: "If no SENDs have been issued and there is no pending data to send, then form
/// a FIN segment and send it, and enter FIN-WAIT-1 state".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# If no SENDs have been issued and there is no pending data to send, then form a FIN segment and
//# send it, and enter FIN-WAIT-1 state
#[test]
fn close_in_syn_received_with_nothing_to_send_sends_fin() {
    let mut t = Setup::new().passive().build(SynReceived);
    t.conn.close(t.now).unwrap();
    assert_segs(&t.out(), &[fin_ack(s(ISS + 1), s(IRS + 1))]);
    assert_eq!(t.state(), FinWait1);
    assert_segs(&t.arrive(ACK, s(IRS + 1), s(ISS + 2), b""), &[]);
    assert_eq!(t.state(), FinWait2);
}

/// SYN-RECEIVED with pending data: "queue for processing after entering ESTABLISHED state";
/// then (ESTABLISHED) the FIN follows the data and the state is FIN-WAIT-1.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# otherwise, queue for processing after entering ESTABLISHED state.
#[test]
fn close_in_syn_received_with_pending_data_waits_for_established() {
    let mut t = Setup::new().passive().build(SynReceived);
    t.conn.send(t.now, b"data").unwrap();
    t.conn.close(t.now).unwrap();
    assert_segs(&t.out(), &[]);
    assert_eq!(t.state(), SynReceived);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"");
    assert_data_then_fin(&out, s(ISS + 1), s(IRS + 1), 4);
    assert_eq!(t.state(), FinWait1);
    assert_eq!(t.conn.tcb().snd_nxt, s(ISS + 6));
}

/// ESTABLISHED: "form a FIN segment and send it. In any case, enter FIN-WAIT-1 state."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Queue this until all preceding SENDs have been segmentized, then form a FIN segment and send it.
//# In any case, enter FIN-WAIT-1 state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# In this case, a FIN segment can be constructed and placed on the outgoing segment queue. No
//# further SENDs from the user will be accepted by the TCP implementation, and it enters the
//# FIN-WAIT-1 state.
#[test]
fn close_in_established_sends_fin_and_enters_fin_wait_1() {
    let mut t = at(Established);
    t.conn.close(t.now).unwrap();
    assert_segs(&t.out(), &[fin_ack(s(ISS + 1), s(IRS + 1))]);
    assert_eq!((t.state(), t.conn.tcb().snd_nxt), (FinWait1, s(ISS + 2)));
    assert_eq!(t.events(), []);
}

/// ESTABLISHED: "Queue this until all preceding SENDs have been segmentized, then form a FIN
/// segment and send it. In any case, enter FIN-WAIT-1 state." With a 5-octet send window, the
/// FIN waits for the second half of the data.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Queue this until all preceding SENDs have been segmentized, then form a FIN segment and send it.
//# In any case, enter FIN-WAIT-1 state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.4
//# Closing connections is intended to be a graceful operation in the sense that outstanding SENDs
//# will be transmitted (and retransmitted), as flow control permits, until all have been serviced.
#[test]
fn close_is_queued_behind_data_so_the_fin_follows_it() {
    let mut t = Setup::new().peer_wnd(5).build(Established);
    assert_eq!(t.conn.send(t.now, b"0123456789"), Ok(10));
    let out = t.out();
    assert_eq!(
        (out.len(), out[0].seq, out[0].payload.len()),
        (1, s(ISS + 1), 5)
    );
    assert!(!out[0].flags.fin());
    t.conn.close(t.now).unwrap();
    assert_eq!(t.state(), FinWait1);
    assert_segs(&t.out(), &[]);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 6), b"");
    assert_data_then_fin(&out, s(ISS + 6), s(IRS + 1), 5);
    assert_eq!(t.conn.tcb().snd_nxt, s(ISS + 12));
}

/// FIN-WAIT-1, FIN-WAIT-2: 'Strictly speaking, this is an error and should receive an "error:
/// connection closing" response' - and no second FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Strictly speaking, this is an error and should receive an "error: connection closing" response.
//# An "ok" response would be acceptable, too, as long as a second FIN is not emitted (the first FIN
//# may be retransmitted, though).
#[test]
fn close_in_fin_wait_states_is_connection_closing_without_a_second_fin() {
    for st in [FinWait1, FinWait2] {
        let mut t = at(st);
        assert_eq!(t.conn.close(t.now), Err(CallError::ConnectionClosing));
        assert_segs(&t.out(), &[]);
        assert_eq!((t.state(), t.conn.tcb().snd_nxt), (st, s(ISS + 2)));
    }
}

/// CLOSE-WAIT: "Queue this request until all preceding SENDs have been segmentized; then send
/// a FIN segment, enter LAST-ACK state." (Half-close: the data went out after the peer's FIN.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Queue this request until all preceding SENDs have been segmentized; then send a FIN segment,
//# enter LAST-ACK state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# The user will respond with a CLOSE, upon which the TCP endpoint can send a FIN to the other TCP
//# peer after sending any remaining data. The TCP endpoint then waits until its own FIN is
//# acknowledged whereupon it deletes the connection.
#[test]
fn half_close_data_sent_in_close_wait_then_fin_and_last_ack() {
    let mut t = at(CloseWait);
    t.conn.send(t.now, b"tail").unwrap();
    t.conn.close(t.now).unwrap();
    assert_data_then_fin(&t.out(), s(ISS + 1), s(IRS + 2), 4);
    assert_eq!(t.state(), LastAck);
    assert_segs(&t.arrive(ACK, s(IRS + 2), s(ISS + 6), b""), &[]);
    assert_eq!((t.state(), t.events()), (Closed, vec![Event::Closed]));
}

/// CLOSING, LAST-ACK, TIME-WAIT: 'Respond with "error: connection closing"'.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Respond with "error: connection closing".
#[test]
fn close_in_closing_last_ack_time_wait_is_connection_closing() {
    for st in [Closing, LastAck, TimeWait] {
        let mut t = at(st);
        assert_eq!(
            t.conn.close(t.now),
            Err(CallError::ConnectionClosing),
            "{st}"
        );
        assert_segs(&t.out(), &[]);
        assert_eq!(t.state(), st);
    }
}

/// Half-close (§3.6.1): after our FIN is acknowledged the peer may still send; FIN-WAIT-2
/// delivers and acknowledges it (§3.10.7.4 seventh), until the peer's FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# Since the two directions of a TCP connection are closed independently, it is possible for a
//# connection to be "half closed", i.e., closed in only one direction, and a host is permitted to
//# continue sending data in the open direction on a half-closed connection.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# The user who CLOSEs may continue to RECEIVE until the TCP receiver is told that the remote peer
//# has CLOSED also.
#[test]
fn half_close_data_still_received_in_fin_wait_2() {
    let mut t = at(FinWait2);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 2), b"more");
    assert_segs(&out, &[ack(s(ISS + 2), s(IRS + 5))]);
    assert_eq!(t.events(), [Event::Readable]);
    assert_eq!(t.read_all(), b"more");
    let out = t.arrive(FIN | ACK, s(IRS + 5), s(ISS + 2), b"");
    assert_segs(&out, &[ack(s(ISS + 2), s(IRS + 6))]);
    assert_eq!((t.state(), t.events()), (TimeWait, vec![Event::PeerClosed]));
}

// ---- §3.10.5 ABORT ---------------------------------------------------------------------

/// CLOSED: 'return "error: connection does not exist"'.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Otherwise, return "error: connection does not exist".
#[test]
fn abort_in_closed_is_connection_does_not_exist() {
    let mut t = at(Closed);
    assert_eq!(t.conn.abort(), Err(CallError::ConnectionDoesNotExist));
}

/// LISTEN, SYN-SENT: "Delete TCB, enter CLOSED state" - no reset is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Delete TCB, enter CLOSED state, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Delete the TCB, enter CLOSED state, and return.
#[test]
fn abort_in_listen_and_syn_sent_closes_silently() {
    for mut t in [Setup::new().passive().build(Listen), at(SynSent)] {
        t.conn.abort().unwrap();
        assert_segs(&t.out(), &[]);
        assert_eq!((t.state(), t.events()), (Closed, vec![Event::Closed]));
        assert_eq!(t.conn.poll_timeout(), None);
    }
}

/// SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: "Send a reset segment:
/// `<SEQ=SND.NXT><CTL=RST>`", flush the queues, "Delete the TCB, enter CLOSED state".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Send a reset segment: <SEQ=SND.NXT><CTL=RST>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.6
//# This command causes all pending SENDs and RECEIVES to be aborted, the TCB to be removed, and a
//# special RST message to be sent to the remote TCP peer of the connection.
#[test]
fn abort_sends_rst_at_snd_nxt_in_synchronized_open_states() {
    let mut all = vec![Setup::new().passive().build(SynReceived)];
    all.extend([Established, FinWait1, FinWait2, CloseWait].map(at));
    for mut t in all {
        let st = t.state();
        t.conn.abort().unwrap();
        assert_segs(&t.out(), &[rst(t.snd_nxt)]);
        assert_eq!(t.state(), Closed, "{st}");
        assert_eq!(t.events(), [Event::Closed], "{st}");
        assert_eq!((t.conn.poll_timeout(), t.conn.send_queue_len()), (None, 0));
    }
}

/// CLOSING, LAST-ACK, TIME-WAIT: 'Respond with "ok" and delete the TCB, enter CLOSED state'.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Respond with "ok" and delete the TCB, enter CLOSED state, and return.
#[test]
fn abort_in_closing_last_ack_time_wait_closes_silently() {
    for st in [Closing, LastAck, TimeWait] {
        let mut t = at(st);
        assert_eq!(t.conn.abort(), Ok(()));
        assert_segs(&t.out(), &[]);
        assert_eq!((t.state(), t.events()), (Closed, vec![Event::Closed]));
        assert_eq!(t.conn.poll_timeout(), None, "{st}");
    }
}

/// ABORT: "all segments queued for transmission (except for the RST formed above) or
/// retransmission should be flushed": data not yet handed out is not sent after the abort.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# all segments queued for transmission (except for the RST formed above) or retransmission should
//# be flushed.
#[test]
fn abort_flushes_segments_queued_for_transmission() {
    let mut t = at(Established);
    t.conn.send(t.now, b"data").unwrap();
    t.conn.abort().unwrap();
    assert_segs(&t.out(), &[rst(s(ISS + 5))]);
}

/// §3.10.4 CLOSE in SYN-RECEIVED with data queued: the CLOSE waits for ESTABLISHED. If a RST
/// then sends a passively opened connection back to LISTEN (§3.10.7.4), listening again would
/// silently drop the user's CLOSE; the endpoint enters CLOSED instead and says so.
#[test]
fn close_queued_in_passive_syn_received_survives_a_return_to_listen() {
    let mut t = Setup::new().passive().build(SynReceived);
    t.conn.send(t.now, b"data").unwrap();
    t.conn.close(t.now).unwrap();
    assert_eq!(t.state(), SynReceived);
    t.out();
    t.events();
    t.arrive(RST, s(IRS + 1), s(0), b"");
    t.check(Closed, &[Event::Closed]);
}
