//! Why the failing scripts fail. Each script of the FreeBSD tcp-testsuite that does not pass
//! against synfin-tcp is attributed, in `differences.txt`, to one named [`Difference`]: a place
//! where FreeBSD departs from RFC 9293, where RFC 9293 leaves the choice open, or a feature
//! synfin-tcp does not have. Nothing in the endpoint was changed to make a script pass.
//!
//! An attribution is evidence, not an excuse: the script must first fail at the line the
//! attribution names, with a failure of the shape the difference predicts
//! ([`Difference::shows`]); the corpus test fails when a failing script is not attributed,
//! when an attributed script passes (the list is stale), or when a failure is at another line
//! or of another shape.

use super::report::Failure;

/// Who departs from whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// FreeBSD does something RFC 9293 does not say; synfin-tcp follows the RFC.
    FreeBsd,
    /// RFC 9293 does not say which; FreeBSD and synfin-tcp chose differently.
    Open,
    /// synfin-tcp lacks something RFC 9293 (or a companion RFC) asks for.
    Synfin,
}

impl Side {
    pub fn word(self) -> &'static str {
        match self {
            Side::FreeBsd => "FreeBSD departs from RFC 9293",
            Side::Open => "RFC 9293 leaves it open",
            Side::Synfin => "synfin-tcp lacks it",
        }
    }
}

/// A named difference between FreeBSD (as the scripts expect it) and synfin-tcp.
#[derive(Debug)]
pub struct Difference {
    pub id: &'static str,
    pub side: Side,
    /// What happens, in a sentence or two.
    pub what: &'static str,
    /// What RFC 9293 (or the RFC named) says, with its section.
    pub rfc: &'static str,
    /// The shape of the first failure this difference causes.
    shape: fn(&Failure) -> bool,
}

impl Difference {
    /// Whether `f` has the shape this difference predicts (runs of spaces in the script's
    /// line count as one).
    pub fn shows(&self, f: &Failure) -> bool {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        (self.shape)(&Failure {
            expected: norm(&f.expected),
            got: norm(&f.got),
            ..f.clone()
        })
    }
}

fn expects_nothing_gets_ack(f: &Failure) -> bool {
    f.expected.starts_with("no ") && f.got.starts_with(". ")
}

fn expects_ack_gets_other(f: &Failure) -> bool {
    f.expected.starts_with("> .") && (f.got == "nothing" || f.got.starts_with(". "))
}

