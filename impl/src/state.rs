//! The connection states of RFC 9293 §3.3.2 (Figure 5).

use std::fmt;

/// An RFC 9293 connection state (§3.3.2; the descriptions are the RFC's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// No connection (no TCB).
    Closed,
    /// Waiting for a connection request from any remote TCP endpoint and port.
    Listen,
    /// Waiting for a matching connection request after having sent one.
    SynSent,
    /// Waiting for a confirming acknowledgment after having received and sent a connection
    /// request.
    SynReceived,
    /// An open connection: data received can be delivered to the user.
    Established,
    /// Waiting for a connection termination request from the remote TCP peer, or an
    /// acknowledgment of the termination request previously sent.
    FinWait1,
    /// Waiting for a connection termination request from the remote TCP peer.
    FinWait2,
    /// Waiting for a connection termination request from the local user.
    CloseWait,
    /// Waiting for a connection termination request acknowledgment from the remote TCP peer.
    Closing,
    /// Waiting for an acknowledgment of the connection termination request previously sent to
    /// the remote TCP peer.
    LastAck,
    /// Waiting for enough time to pass to be sure the remote TCP peer received the
    /// acknowledgment of its connection termination request, and that no duplicate of a
    /// segment of this connection remains in the network (2 MSL, §3.4.2).
    TimeWait,
}

impl State {
    /// All eleven states, in the order of Figure 5.
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

    /// The name the RFC uses, e.g. `SYN-RECEIVED`.
    pub fn rfc_name(self) -> &'static str {
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

    /// States after SYN-SENT and SYN-RECEIVED in which both ISNs are known and each new
    /// segment goes through the steps of §3.10.7.4 (SYN-RECEIVED included).
    pub fn is_synchronized(self) -> bool {
        !matches!(self, State::Closed | State::Listen | State::SynSent)
    }

    /// States in which our FIN has been sent (or queued behind data).
    pub fn we_closed(self) -> bool {
        matches!(
            self,
            State::FinWait1 | State::FinWait2 | State::Closing | State::LastAck | State::TimeWait
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rfc_name())
    }
}
