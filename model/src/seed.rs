//! The seed's exchange, tracked as history: the handshake (SYN seq=J; SYN,ACK seq=K ack=J+1;
//! ACK seq=J+1 ack=K+1) and the close (FIN seq=M; ACK ack=M+1; FIN seq=N; ACK ack=N+1).

use crate::config::Config;
use crate::segment::{Flags, Segment};
use crate::seq::Seq;
use serde::Serialize;
use stateright::actor::{Envelope, Id};

/// How much of the seed's exchange the run has sent, in order and with nothing else sent in
/// between. Every other segment collapses the progress to [`SeedProgress::DIVERGED`], so the
/// history adds few states.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct SeedProgress(pub u8);

impl SeedProgress {
    pub const DIVERGED: SeedProgress = SeedProgress(u8::MAX);
    pub const HANDSHAKE: u8 = 3;
    pub const CLOSE: u8 = 7;

    pub fn reached(self, n: u8) -> bool {
        self != Self::DIVERGED && self.0 >= n
    }
}

/// The seed's seven segments for `cfg`, with sender index: J, K are the ISNs, M = J+1 and
/// N = K+1 are the FINs' sequence numbers.
pub fn seed_segments(cfg: &Config) -> [(usize, Segment); 7] {
    let (j, k) = (cfg.isn[0], cfg.isn[1]);
    let (m, n) = (j.add(1), k.add(1));
    [
        (0, Segment::new(Flags::SYN, j, Seq(0))),
        (1, Segment::new(Flags::SYN_ACK, k, j.add(1))),
        (0, Segment::new(Flags::ACK, j.add(1), k.add(1))),
        (0, Segment::new(Flags::FIN_ACK, m, k.add(1))),
        (1, Segment::new(Flags::ACK, k.add(1), m.add(1))),
        (1, Segment::new(Flags::FIN_ACK, n, m.add(1))),
        (0, Segment::new(Flags::ACK, m.add(1), n.add(1))),
    ]
}

/// `record_msg_out` hook: advance on the next seed segment, collapse on anything else.
pub fn record(cfg: &Config, h: &SeedProgress, env: Envelope<&Segment>) -> Option<SeedProgress> {
    if *h == SeedProgress::DIVERGED {
        return None;
    }
    let seed = seed_segments(cfg);
    match seed.get(h.0 as usize) {
        Some((src, seg)) if Id::from(*src) == env.src && *seg == env.msg.header() => {
            Some(SeedProgress(h.0 + 1))
        }
        _ => Some(SeedProgress::DIVERGED),
    }
}
