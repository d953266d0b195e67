//! RFC 5961 §7's challenge-ACK limit (`Config::challenge_acks`): per connection, or one
//! budget shared by several connections, as Linux's host-wide `tcp_challenge_ack_limit` was
//! before 2016. With a shared budget one connection's challenge ACKs use up another's: what an
//! off-path attacker counted through its own connection to learn about someone else's
//! (CVE-2016-5696). With a budget per connection they do not.

mod common;

use common::{s, Setup, Tcp};
use std::time::Duration;
use synfin_tcp::{ChallengeAckLimit, Flags, SharedChallengeAcks, State};

/// An in-window RST that is not at RCV.NXT: RFC 5961 §3.2's challenge ACK, or nothing when
/// the limit holds it back. Returns whether an ACK went out.
fn challenge(t: &mut Tcp) -> bool {
    let (seq, nxt) = (t.rcv_nxt + 1, t.snd_nxt);
    let out = t.arrive(Flags::RST, seq, s(0), &[]);
    assert_eq!(
        t.conn.state(),
        State::Established,
        "a challenge never resets"
    );
    match out.as_slice() {
        [] => false,
        [ack] => {
            assert_eq!((ack.flags, ack.seq, ack.ack), (Flags::ACK, nxt, t.rcv_nxt));
            true
        }
        more => panic!("more than one segment: {more:?}"),
    }
}

fn established(limit: ChallengeAckLimit) -> Tcp {
    let mut setup = Setup::new();
    setup.cfg.challenge_acks = limit;
    setup.build(State::Established)
}

#[test]
fn without_a_limit_every_challenge_ack_goes_out() {
    let mut t = established(ChallengeAckLimit::Unlimited);
    assert!((0..100).all(|_| challenge(&mut t)));
    assert_eq!(t.conn.challenge_acks_withheld(), 0);
}

#[test]
fn a_limit_per_connection_holds_back_what_exceeds_it_until_the_period_ends() {
    let per = Duration::from_secs(1);
    let mut t = established(ChallengeAckLimit::PerConnection { count: 2, per });
    assert_eq!(
        [challenge(&mut t), challenge(&mut t), challenge(&mut t)],
        [true, true, false]
    );
    t.now = t.now + Duration::from_millis(999);
    assert!(!challenge(&mut t), "still the same period");
    t.now = t.now + Duration::from_millis(1);
    assert_eq!(
        [challenge(&mut t), challenge(&mut t), challenge(&mut t)],
        [true, true, false]
    );
    assert_eq!(t.conn.challenge_acks_withheld(), 3);
}

/// Two connections of one host; the attacker holds the second and watches its challenge ACKs.
#[test]
fn a_shared_budget_lets_one_connection_see_another_use_it() {
    let per = Duration::from_secs(1);
    let shared = SharedChallengeAcks::new(1, per);
    let mut victim = established(ChallengeAckLimit::Shared(shared.clone()));
    let mut attacker = established(ChallengeAckLimit::Shared(shared));
    // The victim's challenge ACK (a probe the attacker spoofed at it) uses the budget...
    assert!(challenge(&mut victim));
    // ...so the attacker's own challenge, in the same period, draws nothing: it learns that
    // the probe hit the victim's window.
    assert!(!challenge(&mut attacker));
    // With one budget per connection the attacker's challenge is answered either way.
    let own = ChallengeAckLimit::PerConnection { count: 1, per };
    let (mut victim, mut attacker) = (established(own.clone()), established(own));
    assert!(challenge(&mut victim));
    assert!(challenge(&mut attacker));
}

/// A SYN in a synchronized state (§4.2) and an ACK outside the acceptable range (§5.2) draw
/// challenge ACKs too, and count against the same budget.
#[test]
fn syn_and_old_ack_challenges_count_against_the_same_budget() {
    let per = Duration::from_secs(1);
    let mut t = established(ChallengeAckLimit::PerConnection { count: 2, per });
    let (rcv, snd) = (t.rcv_nxt, t.snd_nxt);
    assert_eq!(
        t.arrive(Flags::SYN, rcv, s(0), &[]).len(),
        1,
        "SYN: challenge ACK"
    );
    let old = snd - 70_000; // below SND.UNA - MAX.SND.WND
    assert_eq!(
        t.arrive(Flags::ACK, rcv, old, &[]).len(),
        1,
        "old ACK: challenge ACK"
    );
    assert!(!challenge(&mut t), "the budget of 2 is spent");
    assert_eq!(t.conn.challenge_acks_withheld(), 1);
}
