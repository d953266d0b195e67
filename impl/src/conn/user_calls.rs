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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
    //= type=implication
    //# If active and the remote socket is unspecified, return "error: remote socket unspecified";
    //# if active and the remote socket is specified, issue a SYN segment.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
    //= type=todo
    //# A TCP implementation MUST reject as an error a local OPEN call for an invalid remote IP
    //# address (e.g., a broadcast or multicast address) (MUST-46).
    pub fn open_active(&mut self, now: Instant, remote: SocketAddrV4) -> Result<(), CallError> {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
        //# Return "error: connection already exists".
        if !matches!(self.state, State::Closed | State::Listen) {
            return Err(CallError::ConnectionExists);
        }
        self.start(now, remote);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
        //# If the OPEN call is active and the remote socket is specified, then change the
        //# connection from passive to active, select an ISS. Send a SYN segment, set SND.UNA to
        //# ISS, SND.NXT to ISS+1. Enter SYN-SENT state.
        self.passive = false;
        self.state = State::SynSent;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
        //# An initial send sequence number (ISS) is selected. A SYN segment of the form
        //# <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT state,
        //# and return.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
        //# On an active OPEN command, the TCP endpoint will begin the procedure to synchronize
        //# (i.e., establish) the connection at once.
        self.send_syn(now, None);
        Ok(())
    }

    /// OPEN, passive (§3.10.1): enter LISTEN, waiting for a SYN from `remote`, or from anyone
    /// when `remote` is `None` (an unspecified foreign socket).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
    //# A passive OPEN may have either a fully specified remote socket to wait for a particular
    //# connection or an unspecified remote socket to wait for any call.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
    //= type=exception
    //= reason=no Diffserv or security/compartment parameters: the IP layer is the caller's
    //# Verify the security and Diffserv value requested are allowed for this user, if not, return
    //# "error: Diffserv value not allowed" or "error: security/compartment not allowed".
    pub fn open_passive(&mut self, remote: Option<SocketAddrV4>) -> Result<(), CallError> {
        if self.state != State::Closed {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
            //# Every passive OPEN call either creates a new connection record in LISTEN state, or
            //# it returns an error; it MUST NOT affect any previously created connection record
            //# (MUST-41).
            return Err(CallError::ConnectionExists);
        }
        self.reset_tcb();
        self.passive = true;
        self.listen_remote = remote;
        self.remote = remote;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
        //# If passive, enter the LISTEN state and return.
        self.state = State::Listen;
        Ok(())
    }

    /// SEND (§3.10.2): queue up to the free space of the send buffer; returns how many octets
    /// were taken. In LISTEN with a known foreign socket the connection turns active. Before
    /// ESTABLISHED the data waits; in ESTABLISHED and CLOSE-WAIT it goes out now.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
    //= type=exception
    //= reason=urgent data is not implemented: SEND has no URGENT flag
    //# If the URGENT flag is set, then SND.UP <- SND.NXT and set the urgent pointer in the outgoing
    //# segments.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.2
    //= type=exception
    //= reason=SEND has no PUSH flag; PSH goes on the last segment of the queue (MUST-61)
    //# A TCP endpoint MAY implement PUSH flags on SEND calls (MAY-15).
    pub fn send(&mut self, now: Instant, data: &[u8]) -> Result<usize, CallError> {
        match self.state {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
            //# Otherwise, return "error: connection does not exist".
            State::Closed => return Err(CallError::ConnectionDoesNotExist),
            State::Listen => match self.listen_remote {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
                //# If the remote socket is specified, then change the connection from passive to
                //# active, select an ISS. Send a SYN segment, set SND.UNA to ISS, SND.NXT to ISS+1.
                //# Enter SYN-SENT state. Data associated with SEND may be sent with SYN segment or
                //# queued for transmission after entering ESTABLISHED state.
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
                //# A fully specified passive call can be made active by the subsequent execution of
                //# a SEND.
                Some(remote) => self.open_active(now, remote)?,
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
                //# If the remote socket was not specified, then return "error: remote socket
                //# unspecified".
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.2
                //# However, if a SEND is attempted before the remote socket becomes specified, an
                //# error will be returned.
                None => return Err(CallError::ForeignSocketUnspecified),
            },
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
            //# Queue the data for transmission after entering ESTABLISHED state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
            //# Segmentize the buffer and send it with a piggybacked acknowledgment (acknowledgment
            //# value = RCV.NXT).
            State::SynSent | State::SynReceived | State::Established | State::CloseWait => {}
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
            //# Return "error: connection closing" and do not service request.
            _ => return Err(CallError::ConnectionClosing),
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
        //# No further SENDs from the user will be accepted by the TCP implementation, and it enters
        //# the FIN-WAIT-1 state.
        if self.fin_queued {
            return Err(CallError::ConnectionClosing);
        }
        let room = self.cfg.send_buffer.saturating_sub(self.send_buf.len());
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
        //# If no space to queue, respond with "error: insufficient resources".
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.2
        //# If there is insufficient space to remember this buffer, simply return "error:
        //# insufficient resources".
        if room == 0 && !data.is_empty() {
            return Err(CallError::InsufficientResources);
        }
        let n = room.min(data.len());
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.2
        //# Multiple SENDs are served in first come, first served order, so the TCP endpoint will
        //# queue those it cannot service immediately.
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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
    //= type=exception
    //= reason=urgent data is not implemented
    //# If RCV.UP is in advance of the data currently being passed to the user, notify the user of
    //# the presence of urgent data.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.3
    //= type=exception
    //= reason=RECEIVE returns a byte count only: PSH is not passed up
    //# A TCP receiver MAY pass a received PSH bit to the application layer via the PUSH flag in the
    //# interface (MAY-17), but it is not required
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize, CallError> {
        if self.recv_buf.is_empty() {
            return match self.state {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
                //# Otherwise, return "error: connection does not exist".
                State::Closed => Err(CallError::ConnectionDoesNotExist),
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
                //# Since the remote side has already sent FIN, RECEIVEs must be satisfied by data
                //# already on hand, but not yet delivered to the user. If no text is awaiting
                //# delivery, the RECEIVE will get an "error: connection closing" response.
                //# Otherwise, any remaining data can be used to satisfy the RECEIVE.
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
                //# Return "error: connection closing".
                State::CloseWait | State::Closing | State::LastAck | State::TimeWait => {
                    Err(CallError::ConnectionClosing)
                }
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
                //# Queue for processing after entering ESTABLISHED state.
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
                //# If insufficient incoming segments are queued to satisfy the request, queue the
                //# request.
                _ => Ok(0),
            };
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.3
        //# Reassemble queued incoming segments into receive buffer and return to user.
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
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# A TCP implementation will reliably deliver all buffers SENT before the connection was CLOSED
    //# so a user who expects no data in return need only wait to hear the connection was CLOSED
    //# successfully to know that all their data was received at the destination TCP endpoint.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
    //= type=exception
    //= reason=full-duplex close: the application keeps reading after CLOSE (no SHLD-3 RST)
    //# A host MAY implement a "half-duplex" TCP close sequence, so that an application that has
    //# called CLOSE cannot continue to read data from the connection (MAY-1).
    pub fn close(&mut self, now: Instant) -> Result<(), CallError> {
        match self.state {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# Otherwise, return "error: connection does not exist".
            State::Closed => return Err(CallError::ConnectionDoesNotExist),
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# Delete TCB, enter CLOSED state, and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# Delete the TCB and return "error: closing" responses to any queued SENDs, or
            //# RECEIVEs.
            State::Listen | State::SynSent => {
                self.close_with(Event::Closed);
                return Ok(());
            }
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# If no SENDs have been issued and there is no pending data to send, then form a FIN
            //# segment and send it, and enter FIN-WAIT-1 state; otherwise, queue for processing
            //# after entering ESTABLISHED state.
            // With nothing to send, FIN now and FIN-WAIT-1; otherwise the FIN waits for
            // ESTABLISHED (see the ACK step).
            State::SynReceived => {
                self.fin_queued = true;
                if self.send_buf.is_empty() {
                    self.state = State::FinWait1;
                }
            }
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# Queue this until all preceding SENDs have been segmentized, then form a FIN segment
            //# and send it. In any case, enter FIN-WAIT-1 state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# In this case, a FIN segment can be constructed and placed on the outgoing segment
            //# queue.
            State::Established => {
                self.fin_queued = true;
                self.state = State::FinWait1;
            }
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# Queue this request until all preceding SENDs have been segmentized; then send a FIN
            //# segment, enter LAST-ACK state.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
            //# The user will respond with a CLOSE, upon which the TCP endpoint can send a FIN to
            //# the other TCP peer after sending any remaining data.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6.1
            //# Since the two directions of a TCP connection are closed independently, it is
            //# possible for a connection to be "half closed", i.e., closed in only one direction,
            //# and a host is permitted to continue sending data in the open direction on a
            //# half-closed connection.
            // RFC 9293 (correcting RFC 793's "enter CLOSING"): send FIN, enter LAST-ACK.
            State::CloseWait => {
                self.fin_queued = true;
                self.state = State::LastAck;
            }
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# Strictly speaking, this is an error and should receive an "error: connection
            //# closing" response.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.4
            //# Respond with "error: connection closing".
            _ => return Err(CallError::ConnectionClosing),
        }
        self.flush(now);
        Ok(())
    }

    /// ABORT (§3.10.5): in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2 and CLOSE-WAIT send
    /// `<SEQ=SND.NXT><CTL=RST>`, dropping whatever else was waiting to go out; in every state
    /// but CLOSED, enter CLOSED.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.6
    //# This command causes all pending SENDs and RECEIVES to be aborted, the TCB to be removed, and
    //# a special RST message to be sent to the remote TCP peer of the connection.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.2
    //= type=exception
    //= reason=ABORT enters CLOSED, as section 3.10.5 says
    //# The side of a connection issuing a reset should enter the TIME-WAIT state, as this generally
    //# helps to reduce the load on busy servers for reasons described in [70].
    pub fn abort(&mut self) -> Result<(), CallError> {
        match self.state {
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
            //# Otherwise, return "error: connection does not exist".
            State::Closed => return Err(CallError::ConnectionDoesNotExist),
            State::SynReceived
            | State::Established
            | State::FinWait1
            | State::FinWait2
            | State::CloseWait => {
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
                //= type=exception
                //= reason=calls return at once, none is outstanding; ABORT's event is Closed
                //# All queued SENDs and RECEIVEs should be given "connection reset" notification;
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
                //# all segments queued for transmission (except for the RST formed above) or
                //# retransmission should be flushed. Delete the TCB, enter CLOSED state, and
                //# return.
                // "All segments queued for transmission (except for the RST formed above) or
                // retransmission should be flushed."
                self.out.clear();
                //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
                //# Send a reset segment: <SEQ=SND.NXT><CTL=RST>
                let rst = Segment {
                    seq: self.tcb.snd_nxt,
                    flags: Flags::RST,
                    ..Segment::default()
                };
                self.push(rst);
            }
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
            //= type=exception
            //= reason=calls return at once, none is outstanding; ABORT's event is Closed
            //# Any outstanding RECEIVEs should be returned with "error: connection reset"
            //# responses.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
            //# Delete TCB, enter CLOSED state, and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
            //= type=exception
            //= reason=calls return at once, none is outstanding; ABORT's event is Closed
            //# All queued SENDs and RECEIVEs should be given "connection reset" notification.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
            //# Delete the TCB, enter CLOSED state, and return.
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.5
            //# Respond with "ok" and delete the TCB, enter CLOSED state, and return.
            _ => {}
        }
        self.close_with(Event::Closed);
        Ok(())
    }

    /// A fresh TCB for a new incarnation, with `remote` as the peer.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.1
    //# Create a new transmission control block (TCB) to hold connection state information.
    pub(super) fn start(&mut self, now: Instant, remote: SocketAddrV4) {
        self.reset_tcb();
        self.remote = Some(remote);
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# When new connections are created, an initial sequence number (ISN) generator is employed
        //# that selects a new 32-bit ISN.
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# The initial send sequence number (ISS) is chosen by the data sending TCP peer, and the
        //# initial receive sequence number (IRS) is learned during the connection-establishing
        //# procedure.
        let iss = self.isn.isn(self.local, remote, now);
        self.tcb.iss = iss;
        self.tcb.snd_una = iss;
        self.tcb.snd_nxt = iss.wrapping_add(1);
    }

    /// Forgets everything of an earlier incarnation.
    pub(super) fn reset_tcb(&mut self) {
        self.tcb = Tcb::default();
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
        //# If an MSS Option is not received at connection setup, TCP implementations MUST assume a
        //# default send MSS of 536 (576 - 40) for IPv4 or 1220 (1280 - 60) for IPv6 (MUST-15).
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

    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
    //# The window sent in each segment indicates the range of sequence numbers the sender of the
    //# window (the data receiver) is currently prepared to accept. There is an assumption that this
    //# is related to the data buffer space currently available for this connection.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6
    //# A TCP receiver SHOULD NOT shrink the window, i.e., move the right window edge to the left
    //# (SHLD-14).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.1
    //# A TCP implementation MAY keep its offered receive window closed indefinitely (MAY-8).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.6.2.2
    //= type=exception
    //= reason=no receiver SWS avoidance: RCV.WND is always the free buffer space
    //# A TCP implementation MUST include a SWS avoidance algorithm in the receiver (MUST-39).
    pub(super) fn update_rcv_wnd(&mut self) {
        self.tcb.rcv_wnd =
            u32::from(self.cfg.recv_buffer).saturating_sub(self.recv_buf.len() as u32);
    }
}
