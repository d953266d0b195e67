//! One TCP connection (a TCB and its queues), driven from outside: user calls, incoming
//! packets and the caller's clock go in; packets, a deadline and events come out.

mod output;
mod segment_arrives;
mod timeouts;
mod user_calls;

pub use segment_arrives::closed::reset_for;

use crate::config::Config;
use crate::event::{Event, InputError};
use crate::isn::{IsnSource, Rfc6528};
use crate::rto::Rto;
use crate::seq::SeqNum;
use crate::state::State;
use crate::time::Instant;
use crate::wire::Packet;
use std::collections::VecDeque;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};

/// The send and receive sequence variables of RFC 9293 §3.3.1 (Figures 3 and 4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tcb {
    /// ISS: initial send sequence number.
    pub iss: SeqNum,
    /// SND.UNA: send unacknowledged, the oldest sequence number not yet acknowledged.
    pub snd_una: SeqNum,
    /// SND.NXT: send next, the next sequence number to send.
    pub snd_nxt: SeqNum,
    /// SND.WND: send window, as the peer last offered it.
    pub snd_wnd: u32,
    /// SND.WL1: segment sequence number used for the last window update.
    pub snd_wl1: SeqNum,
    /// SND.WL2: segment acknowledgment number used for the last window update.
    pub snd_wl2: SeqNum,
    /// The largest window the peer has offered (RFC 5961 §5.2, MAX.SND.WND).
    pub max_snd_wnd: u32,
    /// IRS: initial receive sequence number, the peer's ISS.
    pub irs: SeqNum,
    /// RCV.NXT: receive next, the next sequence number expected.
    pub rcv_nxt: SeqNum,
    /// RCV.WND: receive window, the free space of the receive buffer.
    pub rcv_wnd: u32,
}

/// A sans-IO TCP connection endpoint: one connection (one TCB, §3.3.2) with its send and
/// receive queues, retransmission and TIME-WAIT timers. See the crate documentation for the
/// order of calls.
pub struct Connection {
    cfg: Config,
    isn: Box<dyn IsnSource>,
    local: SocketAddrV4,
    /// The peer, once known. `None` in CLOSED and in a LISTEN with an unspecified foreign
    /// socket.
    remote: Option<SocketAddrV4>,
    /// The foreign socket the passive OPEN named, restored on a return to LISTEN.
    listen_remote: Option<SocketAddrV4>,
    state: State,
    /// This connection came from a passive OPEN (matters in SYN-RECEIVED, §3.10.7.4).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
    //# Note that a TCP implementation MUST keep track of whether a connection has reached
    //# SYN-RECEIVED state as the result of a passive OPEN or an active OPEN (MUST-11).
    passive: bool,
    tcb: Tcb,
    /// The MSS the peer announced, or the RFC 9293 §3.7.1 default of 536 (MUST-15).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
    //# SendMSS is the MSS value received from the remote host, or the default 536 for IPv4 or 1220
    //# for IPv6, if no MSS Option is received.
    peer_mss: u16,
    /// Octets from the user not yet acknowledged: sent-but-unacknowledged ones first.
    send_buf: VecDeque<u8>,
    recv_buf: VecDeque<u8>,
    /// CLOSE was called: a FIN goes out once the send buffer is segmentized.
    fin_queued: bool,
    /// The sequence number of our FIN, once sent.
    fin_seq: Option<SeqNum>,
    /// The peer's FIN has been processed (§3.10.7.4 eighth step).
    fin_received: bool,
    /// An ACK is owed to the peer (sent as a pure ACK unless data carries it).
    ack_due: bool,
    /// What this connection counts its challenge ACKs against (RFC 5961 §7).
    challenges: crate::challenge::Limiter,
    /// Challenge ACKs the limit kept from going out.
    challenges_withheld: u64,
    rto: Rto,
    /// Retransmissions spent on the oldest unacknowledged segment.
    retries: u32,
    /// A SYN was retransmitted in this connection (RFC 6298 (5.7)).
    syn_timed_out: bool,
    rtx_deadline: Option<Instant>,
    time_wait_deadline: Option<Instant>,
    out: VecDeque<Packet>,
    events: VecDeque<Event>,
}

