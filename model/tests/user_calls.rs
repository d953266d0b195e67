//! The user calls of RFC 9293 §3.10 (OPEN §3.10.1, SEND §3.10.2, CLOSE §3.10.4, ABORT §3.10.5)
//! and the timeouts of §3.10.8, state group by state group, against the pure rules.
//!
//! The oracle is the RFC text. Two deliberate choices of the model are tested as such: SEND
//! before ESTABLISHED is refused with `Event::ErrorNotQueued` (the RFC queues the data), and an
//! OPEN that finds a connection answers "connection already exists".

use synfin_model::rules::{self, Event, Events, Outcome};
use synfin_model::{Flags, Reading, Segment, Seq, State, Tcb};

mod common;
use common::{tcb_in, RETRIES};

/// The states in which a connection exists: every state but CLOSED, which `State::ALL` lists
/// first.
fn open_states() -> impl Iterator<Item = State> {
    State::ALL.into_iter().filter(|&s| s != State::Closed)
}

fn events(list: &[Event]) -> Events {
    let mut e = Events::NONE;
    for &x in list {
        e.add(x);
    }
    e
}

/// The call changed nothing, sent nothing, and answered exactly `event`.
fn assert_refused(out: &Outcome, before: &Tcb, event: Event) {
    assert_eq!(out.tcb, *before, "{}: TCB must not change", before.state);
    assert_eq!(out.send, None, "{}: nothing may be sent", before.state);
    assert!(
        out.events.contains(event),
        "{}: {:?}",
        before.state,
        out.events
    );
    assert_eq!(out.events, events(&[event]), "{}", before.state);
}

// ---------------------------------------------------------------------------------------------
// §3.10.1 OPEN
// ---------------------------------------------------------------------------------------------

/// RFC 9293 §3.10.1 CLOSED, active OPEN: select an ISS, send <SEQ=ISS><CTL=SYN>,
/// SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT. ISS = 2^32-1 makes SND.NXT wrap to 0.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# An initial send sequence number (ISS) is selected. A SYN segment of the form <SEQ=ISS><CTL=SYN>
//# is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT state, and return.
#[test]
fn open_active_in_closed_sends_syn() {
    let t = tcb_in(State::Closed, u32::MAX, 0);
    let out = rules::open_active(&t);
    assert_eq!(out.tcb.state, State::SynSent);
    assert_eq!(out.tcb.snd_una, Seq(u32::MAX));
    assert_eq!(out.tcb.snd_nxt, Seq(0));
    assert!(!out.tcb.passive);
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::SYN, Seq(u32::MAX), Seq(0)))
    );
    assert_eq!(out.send.unwrap().len, 0);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.1 CLOSED, passive OPEN: enter LISTEN; nothing is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# If passive, enter the LISTEN state and return.
