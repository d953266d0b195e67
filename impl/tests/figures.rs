//! RFC 9293 §3.5's figures, replayed on two endpoints through the in-memory network (every
//! segment goes through the wire codec). Each test checks the exact segments (flags, SEQ,
//! ACK) and both states after each line of its figure. Where the figure's rendering and the
//! RFC's own rules differ, the test follows the rules and says so.
//!
//! Our data segments carry PSH (the push function of §3.9.1, set on the last segment of a
//! SEND); the figures do not draw PSH.

mod pairs;

use pairs::*;
use std::time::Duration;
use synfin_tcp::pair::{Side, ADDR_B};
use synfin_tcp::State::*;
use synfin_tcp::{Config, Connection, Event, FixedIsn, Flags, IsnList, Profile, Segment, SeqNum};

/// Figure 6: basic three-way handshake for connection synchronization.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# In line 2 of Figure 6, TCP Peer A begins by sending a SYN segment indicating that it will use
//# sequence numbers starting with sequence number 100. In line 3, TCP Peer B sends a SYN and
//# acknowledges the SYN it received from TCP Peer A.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# At line 4, TCP Peer A responds with an empty segment containing an ACK for TCP Peer B's SYN; and
//# in line 5, TCP Peer A sends some data. Note that the sequence number of the segment in line 5 is
//# the same as in line 4 because the ACK does not occupy sequence number space
#[test]
fn fig6_basic_three_way_handshake() {
    let mut p = pair(FixedIsn(100), FixedIsn(300));
    // 1. CLOSED / LISTEN
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    assert_states(&p, Closed, Listen);
    // 2. SYN-SENT --> <SEQ=100><CTL=SYN> --> SYN-RECEIVED
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    assert_in_flight(&p, &["A->B <SEQ=100><CTL=SYN>"]);
    deliver(&mut p, "A->B <SEQ=100><CTL=SYN>", SynSent, SynReceived);
    // 3. ESTABLISHED <-- <SEQ=300><ACK=101><CTL=SYN,ACK> <-- SYN-RECEIVED
    assert_in_flight(&p, &["B->A <SEQ=300><ACK=101><CTL=SYN,ACK>"]);
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=101><CTL=SYN,ACK>",
        Established,
        SynReceived,
    );
    // 4. ESTABLISHED --> <SEQ=101><ACK=301><CTL=ACK> --> ESTABLISHED
    assert_in_flight(&p, &["A->B <SEQ=101><ACK=301><CTL=ACK>"]);
    deliver(
        &mut p,
        "A->B <SEQ=101><ACK=301><CTL=ACK>",
        Established,
        Established,
    );
    // 5. ESTABLISHED --> <SEQ=101><ACK=301><CTL=ACK><DATA> --> ESTABLISHED
    p.with(Side::A, |c, now| c.send(now, b"0123456789"))
        .unwrap();
    assert_in_flight(&p, &["A->B <SEQ=101><ACK=301><CTL=PSH,ACK><DATA=10>"]);
    deliver(
        &mut p,
        "A->B <SEQ=101><ACK=301><CTL=PSH,ACK><DATA=10>",
        Established,
        Established,
    );
    assert_eq!(events(&p, Side::A), [Event::Connected]);
    assert_eq!(events(&p, Side::B), [Event::Connected, Event::Readable]);
    let mut buf = [0; 16];
    let n = p.b.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"0123456789");
}

