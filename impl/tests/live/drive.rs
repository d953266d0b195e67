//! Getting an endpoint into each of the 11 states through real calls and packets.

use synfin_tcp::pair::{Pair, Side, ADDR_A, ADDR_B};
use synfin_tcp::{Config, FixedIsn, Flags, Packet, Segment, State};

/// Delivers the first in-flight packet addressed to `to`.
fn deliver_to(p: &mut Pair, to: Side) {
    let i = p
        .net
        .in_flight()
        .iter()
        .position(|f| f.to == to)
        .unwrap_or_else(|| panic!("nothing in flight to {to:?}: {:?}", p.net.in_flight()));
    p.deliver(i);
}

fn handshake(p: &mut Pair) {
    p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
    p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
        .unwrap();
    p.run(100);
    assert_eq!(
        (p.a.state(), p.b.state()),
        (State::Established, State::Established)
    );
}

/// A (active) closes first; B acknowledges the FIN: A in FIN-WAIT-2, B in CLOSE-WAIT.
fn half_close(p: &mut Pair) {
    handshake(p);
    p.with(Side::A, |a, now| a.close(now)).unwrap();
    deliver_to(p, Side::B);
    deliver_to(p, Side::A);
    assert_eq!(
        (p.a.state(), p.b.state()),
        (State::FinWait2, State::CloseWait)
    );
}

/// Both close at once; each FIN crosses the other: both in CLOSING.
fn crossing_close(p: &mut Pair) {
    handshake(p);
    p.with(Side::A, |a, now| a.close(now)).unwrap();
    p.with(Side::B, |b, now| b.close(now)).unwrap();
    deliver_to(p, Side::B);
    deliver_to(p, Side::A);
    assert_eq!((p.a.state(), p.b.state()), (State::Closing, State::Closing));
}

/// How many routes `drive` knows into `state`.
pub fn routes(state: State) -> u8 {
    match state {
        State::Closed | State::Listen | State::SynSent | State::Established | State::FinWait1 => 3,
        State::SynReceived | State::TimeWait => 2,
        _ => 1,
    }
}

/// A pair in which the endpoint on the returned side is in `state`, reached by route
/// `route % routes(state)`, with every event so far drained.
pub fn drive(state: State, route: u8, cfg: &Config, isn_a: u32, isn_b: u32) -> (Pair, Side) {
    let mut p = Pair::new(cfg.clone(), FixedIsn(isn_a), cfg.clone(), FixedIsn(isn_b));
    let route = route % routes(state);
    let side = match (state, route) {
        // A fresh endpoint.
        (State::Closed, 0) => Side::A,
        // After ABORT: a RST is in flight to B.
        (State::Closed, 1) => {
            handshake(&mut p);
            p.with(Side::A, |a, _| a.abort()).unwrap();
            Side::A
        }
        // After a whole life: close, TIME-WAIT, 2MSL.
        (State::Closed, _) => {
            handshake(&mut p);
            p.with(Side::A, |a, now| a.send(now, b"bye")).unwrap();
            p.run(100);
            // B reads, so that a small receive buffer opens again for A's FIN.
            p.with(Side::B, |b, _| b.recv(&mut [0; 16])).unwrap();
            p.with(Side::A, |a, now| a.close(now)).unwrap();
            p.run(100);
            p.with(Side::B, |b, now| b.close(now)).unwrap();
            p.run(100);
            assert_eq!(p.b.state(), State::Closed);
            Side::A
        }
        (State::Listen, 0) => {
            p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
            Side::B
        }
        (State::Listen, 1) => {
            p.with(Side::B, |b, _| b.open_passive(Some(ADDR_A)))
                .unwrap();
            Side::B
        }
        // Back to LISTEN from SYN-RECEIVED on a RST; B's SYN,ACK is still in flight.
        (State::Listen, _) => {
            p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
            p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
                .unwrap();
            deliver_to(&mut p, Side::B);
            let rst = Packet {
                src: ADDR_A,
                dst: ADDR_B,
                segment: Segment {
                    seq: p.b.tcb().rcv_nxt,
                    flags: Flags::RST,
                    ..Segment::default()
                },
            };
            p.inject(Side::B, rst);
            Side::B
        }
        // The SYN in flight to a listening B.
        (State::SynSent, 0) => {
            p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
            p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
                .unwrap();
            Side::A
        }
        // The SYN in flight to a closed B.
        (State::SynSent, 1) => {
            p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
                .unwrap();
            Side::A
        }
        // The first SYN lost, the second in flight.
        (State::SynSent, _) => {
            p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
            p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
                .unwrap();
            p.drop_packet(0);
            // With no SYN retries the first timeout ends the connection instead.
            if cfg.syn_retries > 0 {
                assert!(p.fire_next_timer());
            }
            Side::A
        }
        // Passive: B got A's SYN; its SYN,ACK is in flight.
        (State::SynReceived, 0) => {
            p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
            p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
                .unwrap();
            deliver_to(&mut p, Side::B);
            Side::B
        }
        // Active (simultaneous open, Figure 7): B in SYN-SENT got A's SYN.
        (State::SynReceived, _) => {
            p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
                .unwrap();
            p.with(Side::B, |b, now| b.open_active(now, ADDR_A))
                .unwrap();
            deliver_to(&mut p, Side::B);
            Side::B
        }
        (State::Established, 0) => {
            handshake(&mut p);
            Side::A
        }
        (State::Established, 1) => {
            handshake(&mut p);
            Side::B
        }
        // With data exchanged and some of it unread.
        (State::Established, _) => {
            handshake(&mut p);
            p.with(Side::A, |a, now| a.send(now, b"ping")).unwrap();
            p.with(Side::B, |b, now| b.send(now, b"pong!")).unwrap();
            p.run(100);
            Side::A
        }
        (State::FinWait1, 0) => {
            handshake(&mut p);
            p.with(Side::A, |a, now| a.close(now)).unwrap();
            Side::A
        }
        // The FIN rides on data.
        (State::FinWait1, 1) => {
            handshake(&mut p);
            p.with(Side::A, |a, now| a.send(now, b"last words"))
                .unwrap();
            p.with(Side::A, |a, now| a.close(now)).unwrap();
            Side::A
        }
        // CLOSE in SYN-RECEIVED (§3.10.4): FIN right away, the SYN still unacknowledged.
        (State::FinWait1, _) => {
            p.with(Side::B, |b, _| b.open_passive(None)).unwrap();
            p.with(Side::A, |a, now| a.open_active(now, ADDR_B))
                .unwrap();
            deliver_to(&mut p, Side::B);
            p.with(Side::B, |b, now| b.close(now)).unwrap();
            Side::B
        }
        (State::FinWait2, _) => {
            half_close(&mut p);
            Side::A
        }
        (State::CloseWait, _) => {
            half_close(&mut p);
            Side::B
        }
        (State::Closing, _) => {
            crossing_close(&mut p);
            Side::B
        }
        (State::LastAck, _) => {
            half_close(&mut p);
            p.with(Side::B, |b, now| b.close(now)).unwrap();
            Side::B
        }
        (State::TimeWait, 0) => {
            half_close(&mut p);
            p.with(Side::B, |b, now| b.close(now)).unwrap();
            deliver_to(&mut p, Side::A);
            Side::A
        }
        // Both through CLOSING.
        (State::TimeWait, _) => {
            crossing_close(&mut p);
            deliver_to(&mut p, Side::A);
            Side::A
        }
    };
    assert_eq!(
        p.conn(side).state(),
        state,
        "route {route} to {state:?}: {:?}",
        p.log()
    );
    (p, side)
}