#[test]
fn open_passive_in_closed_listens() {
    let t = tcb_in(State::Closed, 100, 0);
    let out = rules::open_passive(&t);
    assert_eq!(out.tcb.state, State::Listen);
    assert!(out.tcb.passive);
    assert_eq!(out.tcb.snd_una, Seq(100));
    assert_eq!(out.tcb.snd_nxt, Seq(100));
    assert_eq!(out.send, None);
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.1 LISTEN, active OPEN with a foreign socket: change the connection from
/// passive to active, send <SEQ=ISS><CTL=SYN>, SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# If the OPEN call is active and the remote socket is specified, then change the connection from
//# passive to active, select an ISS. Send a SYN segment, set SND.UNA to ISS, SND.NXT to ISS+1.
//# Enter SYN-SENT state.
#[test]
fn open_active_in_listen_turns_active() {
    let t = tcb_in(State::Listen, 7, 0);
    let out = rules::open_active(&t);
    assert_eq!(out.tcb.state, State::SynSent);
    assert!(!out.tcb.passive);
    assert_eq!(out.tcb.snd_una, Seq(7));
    assert_eq!(out.tcb.snd_nxt, Seq(8));
    assert_eq!(out.send, Some(Segment::new(Flags::SYN, Seq(7), Seq(0))));
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.1 all other states (SYN-SENT to TIME-WAIT): "error: connection already
/// exists" for an active OPEN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# Return "error: connection already exists".
#[test]
fn open_active_in_other_states_already_exists() {
    for s in open_states().filter(|&s| s != State::Listen) {
        let t = tcb_in(s, 100, 300);
        assert_refused(&rules::open_active(&t), &t, Event::ErrorExists);
    }
}

/// RFC 9293 §3.10.1: a passive OPEN on an existing connection (LISTEN to TIME-WAIT) is
/// "error: connection already exists" (LISTEN only handles an active OPEN).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# Return "error: connection already exists".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
//# Every passive OPEN call either creates a new connection record in LISTEN state, or it returns an
//# error; it MUST NOT affect any previously created connection record (MUST-41).
#[test]
fn open_passive_in_other_states_already_exists() {
    for s in open_states() {
        let t = tcb_in(s, 100, 300);
        assert_refused(&rules::open_passive(&t), &t, Event::ErrorExists);
    }
}

// ---------------------------------------------------------------------------------------------
// §3.10.2 SEND
// ---------------------------------------------------------------------------------------------

/// RFC 9293 §3.10.2 CLOSED: "error: connection does not exist".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Otherwise, return "error: connection does not exist".
#[test]
fn send_in_closed_no_connection() {
    let t = tcb_in(State::Closed, 100, 0);
    assert_refused(&rules::send(&t), &t, Event::ErrorNoConnection);
}

/// RFC 9293 §3.10.2 LISTEN, SYN-SENT, SYN-RECEIVED: the RFC queues the data (LISTEN with a
/// foreign socket turns active). Deliberate model choice: no queue; the call is refused with
/// `ErrorNotQueued` and nothing changes.
#[test]
fn send_before_established_not_queued() {
    for s in [State::Listen, State::SynSent, State::SynReceived] {
        let t = tcb_in(s, 100, 300);
        assert_refused(&rules::send(&t), &t, Event::ErrorNotQueued);
    }
}

/// RFC 9293 §3.10.2 ESTABLISHED: segmentize the buffer and send it with a piggybacked ACK
/// (<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with the data); SND.NXT advances over the byte.
/// ISS = 2^32-1: the byte sits at 0 and SND.NXT becomes 1; RCV.NXT = 2^32-1.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Segmentize the buffer and send it with a piggybacked acknowledgment (acknowledgment value =
//# RCV.NXT).
#[test]
fn send_in_established_segmentizes_with_ack() {
    let t = tcb_in(State::Established, u32::MAX, u32::MAX - 1);
    assert_eq!((t.snd_nxt, t.rcv_nxt), (Seq(0), Seq(u32::MAX)));
    let out = rules::send(&t);
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(out.tcb.snd_nxt, Seq(1));
    assert_eq!(out.tcb.snd_una, Seq(0));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::ACK, Seq(0), Seq(u32::MAX)).with_len(1))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.2 CLOSE-WAIT: same as ESTABLISHED (our side may still send).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Segmentize the buffer and send it with a piggybacked acknowledgment (acknowledgment value =
//# RCV.NXT).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# and a host is permitted to continue sending data in the open direction on a half-closed
//# connection.
#[test]
fn send_in_close_wait_segmentizes_with_ack() {
    let t = tcb_in(State::CloseWait, 100, 300);
    let out = rules::send(&t);
    assert_eq!(out.tcb.state, State::CloseWait);
    assert_eq!(out.tcb.snd_nxt, Seq(102));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::ACK, Seq(101), Seq(302)).with_len(1))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.2 FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK, TIME-WAIT: "error: connection
/// closing", do not service the request.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
//# Return "error: connection closing" and do not service request.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# No further SENDs from the user will be accepted by the TCP implementation,
#[test]
fn send_after_close_connection_closing() {
    for s in [
        State::FinWait1,
        State::FinWait2,
        State::Closing,
        State::LastAck,
        State::TimeWait,
    ] {
        let t = tcb_in(s, 100, 300);
        assert_refused(&rules::send(&t), &t, Event::ErrorClosing);
    }
}

// ---------------------------------------------------------------------------------------------
// §3.10.4 CLOSE
// ---------------------------------------------------------------------------------------------

/// RFC 9293 §3.10.4 CLOSED: "error: connection does not exist".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Otherwise, return "error: connection does not exist".
#[test]
fn close_in_closed_no_connection() {
    let t = tcb_in(State::Closed, 100, 0);
    assert_refused(&rules::close(&t), &t, Event::ErrorNoConnection);
}

/// RFC 9293 §3.10.4 LISTEN: delete the TCB, enter CLOSED, return; nothing is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Delete TCB, enter CLOSED state, and return.
#[test]
fn close_in_listen_closes() {
    let t = tcb_in(State::Listen, 100, 0);
    let out = rules::close(&t);
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert!(out.events.contains(Event::Closed));
    assert_eq!(out.events, events(&[Event::Closed]));
}

/// RFC 9293 §3.10.4 SYN-SENT: delete the TCB, enter CLOSED; no FIN and no RST is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Delete the TCB and return "error: closing" responses to any queued SENDs, or RECEIVEs.
#[test]
fn close_in_syn_sent_closes() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    let out = rules::close(&t);
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert!(out.events.contains(Event::Closed));
    assert_eq!(out.events, events(&[Event::Closed]));
}