/// Figure 7: simultaneous connection synchronization.
///
/// Lines 1–4 happen as drawn. At line 6 the figure has A enter ESTABLISHED on
/// `<SEQ=300><ACK=101><CTL=SYN,ACK>`, but §3.10.7.4's first step rejects that segment in
/// SYN-RECEIVED: RCV.NXT is 301 and the segment occupies only 300, so Table 6 finds it
/// unacceptable and the rules answer `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>` and drop it. Each
/// side then enters ESTABLISHED on the other's ACK: one more segment each way than drawn.
/// The model (synfin-model, `synfin trace --scenario fig7-simultaneous-open`) reads the rules
/// the same way.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# A TCP implementation MUST support simultaneous open attempts (MUST-10).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# Simultaneous initiation is only slightly more complex, as is shown in Figure 7. Each TCP peer's
//# connection state cycles from CLOSED to SYN-SENT to SYN-RECEIVED to ESTABLISHED.
#[test]
fn fig7_simultaneous_open() {
    let mut p = pair(FixedIsn(100), FixedIsn(300));
    // 2. SYN-SENT --> <SEQ=100><CTL=SYN> ...
    p.with(Side::A, |c, now| {
        c.open_active(now, synfin_tcp::pair::ADDR_B)
    })
    .unwrap();
    // 3. SYN-RECEIVED <-- <SEQ=300><CTL=SYN> <-- SYN-SENT
    p.with(Side::B, |c, now| {
        c.open_active(now, synfin_tcp::pair::ADDR_A)
    })
    .unwrap();
    assert_states(&p, SynSent, SynSent);
    assert_in_flight(&p, &["A->B <SEQ=100><CTL=SYN>", "B->A <SEQ=300><CTL=SYN>"]);
    deliver(&mut p, "B->A <SEQ=300><CTL=SYN>", SynReceived, SynSent);
    // 4. ... <SEQ=100><CTL=SYN> --> SYN-RECEIVED
    deliver(&mut p, "A->B <SEQ=100><CTL=SYN>", SynReceived, SynReceived);
    // 5. ... <SEQ=100><ACK=301><CTL=SYN,ACK> ...
    // 6. <-- <SEQ=300><ACK=101><CTL=SYN,ACK> <-- SYN-RECEIVED
    assert_in_flight(
        &p,
        &[
            "A->B <SEQ=100><ACK=301><CTL=SYN,ACK>",
            "B->A <SEQ=300><ACK=101><CTL=SYN,ACK>",
        ],
    );
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=101><CTL=SYN,ACK>",
        SynReceived,
        SynReceived,
    );
    // (Table 6: unacceptable, so an ACK and no state change.)
    // 7. ... <SEQ=100><ACK=301><CTL=SYN,ACK> --> (likewise unacceptable at B)
    deliver(
        &mut p,
        "A->B <SEQ=100><ACK=301><CTL=SYN,ACK>",
        SynReceived,
        SynReceived,
    );
    assert_in_flight(
        &p,
        &[
            "A->B <SEQ=101><ACK=301><CTL=ACK>",
            "B->A <SEQ=301><ACK=101><CTL=ACK>",
        ],
    );
    // The two ACKs complete the handshake.
    deliver(
        &mut p,
        "A->B <SEQ=101><ACK=301><CTL=ACK>",
        SynReceived,
        Established,
    );
    deliver(
        &mut p,
        "B->A <SEQ=301><ACK=101><CTL=ACK>",
        Established,
        Established,
    );
    assert_in_flight(&p, &[]);
    assert_eq!(events(&p, Side::A), [Event::Connected]);
    assert_eq!(events(&p, Side::B), [Event::Connected]);
}

