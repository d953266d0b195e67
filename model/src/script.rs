//! User scripts: the calls a host's user makes, in order. The actor model fires each call from
//! a timer, so calls interleave arbitrarily with network events.

use crate::rules::{self, Outcome};
use crate::state::{Cause, State};
use crate::tcb::{Reading, Tcb};
use serde::{Deserialize, Serialize};

/// One user call of RFC 9293 §3.10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Call {
    OpenActive,
    OpenPassive,
    /// SEND one byte. The user waits until the connection is open for sending (ESTABLISHED or
    /// CLOSE-WAIT) before calling it; see [`rules::Event::ErrorNotQueued`].
    Send,
    Close,
    Abort,
}

impl Call {
    /// Whether the user makes this call in `state`: SEND waits until the connection is open
    /// for sending, and OPEN (a later incarnation) until the earlier connection is CLOSED.
    pub fn ready(self, state: State) -> bool {
        match self {
            Call::Send => matches!(state, State::Established | State::CloseWait),
            Call::OpenActive | Call::OpenPassive => state == State::Closed,
            _ => true,
        }
    }

    /// Apply the call's rule.
    pub fn apply(self, tcb: &Tcb, profile: &Reading) -> Outcome {
        match self {
            Call::OpenActive => rules::open_active(tcb),
            Call::OpenPassive => rules::open_passive(tcb),
            Call::Send => rules::send(tcb),
            Call::Close => crate::broken::close(tcb, profile),
            Call::Abort => rules::abort(tcb),
        }
    }

    pub fn cause(self) -> Cause {
        match self {
            Call::OpenActive => Cause::OpenActive,
            Call::OpenPassive => Cause::OpenPassive,
            Call::Send => Cause::Send,
            Call::Close => Cause::Close,
            Call::Abort => Cause::Abort,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Call::OpenActive => "OPEN (active)",
            Call::OpenPassive => "OPEN (passive)",
            Call::Send => "SEND 1 byte",
            Call::Close => "CLOSE",
            Call::Abort => "ABORT",
        }
    }
}
