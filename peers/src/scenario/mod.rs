//! Generated scenarios between a tester (synfin-tcp's `Connection` with a fixed ISS, plus fault
//! rules on what it sends) and a peer nobody here wrote (smoltcp, the Linux kernel): who opens,
//! who closes first, aborts, and loss, duplication, reordering and late duplicates of the
//! tester's datagrams. Every input the peer gets and everything it sends is recorded as a
//! `synfin_conformance::peer_trace::Step`, for replay into the model's rules.
//!
//! * [`Scenario`] and [`scenarios`]: the proptest strategy;
//! * [`faults`]: the fault rules applied to the tester's datagrams;
//! * [`Peer`] ([`peer`]): what the runner needs of a TCP stack; [`smol::SmolPeer`] implements
//!   it on the virtual clock, `kernel::peer::KernelPeer` on the wall clock;
//! * [`run`]: the runner;
//! * [`check`]: replay, the pinned differences and the tallies.

pub mod check;
pub mod faults;
pub mod peer;
pub mod run;
pub mod smol;

pub use faults::Fault;
pub use peer::Peer;
pub use run::{run, run_reading, PeerRun, Ports};

use proptest::prelude::*;
use std::collections::BTreeMap;

/// Who opens the connection (RFC 9293 §3.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// The peer connects to the listening tester (Figure 6 with the peer as TCP Peer A).
    PeerActive,
    /// The tester connects to the listening peer.
    PeerPassive,
    /// Both connect to each other's port at once (Figure 7).
    Simultaneous,
}

/// Which side makes a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Peer,
    Tester,
}

/// How the connection ends (RFC 9293 §3.6, §3.10.4, §3.10.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `Side` closes first; the other closes once it sees the FIN (CLOSE-WAIT).
    Close(Side),
    /// Both close at the same instant: the FINs cross (Figure 13).
    BothClose,
    /// `Side` aborts in ESTABLISHED (a RST).
    Abort(Side),
    /// The other side closes first, and `Side` aborts in CLOSE-WAIT instead of closing.
    AbortAfterClose(Side),
}

/// One generated scenario. `faults` maps the index of a datagram the tester sends (0 for its
/// first) to what happens to it on its way to the peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub open: Open,
    pub ending: Ending,
    pub faults: BTreeMap<usize, Fault>,
}

impl Scenario {
    /// A one-line description.
    pub fn name(&self) -> String {
        let faults: Vec<String> = self
            .faults
            .iter()
            .map(|(n, f)| format!("#{n} {f:?}"))
            .collect();
        format!(
            "{:?}, {:?}, faults [{}]",
            self.open,
            self.ending,
            faults.join(", ")
        )
    }
}

/// A number from the environment (proptest's own variable names, `PROPTEST_CASES` and
/// `PROPTEST_RNG_SEED`), else `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Peer), Just(Side::Tester)]
}

/// Scenarios with up to `max_faults` faults on the tester's first `window` datagrams.
pub fn scenarios(max_faults: usize, window: usize) -> impl Strategy<Value = Scenario> {
    let open = prop_oneof![
        Just(Open::PeerActive),
        Just(Open::PeerPassive),
        Just(Open::Simultaneous)
    ];
    let ending = prop_oneof![
        3 => side().prop_map(Ending::Close),
        1 => Just(Ending::BothClose),
        1 => side().prop_map(Ending::Abort),
        1 => side().prop_map(Ending::AbortAfterClose),
    ];
    let faults = proptest::collection::btree_map(0..window, faults::fault(), 0..=max_faults);
    (open, ending, faults).prop_map(|(open, ending, faults)| Scenario {
        open,
        ending,
        faults,
    })
}
