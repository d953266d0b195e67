//! The two readings of the synchronized-state rules that RFC 9293 §3.10.7.4 describes side by
//! side: with the RFC 5961 mitigations (RST §3.2, SYN §4.2, ACK §5.2) and the original RFC 793
//! behaviour; and RFC 1337 ("TIME-WAIT Assassination Hazards", fix TW1: ignore RST segments
//! in TIME-WAIT) on and off.

mod common;

use common::*;
use synfin_tcp::State::*;
use synfin_tcp::{Event, Profile, State};

const BOTH: [Profile; 2] = [Profile::Rfc5961, Profile::Rfc793];

/// Every synchronized state under `profile`; RFC 1337 off so that the TIME-WAIT RST rules of
/// RFC 9293 itself apply.
fn synchronized_in(profile: Profile) -> Vec<(&'static str, Tcp)> {
    synchronized(Setup::new().profile(profile).rfc1337(false))
}

// ---- RST (RFC 5961 §3.2 / RFC 793) -------------------------------------------------------

/// RFC 9293 §3.10.7.4 second, RFC 5961 check 3): a RST in the window but not at RCV.NXT: "TCP
/// endpoints MUST send an acknowledgment (challenge ACK) `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`"
/// and drop it; nothing else changes.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number does not exactly match the next expected sequence
//# value, yet is within the current receive window, TCP endpoints MUST send an acknowledgment
//# (challenge ACK): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# After sending the challenge ACK, TCP endpoints MUST drop the unacceptable segment and stop
//# processing the incoming packet further.
#[test]
fn rfc5961_in_window_rst_not_at_rcv_nxt_draws_challenge_ack() {
    for (name, mut t) in synchronized_in(Profile::Rfc5961) {
        eprintln!("in {name}");
        let st = t.state();
        let out = t.arrive(RST, t.rcv_nxt + 100, s(0), b"");
        assert_segs(&out, &[ack(t.snd_nxt, t.rcv_nxt)]);
        assert_eq!(t.state(), st, "{name}");
        assert_eq!(t.events(), [], "{name}");
    }
}

/// RFC 9293 §3.10.7.4 second, RFC 793 behaviour: any RST in the window is processed, per state:
/// SYN-RECEIVED passive -> LISTEN (user not told), active -> CLOSED "connection refused";
/// ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT -> CLOSED "connection reset"; CLOSING, LAST-ACK,
/// TIME-WAIT -> CLOSED. No segment is sent.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# For stacks implementing the protection described in RFC 5961, the three checks below apply;
//# otherwise, processing for these states is indicated further below.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# The receiver of a RST first validates it, then changes state. If the receiver was in the LISTEN
//# state, it ignores it. If the receiver was in SYN-RECEIVED state and had previously been in the
//# LISTEN state, then the receiver returns to the LISTEN state; otherwise, the receiver aborts the
//# connection and goes to the CLOSED state. If the receiver was in any other state, it aborts the
//# connection and advises the user and goes to the CLOSED state.
#[test]
fn rfc793_in_window_rst_not_at_rcv_nxt_resets() {
    for (name, mut t) in synchronized_in(Profile::Rfc793) {
        eprintln!("in {name}");
        let (after, events) = match t.state() {
            SynReceived if t.conn.is_passive() => (Listen, vec![]),
            SynReceived => (Closed, vec![Event::Refused]),
            Established | FinWait1 | FinWait2 | CloseWait => (Closed, vec![Event::Reset]),
            _ => (Closed, vec![Event::Closed]),
        };
        assert_segs(&t.arrive(RST, t.rcv_nxt + 100, s(0), b""), &[]);
        assert_eq!(t.state(), after, "{name}");
        assert_eq!(t.events(), events, "{name}");
    }
}

