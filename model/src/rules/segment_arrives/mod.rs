//! SEGMENT ARRIVES (RFC 9293 §3.10.7): dispatch by state to CLOSED (§3.10.7.1), LISTEN
//! (§3.10.7.2), SYN-SENT (§3.10.7.3) and the other states (§3.10.7.4, [`synchronized`]). Its
//! twin in the endpoint: `impl/src/conn/segment_arrives/`, module for module.

pub(crate) mod closed;
mod listen;
mod syn_sent;
pub(crate) mod synchronized;

pub use closed::closed;
pub use listen::listen;
pub use syn_sent::syn_sent;
pub use synchronized::synchronized;

use super::Outcome;
use crate::segment::Segment;
use crate::state::State;
use crate::tcb::{Reading, Tcb};

/// SEGMENT ARRIVES in any state.
pub fn segment_arrives(tcb: &Tcb, seg: &Segment, profile: &Reading) -> Outcome {
    match tcb.state {
        State::Closed => closed(tcb, seg),
        State::Listen => listen(tcb, seg),
        State::SynSent => syn_sent(tcb, seg, profile),
        _ => synchronized(tcb, seg, profile),
    }
}
