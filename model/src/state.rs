//! The eleven connection states of RFC 9293 §3.3.2 and the edges of its Figure 5.

use crate::segment::{Flags, Segment};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A connection state (RFC 9293 §3.3.2, Figure 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
pub enum State {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl State {
    pub const ALL: [State; 11] = [
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
        State::TimeWait,
    ];

    /// The name RFC 9293 uses.
    pub const fn rfc_name(self) -> &'static str {
        match self {
            State::Closed => "CLOSED",
            State::Listen => "LISTEN",
            State::SynSent => "SYN-SENT",
            State::SynReceived => "SYN-RECEIVED",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::CloseWait => "CLOSE-WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST-ACK",
            State::TimeWait => "TIME-WAIT",
        }
    }

    /// The synchronized states (RFC 9293 §3.5.2): both ISNs are known and acknowledged.
    pub const fn is_synchronized(self) -> bool {
        matches!(
            self,
            State::Established
                | State::FinWait1
                | State::FinWait2
                | State::CloseWait
                | State::Closing
                | State::LastAck
                | State::TimeWait
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rfc_name())
    }
}

/// What made a host change state, for checking the change against Figure 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    OpenActive,
    OpenPassive,
    Send,
    Close,
    Abort,
    /// A segment arrived; its control bits.
    Segment(Flags),
    /// The retransmission timer expired with the budget spent (user timeout, §3.10.8).
    Retransmit,
    /// The 2MSL timer expired (§3.10.8).
    TimeWait,
}

impl Cause {
    pub fn arrival(seg: &Segment) -> Cause {
        Cause::Segment(seg.flags)
    }
}

/// Whether `from -> to` caused by `cause` is an edge of RFC 9293 Figure 5, or a transition that
/// §3.10.7 names (reset, SYN in a synchronized state under the RFC 793 rules, user timeout,
/// ABORT), or several such edges taken by one segment that carries several controls (for
/// example FIN-WAIT-1 -> TIME-WAIT on a FIN that also acknowledges our FIN, §3.10.7.4 eighth).
pub fn is_named_transition(from: State, to: State, cause: Cause) -> bool {
    use Cause as C;
    use State as S;
    if from == to {
        return true;
    }
    let seg = |need: Flags| matches!(cause, C::Segment(f) if f.has(need));
    let rst = seg(Flags::RST);
    // §3.10.7.4 fourth step, RFC 793 behaviour: SYN in window resets the connection.
    let syn_reset = seg(Flags::SYN);
    let closes = rst || cause == C::Abort || cause == C::Retransmit;
    match (from, to) {
        (S::Closed, S::Listen) => cause == C::OpenPassive,
        (S::Closed, S::SynSent) => cause == C::OpenActive,
        (S::Listen, S::SynReceived) => seg(Flags::SYN),
        (S::Listen, S::SynSent) => cause == C::OpenActive || cause == C::Send,
        (S::Listen, S::Closed) => cause == C::Close || cause == C::Abort,
        (S::SynSent, S::SynReceived) => seg(Flags::SYN),
        (S::SynSent, S::Established) => seg(Flags::SYN_ACK),
        // §3.10.7.3 fourth step continues at the sixth: a SYN,ACK carrying FIN.
        (S::SynSent, S::CloseWait) => seg(Flags::SYN_ACK.with(Flags::FIN)),
        (S::SynSent, S::Closed) => closes || cause == C::Close,
        // §3.10.7.4 second (RST) and fourth (SYN) steps for a passively opened connection.
        (S::SynReceived, S::Listen) => rst || seg(Flags::SYN),
        (S::SynReceived, S::Established) => seg(Flags::ACK),
        (S::SynReceived, S::CloseWait) => seg(Flags::FIN_ACK),
        (S::SynReceived, S::FinWait1) => cause == C::Close,
        // A FIN-WAIT-1 entered from SYN-RECEIVED may see SYN and FIN acknowledged at once.
        (S::SynReceived, S::Closed) => closes || syn_reset,
        (S::Established, S::FinWait1) => cause == C::Close,
        (S::Established, S::CloseWait) => seg(Flags::FIN),
        (S::FinWait1, S::FinWait2) => seg(Flags::ACK),
        (S::FinWait1, S::Closing) => seg(Flags::FIN),
        (S::FinWait1, S::TimeWait) => seg(Flags::FIN_ACK),
        (S::FinWait2, S::TimeWait) => seg(Flags::FIN),
        (S::CloseWait, S::LastAck) => cause == C::Close,
        (S::Closing, S::TimeWait) => seg(Flags::ACK),
        (S::LastAck, S::Closed) => seg(Flags::ACK) || closes,
        (S::TimeWait, S::Closed) => cause == C::TimeWait || rst || cause == C::Abort,
        (S::Established | S::FinWait1 | S::FinWait2 | S::CloseWait | S::Closing, S::Closed) => {
            closes || syn_reset
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_5_edges_are_named() {
        let ack = Cause::Segment(Flags::ACK);
        assert!(is_named_transition(
            State::SynReceived,
            State::Established,
            ack
        ));
        assert!(is_named_transition(State::LastAck, State::Closed, ack));
        assert!(is_named_transition(
            State::TimeWait,
            State::Closed,
            Cause::TimeWait
        ));
    }

    #[test]
    fn shortcuts_are_not_named() {
        assert!(!is_named_transition(
            State::Established,
            State::FinWait2,
            Cause::Close
        ));
        assert!(!is_named_transition(
            State::Established,
            State::Closed,
            Cause::Close
        ));
        assert!(!is_named_transition(
            State::Listen,
            State::Established,
            Cause::Segment(Flags::SYN)
        ));
        assert!(!is_named_transition(
            State::SynSent,
            State::Established,
            Cause::Segment(Flags::RST_ACK)
        ));
    }
}