/// RFC 5961 check 2): "If the RST bit is set and the sequence number exactly matches ...
/// RCV.NXT, then TCP endpoints MUST reset the connection"; RFC 793 does too.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number exactly matches the next expected sequence number
//# (RCV.NXT), then TCP endpoints MUST reset the connection in the manner prescribed below according
//# to the connection state.
#[test]
fn rst_at_rcv_nxt_resets_in_both_profiles() {
    for p in BOTH {
        let mut t = Setup::new().profile(p).build(Established);
        assert_segs(&t.arrive(RST, t.rcv_nxt, s(0), b""), &[]);
        assert_eq!(t.state(), Closed, "{p:?}");
        assert_eq!(t.events(), [Event::Reset], "{p:?}");
    }
}

/// The window edges, with RCV.NXT + RCV.WND wrapping past 2^32: under RFC 793 a RST at the last
/// octet of the window (RCV.NXT+RCV.WND-1) resets; one octet further it is outside the window
/// and, in both profiles, "silently drop[ped]" (RFC 5961 check 1, Table 6).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number is outside the current receive window, silently
//# drop the segment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.3
//# A reset is valid if its sequence number is in the window.
#[test]
fn rst_window_edges_wrap_around_2_32() {
    let setup = Setup::new().isns(ISS, u32::MAX - 5);
    for p in BOTH {
        let mut t = setup.clone().profile(p).build(Established);
        assert_eq!(t.rcv_nxt, s(u32::MAX - 4));
        assert_segs(&t.arrive(RST, t.rcv_nxt + 65535, s(0), b""), &[]);
        assert_eq!((t.state(), t.events()), (Established, vec![]), "{p:?}");
    }
    let mut t = setup.profile(Profile::Rfc793).build(Established);
    let last = t.rcv_nxt + 65534;
    assert_eq!(last, s(65529));
    assert_segs(&t.arrive(RST, last, s(0), b""), &[]);
    assert_eq!((t.state(), t.events()), (Closed, vec![Event::Reset]));
}

// ---- SYN (RFC 5961 §4.2 / RFC 793) -------------------------------------------------------

/// RFC 9293 §3.10.7.4 fourth, RFC 793 behaviour: "If the SYN is in the window it is an error:
/// send a reset, ... the user should also receive an unsolicited general 'connection reset'
/// signal, enter the CLOSED state". The reset has the form of §3.5.2: SEQ from SEG.ACK if the
/// SYN has an ACK, else `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# For implementations that do not follow RFC 5961, the original behavior described in RFC 793
//# follows in this paragraph. If the SYN is in the window it is an error: send a reset, any
//# outstanding RECEIVEs and SEND should receive "reset" responses, all segment queues should be
//# flushed, the user should also receive an unsolicited general "connection reset" signal, enter
//# the CLOSED state, delete the TCB, and return.
#[test]
fn rfc793_in_window_syn_sends_rst_and_resets() {
    for (name, mut t) in synchronized_in(Profile::Rfc793).into_iter().skip(1) {
        eprintln!("in {name}");
        let seq = t.rcv_nxt + 10;
        assert_segs(&t.arrive(SYN, seq, s(0), b""), &[rst_ack(s(0), seq + 1)]);
        assert_eq!(t.state(), Closed, "{name}");
        assert_eq!(t.events(), [Event::Reset], "{name}");
    }
    let mut t = Setup::new().profile(Profile::Rfc793).build(Established);
    let out = t.arrive(SYN | ACK, t.rcv_nxt, s(ISS + 1), b"");
    assert_segs(&out, &[rst(s(ISS + 1))]);
    assert_eq!((t.state(), t.events()), (Closed, vec![Event::Reset]));
}

/// RFC 5961 §4.2 (RFC 9293 §3.10.7.4 fourth): "irrespective of the sequence number" a SYN
/// draws a challenge ACK; a SYN outside the window already fails the first step and draws the
/// same ACK in both profiles ("If the SYN is not in the window, this step would not be reached
/// and an ACK would have been sent in the first step").
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the SYN is not in the window, this step would not be reached and an ACK would have been sent
//# in the first step (sequence number check).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# RFC 5961 recommends that in these synchronized states, if the SYN bit is set, irrespective of
//# the sequence number, TCP endpoints MUST send a "challenge ACK" to the remote peer:
//# <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
#[test]
fn syn_outside_window_is_acked_in_both_profiles_and_in_window_only_under_rfc5961() {
    for p in BOTH {
        let mut t = Setup::new().profile(p).build(Established);
        let out = t.arrive(SYN, t.rcv_nxt + 70000, s(0), b"");
        assert_segs(&out, &[ack(t.snd_nxt, t.rcv_nxt)]);
        assert_eq!(t.state(), Established, "{p:?}");
    }
    let mut t = Setup::new().profile(Profile::Rfc5961).build(Established);
    let out = t.arrive(SYN | ACK, t.rcv_nxt, s(ISS + 1), b"");
    assert_segs(&out, &[ack(t.snd_nxt, t.rcv_nxt)]);
    assert_eq!((t.state(), t.events()), (Established, vec![]));
}

