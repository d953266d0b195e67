//! The `udp_loopback` example, run as a test: two `Connection`s on two threads exchange a
//! message over UDP datagrams on 127.0.0.1 with a real clock, and both close.

#[path = "../examples/udp_loopback.rs"]
mod example;

use synfin_tcp::{Event, State};

#[test]
fn two_connections_exchange_a_message_over_udp_on_loopback_and_close() {
    let (a, b) = example::run().expect("the exchange completes");
    assert_eq!(b.read, example::MESSAGE, "B reads exactly what A sent");
    assert_eq!((a.state, b.state), (State::Closed, State::Closed));
    assert_eq!(a.events.first(), Some(&Event::Connected));
    assert_eq!(a.events.last(), Some(&Event::Closed));
    assert!(b.events.contains(&Event::Readable) && b.events.contains(&Event::PeerClosed));
    assert_eq!(b.events.last(), Some(&Event::Closed));
}
