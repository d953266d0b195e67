//! Knobs of an endpoint: which RFC behaviour to follow, timer constants, buffer sizes.

use std::time::Duration;

/// Which reading of the synchronized-state RST / SYN / ACK rules to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// RFC 9293 with the RFC 5961 mitigations: RST only at exactly RCV.NXT, else a challenge
    /// ACK (§3); any SYN in a synchronized state draws a challenge ACK (§4); ACKs older than
    /// SND.UNA - MAX.SND.WND are dropped with an ACK (§5).
    #[default]
    Rfc5961,
    /// The RFC 793 behaviour: any in-window RST resets, an in-window SYN resets the
    /// connection, any old ACK is ignored.
    Rfc793,
}

/// Configuration of one endpoint. `Config::default()` follows RFC 9293 and RFC 6298.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// RFC 5961 (default) or RFC 793 handling of RST, SYN and old ACKs in synchronized states.
    pub profile: Profile,
    /// RFC 1337: ignore RST in TIME-WAIT (on by default).
    pub rfc1337: bool,
    /// Maximum segment lifetime; TIME-WAIT lasts 2*MSL (RFC 9293 §3.4.2: 2 minutes).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.2
    //# For this specification the MSL is taken to be 2 minutes. This is an engineering choice, and
    //# may be changed if experience indicates it is desirable to do so.
    pub msl: Duration,
    /// RFC 6298 (2.1): the RTO before any RTT sample, 1 second.
    pub initial_rto: Duration,
    /// RFC 6298 (2.4): the RTO is never below 1 second.
    pub min_rto: Duration,
    /// RFC 6298 (2.5): a maximum of at least 60 seconds.
    pub max_rto: Duration,
    /// Retransmissions of a SYN before giving up. RFC 9293 §3.8.3 (MUST-23): R2 for a SYN
    /// must cover at least 3 minutes; 7 backed-off retries from 1 s (with the 60 s ceiling)
    /// give up after 183 s.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# In particular, R2 for a SYN segment MUST be set large enough to provide retransmission of
    //# the segment for at least 3 minutes (MUST-23).
    pub syn_retries: u32,
    /// Retransmissions of other segments before giving up. RFC 9293 §3.8.3 (MUST-20, the
    /// procedure; SHLD-11: R2 at least 100 seconds): 10 retries from 1 s with the 60 s ceiling
    /// give up after 363 s.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# An application MUST (MUST-21) be able to set the value for R2 for a particular connection.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
    //# The value of R2 SHOULD correspond to at least 100 seconds (SHLD-11).
    pub retries: u32,
    /// The MSS we announce on our SYN (RFC 9293 §3.7.1).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.7.1
    //= type=exception
    //= reason=sans-IO: no IP layer gives MMS_R; the embedder sets Config::mss within it
    //# The MSS value to be sent in an MSS Option must be less than or equal to: MMS_R - 20 where
    //# MMS_R is the maximum size for a transport-layer message that can be received (and
    //# reassembled at the IP layer) (MUST-67).
    pub mss: u16,
    /// Receive buffer size in octets; RCV.WND is what is left of it.
    pub recv_buffer: u16,
    /// Send buffer size in octets; SEND beyond it is refused with `InsufficientResources`.
    pub send_buffer: usize,
    /// RFC 5961 §7: how many challenge ACKs may go out (default: no limit).
    pub challenge_acks: crate::challenge::ChallengeAckLimit,
}

/// Deliberately broken behaviours, for tests of the conformance harness only: each makes
/// the endpoint break a rule the model's properties exist to check (one behaviour the healthy
/// endpoint never has), so that a test can see the harness report it. All off by default.
///
/// They are not a `Config` field: `Config` is built field by field elsewhere, and a bug must
/// not be one `..Default::default()` away. They are switched on for the current thread only,
/// for the length of a closure: [`with_test_bugs`]. Never use them outside such a test.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestBugs {
    /// In SYN-RECEIVED and the synchronized states, act on any RST whatever its SEQ: no
    /// window test, no RFC 5961 exact-match test (an old RST then ends a live connection).
    pub accept_any_rst: bool,
    /// In SYN-RECEIVED, complete the handshake on any segment with the ACK bit (and neither
    /// SYN nor RST), without the sequence number test or the check that it acknowledges our
    /// SYN (an old duplicate then completes a connection: Figure 8's defence gone).
    pub unchecked_handshake_ack: bool,
}

thread_local! {
    static TEST_BUGS: std::cell::Cell<TestBugs> = const {
        std::cell::Cell::new(TestBugs {
            accept_any_rst: false,
            unchecked_handshake_ack: false,
        })
    };
}

/// Runs `f` with `bugs` switched on for every connection on this thread (test-only; see
/// [`TestBugs`]); they are off again afterwards, also if `f` panics.
#[doc(hidden)]
pub fn with_test_bugs<R>(bugs: TestBugs, f: impl FnOnce() -> R) -> R {
    struct Restore(TestBugs);
    impl Drop for Restore {
        fn drop(&mut self) {
            TEST_BUGS.with(|b| b.set(self.0));
        }
    }
    let _restore = Restore(TEST_BUGS.with(|b| b.replace(bugs)));
    f()
}

/// The bugs switched on for this thread (all off outside [`with_test_bugs`]).
pub(crate) fn test_bugs() -> TestBugs {
    TEST_BUGS.with(|b| b.get())
}

impl Default for Config {
    fn default() -> Config {
        Config {
            profile: Profile::Rfc5961,
            rfc1337: true,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.2
            //# For this specification the MSL is taken to be 2 minutes.
            msl: Duration::from_secs(120),
            initial_rto: Duration::from_secs(1),
            min_rto: Duration::from_secs(1),
            max_rto: Duration::from_secs(60),
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
            //# R2 for a SYN segment MUST be set large enough to provide retransmission of the
            //# segment for at least 3 minutes (MUST-23).
            syn_retries: 7,
            //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.3
            //# The value of R2 SHOULD correspond to at least 100 seconds (SHLD-11).
            retries: 10,
            mss: 1460,
            recv_buffer: 65535,
            send_buffer: 65536,
            challenge_acks: crate::challenge::ChallengeAckLimit::Unlimited,
        }
    }
}
