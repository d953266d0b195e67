//! Live endpoints in every state, for `fuzz_endpoint.rs`: an endpoint is driven into each
//! of the 11 states of RFC 9293 Figure 5 ([`drive`]), then fed arbitrary bytes, arbitrary
//! parsed packets (sequence and acknowledgment numbers near and far from its live values),
//! user calls and timer firings ([`input`]), with [`check::check_step`] run after every
//! step on both it and its peer ([`world`]).

pub mod check;
pub mod drive;
pub mod input;
pub mod tamper;
pub mod world;

use input::Action;
use proptest::prelude::*;
use synfin_tcp::{Config, State};
use world::World;

pub const CASES: u32 = 256;

/// `CASES` cases; failures are reported, not saved to a regressions file.
pub fn proptest_config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Drives a world into `state`, then runs `actions` on it with every step checked.
pub fn fuzz_state(
    state: State,
    route: u8,
    cfg: &Config,
    isn_a: u32,
    isn_b: u32,
    actions: &[Action],
) -> Result<(), TestCaseError> {
    let mut w = World::new(state, route, cfg, isn_a, isn_b);
    prop_assert_eq!(w.target().state(), state);
    w.check_both()?;
    for a in actions {
        w.run(a)?;
    }
    Ok(())
}
