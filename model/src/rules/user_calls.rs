//! User calls: OPEN, SEND, CLOSE, ABORT (RFC 9293 §3.10.1, §3.10.2, §3.10.4, §3.10.5). Its
//! twin in the endpoint: `impl/src/conn/user_calls.rs`.

use super::{Event, Outcome};
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use crate::state::State;
use crate::tcb::{Broken, Reading, Tcb};

/// §3.10.1 OPEN, active. CLOSED (and LISTEN with a foreign socket): send <SEQ=ISS><CTL=SYN>,
/// SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT. Otherwise "connection already exists".
pub fn open_active(tcb: &Tcb) -> Outcome {
    match tcb.state {
        State::Closed | State::Listen => {
            let mut t = tcb.fresh();
            t.state = State::SynSent;
            t.passive = false;
            t.snd_una = t.iss;
            t.snd_nxt = t.iss.add(1);
            Outcome::new(t).sending(Segment::new(Flags::SYN, t.iss, Seq(0)))
        }
        _ => Outcome::unchanged(tcb).event(Event::ErrorExists),
    }
}

/// §3.10.1 OPEN, passive. CLOSED: enter LISTEN. Otherwise "connection already exists".
pub fn open_passive(tcb: &Tcb) -> Outcome {
    match tcb.state {
        State::Closed => {
            let mut t = tcb.fresh();
            t.state = State::Listen;
            t.passive = true;
            Outcome::new(t)
        }
        _ => Outcome::unchanged(tcb).event(Event::ErrorExists),
    }
}

/// §3.10.2 SEND of one byte. ESTABLISHED and CLOSE-WAIT segmentize it at once:
/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with one byte, SND.NXT += 1.
pub fn send(tcb: &Tcb) -> Outcome {
    match tcb.state {
        State::Established | State::CloseWait => {
            let mut t = *tcb;
            let seg = Segment::new(Flags::ACK, t.snd_nxt, t.rcv_nxt).with_len(1);
            t.snd_nxt = t.snd_nxt.add(1);
            Outcome::new(t).sending(seg)
        }
        State::Closed => Outcome::unchanged(tcb).event(Event::ErrorNoConnection),
        // The RFC queues data here (and LISTEN with a foreign socket turns active); the model
        // does not queue. See [`Event::ErrorNotQueued`].
        State::Listen | State::SynSent | State::SynReceived => {
            Outcome::unchanged(tcb).event(Event::ErrorNotQueued)
        }
        State::FinWait1 | State::FinWait2 | State::Closing | State::LastAck | State::TimeWait => {
            Outcome::unchanged(tcb).event(Event::ErrorClosing)
        }
    }
}

/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>; SND.NXT += 1.
fn send_fin(t: &mut Tcb) -> Segment {
    let seg = Segment::new(Flags::FIN_ACK, t.snd_nxt, t.rcv_nxt);
    t.snd_nxt = t.snd_nxt.add(1);
    t.fin_sent = true;
    seg
}

/// §3.10.4 CLOSE.
pub fn close(tcb: &Tcb, profile: &Reading) -> Outcome {
    let mut t = *tcb;
    match tcb.state {
        State::Closed => Outcome::unchanged(tcb).event(Event::ErrorNoConnection),
        // LISTEN and SYN-SENT: delete the TCB, enter CLOSED.
        State::Listen | State::SynSent => {
            t.state = State::Closed;
            Outcome::new(t).event(Event::Closed)
        }
        // SYN-RECEIVED with nothing queued, and ESTABLISHED: send FIN, enter FIN-WAIT-1.
        State::SynReceived | State::Established => {
            let fin = send_fin(&mut t);
            t.state =
                if profile.broken(Broken::CloseSkipsFinWait1) && tcb.state == State::Established {
                    State::FinWait2
                } else {
                    State::FinWait1
                };
            Outcome::new(t).sending(fin)
        }
        // CLOSE-WAIT: send FIN, enter LAST-ACK.
        State::CloseWait if !profile.broken(Broken::CloseWaitIgnoresClose) => {
            let fin = send_fin(&mut t);
            t.state = State::LastAck;
            Outcome::new(t).sending(fin)
        }
        // FIN-WAIT-1/2: "strictly speaking, this is an error"; CLOSING, LAST-ACK, TIME-WAIT:
        // "error: connection closing".
        _ => Outcome::unchanged(tcb).event(Event::ErrorClosing),
    }
}

/// §3.10.5 ABORT.
pub fn abort(tcb: &Tcb) -> Outcome {
    let mut t = *tcb;
    t.state = State::Closed;
    match tcb.state {
        State::Closed => Outcome::unchanged(tcb).event(Event::ErrorNoConnection),
        // LISTEN, SYN-SENT: delete the TCB. CLOSING, LAST-ACK, TIME-WAIT: respond "ok",
        // delete the TCB.
        State::Listen | State::SynSent | State::Closing | State::LastAck | State::TimeWait => {
            Outcome::new(t).event(Event::Closed)
        }
        // SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: send <SEQ=SND.NXT><CTL=RST>.
        State::SynReceived
        | State::Established
        | State::FinWait1
        | State::FinWait2
        | State::CloseWait => Outcome::new(t)
            .sending(Segment::new(Flags::RST, tcb.snd_nxt, Seq(0)))
            .event(Event::Closed),
    }
}