/// Figure 8: recovery from an old duplicate SYN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# At line 3, an old duplicate SYN arrives at TCP Peer B. TCP Peer B cannot tell that this is an
//# old duplicate, so it responds normally (line 4). TCP Peer A detects that the ACK field is
//# incorrect and returns a RST (reset) with its SEQ field selected to make the segment believable.
//# TCP Peer B, on receiving the RST, returns to the LISTEN state. When the original SYN finally
//# arrives at line 6, the synchronization proceeds normally.
#[test]
fn fig8_recovery_from_old_duplicate_syn() {
    let mut p = pair(FixedIsn(100), IsnList::new([300, 400]));
    // 1. CLOSED / LISTEN
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    // 2. SYN-SENT --> <SEQ=100><CTL=SYN> ...
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    // 3. (duplicate) ... <SEQ=90><CTL=SYN> --> SYN-RECEIVED
    let old = Segment {
        seq: SeqNum(90),
        flags: Flags::SYN,
        window: 65535,
        ..Segment::default()
    };
    p.inject(Side::B, from_side(Side::A, old));
    assert_states(&p, SynSent, SynReceived);
    // 4. SYN-SENT <-- <SEQ=300><ACK=91><CTL=SYN,ACK> <-- SYN-RECEIVED
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=91><CTL=SYN,ACK>",
        SynSent,
        SynReceived,
    );
    // 5. SYN-SENT --> <SEQ=91><CTL=RST> --> LISTEN
    deliver(&mut p, "A->B <SEQ=91><CTL=RST>", SynSent, Listen);
    // 6. ... <SEQ=100><CTL=SYN> --> SYN-RECEIVED
    deliver(&mut p, "A->B <SEQ=100><CTL=SYN>", SynSent, SynReceived);
    // 7. ESTABLISHED <-- <SEQ=400><ACK=101><CTL=SYN,ACK> <-- SYN-RECEIVED
    deliver(
        &mut p,
        "B->A <SEQ=400><ACK=101><CTL=SYN,ACK>",
        Established,
        SynReceived,
    );
    // 8. ESTABLISHED --> <SEQ=101><ACK=401><CTL=ACK> --> ESTABLISHED
    deliver(
        &mut p,
        "A->B <SEQ=101><ACK=401><CTL=ACK>",
        Established,
        Established,
    );
    assert_in_flight(&p, &[]);
    // B's user never heard of the connection attempt that was reset (§3.10.7.4).
    assert_eq!(events(&p, Side::B), [Event::Connected]);
}

/// Figure 9: half-open connection discovery. A crashed and lost its TCB while B is
/// ESTABLISHED with SND.NXT = 300 and RCV.NXT = 100. Under RFC 5961 (the default) B answers
/// the new SYN with a challenge ACK (§4.2) whatever its sequence number, which is the ACK the
/// figure draws. (The figure assumes SEQ=400 is outside B's window; with a 65535-octet
/// window it is not, and RFC 793 behaves differently: see the next test.)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# TCP Peer A sees that this segment does not acknowledge anything it sent and, being
//# unsynchronized, sends a reset (RST) because it has detected a half-open connection. TCP Peer B
//# aborts at line 5. TCP Peer A will continue to try to establish the connection; the problem is
//# now reduced to the basic three-way handshake of Figure 6.
#[test]
fn fig9_half_open_discovery() {
    {
        let mut p = established(99, 299);
        // 1. (CRASH) (send 300, receive 100); 2. CLOSED / ESTABLISHED
        p.a = Connection::with_isn(Config::default(), synfin_tcp::pair::ADDR_A, FixedIsn(400));
        assert_states(&p, Closed, Established);
        // 3. SYN-SENT --> <SEQ=400><CTL=SYN> --> (??)
        p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
            .unwrap();
        deliver(&mut p, "A->B <SEQ=400><CTL=SYN>", SynSent, Established);
        // 4. (!!) <-- <SEQ=300><ACK=100><CTL=ACK> <-- ESTABLISHED
        // 5. SYN-SENT --> <SEQ=100><CTL=RST> --> (Abort!!)
        deliver(
            &mut p,
            "B->A <SEQ=300><ACK=100><CTL=ACK>",
            SynSent,
            Established,
        );
        // 6. SYN-SENT / CLOSED
        deliver(&mut p, "A->B <SEQ=100><CTL=RST>", SynSent, Closed);
        assert_eq!(events(&p, Side::B), [Event::Reset]);
        // 7. SYN-SENT --> <SEQ=400><CTL=SYN> --> : A's retransmission; B's user listens again.
        p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
        p.fire_next_timer();
        deliver(&mut p, "A->B <SEQ=400><CTL=SYN>", SynSent, SynReceived);
    }
}

