//! # synfin-tcp
//!
//! A sans-IO TCP endpoint for RFC 9293 connection management: the three-way handshake,
//! simultaneous open, the orderly and simultaneous close, TIME-WAIT, resets (with the RFC 5961
//! mitigations and RFC 1337), retransmission with RFC 6298 timers, and enough data transfer
//! to make half-close real.
//!
//! It owns no socket, thread or clock. The caller feeds in user calls, packets (parsed or as
//! bytes) and the current [`Instant`], and pulls out packets ([`Connection::poll_transmit`]),
//! the next deadline ([`Connection::poll_timeout`]) and events ([`Connection::poll_event`]).
//! Given the same inputs and the same [`IsnSource`], it does the same thing.
//!
//! ## The call order
//!
//! One [`Connection`] is one connection: one TCB for one 4-tuple (RFC 9293 §3.3.2). A
//! listener that serves several peers keeps one `Connection` per peer, demultiplexes
//! incoming segments by (remote address, remote port) itself, and opens a fresh passive
//! `Connection` for the next peer (a `Connection` in LISTEN with an unspecified foreign
//! socket takes the first SYN that arrives and is then bound to that peer).
//!
//! 1. **User calls** (§3.10.1–§3.10.5): [`Connection::open_active`],
//!    [`Connection::open_passive`], [`Connection::send`], [`Connection::recv`],
//!    [`Connection::close`], [`Connection::abort`]. Each returns at once; a refusal is a
//!    [`CallError`] named after the RFC's error strings.
//! 2. **A datagram arrives**: pass its TCP bytes, with the IPv4 source and destination the
//!    checksum covers, to [`Connection::handle_bytes`] (or a parsed [`Packet`] to
//!    [`Connection::handle_packet`]). Bytes that do not parse, or a segment for another
//!    connection, come back as an [`InputError`] and change nothing.
//! 3. **Time passes**: whenever the caller's clock reaches [`Connection::poll_timeout`], call
//!    [`Connection::handle_timeout`] (calling it early is harmless: nothing is due).
//! 4. **After any of these**, drain [`Connection::poll_transmit`] to the network and
//!    [`Connection::poll_event`] to the application ([`Event::Readable`]: call `recv`;
//!    [`Event::PeerClosed`]: the peer's FIN, no more data will come; a terminal event once the
//!    connection is CLOSED), then sleep until a datagram arrives or the next deadline.
//!
//! `Connection` is `Send`: it can live on the thread that owns its socket.
//!
//! ```
//! use std::net::SocketAddrV4;
//! use synfin_tcp::{Config, Connection, Event, FixedIsn, Instant, State};
//!
//! let a_addr: SocketAddrV4 = "10.0.0.1:40000".parse().unwrap();
//! let b_addr: SocketAddrV4 = "10.0.0.2:80".parse().unwrap();
//! let mut a = Connection::with_isn(Config::default(), a_addr, FixedIsn(100));
//! let mut b = Connection::with_isn(Config::default(), b_addr, FixedIsn(300));
//! let now = Instant::ZERO;
//! b.open_passive(None).unwrap(); // LISTEN, for anyone
//! a.open_active(now, b_addr).unwrap(); // SYN-SENT: a SYN is waiting to go out
//!
//! // The caller's network: carry every packet to the other end as bytes, until quiet.
//! fn carry(from: &mut Connection, to: &mut Connection, now: Instant) -> bool {
//!     let mut carried = false;
//!     while let Some(p) = from.poll_transmit() {
//!         let bytes = p.encode().unwrap();
//!         to.handle_bytes(now, *p.src.ip(), *p.dst.ip(), &bytes).unwrap();
//!         carried = true;
//!     }
//!     carried
//! }
//! while carry(&mut a, &mut b, now) | carry(&mut b, &mut a, now) {}
//! assert_eq!((a.state(), b.state()), (State::Established, State::Established));
//! assert_eq!(a.poll_event(), Some(Event::Connected));
//! // The SYN is acknowledged: no retransmission is due.
//! assert_eq!(a.poll_timeout(), None);
//! ```
//!
//! `examples/udp_loopback.rs` runs the same loop over real bytes and a real clock: two
//! `Connection`s on two threads, their segments carried in UDP datagrams on 127.0.0.1.
//!
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod challenge;
pub mod config;
mod conn;
pub mod event;
pub mod isn;
#[cfg(feature = "harness")]
pub mod pair;
mod rto;
pub mod seq;
pub mod state;
pub mod time;
pub mod wire;

pub use challenge::{ChallengeAckLimit, SharedChallengeAcks};
pub use config::{Config, Profile};
pub use conn::{reset_for, Connection, Tcb};
pub use event::{CallError, Event, InputError};
pub use isn::{FixedIsn, IsnList, IsnSource, Rfc6528};
pub use seq::SeqNum;
pub use state::State;
pub use time::Instant;
pub use wire::{Flags, Packet, Segment, WireError};
