//! [`check_step`]: what must hold of an endpoint after every step of the live fuzz, and
//! [`REACH`]: what the fuzz reached, so that it can be shown not to be vacuous.

use proptest::prelude::*;
use std::net::SocketAddrV4;
use std::time::Duration;
use synfin_tcp::pair::{Input, Observer, Side, Step};
use synfin_tcp::{Connection, Event, Flags, Instant, Packet, SeqNum, State, Tcb};

/// What the live-endpoint fuzz reached, counted per thread by [`check_step`], so that
/// `the_fuzz_reaches_every_state_event_and_kind_of_input` can tell the search is not
/// vacuous.
#[derive(Default, Debug)]
pub struct Reach {
    /// (state before, state after) of every step.
    pub transitions: std::collections::BTreeSet<(State, State)>,
    pub events: std::collections::BTreeMap<String, usize>,
    /// Emitted segments by their control bits (`SYN,ACK`, `RST`, ...).
    pub sent: std::collections::BTreeMap<String, usize>,
    /// Input results by kind (`Ok`, `NotOurs`, `BadChecksum`, ...).
    pub inputs: std::collections::BTreeMap<String, usize>,
    pub steps: usize,
}

thread_local! {
    pub static REACH: std::cell::RefCell<Reach> = std::cell::RefCell::new(Reach::default());
}

/// What of a connection a step may change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap {
    pub state: State,
    pub tcb: Tcb,
    pub remote: Option<SocketAddrV4>,
    pub send_q: usize,
    pub recv_q: usize,
    pub timeout: Option<Instant>,
}

pub fn snap(c: &Connection) -> Snap {
    Snap {
        state: c.state(),
        tcb: *c.tcb(),
        remote: c.remote(),
        send_q: c.send_queue_len(),
        recv_q: c.recv_queue_len(),
        timeout: c.poll_timeout(),
    }
}

/// What drove a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cause<'a> {
    /// This packet arrived.
    Packet(&'a Packet),
    /// `handle_timeout` at the step's time.
    Timer,
    /// A user call.
    Call,
}

pub fn is_terminal(e: &Event) -> bool {
    matches!(
        e,
        Event::Closed | Event::Reset | Event::Refused | Event::TimedOut
    )
}

