//! SEGMENT ARRIVES (RFC 9293 §3.10.7): dispatch by state to CLOSED (§3.10.7.1), LISTEN
//! (§3.10.7.2), SYN-SENT (§3.10.7.3) and the other states (§3.10.7.4, [`synchronized`]). Its
//! twin in the model: `model/src/rules/segment_arrives/`, module for module.

pub(super) mod closed;
mod listen;
mod syn_sent;
mod synchronized;

use crate::conn::Connection;
use crate::state::State;
use crate::time::Instant;
use crate::wire::Packet;

impl Connection {
    /// SEGMENT ARRIVES in any state, for a packet addressed to this connection.
    pub(super) fn segment_arrives(&mut self, now: Instant, packet: &Packet) {
        match self.state {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.1
            //# If the state is CLOSED (i.e., TCB does not exist), then
            State::Closed => self.closed(packet),
            State::Listen => self.listen(now, packet),
            State::SynSent => self.syn_sent(now, packet),
            _ => self.synchronized(now, packet),
        }
    }

    /// §3.10.7.1 CLOSED: all data in the segment is discarded; a reset is sent in reply to
    /// anything but a RST.
    fn closed(&mut self, packet: &Packet) {
        self.out.extend(closed::reset_for(packet));
    }
}
