//! One connection's life across a [`Link`]: the handshake, one side's CLOSE, the other's CLOSE
//! once it is in CLOSE-WAIT, and both ends CLOSED (RFC 9293 §3.5, §3.6). The interop tests and
//! the model checks of smoltcp's fixed runs drive either role with it.

use crate::link::{Link, Stack};
use crate::smol::{rfc_state, SmolHost};
use std::time::Duration;
use synfin_model::State;
use synfin_tcp::{Connection, Instant};

/// A stack with one connection, as the driver sees it: its state by its RFC 9293 name, and
/// CLOSE.
pub trait Endpoint: Stack {
    fn rfc_state(&mut self) -> State;
    fn close_at(&mut self, now: Duration);
}

impl Endpoint for Connection {
    fn rfc_state(&mut self) -> State {
        synfin_conformance::abstraction::state(self.state())
    }

    fn close_at(&mut self, now: Duration) {
        // The driver closes only an open connection: CLOSE cannot be refused there.
        let _ = self.close(Instant::from_epoch(now));
    }
}

impl Endpoint for SmolHost {
    fn rfc_state(&mut self) -> State {
        rfc_state(self.state())
    }

    fn close_at(&mut self, _now: Duration) {
        self.close();
    }
}

/// Which side closes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum First {
    A,
    B,
}

/// With both sides opened: runs the handshake, then `first` closes, the other closes once in
/// CLOSE-WAIT, and the link runs until both are CLOSED. `Err` names the stage that did not
/// complete before the clock passed `limit`.
pub fn open_and_close<A: Endpoint, B: Endpoint>(
    l: &mut Link<A, B>,
    first: First,
    limit: Duration,
) -> Result<(), &'static str> {
    let both = |l: &mut Link<A, B>, s: State| l.a.rfc_state() == s && l.b.rfc_state() == s;
    if !l.run_until(limit, |l| both(l, State::Established)) {
        return Err("handshake");
    }
    let now = l.now;
    match first {
        First::A => l.a.close_at(now),
        First::B => l.b.close_at(now),
    }
    let fin = l.run_until(limit, |l| match first {
        First::A => l.b.rfc_state() == State::CloseWait,
        First::B => l.a.rfc_state() == State::CloseWait,
    });
    if !fin {
        return Err("the first FIN");
    }
    let now = l.now;
    match first {
        First::A => l.b.close_at(now),
        First::B => l.a.close_at(now),
    }
    if !l.run_until(limit, |l| both(l, State::Closed)) {
        return Err("close");
    }
    Ok(())
}