/// Checks one step of `c`, which sent `packets` and reported `events`, and that `c` is still
/// valid:
///
/// * SND.UNA =< SND.NXT (modulo 2^32), and outside CLOSED the sequence space in flight is
///   at most the send buffer plus SYN and FIN;
/// * RCV.WND never promises more than the free receive buffer;
/// * the state is one of the 11;
/// * in CLOSED: no TCB left (no remote), no timer, and nothing comes out even when a timer
///   call is made far in the future;
/// * in TIME-WAIT the 2MSL timer runs; with sequence space outstanding in any other state
///   the retransmission timer runs (RFC 6298 (5.1)); after `handle_timeout(now)` no
///   deadline at or before `now` is left;
/// * every packet is from our local socket, to our peer (or to the sender of the packet
///   that prompted it), encodes and decodes back unchanged;
/// * a RST carries no text, SYN or FIN; no RST answers a RST (§3.5.2); a RST answering a
///   segment is `<SEQ=SEG.ACK><CTL=RST>` if it had an ACK, else
///   `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>` (§3.5.2, §3.10.7.1); a RST from a user call
///   is ABORT's `<SEQ=SND.NXT><CTL=RST>` from SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2 or
///   CLOSE-WAIT (§3.10.5); no RST on a timer;
/// * every other segment but our own first SYN carries an ACK of RCV.NXT (§3.4: once
///   synchronized every segment acknowledges) and only sequence space between SND.UNA and
///   SND.NXT (Figure 3); text goes out only in states that send it; TIME-WAIT sends
///   nothing but pure ACKs;
/// * a SYN goes out only while our SYN is unacknowledged (SND.UNA = ISS, SEQ = ISS), in
///   SYN-SENT or SYN-RECEIVED (LISTEN's answer included), or in FIN-WAIT-1 / CLOSING
///   reached by a CLOSE in SYN-RECEIVED (§3.10.4), where the SYN,ACK is still owed;
/// * a step into CLOSED reports exactly one terminal event (Closed, Reset, Refused or
///   TimedOut), as its last event; any other step reports none; Refused only from SYN-SENT
///   or SYN-RECEIVED, Reset only from a synchronized state, TimedOut only on a timer,
///   Connected only from SYN-SENT or SYN-RECEIVED.
pub fn check_step(
    c: &mut Connection,
    before: Snap,
    cause: Cause<'_>,
    now: Instant,
    packets: &[Packet],
    events: &[Event],
) -> Result<(), TestCaseError> {
    let state = c.state();
    let t = *c.tcb();
    let ctx = format!(
        "{:?} -> {:?} on {:?}; tcb {:?}; sent {:?}; events {:?}",
        before.state, state, cause, t, packets, events
    );

    // The state and the sequence variables.
    prop_assert!(State::ALL.contains(&state), "{}", ctx);
    prop_assert!(t.snd_una.le(t.snd_nxt), "SND.UNA > SND.NXT: {}", ctx);
    if state != State::Closed {
        prop_assert!(
            t.snd_nxt.since(t.snd_una) as usize <= c.send_queue_len() + 2,
            "more in flight than send buffer + SYN + FIN ({} octets queued): {}",
            c.send_queue_len(),
            ctx
        );
    }
    prop_assert!(
        t.rcv_wnd as usize + c.recv_queue_len() <= usize::from(c.config().recv_buffer),
        "RCV.WND beyond the free buffer ({} queued): {}",
        c.recv_queue_len(),
        ctx
    );

    // Timers.
    if cause == Cause::Timer {
        prop_assert!(
            c.poll_timeout().is_none_or(|d| d > now),
            "a due timer is still pending after handle_timeout({:?}): {:?}; {}",
            now,
            c.poll_timeout(),
            ctx
        );
    }
    match state {
        State::Closed => {
            prop_assert_eq!(c.poll_timeout(), None, "timer in CLOSED: {}", ctx);
            prop_assert_eq!(c.remote(), None, "TCB kept in CLOSED: {}", ctx);
            let later = now + Duration::from_secs(86_400);
            c.handle_timeout(later);
            prop_assert_eq!(c.poll_transmit(), None, "CLOSED sends on a timer: {}", ctx);
            prop_assert_eq!(c.poll_event(), None, "CLOSED reports on a timer: {}", ctx);
            prop_assert_eq!(c.poll_timeout(), None, "{}", ctx);
            prop_assert_eq!(c.state(), State::Closed, "{}", ctx);
        }
        State::TimeWait => {
            prop_assert!(
                c.poll_timeout().is_some(),
                "TIME-WAIT without 2MSL timer: {}",
                ctx
            )
        }
        State::Listen => {}
        _ if t.snd_una != t.snd_nxt => prop_assert!(
            c.poll_timeout().is_some(),
            "sequence space outstanding but no retransmission timer: {}",
            ctx
        ),
        _ => {}
    }

    // What went out.
    for p in packets {
        let s = &p.segment;
        prop_assert_eq!(p.src, c.local(), "{}", ctx);
        let prompted_by = match cause {
            Cause::Packet(inp) => Some(inp.src),
            _ => None,
        };
        prop_assert!(
            Some(p.dst) == before.remote || Some(p.dst) == c.remote() || Some(p.dst) == prompted_by,
            "packet to an unknown socket {}: {}",
            p.dst,
            ctx
        );
        let bytes = p
            .encode()
            .map_err(|e| TestCaseError::fail(format!("cannot encode {p:?}: {e}")))?;
        let back = Packet::decode(*p.src.ip(), *p.dst.ip(), &bytes);
        prop_assert_eq!(back.as_ref(), Ok(p), "{}", ctx);
        if s.flags.rst() {
            prop_assert!(s.payload.is_empty(), "RST with text: {}", ctx);
            prop_assert!(
                !s.flags.syn() && !s.flags.fin(),
                "RST with SYN/FIN: {}",
                ctx
            );
            match cause {
                Cause::Packet(inp) => {
                    let i = &inp.segment;
                    prop_assert!(!i.flags.rst(), "a RST answers a RST: {}", ctx);
                    prop_assert_eq!(p.dst, inp.src, "{}", ctx);
                    if i.flags.ack() {
                        prop_assert_eq!((s.seq, s.flags), (i.ack, Flags::RST), "{}", ctx);
                    } else {
                        prop_assert_eq!(
                            (s.seq, s.ack, s.flags),
                            (SeqNum(0), i.end(), Flags::RST | Flags::ACK),
                            "{}",
                            ctx
                        );
                    }
                }
                Cause::Call => {
                    prop_assert!(
                        matches!(
                            before.state,
                            State::SynReceived
                                | State::Established
                                | State::FinWait1
                                | State::FinWait2
                                | State::CloseWait
                        ) && state == State::Closed,
                        "RST from a call that is not ABORT: {}",
                        ctx
                    );
                    prop_assert_eq!(
                        (s.seq, s.flags),
                        (before.tcb.snd_nxt, Flags::RST),
                        "{}",
                        ctx
                    );
                }
                Cause::Timer => prop_assert!(false, "RST on a timer: {}", ctx),
            }
            continue;
        }
        prop_assert!(
            t.snd_una.le(s.seq) && s.end().le(t.snd_nxt),
            "segment outside SND.UNA..SND.NXT: {:?} {}",
            s,
            ctx
        );
        if s.flags.ack() {
            prop_assert_eq!(s.ack, t.rcv_nxt, "ACK of other than RCV.NXT: {}", ctx);
        }
        if !s.payload.is_empty() {
            prop_assert!(
                matches!(
                    state,
                    State::Established
                        | State::CloseWait
                        | State::FinWait1
                        | State::Closing
                        | State::LastAck
                ),
                "text sent in {:?}: {}",
                state,
                ctx
            );
        }
        if state == State::TimeWait {
            prop_assert!(
                s.payload.is_empty() && !s.flags.syn() && !s.flags.fin(),
                "TIME-WAIT sends more than an ACK: {}",
                ctx
            );
        }
        prop_assert!(
            s.flags.ack() || (s.flags.syn() && state == State::SynSent),
            "segment without ACK: {:?} {}",
            s,
            ctx
        );
        if s.flags.syn() {
            prop_assert!(
                matches!(
                    state,
                    State::SynSent | State::SynReceived | State::FinWait1 | State::Closing
                ) && t.snd_una == t.iss
                    && s.seq == t.iss,
                "SYN outside the opening: {:?} {}",
                s,
                ctx
            );
        }
    }

    REACH.with(|r| {
        let mut r = r.borrow_mut();
        r.steps += 1;
        r.transitions.insert((before.state, state));
        for e in events {
            *r.events.entry(format!("{e:?}")).or_default() += 1;
        }
        for p in packets {
            *r.sent.entry(p.segment.flags.to_string()).or_default() += 1;
        }
    });

    // Events.
    let terminal = events.iter().filter(|e| is_terminal(e)).count();
    let entered_closed = before.state != State::Closed && state == State::Closed;
    prop_assert_eq!(
        terminal,
        usize::from(entered_closed),
        "terminal events vs entering CLOSED: {}",
        ctx
    );
    if entered_closed {
        prop_assert!(events.last().is_some_and(is_terminal), "{}", ctx);
    }
    for e in events {
        let ok = match e {
            Event::Refused => matches!(before.state, State::SynSent | State::SynReceived),
            Event::Reset => before.state.is_synchronized(),
            Event::TimedOut => cause == Cause::Timer,
            Event::Connected => matches!(before.state, State::SynSent | State::SynReceived),
            Event::Readable | Event::PeerClosed => {
                before.state.is_synchronized() || before.state == State::SynSent
            }
            Event::Closed => true,
        };
        prop_assert!(ok, "event {:?} out of place: {}", e, ctx);
    }
    Ok(())
}