/// RFC 9293 §3.10.7.4 fourth, SYN-RECEIVED: "If the connection was initiated with a passive
/// OPEN, then return this connection to the LISTEN state" - in both profiles.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the connection was initiated with a passive OPEN, then return this connection to the LISTEN
//# state and return.
#[test]
fn syn_received_passive_in_window_syn_returns_to_listen_in_both_profiles() {
    for p in BOTH {
        let mut t = Setup::new().profile(p).passive().build(SynReceived);
        assert_segs(&t.arrive(SYN, t.rcv_nxt + 5, s(0), b""), &[]);
        assert_eq!((t.state(), t.events()), (Listen, vec![]), "{p:?}");
    }
}

/// A SYN left of RCV.NXT whose FIN reaches into the window: the segment is acceptable (Table 6:
/// its last octet is RCV.NXT), but the SYN lies outside the window. §3.10.7.4 works on "the
/// idealized segment that begins at RCV.NXT", "trimming off any portions that lie outside the
/// window (including SYN and FIN)"; RFC 793: "If the SYN is not in the window this step would
/// not be reached". Under RFC 793 the SYN is trimmed and the FIN is processed: ESTABLISHED goes
/// to CLOSE-WAIT and acknowledges it, no reset. (Found by the FreeBSD script
/// `rcv-syn-fin-time-wait-using-shutdown-outside-left-insecure`; both the endpoint and the
/// model used to answer it with a RST.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# In the following it is assumed that the segment is the idealized segment that begins at RCV.NXT
//# and does not exceed the window. One could tailor actual segments to fit this assumption by
//# trimming off any portions that lie outside the window (including SYN and FIN) and only
//# processing further if the segment then begins at RCV.NXT.
#[test]
fn rfc793_syn_left_of_the_window_is_trimmed_and_the_fin_processed() {
    let mut t = Setup::new().profile(Profile::Rfc793).build(Established);
    let (nxt, una) = (t.rcv_nxt, t.snd_nxt);
    let out = t.arrive(SYN | FIN | ACK, nxt - 1, una, b"");
    assert_segs(&out, &[ack(una, nxt + 1)]);
    assert_eq!(
        (t.state(), t.events()),
        (CloseWait, vec![Event::PeerClosed])
    );
    // Without the ACK bit the trimmed rest is dropped ("if the ACK bit is off drop the
    // segment and return"), in TIME-WAIT as anywhere: no reset, nothing sent.
    let mut t = Setup::new().profile(Profile::Rfc793).build(TimeWait);
    let nxt = t.rcv_nxt;
    assert_segs(&t.arrive(SYN | FIN, nxt - 1, s(0), b""), &[]);
    assert_eq!(t.state(), TimeWait);
}

/// The same SYN under RFC 5961 still draws a challenge ACK (§4.2: "irrespective of the sequence
/// number"); in a passive SYN-RECEIVED a trimmed SYN does not send the connection back to
/// LISTEN, in either profile: its text is taken once the ACK establishes the connection.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# RFC 5961 recommends that in these synchronized states, if the SYN bit is set, irrespective of
//# the sequence number, TCP endpoints MUST send a "challenge ACK" to the remote peer:
//# <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
#[test]
fn syn_left_of_the_window_challenged_under_rfc5961_and_kept_in_syn_received() {
    let mut t = Setup::new().profile(Profile::Rfc5961).build(Established);
    let (nxt, una) = (t.rcv_nxt, t.snd_nxt);
    assert_segs(
        &t.arrive(SYN | FIN | ACK, nxt - 1, una, b""),
        &[ack(una, nxt)],
    );
    assert_eq!((t.state(), t.events()), (Established, vec![]));
    for p in BOTH {
        let mut t = Setup::new().profile(p).passive().build(SynReceived);
        let nxt = t.rcv_nxt;
        let out = t.arrive(SYN | ACK, nxt - 1, s(ISS + 1), b"hi");
        assert_segs(&out, &[ack(s(ISS + 1), nxt + 2)]);
        assert_eq!(t.state(), Established, "{p:?}");
        assert_eq!(t.read_all(), b"hi", "{p:?}");
    }
}

