//! Complete connection life cycles through the in-memory pair, single thread: B listens, A
//! opens, the handshake runs, A closes, B closes, A's TIME-WAIT expires on the virtual clock.
//! Seven segments per life cycle. `wire = true` also encodes every segment to bytes and
//! parses it back (checksum included); `wire = false` hands parsed segments across.
//!
//! Run: `cargo bench -p synfin-tcp --bench lifecycle`. The `items/s` column is life cycles
//! per second; multiply by 7 for segments per second.

use divan::counter::ItemsCount;
use divan::Bencher;
use synfin_tcp::pair::{Pair, Side, ADDR_B};
use synfin_tcp::{Config, FixedIsn, State};

/// Segments in one life cycle: SYN, SYN-ACK, ACK, FIN, ACK, FIN, ACK.
const SEGMENTS: usize = 7;

fn main() {
    // Check once, outside the timing, that a life cycle is what it claims to be.
    let mut p = pair(true);
    p.set_record(true);
    lifecycle(&mut p);
    assert_eq!(p.sent().count(), SEGMENTS);
    divan::main();
}

fn pair(wire: bool) -> Pair {
    let mut p = Pair::new(
        Config::default(),
        FixedIsn(u32::MAX - 1),
        Config::default(),
        FixedIsn(7),
    );
    p.set_wire(wire);
    p.set_record(false);
    p
}

fn lifecycle(p: &mut Pair) {
    p.with(Side::B, |c, _| c.open_passive(None)).unwrap();
    p.with(Side::A, |c, now| c.open_active(now, ADDR_B))
        .unwrap();
    p.run(8);
    p.with(Side::A, |c, now| c.close(now)).unwrap();
    p.run(8);
    p.with(Side::B, |c, now| c.close(now)).unwrap();
    p.run(8);
    assert!(p.a.state() == State::Closed && p.b.state() == State::Closed);
}

#[divan::bench(args = [false, true])]
fn open_close(bencher: Bencher, wire: bool) {
    let mut p = pair(wire);
    bencher
        .counter(ItemsCount::new(1usize))
        .bench_local(|| lifecycle(&mut p));
}