/// RFC 9293 §3.10.4 SYN-RECEIVED with no SENDs and no pending data: form a FIN segment and
/// send it, enter FIN-WAIT-1. The FIN takes SND.NXT = ISS+1 and acknowledges RCV.NXT.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# If no SENDs have been issued and there is no pending data to send, then form a FIN segment and
//# send it, and enter FIN-WAIT-1 state;
#[test]
fn close_in_syn_received_sends_fin() {
    let t = tcb_in(State::SynReceived, u32::MAX, 300);
    let out = rules::close(&t);
    assert_eq!(out.tcb.state, State::FinWait1);
    assert!(out.tcb.fin_sent);
    assert_eq!(out.tcb.snd_una, Seq(u32::MAX));
    assert_eq!(out.tcb.snd_nxt, Seq(1));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::FIN_ACK, Seq(0), Seq(301)))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.4 ESTABLISHED: form a FIN segment and send it, enter FIN-WAIT-1.
/// SND.NXT = 2^32-1 wraps to 0 past the FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Queue this until all preceding SENDs have been segmentized, then form a FIN segment and send it.
//# In any case, enter FIN-WAIT-1 state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# In this case, a FIN segment can be constructed and placed on the outgoing segment queue.
#[test]
fn close_in_established_sends_fin() {
    let t = tcb_in(State::Established, u32::MAX - 1, 300);
    assert_eq!(t.snd_nxt, Seq(u32::MAX));
    let out = rules::close(&t);
    assert_eq!(out.tcb.state, State::FinWait1);
    assert!(out.tcb.fin_sent);
    assert_eq!(out.tcb.snd_nxt, Seq(0));
    assert_eq!(out.tcb.snd_una, Seq(u32::MAX));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::FIN_ACK, Seq(u32::MAX), Seq(301)))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.4 FIN-WAIT-1, FIN-WAIT-2: "strictly speaking, this is an error and should