/// Figure 9's situation under the RFC 793 profile: SEQ=400 lies inside B's 65535-octet
/// window, so the SYN is "in the window", an error: B sends a reset (formed as in CLOSED,
/// `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`) and enters CLOSED; A's SYN is refused. The
/// half-open connection is still discovered, but A's new attempt dies with it: the blind-SYN
/// weakness RFC 5961 §4 removes.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# If the SYN is in the window it is an error: send a reset, any outstanding RECEIVEs and SEND
//# should receive "reset" responses, all segment queues should be flushed, the user should also
//# receive an unsolicited general "connection reset" signal, enter the CLOSED state, delete the
//# TCB, and return.
#[test]
fn fig9_under_rfc793_in_window_syn_resets_both() {
    let mut p = established(99, 299);
    p.b.set_profile(Profile::Rfc793);
    p.a = Connection::with_isn(Config::default(), synfin_tcp::pair::ADDR_A, FixedIsn(400));
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    deliver(&mut p, "A->B <SEQ=400><CTL=SYN>", SynSent, Closed);
    deliver(&mut p, "B->A <SEQ=0><ACK=401><CTL=RST,ACK>", Closed, Closed);
    assert_eq!(events(&p, Side::A), [Event::Refused]);
    assert_eq!(events(&p, Side::B), [Event::Reset]);
}

/// Figure 10: the active side causes half-open discovery. A rebooted (no TCB); B sends data.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# In this case, the data arriving at TCP Peer A from TCP Peer B (line 2) is unacceptable because
//# no such connection exists, so TCP Peer A sends a RST. The RST is acceptable so TCP Peer B
//# processes it and aborts the connection.
#[test]
fn fig10_active_side_causes_half_open_discovery() {
    let mut p = established(99, 299);
    // 1. (REBOOT) (send 300, receive 100)
    p.a = Connection::with_isn(Config::default(), synfin_tcp::pair::ADDR_A, FixedIsn(1));
    // 2. (??) <-- <SEQ=300><ACK=100><DATA=10><CTL=ACK> <-- ESTABLISHED
    p.with(Side::B, |c, now| c.send(now, b"0123456789"))
        .unwrap();
    // 3. --> <SEQ=100><CTL=RST> --> (ABORT!!)
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=100><CTL=PSH,ACK><DATA=10>",
        Closed,
        Established,
    );
    deliver(&mut p, "A->B <SEQ=100><CTL=RST>", Closed, Closed);
    assert_eq!(events(&p, Side::B), [Event::Reset]);
}

/// Figure 11: an old duplicate SYN initiates a reset on two passive sockets.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# An old duplicate arriving at TCP Peer B (line 2) stirs B into action. A SYN-ACK is returned
//# (line 3) and causes TCP A to generate a RST (the ACK in line 3 is not acceptable). TCP Peer B
//# accepts the reset and returns to its passive LISTEN state.
#[test]
fn fig11_old_duplicate_syn_resets_two_passive_sockets() {
    let (z, x) = (200, 300);
    let mut p = pair(FixedIsn(700), FixedIsn(x));
    // 1. LISTEN / LISTEN
    p.with(Side::A, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    // 2. ... <SEQ=Z><CTL=SYN> --> SYN-RECEIVED
    let old = Segment {
        seq: SeqNum(z),
        flags: Flags::SYN,
        window: 65535,
        ..Segment::default()
    };
    p.inject(Side::B, from_side(Side::A, old));
    assert_states(&p, Listen, SynReceived);
    // 3. (??) <-- <SEQ=X><ACK=Z+1><CTL=SYN,ACK> <-- SYN-RECEIVED
    // 4. --> <SEQ=Z+1><CTL=RST> --> (return to LISTEN!)
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=201><CTL=SYN,ACK>",
        Listen,
        SynReceived,
    );
    deliver(&mut p, "A->B <SEQ=201><CTL=RST>", Listen, Listen);
    // 5. LISTEN / LISTEN
    assert_in_flight(&p, &[]);
    assert!(events(&p, Side::A).is_empty() && events(&p, Side::B).is_empty());
}

