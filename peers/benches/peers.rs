//! Open + close life cycles per second, side by side in one run: two synfin-tcp endpoints, and
//! two smoltcp hosts, each pair over the same in-memory link (real IPv4+TCP bytes both ways, a
//! virtual clock that jumps to the next timer). One life cycle: B listens, A opens, the
//! handshake runs, A closes, B closes, and the clock runs on until both are CLOSED (A's
//! TIME-WAIT included).
//!
//! Run: `cargo bench -p synfin-peers --bench peers`. The `items/s` column is life cycles per
//! second; the ratio of the two medians is the figure the README reports.

use divan::counter::ItemsCount;
use divan::Bencher;
use std::net::SocketAddrV4;
use std::time::Duration;
use synfin_peers::link::{Link, IP_A, IP_B};
use synfin_peers::smol::{SmolHost, SmolState};
use synfin_tcp::{Config, Connection, FixedIsn, Instant, State};

const LIMIT: Duration = Duration::from_secs(3600);

fn synfin_pair() {
    let cfg = Config::default();
    let a = Connection::with_isn(cfg.clone(), SocketAddrV4::new(IP_A, 40000), FixedIsn(7));
    let mut b = Connection::with_isn(cfg, SocketAddrV4::new(IP_B, 80), FixedIsn(9));
    b.open_passive(Instant::ZERO, None).unwrap();
    let mut l = Link::new(a, b);
    l.record = false;
    l.a.open_active(Instant::ZERO, SocketAddrV4::new(IP_B, 80))
        .unwrap();
    assert!(l.run_until(LIMIT, |l| l.b.state() == State::Established
        && l.a.state() == State::Established));
    l.a.close(Instant::from_epoch(l.now)).unwrap();
    assert!(l.run_until(LIMIT, |l| l.b.state() == State::CloseWait));
    l.b.close(Instant::from_epoch(l.now)).unwrap();
    assert!(l.run_until(LIMIT, |l| l.a.state() == State::Closed
        && l.b.state() == State::Closed));
}

fn smoltcp_pair() {
    let mut a = SmolHost::new(IP_A, Duration::ZERO);
    let mut b = SmolHost::new(IP_B, Duration::ZERO);
    b.listen(80).unwrap();
    a.connect(SocketAddrV4::new(IP_B, 80), 40000).unwrap();
    let mut l = Link::new(a, b);
    l.record = false;
    assert!(l.run_until(LIMIT, |l| l.b.state() == SmolState::Established
        && l.a.state() == SmolState::Established));
    l.a.close();
    assert!(l.run_until(LIMIT, |l| l.b.state() == SmolState::CloseWait));
    l.b.close();
    assert!(l.run_until(LIMIT, |l| l.a.state() == SmolState::Closed
        && l.b.state() == SmolState::Closed));
}

fn main() {
    // Once, outside the timing: both pairs complete a life cycle.
    synfin_pair();
    smoltcp_pair();
    divan::main();
}

#[divan::bench]
fn synfin_tcp_pair(bencher: Bencher) {
    bencher
        .counter(ItemsCount::new(1usize))
        .bench_local(synfin_pair);
}

#[divan::bench]
fn smoltcp_pair_lifecycle(bencher: Bencher) {
    bencher
        .counter(ItemsCount::new(1usize))
        .bench_local(smoltcp_pair);
}
