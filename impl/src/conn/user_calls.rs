//! User calls (RFC 9293 §3.10.1–§3.10.5): OPEN, SEND, RECEIVE, CLOSE, ABORT. Its twin in the
//! model: `model/src/rules/user_calls.rs`.
//!
//! Every path into CLOSED produces exactly one terminal event: `Closed` for CLOSE and ABORT,
//! and `Reset`, `Refused`, `TimedOut` or `Closed` for what the network or the timers do.

use super::{Connection, Tcb};
use crate::event::{CallError, Event};
use crate::rto::Rto;
use crate::state::State;
use crate::time::Instant;
use crate::wire::{Flags, Segment};
use std::net::SocketAddrV4;

impl Connection {
    /// OPEN, active (§3.10.1): send `<SEQ=ISS><CTL=SYN>` and enter SYN-SENT. Allowed in
    /// CLOSED, and in LISTEN, which then turns from passive to active.
    pub fn open_active(&mut self, now: Instant, remote: SocketAddrV4) -> Result<(), CallError> {
        if !matches!(self.state, State::Closed | State::Listen) {
            return Err(CallError::ConnectionExists);
        }
        self.start(now, remote);
        self.passive = false;
        self.state = State::SynSent;
        self.send_syn(now, None);
        Ok(())
    }

    /// OPEN, passive (§3.10.1): enter LISTEN, waiting for a SYN from `remote`, or from anyone
    /// when `remote` is `None` (an unspecified foreign socket).
    pub fn open_passive(&mut self, remote: Option<SocketAddrV4>) -> Result<(), CallError> {
        if self.state != State::Closed {
            return Err(CallError::ConnectionExists);
        }
        self.reset_tcb();
        self.passive = true;
        self.listen_remote = remote;
        self.remote = remote;
        self.state = State::Listen;
        Ok(())
    }

    /// SEND (§3.10.2): queue up to the free space of the send buffer; returns how many octets
    /// were taken. In LISTEN with a known foreign socket the connection turns active. Before
    /// ESTABLISHED the data waits; in ESTABLISHED and CLOSE-WAIT it goes out now.
    pub fn send(&mut self, now: Instant, data: &[u8]) -> Result<usize, CallError> {
        match self.state {
            State::Closed => return Err(CallError::ConnectionDoesNotExist),
            State::Listen => match self.listen_remote {
                Some(remote) => self.open_active(now, remote)?,
                None => return Err(CallError::ForeignSocketUnspecified),
            },
            State::SynSent | State::SynReceived | State::Established | State::CloseWait => {}
            _ => return Err(CallError::ConnectionClosing),
        }
        if self.fin_queued {
            return Err(CallError::ConnectionClosing);
        }
        let room = self.cfg.send_buffer.saturating_sub(self.send_buf.len());
        if room == 0 && !data.is_empty() {
            return Err(CallError::InsufficientResources);
        }
        let n = room.min(data.len());
        self.send_buf.extend(&data[..n]);
        self.flush(now);
        Ok(n)
    }

    /// RECEIVE (§3.10.3): moves received octets into `buf`; returns how many. Data already
    /// on hand is returned in every state (it stays readable after CLOSED, until the next
    /// OPEN; a reset flushes it). With none on hand:
    /// * LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2: `Ok(0)`, "queue
    ///   for processing" (read again after [`Event::Readable`]);
    /// * once the peer's FIN has arrived (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT):
    ///   [`CallError::ConnectionClosing`], "If no text is awaiting delivery, the RECEIVE will
    ///   get a 'connection closing' error response": the end of the stream;
    /// * CLOSED: [`CallError::ConnectionDoesNotExist`].
    ///
    /// Reading reopens the window; if it was closed, a window update goes out.
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize, CallError> {
        if self.recv_buf.is_empty() {
            return match self.state {
                State::Closed => Err(CallError::ConnectionDoesNotExist),
                State::CloseWait | State::Closing | State::LastAck | State::TimeWait => {
                    Err(CallError::ConnectionClosing)
                }
                _ => Ok(0),
            };
        }
        let n = buf.len().min(self.recv_buf.len());
        for (dst, src) in buf.iter_mut().zip(self.recv_buf.drain(..n)) {
            *dst = src;
        }
        let was_closed = self.tcb.rcv_wnd == 0;
        self.update_rcv_wnd();
        if was_closed && self.tcb.rcv_wnd > 0 && self.state.is_synchronized() && n > 0 {
            let ack = self.ack_segment();
            self.push(ack);
        }
        Ok(n)
    }

    /// CLOSE (§3.10.4): "I have no more data to send." The FIN follows any queued data.
    pub fn close(&mut self, now: Instant) -> Result<(), CallError> {
        match self.state {
            State::Closed => return Err(CallError::ConnectionDoesNotExist),
            State::Listen | State::SynSent => {
                self.close_with(Event::Closed);
                return Ok(());
            }
            // With nothing to send, FIN now and FIN-WAIT-1; otherwise the FIN waits for
            // ESTABLISHED (see the ACK step).
            State::SynReceived => {
                self.fin_queued = true;
                if self.send_buf.is_empty() {
                    self.state = State::FinWait1;
                }
            }
            State::Established => {
                self.fin_queued = true;
                self.state = State::FinWait1;
            }
            // RFC 9293 (correcting RFC 793's "enter CLOSING"): send FIN, enter LAST-ACK.
            State::CloseWait => {
                self.fin_queued = true;
                self.state = State::LastAck;
            }
            _ => return Err(CallError::ConnectionClosing),
        }
        self.flush(now);
        Ok(())
    }

    /// ABORT (§3.10.5): in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2 and CLOSE-WAIT send
    /// `<SEQ=SND.NXT><CTL=RST>`, dropping whatever else was waiting to go out; in every state
    /// but CLOSED, enter CLOSED.
    pub fn abort(&mut self) -> Result<(), CallError> {
        match self.state {
            State::Closed => return Err(CallError::ConnectionDoesNotExist),
            State::SynReceived
            | State::Established
            | State::FinWait1
            | State::FinWait2
            | State::CloseWait => {
                // "All segments queued for transmission (except for the RST formed above) or
                // retransmission should be flushed."
                self.out.clear();
                let rst = Segment {
                    seq: self.tcb.snd_nxt,
                    flags: Flags::RST,
                    ..Segment::default()
                };
                self.push(rst);
            }
            _ => {}
        }
        self.close_with(Event::Closed);
        Ok(())
    }

    /// A fresh TCB for a new incarnation, with `remote` as the peer.
    pub(super) fn start(&mut self, now: Instant, remote: SocketAddrV4) {
        self.reset_tcb();
        self.remote = Some(remote);
        let iss = self.isn.isn(self.local, remote, now);
        self.tcb.iss = iss;
        self.tcb.snd_una = iss;
        self.tcb.snd_nxt = iss.wrapping_add(1);
    }

    /// Forgets everything of an earlier incarnation.
    pub(super) fn reset_tcb(&mut self) {
        self.tcb = Tcb::default();
        self.peer_mss = 536;
        self.send_buf.clear();
        self.recv_buf.clear();
        self.fin_queued = false;
        self.fin_seq = None;
        self.fin_received = false;
        self.ack_due = false;
        self.rto = Rto::new(&self.cfg);
        self.retries = 0;
        self.syn_timed_out = false;
        self.rtx_deadline = None;
        self.time_wait_deadline = None;
        self.update_rcv_wnd();
    }

    pub(super) fn update_rcv_wnd(&mut self) {
        self.tcb.rcv_wnd =
            u32::from(self.cfg.recv_buffer).saturating_sub(self.recv_buf.len() as u32);
    }
}