/// receive an 'error: connection closing' response"; a second FIN must not be emitted.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Strictly speaking, this is an error and should receive an "error: connection closing" response.
//# An "ok" response would be acceptable, too, as long as a second FIN is not emitted (the first FIN
//# may be retransmitted, though).
#[test]
fn close_in_fin_wait_is_error_closing_no_second_fin() {
    for s in [State::FinWait1, State::FinWait2] {
        let t = tcb_in(s, 100, 300);
        assert_refused(&rules::close(&t), &t, Event::ErrorClosing);
    }
}

/// RFC 9293 §3.10.4 CLOSE-WAIT: send a FIN segment, enter LAST-ACK (RFC 9293 corrects
/// RFC 793's "CLOSING" here).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Queue this request until all preceding SENDs have been segmentized; then send a FIN segment,
//# enter LAST-ACK state.
#[test]
fn close_in_close_wait_sends_fin_to_last_ack() {
    let t = tcb_in(State::CloseWait, 100, u32::MAX - 1);
    assert_eq!(t.rcv_nxt, Seq(0));
    let out = rules::close(&t);
    assert_eq!(out.tcb.state, State::LastAck);
    assert!(out.tcb.fin_sent);
    assert_eq!(out.tcb.snd_nxt, Seq(102));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::FIN_ACK, Seq(101), Seq(0)))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.4 CLOSING, LAST-ACK, TIME-WAIT: respond with "error: connection closing".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
//# Respond with "error: connection closing".
#[test]
fn close_in_closing_last_ack_time_wait_error_closing() {
    for s in [State::Closing, State::LastAck, State::TimeWait] {
        let t = tcb_in(s, 100, 300);
        assert_refused(&rules::close(&t), &t, Event::ErrorClosing);
    }
}

// ---------------------------------------------------------------------------------------------
// §3.10.5 ABORT
// ---------------------------------------------------------------------------------------------

/// RFC 9293 §3.10.5 CLOSED: "error: connection does not exist".
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Otherwise, return "error: connection does not exist".
#[test]
fn abort_in_closed_no_connection() {
    let t = tcb_in(State::Closed, 100, 0);
    assert_refused(&rules::abort(&t), &t, Event::ErrorNoConnection);
}

/// RFC 9293 §3.10.5 LISTEN, SYN-SENT: delete the TCB, enter CLOSED; no RST is sent (the peer
/// has no synchronized state to reset).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Delete TCB, enter CLOSED state, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Delete the TCB, enter CLOSED state, and return.
#[test]
fn abort_in_listen_and_syn_sent_closes_silently() {
    for s in [State::Listen, State::SynSent] {
        let t = tcb_in(s, 100, 300);
        let out = rules::abort(&t);
        assert_eq!(out.tcb.state, State::Closed, "{s}");
        assert_eq!(out.send, None, "{s}");
        assert!(out.events.contains(Event::Closed), "{s}");
        assert_eq!(out.events, events(&[Event::Closed]), "{s}");
    }
}

/// RFC 9293 §3.10.5 SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: send a reset
/// <SEQ=SND.NXT><CTL=RST>, delete the TCB, enter CLOSED. ISS = 2^32-2 puts SND.NXT at 2^32-1
/// or 0 depending on the state.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Send a reset segment: <SEQ=SND.NXT><CTL=RST>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Delete the TCB, enter CLOSED state, and return.
#[test]
fn abort_in_synchronized_open_states_sends_rst_seq_snd_nxt() {
    for s in [
        State::SynReceived,
        State::Established,
        State::FinWait1,
        State::FinWait2,
        State::CloseWait,
    ] {
        let t = tcb_in(s, u32::MAX - 1, 300);
        let out = rules::abort(&t);
        assert_eq!(out.tcb.state, State::Closed, "{s}");
        assert_eq!(
            out.send,
            Some(Segment::new(Flags::RST, t.snd_nxt, Seq(0))),
            "{s}"
        );
        assert_eq!(out.send.unwrap().len, 0);
        assert!(out.events.contains(Event::Closed), "{s}");
        assert_eq!(out.events, events(&[Event::Closed]), "{s}");
    }
    // The exact values across the wrap.
    let fw1 = rules::abort(&tcb_in(State::FinWait1, u32::MAX - 1, 300));
    assert_eq!(fw1.send, Some(Segment::new(Flags::RST, Seq(0), Seq(0))));
    let est = rules::abort(&tcb_in(State::Established, u32::MAX - 1, 300));
    assert_eq!(
        est.send,
        Some(Segment::new(Flags::RST, Seq(u32::MAX), Seq(0)))
    );
}

