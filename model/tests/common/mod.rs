//! Helpers shared by the rule tests.

use synfin_model::{Seq, State, Tcb};

/// Retransmissions left in the test TCBs.
pub const RETRIES: u8 = 3;

/// A TCB in `state`, with ISS `iss` and IRS `irs`, its sequence variables as after a handshake
/// and the close steps that lead to `state`, with no data exchanged. SYN-RECEIVED is passive.
pub fn tcb_in(state: State, iss: u32, irs: u32) -> Tcb {
    let (iss, irs) = (Seq(iss), Seq(irs));
    let mut t = Tcb::new(iss, RETRIES);
    t.state = state;
    match state {
        State::Closed => return t,
        State::Listen => {
            t.passive = true;
            return t;
        }
        State::SynSent => {
            t.snd_nxt = iss.add(1);
            return t;
        }
        _ => {}
    }
    t.irs = irs;
    t.rcv_nxt = irs.add(1);
    t.snd_nxt = iss.add(1);
    t.snd_una = iss.add(1);
    if state == State::SynReceived {
        t.snd_una = iss;
        t.passive = true;
    }
    // Our FIN sent (acknowledged in FIN-WAIT-2 and TIME-WAIT).
    if matches!(
        state,
        State::FinWait1 | State::FinWait2 | State::Closing | State::LastAck | State::TimeWait
    ) {
        t.fin_sent = true;
        t.snd_nxt = iss.add(2);
        if matches!(state, State::FinWait2 | State::TimeWait) {
            t.snd_una = iss.add(2);
        }
    }
    // The peer's FIN received.
    if matches!(
        state,
        State::CloseWait | State::Closing | State::LastAck | State::TimeWait
    ) {
        t.fin_rcvd = true;
        t.rcv_nxt = irs.add(2);
    }
    t
}