/// The [`Observer`] that runs [`check_step`] on every step of either endpoint of the pair,
/// and checks that a refused packet or bytes changed nothing and produced nothing. The first
/// failure is kept; later steps are not checked.
#[derive(Default)]
pub struct Checker {
    before: [Option<Snap>; 2],
    pub failure: Option<TestCaseError>,
}

impl Checker {
    /// The first failure, if any (and then the checker is clear again).
    pub fn take(&mut self) -> Result<(), TestCaseError> {
        self.failure.take().map_or(Ok(()), Err)
    }
}

impl Observer for Checker {
    fn before(&mut self, _at: Instant, side: Side, conn: &Connection, _input: &Input) {
        self.before[side as usize] = Some(snap(conn));
    }

    fn after(&mut self, step: &Step, conn: &mut Connection) {
        // What the pair collected outside a step of its own has no "before".
        let Some(before) = self.before[step.side as usize].take() else {
            return;
        };
        if self.failure.is_some() {
            return;
        }
        let cause = match &step.input {
            Input::Packet(p) => Cause::Packet(p),
            // Nothing arrives: bytes that do not decode are a step with no input.
            Input::Garbage(_) | Input::Call => Cause::Call,
            Input::Timer => Cause::Timer,
        };
        let packets: Vec<Packet> = step.sent.iter().map(|f| f.packet.clone()).collect();
        let refused = || -> Result<(), TestCaseError> {
            if step.refused.is_some() {
                prop_assert_eq!(snap(conn), before, "refused input changed the connection");
                prop_assert!(
                    packets.is_empty() && step.events.is_empty(),
                    "refused input produced packets or events"
                );
            }
            Ok(())
        };
        let checked = refused()
            .and_then(|()| check_step(conn, before, cause, step.at, &packets, &step.events));
        if let Err(e) = checked {
            self.failure = Some(e);
        }
    }
}