/// RFC 9293 §3.10.5 CLOSING, LAST-ACK, TIME-WAIT: respond with "ok", delete the TCB, enter
/// CLOSED; no RST is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
//# Respond with "ok" and delete the TCB, enter CLOSED state, and return.
#[test]
fn abort_in_closing_last_ack_time_wait_closes_silently() {
    for s in [State::Closing, State::LastAck, State::TimeWait] {
        let t = tcb_in(s, 100, 300);
        let out = rules::abort(&t);
        assert_eq!(out.tcb.state, State::Closed, "{s}");
        assert_eq!(out.send, None, "{s}");
        assert!(out.events.contains(Event::Closed), "{s}");
        assert_eq!(out.events, events(&[Event::Closed]), "{s}");
    }
}

// ---------------------------------------------------------------------------------------------
// §3.10.8 Timeouts
// ---------------------------------------------------------------------------------------------

/// RFC 9293 §3.10.8 RETRANSMISSION TIMEOUT in SYN-SENT: resend the segment at the front of the
/// retransmission queue, <SEQ=ISS><CTL=SYN>; one retry of the budget is spent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# For any state if the retransmission timeout expires on a segment in the retransmission queue,
//# send the segment at the front of the retransmission queue again, reinitialize the retransmission
//# timer, and return.
#[test]
fn retransmission_in_syn_sent_resends_syn() {
    let t = tcb_in(State::SynSent, u32::MAX, 0);
    let out = rules::retransmission_timeout(&t);
    assert_eq!(out.tcb.state, State::SynSent);
    assert_eq!(out.tcb.retries_left, RETRIES - 1);
    assert_eq!((out.tcb.snd_una, out.tcb.snd_nxt), (Seq(u32::MAX), Seq(0)));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::SYN, Seq(u32::MAX), Seq(0)))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.8 RETRANSMISSION TIMEOUT in SYN-RECEIVED: the unacknowledged SYN is resent as
