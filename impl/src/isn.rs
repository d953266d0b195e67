//! Initial sequence number selection (RFC 9293 §3.4.1, MUST-8; RFC 6528).
//!
//! The endpoint asks an [`IsnSource`] for each new ISS. Tests inject a deterministic source
//! (a constant, a list, or any closure); real use takes [`Rfc6528`].

use crate::seq::SeqNum;
use crate::time::Instant;
use siphasher::sip::SipHasher24;
use std::hash::Hasher;
use std::net::SocketAddrV4;

/// Chooses the ISS of a new connection. `Send`, so that a [`Connection`](crate::Connection)
/// can move to another thread.
pub trait IsnSource: Send {
    /// The ISS for a connection from `local` to `remote` opened at `now`.
    fn isn(&mut self, local: SocketAddrV4, remote: SocketAddrV4, now: Instant) -> SeqNum;
}

/// Every closure of the right shape is an ISN source: `|_, _, _| SeqNum(100)`.
impl<F> IsnSource for F
where
    F: FnMut(SocketAddrV4, SocketAddrV4, Instant) -> SeqNum + Send,
{
    fn isn(&mut self, local: SocketAddrV4, remote: SocketAddrV4, now: Instant) -> SeqNum {
        self(local, remote, now)
    }
}

/// The same ISS every time: for tests and figures.
#[derive(Clone, Copy, Debug)]
pub struct FixedIsn(pub u32);

impl IsnSource for FixedIsn {
    fn isn(&mut self, _: SocketAddrV4, _: SocketAddrV4, _: Instant) -> SeqNum {
        SeqNum(self.0)
    }
}

/// The ISNs of a list, in turn; after the last one it repeats the last one.
#[derive(Clone, Debug)]
pub struct IsnList {
    isns: Vec<u32>,
    next: usize,
}

impl IsnList {
    /// A source that gives `isns` in order, then the last one again and again (0 if empty).
    pub fn new(isns: impl Into<Vec<u32>>) -> IsnList {
        IsnList {
            isns: isns.into(),
            next: 0,
        }
    }
}

impl IsnSource for IsnList {
    fn isn(&mut self, _: SocketAddrV4, _: SocketAddrV4, _: Instant) -> SeqNum {
        let i = self.next.min(self.isns.len().saturating_sub(1));
        self.next += 1;
        SeqNum(self.isns.get(i).copied().unwrap_or(0))
    }
}

/// RFC 6528 §3: `ISN = M + F(localip, localport, remoteip, remoteport, secretkey)`, where M
/// is a timer ticking every 4 microseconds and F is a keyed pseudo-random function, here
/// SipHash-2-4 (the PRF Linux uses for the same purpose). The key is an input, so the source
/// is deterministic given the key and the clock; draw the key from a CSPRNG once per boot.
#[derive(Clone, Debug)]
pub struct Rfc6528 {
    key: [u8; 16],
}

impl Rfc6528 {
    /// The generator with secret key `key`.
    pub fn new(key: [u8; 16]) -> Rfc6528 {
        Rfc6528 { key }
    }
}

impl IsnSource for Rfc6528 {
    fn isn(&mut self, local: SocketAddrV4, remote: SocketAddrV4, now: Instant) -> SeqNum {
        let mut h = SipHasher24::new_with_key(&self.key);
        h.write(&local.ip().octets());
        h.write(&local.port().to_be_bytes());
        h.write(&remote.ip().octets());
        h.write(&remote.port().to_be_bytes());
        let f = h.finish() as u32;
        let m = (now.since_epoch().as_micros() / 4) as u32;
        SeqNum(m.wrapping_add(f))
    }
}
