//! The check after each step: the endpoint's state, the segments it emitted (flags, SEQ, ACK
//! and length exactly) and its events must be one of the behaviours the model allows.

use crate::endpoint::Observation;
use synfin_model::rules::Outcome;
use synfin_model::{State, Tcb};

/// What the endpoint did, against what the model allows: `Ok` with the index of the first
/// allowed outcome it matches (the one a replay goes on from); `Err` describes the difference.
pub fn check(allowed: &[Outcome], obs: &Observation, endpoint: &Tcb) -> Result<usize, String> {
    let mut why = Vec::new();
    for (i, out) in allowed.iter().enumerate() {
        match differs(out, obs, endpoint) {
            None => return Ok(i),
            Some(d) => why.push(d),
        }
    }
    Err(why.join("\n  or: "))
}

fn differs(out: &Outcome, obs: &Observation, endpoint: &Tcb) -> Option<String> {
    let sent: Vec<_> = out.send.into_iter().collect();
    if endpoint.state != out.tcb.state {
        return Some(format!(
            "state: model {}, endpoint {}",
            out.tcb.state.rfc_name(),
            endpoint.state.rfc_name()
        ));
    }
    if obs.sent != sent {
        return Some(format!("sent: model {sent:?}, endpoint {:?}", obs.sent));
    }
    if obs.events != out.events {
        return Some(format!(
            "events: model {:?}, endpoint {:?}",
            out.events, obs.events
        ));
    }
    let (m, e) = (&out.tcb, endpoint);
    // CLOSED and LISTEN hold no connection: their sequence variables mean nothing.
    if !matches!(m.state, State::Closed | State::Listen) {
        let fields = [
            ("ISS", m.iss, e.iss),
            ("SND.UNA", m.snd_una, e.snd_una),
            ("SND.NXT", m.snd_nxt, e.snd_nxt),
            ("RCV.NXT", m.rcv_nxt, e.rcv_nxt),
        ];
        for (name, a, b) in fields {
            if a != b {
                return Some(format!("{name}: model {a}, endpoint {b}"));
            }
        }
        if m.state != State::SynSent && m.irs != e.irs {
            return Some(format!("IRS: model {}, endpoint {}", m.irs, e.irs));
        }
        if (m.fin_sent, m.fin_rcvd) != (e.fin_sent, e.fin_rcvd) {
            return Some(format!(
                "FIN sent/received: model {:?}, endpoint {:?}",
                (m.fin_sent, m.fin_rcvd),
                (e.fin_sent, e.fin_rcvd)
            ));
        }
    }
    None
}