/// Figure 12: normal close sequence, then 2 MSL of TIME-WAIT.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# In this case, a FIN segment can be constructed and placed on the outgoing segment queue.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# If an unsolicited FIN arrives from the network, the receiving TCP endpoint can ACK it and tell
//# the user that the connection is closing.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
//# When a connection is closed actively, it MUST linger in the TIME-WAIT state for a time 2xMSL
//# (Maximum Segment Lifetime) (MUST-13).
#[test]
fn fig12_normal_close() {
    let mut p = established(99, 299);
    // 2. (Close) FIN-WAIT-1 --> <SEQ=100><ACK=300><CTL=FIN,ACK> --> CLOSE-WAIT
    p.with(Side::A, |c, now| c.close(now)).unwrap();
    assert_states(&p, FinWait1, Established);
    deliver(
        &mut p,
        "A->B <SEQ=100><ACK=300><CTL=FIN,ACK>",
        FinWait1,
        CloseWait,
    );
    // 3. FIN-WAIT-2 <-- <SEQ=300><ACK=101><CTL=ACK> <-- CLOSE-WAIT
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=101><CTL=ACK>",
        FinWait2,
        CloseWait,
    );
    // 4. (Close) TIME-WAIT <-- <SEQ=300><ACK=101><CTL=FIN,ACK> <-- LAST-ACK
    p.with(Side::B, |c, now| c.close(now)).unwrap();
    assert_states(&p, FinWait2, LastAck);
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=101><CTL=FIN,ACK>",
        TimeWait,
        LastAck,
    );
    // 5. TIME-WAIT --> <SEQ=101><ACK=301><CTL=ACK> --> CLOSED
    deliver(&mut p, "A->B <SEQ=101><ACK=301><CTL=ACK>", TimeWait, Closed);
    // 6. (2 MSL) CLOSED
    let two_msl = Config::default().msl * 2;
    p.advance(two_msl - Duration::from_millis(1));
    assert_states(&p, TimeWait, Closed);
    p.advance(Duration::from_millis(1));
    assert_states(&p, Closed, Closed);
    assert_eq!(events(&p, Side::A), [Event::PeerClosed, Event::Closed]);
    assert_eq!(events(&p, Side::B), [Event::PeerClosed, Event::Closed]);
}

/// Figure 13: simultaneous close sequence.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# A simultaneous CLOSE by users at both ends of a connection causes FIN segments to be exchanged
//# (Figure 13). When all segments preceding the FINs have been processed and acknowledged, each TCP
//# peer can ACK the FIN it has received.
#[test]
fn fig13_simultaneous_close() {
    let mut p = established(99, 299);
    // 2. (Close) FIN-WAIT-1 --> <SEQ=100><ACK=300><CTL=FIN,ACK> ... FIN-WAIT-1 (Close)
    p.with(Side::A, |c, now| c.close(now)).unwrap();
    p.with(Side::B, |c, now| c.close(now)).unwrap();
    assert_states(&p, FinWait1, FinWait1);
    assert_in_flight(
        &p,
        &[
            "A->B <SEQ=100><ACK=300><CTL=FIN,ACK>",
            "B->A <SEQ=300><ACK=100><CTL=FIN,ACK>",
        ],
    );
    // <-- <SEQ=300><ACK=100><CTL=FIN,ACK> <--
    // 3. CLOSING --> <SEQ=101><ACK=301><CTL=ACK> ... CLOSING
    deliver(
        &mut p,
        "B->A <SEQ=300><ACK=100><CTL=FIN,ACK>",
        Closing,
        FinWait1,
    );
    deliver(
        &mut p,
        "A->B <SEQ=100><ACK=300><CTL=FIN,ACK>",
        Closing,
        Closing,
    );
    assert_in_flight(
        &p,
        &[
            "A->B <SEQ=101><ACK=301><CTL=ACK>",
            "B->A <SEQ=301><ACK=101><CTL=ACK>",
        ],
    );
    // 4. TIME-WAIT / TIME-WAIT
    deliver(
        &mut p,
        "B->A <SEQ=301><ACK=101><CTL=ACK>",
        TimeWait,
        Closing,
    );
    deliver(
        &mut p,
        "A->B <SEQ=101><ACK=301><CTL=ACK>",
        TimeWait,
        TimeWait,
    );
    // (2 MSL) CLOSED / CLOSED
    p.advance(Config::default().msl * 2);
    assert_states(&p, Closed, Closed);
}
