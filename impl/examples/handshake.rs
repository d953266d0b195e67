use synfin_tcp::pair::{Pair, Side, ADDR_B};
use synfin_tcp::{Config, FixedIsn};

fn main() {
    // A's ISS is 100 and B's is 2^32-1, so B's numbers wrap at once (ACK=0).
    let (isn_a, isn_b) = (FixedIsn(100), FixedIsn(u32::MAX));
    let mut p = Pair::new(Config::default(), isn_a, Config::default(), isn_b);
    p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
    p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
        .unwrap();
    p.run(100); // deliver everything, fire due timers, until quiet
    for (from, packet) in p.sent() {
        println!("{from:?} sends {}", packet.segment);
    }
    println!("A is {}, B is {}", p.a.state(), p.b.state());
}