/// Every difference the corpus shows.
pub const DIFFERENCES: &[Difference] = &[
    Difference {
        id: "bsd-silent-on-ack-below-rcv-nxt",
        side: Side::FreeBsd,
        what: "The scripts acknowledge our FIN with SEQ one below RCV.NXT (the sequence number \
               of their own FIN). FreeBSD trims the segment to the window, takes its ACK \
               (LAST-ACK closes, CLOSING enters TIME-WAIT) and sends nothing; synfin-tcp finds \
               the segment unacceptable, answers with an ACK and drops it, ACK field unread.",
        rfc: "RFC 9293 §3.10.7.4, first (Table 6): a zero-length segment is acceptable only if \
              RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND; otherwise \"an acknowledgment should be \
              sent in reply\" and the segment dropped.",
        shape: expects_nothing_gets_ack,
    },
    Difference {
        id: "bsd-closing-ack-repeats-fin",
        side: Side::FreeBsd,
        what: "While its FIN is unacknowledged (CLOSING), every ACK FreeBSD sends repeats the FIN \
               at its own sequence number (F. with SEQ = SND.NXT-1); synfin-tcp sends a plain \
               ACK at SND.NXT.",
        rfc: "RFC 9293 §3.10.7.4: the acknowledgment is <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; \
              the FIN is repeated only by the retransmission timer (§3.8.1).",
        shape: |f| f.expected.starts_with("> F.") && f.got.starts_with(". "),
    },
    Difference {
        id: "rcv-wnd-beyond-advertised",
        side: Side::Open,
        what: "FreeBSD's receive window is its buffer space, 65,700 octets (the scripts' 65,536 \
               rounded up to 45 segments of 1,460, as getsockopt(SO_RCVBUF) shows), more than \
               the 65,535 it can advertise without window scaling. A RST or SYN at the scripts' \
               right edge, RCV.NXT+65,699, is inside FreeBSD's window and outside synfin-tcp's, \
               whose RCV.WND is what it advertised.",
        rfc: "RFC 9293 §3.3.1 and §3.10.7.4 (Table 6) test against RCV.WND; the window a \
              segment carries is \"the range of sequence numbers the sender of the window ... \
              is currently prepared to accept\" (§3.8.6), which says nothing against accepting \
              more when the field cannot carry the whole buffer (that needs RFC 7323 scaling).",
        shape: |f| {
            (f.expected.starts_with("SO_ERROR") && f.got == "SO_ERROR 0")
                || (f.expected.starts_with("> .") && f.got == "nothing")
                || (f.expected.starts_with("> R.") && f.got.starts_with(". "))
        },
    },
    Difference {
        id: "rst-form-for-in-window-syn",
        side: Side::Open,
        what: "Under the RFC 793 rules (insecure_syn=1), an in-window SYN in a synchronized \
               state is answered with a RST. FreeBSD's is <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>; \
               synfin-tcp forms it from the offending segment: <SEQ=SEG.ACK><CTL=RST>, or \
               <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> when it has no ACK.",
        rfc: "RFC 9293 §3.10.7.4, fourth (RFC 793 behaviour): \"If the SYN is in the window it \
              is an error: send a reset\", without its form; §3.10.7.1 gives the form above \
              for a reset that answers a segment. It is the form a peer in SYN-SENT accepts \
              (its ACK acknowledges the new SYN), the case the rule is for: a peer that lost \
              its connection and opens again (Figure 9); FreeBSD's is only accepted by a \
              peer that still holds the old connection.",
        shape: |f| f.expected.starts_with("> R") && f.got.starts_with('R'),
    },
    Difference {
        id: "bsd-synack-at-listener-dropped",
        side: Side::FreeBsd,
        what: "FreeBSD drops a SYN,ACK that reaches a listening socket without a word; \
               synfin-tcp resets it.",
        rfc: "RFC 9293 §3.10.7.2, LISTEN, second: \"Any acknowledgment is bad if it arrives on \
              a connection still in the LISTEN state. An acceptable reset segment should be \
              formed for any arriving ACK-bearing segment\": <SEQ=SEG.ACK><CTL=RST>.",
        shape: |f| f.expected.starts_with("no ") && f.got.starts_with("R "),
    },
    Difference {
        id: "bsd-drop-synfin",
        side: Side::FreeBsd,
        what: "With net.inet.tcp.drop_synfin=1 (the \"dropping-enabled\" scripts) FreeBSD drops \
               any segment with both SYN and FIN; synfin-tcp takes the SYN (and answers it).",
        rfc: "RFC 9293 §3.10.7.2 and §3.10.7.3 process the SYN, then the FIN; no rule drops the \
              pair.",
        shape: |f| f.got.starts_with("S."),
    },
    Difference {
        id: "bsd-fin-deferred-in-syn-received",
        side: Side::FreeBsd,
        what: "close() in SYN-RECEIVED: FreeBSD waits for ESTABLISHED before it sends its FIN; \
               synfin-tcp sends the FIN at once and enters FIN-WAIT-1.",
        rfc: "RFC 9293 §3.10.4, CLOSE, SYN-RECEIVED: \"If no SENDs have been issued and there \
              is no pending data to send, then form a FIN segment and send it, and enter \
              FIN-WAIT-1 state\".",
        shape: |f| f.expected.starts_with("no ") && f.got.starts_with("F."),
    },
    Difference {
        id: "bsd-time-wait-answers-everything",
        side: Side::FreeBsd,
        what: "In TIME-WAIT FreeBSD answers every segment that is not an exact duplicate ACK \
               with an ACK at the old RCV.NXT, inside the window or not, FIN or not; \
               synfin-tcp drops an acceptable segment without ACK bit or with nothing new, \
               and processes a FIN at RCV.NXT (RCV.NXT advances over it).",
        rfc: "RFC 9293 §3.10.7.4: fifth, \"if the ACK bit is off, drop the segment\"; eighth, \
              a FIN at RCV.NXT in TIME-WAIT advances RCV.NXT, is acknowledged and restarts \
              the 2 MSL timeout.",
        shape: expects_ack_gets_other,
    },
    Difference {
        id: "synfin-syn-text-not-queued",
        side: Side::Synfin,
        what: "Text on a SYN that reaches SYN-SENT (simultaneous open) is dropped; FreeBSD \
               keeps it and delivers it once ESTABLISHED.",
        rfc: "RFC 9293 §3.10.7.3, SYN-SENT, fourth: \"If there are other controls or text in \
              the segment, queue them for processing after the ESTABLISHED state has been \
              reached\".",
        shape: |f| f.expected == "3" && f.got == "-1",
    },
    Difference {
        id: "synfin-no-fast-retransmit",
        side: Side::Synfin,
        what: "synfin-tcp retransmits only on its timer; after three duplicate ACKs FreeBSD \
               retransmits at once (data transfer, not connection management).",
        rfc: "RFC 5681 §3.2: the sender SHOULD retransmit after three duplicate ACKs (fast \
              retransmit). RFC 9293 §3.8.2 refers to RFC 5681; its MUST-19 names slow start, \
              congestion avoidance and RTO backoff, not fast retransmit.",
        shape: |f| f.expected.starts_with("> .") && f.got == "nothing",
    },
];

/// The attribution, one script per line: `difference path line`.
const ATTRIBUTION: &str = include_str!("differences.txt");

/// One attribution: the script, the difference it shows, and the line where it first fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attribution {
    pub path: &'static str,
    pub id: &'static str,
    pub lineno: usize,
}

/// Every attributed script, in file order. A line that does not parse has `lineno` 0, which
/// no failure has.
pub fn attributions() -> Vec<Attribution> {
    ATTRIBUTION
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (id, path) = (f.next()?, f.next()?);
            let lineno = f.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            Some(Attribution { path, id, lineno })
        })
        .collect()
}

/// The difference a script is attributed to, and the line where it must fail.
pub fn attributed(path: &str) -> Option<(&'static Difference, usize)> {
    let a = attributions().into_iter().find(|a| a.path == path)?;
    DIFFERENCES
        .iter()
        .find(|d| d.id == a.id)
        .map(|d| (d, a.lineno))
}
