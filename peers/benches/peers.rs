//! Open + close life cycles per second, side by side in one run: two synfin-tcp endpoints, and
//! two smoltcp hosts, each pair over the same in-memory link (real IPv4+TCP bytes both ways, a
//! virtual clock that jumps to the next timer). One life cycle: B listens, A opens, the
//! handshake runs, A closes, B closes, and the clock runs on until both are CLOSED (A's
//! TIME-WAIT included).
//!
//! Run: `cargo bench -p synfin-peers --bench peers`. It first prints the ratio of the two
//! pairs' life cycles per second (medians of alternating rounds), the figure peers/README.md
//! reports; then divan's table, whose `items/s` column is life cycles per second.

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
    b.open_passive(None).unwrap();
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

/// Life cycles per second of `f` over `n` cycles.
fn rate(f: fn(), n: usize) -> f64 {
    let t = std::time::Instant::now();
    for _ in 0..n {
        f();
    }
    n as f64 / t.elapsed().as_secs_f64()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // Once, outside the timing: both pairs complete a life cycle.
    synfin_pair();
    smoltcp_pair();
    // The ratio, from rounds that alternate between the pairs (so both see the same machine).
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..15 {
        ours.push(rate(synfin_pair, 20_000));
        theirs.push(rate(smoltcp_pair, 20_000));
    }
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    println!(
        "life cycles per second (median of 15 alternating rounds of 20,000): synfin-tcp pair \
         {ours:.0}, smoltcp pair {theirs:.0}, ratio {:.2}",
        ours / theirs
    );
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
