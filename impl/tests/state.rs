//! The state predicates of `State`: which states are synchronized, and in which our FIN has
//! gone out (or is queued), checked for all eleven states of RFC 9293 §3.3.2.

use synfin_tcp::State;
use synfin_tcp::State::*;

/// RFC 9293 §3.10.7.4 ("Otherwise", after CLOSED, LISTEN and SYN-SENT in §3.10.7.1-3)
/// covers SYN-RECEIVED and every later state: those are the states this predicate names, as
/// its documentation says. (§3.5.2 counts SYN-RECEIVED among the non-synchronized states for
/// reset generation; the predicate follows the segment-processing split.)
#[test]
fn is_synchronized_holds_from_syn_received_on() {
    let synchronized: Vec<State> = State::ALL
        .into_iter()
        .filter(|s| s.is_synchronized())
        .collect();
    assert_eq!(
        synchronized,
        [
            SynReceived,
            Established,
            FinWait1,
            FinWait2,
            CloseWait,
            Closing,
            LastAck,
            TimeWait
        ]
    );
}

/// RFC 9293 §3.3.2 (Figure 5): CLOSE moves ESTABLISHED to FIN-WAIT-1 and CLOSE-WAIT to
/// LAST-ACK; FIN-WAIT-2, CLOSING and TIME-WAIT follow FIN-WAIT-1. Those five are the states
/// in which we have closed; the other six are not.
#[test]
fn we_closed_holds_exactly_in_the_five_states_after_our_close() {
    let closed: Vec<State> = State::ALL.into_iter().filter(|s| s.we_closed()).collect();
    assert_eq!(closed, [FinWait1, FinWait2, Closing, LastAck, TimeWait]);
}