// ---- ACK (RFC 5961 §5.2 / RFC 793) -------------------------------------------------------

/// RFC 5961 §5.2 (RFC 9293 §3.10.7.4 fifth, MAY-12): the ACK is acceptable only in
/// (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT; "All incoming segments whose ACK value doesn't
/// satisfy the above condition MUST be discarded and an ACK sent back." RFC 793: an old ACK
/// "can be ignored" and the text is still processed. SND.UNA = 2^32-1, MAX.SND.WND = 1000.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# TCP stacks that implement RFC 5961 MUST add an input check that the ACK value is acceptable only
//# if it is in the range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming segments
//# whose ACK value doesn't satisfy the above condition MUST be discarded and an ACK sent back.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored.
#[test]
fn ack_older_than_max_snd_wnd_is_dropped_under_rfc5961_only() {
    let setup = Setup::new().isns(u32::MAX - 1, IRS).peer_wnd(1000);
    let too_old = s(u32::MAX - 1001);
    let oldest_ok = s(u32::MAX - 1000);

    let mut t = setup.clone().profile(Profile::Rfc5961).build(Established);
    assert_eq!(t.conn.tcb().max_snd_wnd, 1000);
    let out = t.arrive(ACK, t.rcv_nxt, too_old, b"old");
    assert_segs(&out, &[ack(s(u32::MAX), t.rcv_nxt)]);
    assert_eq!((t.conn.tcb().rcv_nxt, t.events()), (t.rcv_nxt, vec![]));
    let out = t.arrive(ACK, t.rcv_nxt, oldest_ok, b"ok!");
    assert_segs(&out, &[ack(s(u32::MAX), t.rcv_nxt + 3)]);
    assert_eq!(t.read_all(), b"ok!");

    let mut t = setup.profile(Profile::Rfc793).build(Established);
    let out = t.arrive(ACK, t.rcv_nxt, too_old, b"old");
    assert_segs(&out, &[ack(s(u32::MAX), t.rcv_nxt + 3)]);
    assert_eq!(t.read_all(), b"old");
    assert_eq!(t.conn.tcb().snd_una, s(u32::MAX));
}

/// RFC 9293 §3.10.7.4 fifth, ESTABLISHED (and CLOSE-WAIT, "the same processing"), both
/// profiles: "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK,
/// drop the segment, and return" - its text is not taken.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment,
//# and return.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Do the same processing as for the ESTABLISHED state.
#[test]
fn ack_beyond_snd_nxt_is_acked_and_dropped_in_both_profiles() {
    for p in BOTH {
        for st in [Established, CloseWait] {
            let mut t = Setup::new().profile(p).build(st);
            let out = t.arrive(ACK, t.rcv_nxt, t.snd_nxt + 1, b"data");
            assert_segs(&out, &[ack(t.snd_nxt, t.rcv_nxt)]);
            assert_eq!(t.conn.tcb().snd_una, s(ISS + 1), "{p:?} {st}");
            assert_eq!(t.conn.tcb().rcv_nxt, t.rcv_nxt, "{p:?} {st}");
            assert_eq!((t.events(), t.conn.recv_queue_len()), (vec![], 0));
        }
    }
}

