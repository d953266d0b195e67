//! The named profile of smoltcp 0.14: how it reads the choices RFC 9293
//! leaves open, as the model's [`Profile`], and the differences from the model's rules it is
//! known to show, by the key of `synfin_conformance::peer_trace::Difference` (no sequence
//! numbers), each with its RFC citation. The scenario tests fail on any difference not listed
//! here.

use synfin_model::{Profile, Rfc};

/// smoltcp's reading of the choices RFC 9293 leaves open: RFC 793 RST handling (it resets on
/// any in-window RST, `smoltcp_profile.rs`), the model's window, and no RFC 1337: a RST in
/// TIME-WAIT closes the connection, as RFC 9293 §3.10.7.4 (second step, TIME-WAIT) says.
pub fn profile() -> Profile {
    Profile {
        rfc: Rfc::Rfc793,
        rfc1337: false,
        ..Profile::default()
    }
}

/// The differences smoltcp 0.14 shows against the model, by key (no sequence numbers). Each
/// family is a documented behaviour of smoltcp's, not a bug of the model's.
pub const KNOWN: &[&str] = &[
    // ABORT sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>. RFC 9293 §3.10.5 (ABORT call,
    // SYN-RECEIVED to CLOSE-WAIT) gives the reset as <SEQ=SND.NXT><CTL=RST>, which the model
    // sends; the ACK bit is not forbidden there, and §3.1 (Acknowledgment Number) says that
    // "once a connection is established, this is always sent". The receiver's RST check
    // (§3.10.7.4 second step, §3.5.3) reads only SEG.SEQ, so both forms reset the connection
    // alike. No MUST or SHLD requirement covers the ACK bit on a RST.
    "in ESTABLISHED, ABORT: smoltcp [RST,ACK], model [RST]",
    "in CLOSE-WAIT, ABORT: smoltcp [RST,ACK], model [RST]",
    // An unacceptable segment (an old duplicate below RCV.NXT: a SYN, SYN,ACK, ACK or FIN the
    // tester sent earlier, duplicated, reordered or re-injected) in a synchronized state.
    // RFC 9293 §3.10.7.4 (first, "check sequence number"): "If an incoming segment is not
    // acceptable, an acknowledgment should be sent in reply", lower-case "should" with no MUST
    // or SHLD number; the model always sends it. smoltcp sends such ACKs through its challenge
    // ACK limiter, at most one per second (RFC 5961 §7: challenge ACKs SHOULD be throttled),
    // so the second of two within a second goes unanswered; the peer's own retransmission
    // timer repairs whatever the ACK would have. (smoltcp's `process` exempts only segments
    // with payload; the scenarios send none.)
    "in SYN-RECEIVED, arrival SYN: smoltcp [], model [ACK]",
    "in SYN-RECEIVED, arrival SYN,ACK: smoltcp [], model [ACK]",
    "in ESTABLISHED, arrival SYN: smoltcp [], model [ACK]",
    "in ESTABLISHED, arrival SYN,ACK: smoltcp [], model [ACK]",
    "in FIN-WAIT-2, arrival SYN: smoltcp [], model [ACK]",
    "in FIN-WAIT-2, arrival SYN,ACK: smoltcp [], model [ACK]",
    "in CLOSE-WAIT, arrival SYN: smoltcp [], model [ACK]",
    "in CLOSE-WAIT, arrival SYN,ACK: smoltcp [], model [ACK]",
    "in CLOSE-WAIT, arrival ACK: smoltcp [], model [ACK]",
    "in CLOSE-WAIT, arrival FIN,ACK: smoltcp [], model [ACK]",
    "in CLOSING, arrival SYN: smoltcp [], model [ACK]",
    "in CLOSING, arrival SYN,ACK: smoltcp [], model [ACK]",
    "in CLOSING, arrival ACK: smoltcp [], model [ACK]",
    "in CLOSING, arrival FIN,ACK: smoltcp [], model [ACK]",
    "in TIME-WAIT, arrival SYN: smoltcp [], model [ACK]",
    "in TIME-WAIT, arrival SYN,ACK: smoltcp [], model [ACK]",
    "in TIME-WAIT, arrival ACK: smoltcp [], model [ACK]",
    "in TIME-WAIT, arrival FIN,ACK: smoltcp [], model [ACK]",
    // A FIN whose ACK field is one below SND.UNA (the tester's FIN, sent before it processed
    // smoltcp's FIN, arriving after smoltcp's FIN was acknowledged: reordering or a
    // simultaneous close) in FIN-WAIT-2. RFC 9293 §3.10.7.4 fifth ("check the ACK field"):
    // "If the ACK is a duplicate (SEG.ACK =< SND.UNA), it can be ignored", and processing
    // goes on to the eighth step, where the FIN moves FIN-WAIT-2 to TIME-WAIT (the model).
    // smoltcp discards the whole segment ("duplicate ACK" in `process`) and takes the FIN
    // when the tester retransmits it (§3.10.8). A deviation from the text, without a MUST
    // or SHLD number, and one the retransmission repairs.
    "in FIN-WAIT-2, arrival FIN,ACK: smoltcp [], model [ACK], smoltcp to FIN-WAIT-2, model to TIME-WAIT",
];
