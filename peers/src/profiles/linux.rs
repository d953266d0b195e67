//! The named profile of the Linux kernel (observed on 6.18): how it reads the choices RFC 9293
//! leaves open, as the model's [`Profile`], and the differences from the model's rules it is
//! known to show, by the key of `synfin_conformance::peer_trace::Difference` (no sequence
//! numbers), each with its RFC citation. The scenario tests fail on any difference not listed
//! here.

use synfin_model::{Profile, Rfc};

/// The kernel's reading of the choices RFC 9293 leaves open: RFC 5961 (challenge ACKs for
/// RSTs not at RCV.NXT and for SYNs in synchronized states), the model's window, and RFC 1337
/// as the namespace's `net.ipv4.tcp_rfc1337` says (0 by default: a RST in TIME-WAIT closes
/// it, as RFC 9293 §3.10.7.4 second step says).
pub fn profile() -> Profile {
    let rfc1337 = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_rfc1337")
        .map(|s| s.trim() != "0")
        .unwrap_or(false);
    Profile {
        rfc: Rfc::Rfc5961,
        rfc1337,
        ..Profile::default()
    }
}

/// The differences the kernel shows against the model, by key (no sequence numbers). Each
/// family is a documented behaviour of Linux's. (In a simultaneous open Linux enters
/// ESTABLISHED on the peer's SYN,ACK, as RFC 9293 Figure 7 draws it; the model's text reading
/// stays in SYN-RECEIVED. Found here, and now one of the outcomes the model allows:
/// `rules::allowed::arrivals`, test `figure7_syn_ack_in_syn_received_may_establish`.)
pub const KNOWN: &[&str] = &[
    // ABORT (SO_LINGER 0, then close) sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>
    // (`tcp_send_active_reset`). RFC 9293 §3.10.5 (ABORT call, SYN-RECEIVED to CLOSE-WAIT)
    // gives the reset as <SEQ=SND.NXT><CTL=RST>, which the model sends; the ACK bit is not
    // forbidden there, §3.1 (Acknowledgment Number) says that "once a connection is
    // established, this is always sent", and the receiver's RST check (§3.10.7.4 second
    // step, §3.5.3) reads only SEG.SEQ. No MUST or SHLD requirement covers the ACK bit on a
    // RST.
    "in ESTABLISHED, ABORT: linux [RST,ACK], model [RST]",
    "in CLOSE-WAIT, ABORT: linux [RST,ACK], model [RST]",
    // A duplicate of the tester's SYN in SYN-RECEIVED (passive open): Linux's request socket
    // retransmits its SYN,ACK (`tcp_check_req`, "retransmitted SYN"). RFC 9293 §3.10.7.4
    // (first, "check sequence number"): the SYN at IRS is not acceptable and "an
    // acknowledgment should be sent in reply" (lower-case "should", no MUST or SHLD number);
    // the model sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. Linux's SYN,ACK carries the same
    // acknowledgment and repeats the SYN that is still unacknowledged (§3.10.8).
    "in SYN-RECEIVED, arrival SYN: linux [SYN,ACK], model [ACK]",
];
