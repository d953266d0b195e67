//! The read-only views of a `Connection`: its configuration and its receive queue.

mod common;

use common::*;
use std::time::Duration;
use synfin_tcp::pair::ADDR_A;
use synfin_tcp::{Config, Connection, FixedIsn, Profile, State};

/// `config()` returns the configuration the connection was made with, and a profile switch
/// shows in it.
#[test]
fn config_returns_the_configuration_given() {
    let cfg = Config {
        profile: Profile::Rfc793,
        rfc1337: false,
        msl: Duration::from_secs(30),
        initial_rto: Duration::from_secs(2),
        min_rto: Duration::from_millis(200),
        max_rto: Duration::from_secs(120),
        syn_retries: 3,
        retries: 5,
        mss: 536,
        recv_buffer: 1000,
        send_buffer: 2000,
        challenge_acks: synfin_tcp::ChallengeAckLimit::PerConnection {
            count: 3,
            per: Duration::from_secs(1),
        },
    };
    let mut conn = Connection::with_isn(cfg.clone(), ADDR_A, FixedIsn(ISS));
    assert_eq!(conn.config(), &cfg);
    conn.set_profile(Profile::Rfc5961);
    assert_eq!(
        conn.config(),
        &Config {
            profile: Profile::Rfc5961,
            ..cfg
        }
    );
}

/// In-sequence text goes to the receive queue (RFC 9293 §3.10.7.4, seventh step) until
/// RECEIVE takes it (§3.10.3); RCV.WND is the buffer's free space.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.4
//# Once the TCP endpoint takes responsibility for the data, it advances RCV.NXT over the data
//# accepted, and adjusts RCV.WND as appropriate to the current buffer availability.
#[test]
fn recv_queue_len_counts_received_unread_octets() {
    let mut t = Setup::new().recv_buffer(100).build(State::Established);
    assert_eq!(t.conn.recv_queue_len(), 0);
    t.arrive(ACK, s(IRS + 1), s(ISS + 1), b"hello");
    assert_eq!(t.conn.recv_queue_len(), 5);
    t.arrive(ACK, s(IRS + 6), s(ISS + 1), b"world!");
    assert_eq!(t.conn.recv_queue_len(), 11);
    assert_eq!(t.conn.tcb().rcv_wnd, 89);
    let mut buf = [0u8; 4];
    assert_eq!(t.conn.recv(&mut buf), Ok(4));
    assert_eq!(&buf, b"hell");
    assert_eq!(t.conn.recv_queue_len(), 7);
    assert_eq!(t.read_all(), b"oworld!");
    assert_eq!(t.conn.recv_queue_len(), 0);
}