/// <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# send the segment at the front of the retransmission queue again,
#[test]
fn retransmission_in_syn_received_resends_syn_ack() {
    let t = tcb_in(State::SynReceived, 100, u32::MAX);
    let out = rules::retransmission_timeout(&t);
    assert_eq!(out.tcb.state, State::SynReceived);
    assert_eq!(out.tcb.retries_left, RETRIES - 1);
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::SYN_ACK, Seq(100), Seq(0)))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.8 RETRANSMISSION TIMEOUT with data outstanding: the earliest unacknowledged
/// segment, <SEQ=SND.UNA><ACK=RCV.NXT><CTL=ACK> with the byte, is resent. SND.UNA = 2^32-1.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# send the segment at the front of the retransmission queue again,
#[test]
fn retransmission_in_established_resends_earliest_data() {
    let mut t = tcb_in(State::Established, u32::MAX - 1, 300);
    // One byte sent at 2^32-1 and unacknowledged.
    t.snd_nxt = Seq(0);
    let out = rules::retransmission_timeout(&t);
    assert_eq!(out.tcb.state, State::Established);
    assert_eq!(out.tcb.retries_left, RETRIES - 1);
    assert_eq!((out.tcb.snd_una, out.tcb.snd_nxt), (Seq(u32::MAX), Seq(0)));
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::ACK, Seq(u32::MAX), Seq(301)).with_len(1))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.8 RETRANSMISSION TIMEOUT with our FIN outstanding (FIN-WAIT-1, CLOSING,
/// LAST-ACK): the FIN is resent, <SEQ=SND.UNA><ACK=RCV.NXT><CTL=FIN,ACK>.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# send the segment at the front of the retransmission queue again,
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# All segments preceding and including FIN will be retransmitted until acknowledged.
#[test]
fn retransmission_resends_unacknowledged_fin() {
    for s in [State::FinWait1, State::Closing, State::LastAck] {
        let t = tcb_in(s, u32::MAX, 300);
        let out = rules::retransmission_timeout(&t);
        assert_eq!(out.tcb.state, s);
        assert_eq!(out.tcb.retries_left, RETRIES - 1, "{s}");
        assert_eq!(
            out.send,
            Some(Segment::new(Flags::FIN_ACK, Seq(0), t.rcv_nxt)),
            "{s}"
        );
        assert!(out.events.is_empty(), "{s}");
    }
}

/// RFC 9293 §3.10.8 RETRANSMISSION TIMEOUT with a byte and the FIN outstanding: the resend
/// starts at SND.UNA (the earliest unacknowledged octet) and may repacketize byte and FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# All segments preceding and including FIN will be retransmitted until acknowledged.
#[test]
fn retransmission_with_data_and_fin_outstanding_starts_at_snd_una() {
    let mut t = tcb_in(State::FinWait1, 100, 300);
    // Byte at 101, FIN at 102, both unacknowledged.
    t.snd_nxt = Seq(103);
    let out = rules::retransmission_timeout(&t);
    assert_eq!(out.tcb.state, State::FinWait1);
    assert_eq!(
        out.send,
        Some(Segment::new(Flags::FIN_ACK, Seq(101), Seq(301)).with_len(1))
    );
    assert!(out.events.is_empty());
}

/// RFC 9293 §3.10.8 USER TIMEOUT (the retransmission budget spent): "error: connection aborted
/// due to user timeout", delete the TCB, enter CLOSED; nothing is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# For any state if the user timeout expires, flush all queues, signal the user "error: connection
//# aborted due to user timeout" in general and for any outstanding calls, delete the TCB, enter the
//# CLOSED state, and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# When the number of transmissions of the same segment reaches a threshold R2 greater than R1,
//# close the connection.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# SYN retransmissions MUST be handled in the general way just described for data retransmissions,
//# including notification of the application layer.
#[test]
fn retransmission_with_budget_spent_times_out() {
    for s in [
        State::SynSent,
        State::SynReceived,
        State::FinWait1,
        State::Closing,
        State::LastAck,
    ] {
        let mut t = tcb_in(s, 100, 300);
        t.retries_left = 0;
        let out = rules::retransmission_timeout(&t);
        assert_eq!(out.tcb.state, State::Closed, "{s}");
        assert_eq!(out.send, None, "{s}");
        assert!(out.events.contains(Event::TimedOut), "{s}");
        assert_eq!(out.events, events(&[Event::TimedOut]), "{s}");
    }
    let mut t = tcb_in(State::Established, 100, 300);
    t.snd_nxt = Seq(102);
    t.retries_left = 0;
    let out = rules::retransmission_timeout(&t);
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert_eq!(out.events, events(&[Event::TimedOut]));
}

/// RFC 9293 §3.10.8: the retransmission timeout concerns "a segment in the retransmission
/// queue"; with nothing outstanding there is nothing to resend and nothing happens.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# For any state if the retransmission timeout expires on a segment in the retransmission queue,
#[test]
fn retransmission_with_nothing_outstanding_does_nothing() {
    for s in [
        State::Closed,
        State::Listen,
        State::Established,
        State::FinWait2,
        State::CloseWait,
        State::TimeWait,
    ] {
        let t = tcb_in(s, 100, 300);
        let out = rules::retransmission_timeout(&t);
        assert_eq!(out.tcb, t, "{s}");
        assert_eq!(out.send, None, "{s}");
        assert!(out.events.is_empty(), "{s}");
    }
}

/// RFC 9293 §3.10.8 TIME-WAIT TIMEOUT: delete the TCB, enter CLOSED; nothing is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state, and
//# return.
#[test]
fn time_wait_timeout_closes() {
    let t = tcb_in(State::TimeWait, u32::MAX, u32::MAX);
    let out = rules::time_wait_timeout(&t);
    assert_eq!(out.tcb.state, State::Closed);
    assert_eq!(out.send, None);
    assert!(out.events.contains(Event::Closed));
    assert_eq!(out.events, events(&[Event::Closed]));
}

/// RFC 9293 §3.10.8: only TIME-WAIT runs the 2MSL timer; elsewhere its expiry does nothing.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.8
//# If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state, and
//# return.
#[test]
fn time_wait_timeout_outside_time_wait_does_nothing() {
    for s in [
        State::Closed,
        State::Listen,
        State::SynSent,
        State::SynReceived,
        State::Established,
        State::FinWait1,
        State::FinWait2,
        State::CloseWait,
        State::Closing,
        State::LastAck,
    ] {
        let t = tcb_in(s, 100, 300);
        let out = rules::time_wait_timeout(&t);
        assert_eq!(out.tcb, t, "{s}");
        assert_eq!(out.send, None, "{s}");
        assert!(out.events.is_empty(), "{s}");
    }
}

/// RFC 9293 §3.10.1: OPEN creates a new TCB. Nothing of an earlier connection on the same
/// block survives: FIN flags, IRS, delivered data, the spent retry budget. (Found by the
/// conformance harness: the endpoint starts afresh, the model kept the old FIN flags.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
//# Create a new transmission control block (TCB) to hold connection state information.
#[test]
fn open_after_a_finished_connection_starts_a_fresh_tcb() {
    let mut old = tcb_in(State::TimeWait, 100, 300);
    old.state = State::Closed;
    old.fin_rcvd = true;
    old.delivered = 1;
    old.retries_left = 0;
    for out in [rules::open_passive(&old), rules::open_active(&old)] {
        let t = out.tcb;
        assert!(!t.fin_sent && !t.fin_rcvd, "{:?}", t.state);
        assert_eq!((t.delivered, t.retries_left), (0, RETRIES));
        assert_eq!(t.iss, old.iss);
    }
}

/// §3.10.7.4: a passive SYN-RECEIVED that meets a RST returns to LISTEN; the connection it
/// was building is gone, and so is its spent retry budget (§3.8.3 counts R2 per
/// connection attempt). Found by the conformance harness.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In either case, the retransmission queue should be flushed.
#[test]
fn return_to_listen_restores_the_retry_budget() {
    let mut t = tcb_in(State::SynReceived, 100, 300);
    t.retries_left = 0;
    let rst = Segment::new(Flags::RST, Seq(301), Seq(0));
    let out = rules::segment_arrives(&t, &rst, &Reading::default());
    assert_eq!(out.tcb.state, State::Listen);
    assert_eq!(out.tcb.retries_left, RETRIES);
}

/// §3.8.3: R2 counts retransmissions of the same segment; new data acknowledged starts the
/// count again.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
//# There are two thresholds R1 and R2 measuring the amount of retransmission that has occurred for
//# the same segment.
#[test]
fn acknowledged_progress_restores_the_retry_budget() {
    let mut t = tcb_in(State::Established, 100, 300);
    t.snd_nxt = t.snd_nxt.add(1); // one byte outstanding
    t.retries_left = 0;
    let ack = Segment::new(Flags::ACK, t.rcv_nxt, t.snd_nxt);
    let out = rules::segment_arrives(&t, &ack, &Reading::default());
    assert_eq!(out.tcb.snd_una, t.snd_nxt);
    assert_eq!(out.tcb.retries_left, RETRIES);
}
