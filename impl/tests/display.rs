//! What the error types and a connection print: `Display` of `CallError`, `InputError` and
//! `WireError`, and `Debug` of `Connection`, `Flags` and `Segment`.

mod common;

use common::*;
use synfin_tcp::pair::ADDR_A;
use synfin_tcp::{
    CallError, Config, Connection, FixedIsn, Flags, InputError, Segment, State, WireError,
};

/// The messages are RFC 9293 §3.10's error strings ("error: connection already exists",
/// §3.10.1; "error: connection does not exist", §3.10.2-5; "error: connection closing",
/// §3.10.2; "error: foreign socket unspecified", §3.10.2; "error: insufficient resources",
/// §3.10.2), without the "error: " prefix.
#[test]
fn call_errors_print_the_rfc_9293_error_strings() {
    let cases = [
        (CallError::ConnectionExists, "connection already exists"),
        (
            CallError::ConnectionDoesNotExist,
            "connection does not exist",
        ),
        (CallError::ConnectionClosing, "connection closing"),
        (
            CallError::ForeignSocketUnspecified,
            "foreign socket unspecified",
        ),
        (CallError::InsufficientResources, "insufficient resources"),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text, "{e:?}");
    }
}

/// A refused call's error, as returned by the endpoint, prints the same string: OPEN on an
/// existing connection is "error: connection already exists" (RFC 9293 §3.10.1).
#[test]
fn a_refused_open_prints_connection_already_exists() {
    let mut t = at(State::Established);
    let e = t.conn.open_passive(None).unwrap_err();
    assert_eq!(e.to_string(), "connection already exists");
}

#[test]
fn wire_errors_print_their_fields() {
    let cases = [
        (
            WireError::Truncated { needed: 20, got: 3 },
            "truncated TCP segment: need 20 bytes, got 3",
        ),
        (
            WireError::BadDataOffset { data_offset: 4 },
            "bad data offset 4 (minimum 5)",
        ),
        (
            WireError::BadChecksum {
                found: 0x12,
                expected: 0xabcd,
            },
            "bad checksum 0x0012 (expected 0xabcd)",
        ),
        (
            WireError::BadOption { kind: 2 },
            "malformed option of kind 2",
        ),
        (
            WireError::TooLong { len: 65536 },
            "segment of 65536 bytes is too long",
        ),
    ];
    for (e, text) in cases {
        assert_eq!(e.to_string(), text, "{e:?}");
    }
}

/// An `InputError::Wire` prints the wire error it carries; `NotOurs` says what it means.
#[test]
fn input_errors_print_the_wire_error_or_not_ours() {
    let wire = InputError::Wire(WireError::BadOption { kind: 7 });
    assert_eq!(wire.to_string(), "malformed option of kind 7");
    assert_eq!(
        InputError::NotOurs.to_string(),
        "packet is for another connection"
    );
}

/// Bytes shorter than the 20-octet fixed header (RFC 9293 §3.1) are refused by
/// `handle_bytes` with an error that says so.
#[test]
fn handle_bytes_of_three_octets_reports_a_truncated_segment() {
    let mut conn = Connection::with_isn(Config::default(), ADDR_A, FixedIsn(ISS));
    let e = conn
        .handle_bytes(T0, *ADDR_A.ip(), *ADDR_A.ip(), &[0, 1, 2])
        .unwrap_err();
    assert_eq!(e.to_string(), "truncated TCP segment: need 20 bytes, got 3");
}

/// `Debug` shows the addresses, the state, the sequence variables (RFC 9293 §3.3.1) and the
/// queue lengths.
#[test]
fn connection_debug_shows_addresses_state_tcb_and_queues() {
    let mut t = at(State::Established);
    t.conn.send(t.now, b"abc").unwrap();
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"hello");
    assert_eq!(
        format!("{:?}", t.conn),
        "Connection { local: 192.0.2.1:40000, remote: Some(192.0.2.2:80), \
         state: Established, tcb: Tcb { iss: 1000, snd_una: 1001, snd_nxt: 1004, \
         snd_wnd: 65535, snd_wl1: 5001, snd_wl2: 1001, max_snd_wnd: 65535, irs: 5000, \
         rcv_nxt: 5006, rcv_wnd: 65530 }, send_queue: 3, recv_queue: 5, .. }"
    );
}

/// `Debug` of a flag set names the bits in the `<CTL=...>` style of RFC 9293's figures.
#[test]
fn flags_debug_names_the_bits() {
    assert_eq!(format!("{:?}", Flags::SYN | Flags::ACK), "Flags(SYN,ACK)");
    assert_eq!(format!("{:?}", Flags::RST), "Flags(RST)");
    assert_eq!(format!("{:?}", Flags::NONE), "Flags()");
}

/// `Debug` of a segment is its figure notation (RFC 9293 §3.10: `<SEQ=..><ACK=..><CTL=..>`)
/// followed by the window and, when present, the MSS option (§3.7.1).
#[test]
fn segment_debug_is_the_figure_notation_with_window_and_mss() {
    let syn_ack = Segment {
        seq: s(300),
        ack: s(101),
        flags: Flags::SYN | Flags::ACK,
        window: 65535,
        mss: Some(1460),
        ..Segment::default()
    };
    assert_eq!(
        format!("{syn_ack:?}"),
        "<SEQ=300><ACK=101><CTL=SYN,ACK> WND=65535 MSS=1460"
    );
    let data = Segment {
        seq: s(101),
        ack: s(301),
        flags: Flags::ACK | Flags::PSH,
        window: 512,
        payload: b"hello".to_vec(),
        ..Segment::default()
    };
    assert_eq!(
        format!("{data:?}"),
        "<SEQ=101><ACK=301><CTL=PSH,ACK><DATA=5> WND=512"
    );
}
