//! What the endpoint tells its user (RFC 9293 §3.9.1 "TCP-to-user messages"), and the errors
//! of user calls and of input.

use crate::wire::WireError;
use std::fmt;

/// A user-visible event, pulled with `Connection::poll_event`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// The connection reached ESTABLISHED.
    Connected,
    /// New data can be read with `Connection::recv`.
    Readable,
    /// The peer's FIN arrived: "connection closing"; no more data will come.
    PeerClosed,
    /// "connection reset": a RST (or, in the RFC 793 profile, a SYN) ended the connection.
    Reset,
    /// "connection refused": the peer answered our SYN with a RST.
    Refused,
    /// The retransmission budget ran out: "connection aborted due to user timeout".
    TimedOut,
    /// The connection reached CLOSED (after TIME-WAIT, LAST-ACK, or a RST while closing).
    Closed,
}

/// Why a user call was refused. The names follow the error strings of RFC 9293 §3.10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallError {
    /// "error: connection already exists".
    ConnectionExists,
    /// "error: connection does not exist".
    ConnectionDoesNotExist,
    /// "error: connection closing".
    ConnectionClosing,
    /// "error: foreign socket unspecified".
    ForeignSocketUnspecified,
    /// "error: insufficient resources": the send buffer is full.
    InsufficientResources,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CallError::ConnectionExists => "connection already exists",
            CallError::ConnectionDoesNotExist => "connection does not exist",
            CallError::ConnectionClosing => "connection closing",
            CallError::ForeignSocketUnspecified => "foreign socket unspecified",
            CallError::InsufficientResources => "insufficient resources",
        })
    }
}

impl std::error::Error for CallError {}

/// Why an incoming packet was not processed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// The bytes are not a valid TCP segment.
    Wire(WireError),
    /// The packet is addressed to another connection (a different local socket, or a remote
    /// socket other than our peer). The caller's demultiplexer should answer it as for a
    /// connection in CLOSED: see `synfin_tcp::reset_for`.
    NotOurs,
}

impl From<WireError> for InputError {
    fn from(e: WireError) -> InputError {
        InputError::Wire(e)
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Wire(e) => write!(f, "{e}"),
            InputError::NotOurs => f.write_str("packet is for another connection"),
        }
    }
}

impl std::error::Error for InputError {}
