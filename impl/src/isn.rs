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
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# When new connections are created, an initial sequence number (ISN) generator is employed that
//# selects a new 32-bit ISN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.2
//= type=exception
//= reason=no quiet time: as section 3.4.2 allows, it is left to the embedder
//# To be sure that a TCP implementation does not create a segment carrying a sequence number that
//# may be duplicated by an old segment remaining in the network, the TCP endpoint must keep quiet
//# for an MSL before assigning any sequence numbers upon starting up or recovering from a situation
//# where memory of sequence numbers in use was lost.
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

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//= type=exception
//= reason=test-only source for deterministic runs; Connection::new always uses Rfc6528
//# A TCP implementation MUST use the above type of "clock" for clock-driven selection of initial
//# sequence numbers (MUST-8)
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

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//= type=exception
//= reason=test-only source for deterministic runs; Connection::new always uses Rfc6528
//# A TCP implementation MUST use the above type of "clock" for clock-driven selection of initial
//# sequence numbers (MUST-8)
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
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# There are security issues that result if an off-path attacker is able to predict or guess ISN
//# values [42].
pub struct Rfc6528 {
    key: [u8; 16],
}

impl Rfc6528 {
    /// The generator with secret key `key`.
    pub fn new(key: [u8; 16]) -> Rfc6528 {
        Rfc6528 { key }
    }
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# A TCP implementation MUST use the above type of "clock" for clock-driven selection of initial
//# sequence numbers (MUST-8), and SHOULD generate its initial sequence numbers with the expression:
//# ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# where M is the 4 microsecond timer, and F() is a pseudorandom function (PRF) of the connection's
//# identifying parameters ("localip, localport, remoteip, remoteport") and a secret key
//# ("secretkey") (SHLD-1).
impl IsnSource for Rfc6528 {
    fn isn(&mut self, local: SocketAddrV4, remote: SocketAddrV4, now: Instant) -> SeqNum {
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# F() MUST NOT be computable from the outside (MUST-9), or an attacker could still guess
        //# at sequence numbers from the ISN used for some other connection. The PRF could be
        //# implemented as a cryptographic hash of the concatenation of the TCP connection
        //# parameters and some secret data.
        let mut h = SipHasher24::new_with_key(&self.key);
        h.write(&local.ip().octets());
        h.write(&local.port().to_be_bytes());
        h.write(&remote.ip().octets());
        h.write(&remote.port().to_be_bytes());
        let f = h.finish() as u32;
        //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
        //# This clock is a 32-bit counter that typically increments at least once every roughly 4
        //# microseconds, although it is neither assumed to be realtime nor precise, and need not
        //# persist across reboots.
        let m = (now.since_epoch().as_micros() / 4) as u32;
        SeqNum(m.wrapping_add(f))
    }
}
