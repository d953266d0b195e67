//! The named profile of the Linux kernel (observed on 6.18): how it reads the choices RFC 9293
//! leaves open, as the model's [`Reading`], and the families of differences from the model's
//! rules it is known to show, each with its RFC citation and the evidence a difference must
//! carry to belong to it. The scenario test fails on any difference no family explains.
//!
//! (In a simultaneous open Linux enters ESTABLISHED on the peer's SYN,ACK, as RFC 9293
//! Figure 7 draws it, where the model's reading of the §3.10.7.4 text stays in SYN-RECEIVED.
//! Found by the scenarios, and now one of the outcomes the model allows:
//! `rules::allowed::arrivals`, test `figure7_syn_ack_in_syn_received_may_establish`.)

use super::{arrival, in_state, only, same_end, Known, ABORT_RST_ACK};
use synfin_conformance::peer_trace::{Difference, Step};
use synfin_model::{Flags, Reading, Rfc, State};

/// The kernel's reading of the choices RFC 9293 leaves open: RFC 5961 (challenge ACKs for
/// RSTs not at RCV.NXT and for SYNs in synchronized states), the model's window, and RFC 1337
/// as the namespace's `net.ipv4.tcp_rfc1337` says (0 by default: a RST in TIME-WAIT closes
/// it, as RFC 9293 §3.10.7.4 second step says).
pub fn profile() -> Reading {
    let rfc1337 = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_rfc1337")
        .map(|s| s.trim() != "0")
        .unwrap_or(false);
    Reading {
        rfc: Rfc::Rfc5961,
        rfc1337,
        // One challenge ACK per 500 ms per socket (`linux_profile.rs`), RFC 5961 §7.
        challenge_ack_throttle: true,
        ..Reading::default()
    }
}

/// A duplicate of the tester's SYN in SYN-RECEIVED (passive open): Linux's request socket
/// retransmits its SYN,ACK (`tcp_check_req`, "retransmitted SYN"). RFC 9293 §3.10.7.4 first
/// step: the SYN at IRS is not acceptable and "an acknowledgment should be sent in reply"
/// (lower-case "should", no MUST or SHLD number); the model sends
/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
fn duplicate_syn_gets_syn_ack(d: &Difference) -> bool {
    in_state(d, State::SynReceived)
        && arrival(d) == Some("SYN")
        && only(&d.peer) == Some(Flags::SYN_ACK)
        && only(&d.model) == Some(Flags::ACK)
        && same_end(d)
}

/// The evidence: the SYN,ACK carries the model's acknowledgment and repeats the SYN that is
/// still unacknowledged (its SEQ is one below the model's SND.NXT, §3.10.8).
fn same_ack_and_our_syn(d: &Difference, _: &[Step]) -> bool {
    matches!((d.peer.as_slice(), d.model.as_slice()),
        ([p], [m]) if p.ack == m.ack && p.seq.add(1) == m.seq)
}

/// The families of differences Linux shows against the model.
pub const KNOWN: &[Known] = &[
    ABORT_RST_ACK,
    Known {
        name: "a duplicate SYN in SYN-RECEIVED is answered with SYN,ACK (§3.10.7.4 first)",
        matches: duplicate_syn_gets_syn_ack,
        evidence: same_ack_and_our_syn,
    },
];