/// RFC 9293 §3.10.7.4 fifth puts RFC 5961's range check before the per-state rules ("When the
/// ACK value is acceptable, the per-state processing below applies"): in SYN-RECEIVED, an ACK
/// beyond SND.NXT is "discarded and an ACK sent back". Under RFC 793 the SYN-RECEIVED rule
/// answers `<SEQ=SEG.ACK><CTL=RST>`.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# All incoming segments whose ACK value doesn't satisfy the above condition MUST be discarded and
//# an ACK sent back.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# When the ACK value is acceptable, the per-state processing below applies:
#[test]
fn rfc5961_syn_received_ack_beyond_snd_nxt_draws_an_ack() {
    let mut t = Setup::new()
        .profile(Profile::Rfc5961)
        .passive()
        .build(SynReceived);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 2), b"");
    assert_segs(&out, &[ack(s(ISS + 1), s(IRS + 1))]);
    assert_eq!(t.state(), SynReceived);
}

/// RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED, RFC 793 behaviour: "If the segment acknowledgment is
/// not acceptable, form a reset segment `<SEQ=SEG.ACK><CTL=RST>` and send it."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>
#[test]
fn rfc793_syn_received_ack_beyond_snd_nxt_gets_rst() {
    let mut t = Setup::new()
        .profile(Profile::Rfc793)
        .passive()
        .build(SynReceived);
    let out = t.arrive(ACK, s(IRS + 1), s(ISS + 2), b"");
    assert_segs(&out, &[rst(s(ISS + 2))]);
    assert_eq!((t.state(), t.events()), (SynReceived, vec![]));
}

// ---- RFC 1337 in TIME-WAIT ---------------------------------------------------------------

fn time_wait(p: Profile, rfc1337: bool) -> Tcp {
    Setup::new().profile(p).rfc1337(rfc1337).build(TimeWait)
}

/// RFC 1337 §3 fix (TW1): "ignore RST segments in TIME-WAIT state". Even a RST at exactly
/// RCV.NXT leaves TIME-WAIT and its 2*MSL timer alone (MUST-13), in both profiles.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
//# (Maximum Segment Lifetime) (MUST-13).
#[test]
fn rfc1337_on_time_wait_ignores_rst() {
    for p in BOTH {
        let mut t = time_wait(p, true);
        let deadline = t.conn.poll_timeout();
        assert_segs(&t.arrive(RST, t.rcv_nxt, s(0), b""), &[]);
        assert_segs(&t.arrive(RST | ACK, t.rcv_nxt, t.snd_nxt, b""), &[]);
        t.arrive(RST, t.rcv_nxt + 9, s(0), b"");
        assert_eq!(t.state(), TimeWait, "{p:?}");
        assert_eq!(t.events(), [], "{p:?}");
        assert_eq!(t.conn.poll_timeout(), deadline, "{p:?}");
        t.advance(TWO_MSL);
        assert_eq!((t.state(), t.events()), (Closed, vec![Event::Closed]));
    }
}

/// RFC 1337 off: RFC 9293 §3.10.7.4 second, TIME-WAIT: "If the RST bit is set, then enter the
/// CLOSED state, delete the TCB, and return."
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set, then enter the CLOSED state, delete the TCB, and return.
#[test]
fn rfc1337_off_time_wait_rst_closes() {
    for p in BOTH {
        let mut t = time_wait(p, false);
        assert_segs(&t.arrive(RST, t.rcv_nxt, s(0), b""), &[]);
        assert_eq!(t.state(), Closed, "{p:?}");
        assert_eq!(t.events(), [Event::Closed], "{p:?}");
        assert_eq!(t.conn.poll_timeout(), None, "{p:?}");
    }
}

/// The profile changes nothing outside the RST, SYN and ACK checks: a TIME-WAIT RST outside the
/// window is dropped silently whatever the settings.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the RST bit is set and the sequence number is outside the current receive window, silently
//# drop the segment.
#[test]
fn time_wait_rst_outside_window_is_dropped_in_every_combination() {
    for p in BOTH {
        for on in [true, false] {
            let mut t = time_wait(p, on);
            assert_segs(&t.arrive(RST, t.rcv_nxt - 1, s(0), b""), &[]);
            assert_eq!(t.state(), State::TimeWait, "{p:?} rfc1337={on}");
        }
    }
}
