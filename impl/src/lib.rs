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
//! [`pair::Pair`] joins two endpoints through an in-memory network with a virtual clock.
//!
//! This crate shares no code with `synfin-model`: the two are separate readings of RFC 9293,
//! compared by the conformance harness.

#![forbid(unsafe_code)]

pub mod config;
mod conn;
pub mod event;
pub mod isn;
pub mod pair;
mod rto;
pub mod seq;
pub mod state;
pub mod time;
pub mod wire;

pub use config::{Config, Profile};
pub use conn::{reset_for, Connection, Tcb};
pub use event::{CallError, Event, InputError};
pub use isn::{FixedIsn, IsnList, IsnSource, Rfc6528};
pub use seq::SeqNum;
pub use state::State;
pub use time::Instant;
pub use wire::{Flags, Packet, Segment, WireError};