impl Connection {
    /// A connection in CLOSED at `local`, with ISNs from RFC 6528 under `key`.
    pub fn new(cfg: Config, local: SocketAddrV4, key: [u8; 16]) -> Connection {
        Connection::with_isn(cfg, local, Rfc6528::new(key))
    }

    /// A connection in CLOSED at `local`, with ISNs from `isn` (a `FixedIsn` in tests).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
    //# The optional "local IP address" parameter MUST be supported to allow the specification of
    //# the local IP address (MUST-43).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.1
    //= type=implication
    //# A TCP implementation that supports multiple concurrent connections MUST provide an OPEN call
    //# that will functionally allow an application to LISTEN on a port while a connection block
    //# with the same local port is in SYN-SENT or SYN-RECEIVED state (MUST-42).
    pub fn with_isn(cfg: Config, local: SocketAddrV4, isn: impl IsnSource + 'static) -> Connection {
        Connection {
            rto: Rto::new(&cfg),
            challenges: crate::challenge::Limiter::new(&cfg.challenge_acks),
            challenges_withheld: 0,
            cfg,
            isn: Box::new(isn),
            local,
            remote: None,
            listen_remote: None,
            state: State::Closed,
            passive: false,
            tcb: Tcb::default(),
            peer_mss: 536,
            send_buf: VecDeque::new(),
            recv_buf: VecDeque::new(),
            fin_queued: false,
            fin_seq: None,
            fin_received: false,
            ack_due: false,
            retries: 0,
            syn_timed_out: false,
            rtx_deadline: None,
            time_wait_deadline: None,
            out: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// The RFC 9293 state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The sequence variables.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.5
    //# Information returned would typically come from the TCB associated with the connection.
    pub fn tcb(&self) -> &Tcb {
        &self.tcb
    }

    /// The configuration it was made with (and the profile last set).
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Switches the RFC 5961 / RFC 793 profile; it applies from the next segment on.
    pub fn set_profile(&mut self, profile: crate::config::Profile) {
        self.cfg.profile = profile;
    }

    /// The local socket (address and port).
    pub fn local(&self) -> SocketAddrV4 {
        self.local
    }

    /// The foreign socket, once known: from an active OPEN, a passive OPEN that named it, or
    /// the SYN a LISTEN accepted. `None` in CLOSED and in LISTEN for anyone.
    pub fn remote(&self) -> Option<SocketAddrV4> {
        self.remote
    }

    /// Whether this connection came from a passive OPEN.
    pub fn is_passive(&self) -> bool {
        self.passive
    }

    /// Octets waiting in the send buffer (sent and unacknowledged, or not yet sent).
    pub fn send_queue_len(&self) -> usize {
        self.send_buf.len()
    }

    /// Whether our FIN has been sent (it stays true after the connection closes, until the
    /// next OPEN).
    pub fn fin_sent(&self) -> bool {
        self.fin_seq.is_some()
    }

    /// Challenge ACKs (RFC 5961 §3.2, §4.2, §5.2) the limit of
    /// [`Config::challenge_acks`](crate::Config::challenge_acks) kept from going out (§7).
    pub fn challenge_acks_withheld(&self) -> u64 {
        self.challenges_withheld
    }

    /// Whether the peer's FIN has been processed (§3.10.7.4 eighth step; kept after CLOSED
    /// until the next OPEN).
    pub fn fin_received(&self) -> bool {
        self.fin_received
    }

    /// Octets received and not yet read.
    pub fn recv_queue_len(&self) -> usize {
        self.recv_buf.len()
    }

    /// The current retransmission timeout (RFC 6298).
    pub fn rto(&self) -> std::time::Duration {
        self.rto.current()
    }

    /// The next packet to send, if any.
    pub fn poll_transmit(&mut self) -> Option<Packet> {
        self.out.pop_front()
    }

    /// The next user-visible event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`Connection::handle_timeout`] next needs to be called, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match (self.rtx_deadline, self.time_wait_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Processes TCP bytes that arrived in an IPv4 datagram from `src_ip` to `dst_ip`.
    /// Bytes that do not parse are dropped with a typed error and change nothing.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.2.2
    //= type=exception
    //= reason=sans-IO: no ICMP input; the embedder may ABORT on a hard error
    //# TCP implementations MUST act on an ICMP error message passed up from the IP layer, directing
    //# it to the connection that created the error (MUST-54).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.1.9
    //= type=exception
    //= reason=sans-IO: the IP header, Diffserv field included, is the embedder's
    //# The application layer MUST be able to specify the Differentiated Services field for segments
    //# that are sent on a connection (MUST-48).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.2
    //= type=exception
    //= reason=sans-IO: the IP header, TTL included, is the embedder's
    //# The TTL value used to send TCP segments MUST be configurable (MUST-49).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.2.1
    //= type=exception
    //= reason=sans-IO: IP options, source routes included, are the embedder's
    //# An application MUST be able to specify a source route when it actively opens a TCP
    //# connection (MUST-51)
    pub fn handle_bytes(
        &mut self,
        now: Instant,
        src_ip: Ipv4Addr,
        dst_ip: Ipv4Addr,
        bytes: &[u8],
    ) -> Result<(), InputError> {
        let packet = Packet::decode(src_ip, dst_ip, bytes)?;
        self.handle_packet(now, &packet)
    }

    /// SEGMENT ARRIVES (RFC 9293 §3.10.7) for a packet addressed to this connection.
    pub fn handle_packet(&mut self, now: Instant, packet: &Packet) -> Result<(), InputError> {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.2.3
        //= type=implication
        //# A TCP implementation MUST silently discard an incoming SYN segment that is addressed to
        //# a broadcast or multicast address [(MUST-57)].
        if packet.dst != self.local {
            return Err(InputError::NotOurs);
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.9.2.3
        //= type=todo
        //# An incoming SYN with an invalid source address MUST be ignored either by TCP or by the
        //# IP layer [(MUST-63)]
        if self.state != State::Closed && self.remote.is_some_and(|r| r != packet.src) {
            return Err(InputError::NotOurs);
        }
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.10
        //# The activity of the TCP endpoint can be characterized as responding to events. The
        //# events that occur can be cast into three categories: user calls, arriving segments, and
        //# timeouts.
        self.segment_arrives(now, packet);
        self.flush(now);
        Ok(())
    }

    /// Enters `state`; on CLOSED, deletes the TCB and its queues and timers.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.3.2
    //# CLOSED is fictional because it represents the state when there is no TCB, and therefore, no
    //# connection.
    fn enter(&mut self, state: State) {
        self.state = state;
        if state == State::Closed {
            self.remote = None;
            self.send_buf.clear();
            self.fin_queued = false;
            self.ack_due = false;
            self.rtx_deadline = None;
            self.time_wait_deadline = None;
        }
    }

    /// Ends the connection with a user-visible reason. A reset also flushes the receive
    /// queue ("all segment queues should be flushed", §3.10.7.4): unread data is gone.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
    //# If the local TCP connection is closed by the remote side due to a FIN or RST received from
    //# the remote side, then the local application MUST be informed whether it closed normally or
    //# was aborted (MUST-12).
    fn close_with(&mut self, event: Event) {
        self.enter(State::Closed);
        if matches!(event, Event::Reset | Event::Refused) {
            self.recv_buf.clear();
        }
        self.events.push_back(event);
    }

    fn tell(&mut self, event: Event) {
        self.events.push_back(event);
    }

    /// Whether our FIN has been sent and acknowledged.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4
    //# A segment on the retransmission queue is fully acknowledged if the sum of its sequence
    //# number and length is less than or equal to the acknowledgment value in the incoming segment.
    fn fin_acked(&self) -> bool {
        self.fin_seq.is_some_and(|f| f.lt(self.tcb.snd_una))
    }
}

/// A `Connection` can move to another thread (its ISN source is `Send`).
const _: () = {
    const fn send<T: Send>() {}
    send::<Connection>()
};

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("local", &self.local)
            .field("remote", &self.remote)
            .field("state", &self.state)
            .field("tcb", &self.tcb)
            .field("send_queue", &self.send_buf.len())
            .field("recv_queue", &self.recv_buf.len())
            .finish_non_exhaustive()
    }
}
