//! The retransmission timeout of RFC 6298: SRTT / RTTVAR from one timed segment at a time,
//! Karn's algorithm (no sample from a retransmitted segment), exponential backoff.

use crate::config::Config;
use crate::seq::SeqNum;
use crate::time::Instant;
use std::time::Duration;

/// RFC 6298 (2.3): K = 4; G, the clock granularity, is taken as 1 ms.
const K: u32 = 4;
const G: Duration = Duration::from_millis(1);

#[derive(Clone, Debug)]
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
//# The RTO MUST be computed according to the algorithm in [10], including Karn's algorithm for
//# taking RTT samples (MUST-18).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
//# Because of the variability of the networks that compose an internetwork system and the wide
//# range of uses of TCP connections, the retransmission timeout (RTO) must be dynamically
//# determined.
pub(crate) struct Rto {
    srtt: Option<Duration>,
    rttvar: Duration,
    /// The current timeout, backed off by each expiry (RFC 6298 (5.5)).
    current: Duration,
    /// The segment being timed: its end sequence number and when it was first sent.
    timing: Option<(SeqNum, Instant)>,
}

impl Rto {
    /// RFC 6298 (2.1): before any sample, RTO = the initial value (1 s).
    pub fn new(cfg: &Config) -> Rto {
        Rto {
            srtt: None,
            rttvar: Duration::ZERO,
            current: cfg.initial_rto,
            timing: None,
        }
    }

    pub fn current(&self) -> Duration {
        self.current
    }

    /// A segment ending at `end` goes out for the first time; time it if nothing else is.
    pub fn on_send(&mut self, end: SeqNum, now: Instant) {
        if self.timing.is_none() {
            self.timing = Some((end, now));
        }
    }

    /// Karn: a retransmission makes the running measurement ambiguous, so drop it.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
    //# including Karn's algorithm for taking RTT samples (MUST-18).
    pub fn on_retransmit(&mut self) {
        self.timing = None;
    }

    /// RFC 6298 (5.5): double the RTO, up to the maximum (2.5).
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.2
    //# RFC 6298 describes exponential backoff of RTO values, including keeping the backed-off value
    //# until a subsequent segment with new data has been sent and acknowledged without
    //# retransmission.
    pub fn back_off(&mut self, cfg: &Config) {
        self.current = (self.current * 2).min(cfg.max_rto);
    }

    /// RFC 6298 (5.7): after a SYN timed out, data transmission starts with an RTO of 3 s
    /// if it was below that.
    pub fn after_syn_timeout(&mut self) {
        self.current = self.current.max(Duration::from_secs(3));
    }

    /// SND.UNA advanced to `una`: take a sample if the timed segment is now acknowledged.
    //= https://www.rfc-editor.org/rfc/rfc9293#section-3.8.1
    //# The RTO MUST be computed according to the algorithm in [10]
    pub fn on_ack(&mut self, una: SeqNum, now: Instant, cfg: &Config) {
        let Some((end, sent)) = self.timing else {
            return;
        };
        if end.gt(una) {
            return;
        }
        self.timing = None;
        let r = now.saturating_since(sent);
        match self.srtt {
            // (2.2) first measurement: SRTT = R, RTTVAR = R/2.
            None => {
                self.srtt = Some(r);
                self.rttvar = r / 2;
            }
            // (2.3) RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|; SRTT = 7/8 SRTT + 1/8 R.
            Some(srtt) => {
                let delta = srtt.abs_diff(r);
                self.rttvar = (self.rttvar * 3 + delta) / 4;
                self.srtt = Some((srtt * 7 + r) / 8);
            }
        }
        let srtt = self.srtt.unwrap_or(r);
        // RTO = SRTT + max(G, K*RTTVAR), kept within [min, max] (2.4, 2.5).
        self.current = (srtt + (self.rttvar * K).max(G)).clamp(cfg.min_rto, cfg.max_rto);
    }
}
