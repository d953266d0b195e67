//! The Linux kernel's TCP where RFC 9293 (and RFC 5961) leave a choice or where it departs
//! from them, observed by crafting segments through the TUN device of a private network
//! namespace (nothing leaves it), as `smoltcp_profile.rs` does for smoltcp. Each test pins what
//! the running kernel does, names the rule it is measured against, and feeds the same
//! segments to synfin-tcp standing in the kernel's place (a passive `Connection` with the
//! kernel's address and ISN), in both profiles, to say what synfin does in the same case.
//!
//! Skips with a printed reason where namespaces or TUN are not available; fails instead when
//! `SYNFIN_REQUIRE_KERNEL=1`. Observed on Linux 6.18 (each test prints `uname -r`).

use std::io::{ErrorKind, Read};
use std::net::{SocketAddrV4, TcpListener, TcpStream};
use std::time::{Duration, Instant as Wall};
use synfin_peers::kernel::{Kernel, KERNEL_IP, OURS_IP};
use synfin_tcp::{
    Config, Connection, FixedIsn, Flags, Instant, Packet, Profile, Segment, SeqNum, State,
};

mod common;
use common::linux::{in_netns, inject, kernel_socket, replies, replies_to, sysctl, SockInfo};

/// Our side: crafted segments come from here.
const OURS: SocketAddrV4 = SocketAddrV4::new(OURS_IP, 40000);
/// The kernel's listening socket.
const LINUX: SocketAddrV4 = SocketAddrV4::new(KERNEL_IP, 8080);
/// Our ISN.
const ISS: SeqNum = SeqNum(1000);
/// How long we listen for the kernel's answer to one probe. Its answers here are immediate;
/// the delayed-ACK timer (at most 200 ms) would also fit.
const WAIT: Duration = Duration::from_millis(300);

/// synfin-tcp in the kernel's place: a passive connection at the kernel's address with the
/// kernel's ISN, fed every segment we send the kernel.
struct Shadow {
    c: Connection,
    /// What it sent in answer to the last segment.
    out: Vec<Segment>,
}

/// A connection between crafted segments (our side, ISN 1000) and the kernel.
struct Probe {
    k: Kernel,
    start: Wall,
    listener: TcpListener,
    /// The kernel's end, once accepted.
    stream: Option<TcpStream>,
    /// The kernel's ISN, from its SYN-ACK.
    irs: SeqNum,
    rfc5961: Shadow,
    rfc793: Shadow,
}

fn seg(flags: Flags, seq: SeqNum, ack: SeqNum) -> Segment {
    Segment {
        seq,
        ack,
        flags,
        window: 65535,
        ..Segment::default()
    }
}

/// `seq` plus `n`, for offsets below it too.
fn at(seq: SeqNum, n: i64) -> SeqNum {
    SeqNum(seq.0.wrapping_add(n as u32))
}

fn uname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .unwrap_or_default()
        .trim()
        .to_string()
}

impl Probe {
    /// Our SYN reaches the listening kernel, which answers SYN-ACK: the kernel (and both
    /// shadows) are in SYN-RECEIVED.
    fn syn_received(mut k: Kernel) -> Probe {
        println!("Linux {}", uname());
        let listener = TcpListener::bind(LINUX).unwrap();
        let start = Wall::now();
        let syn = Segment {
            mss: Some(1460),
            ..seg(Flags::SYN, ISS, SeqNum(0))
        };
        inject(&mut k, OURS, LINUX, syn.clone());
        let got = replies(&mut k, LINUX, OURS, WAIT);
        assert!(
            got.len() == 1 && got[0].flags == Flags::SYN | Flags::ACK && got[0].ack == at(ISS, 1),
            "the kernel's SYN-ACK: {got:?}"
        );
        let irs = got[0].seq;
        let shadow = |profile| {
            let cfg = Config {
                profile,
                ..Config::default()
            };
            let mut c = Connection::with_isn(cfg, LINUX, FixedIsn(irs.0));
            c.open_passive(None).unwrap();
            Shadow { c, out: Vec::new() }
        };
        let mut p = Probe {
            k,
            start,
            listener,
            stream: None,
            irs,
            rfc5961: shadow(Profile::Rfc5961),
            rfc793: shadow(Profile::Rfc793),
        };
        p.feed_shadows(&syn);
        for s in [&p.rfc5961, &p.rfc793] {
            assert_eq!(s.c.state(), State::SynReceived);
            assert_eq!(s.out.len(), 1, "the shadow's SYN-ACK: {:?}", s.out);
            assert_eq!(s.out[0].seq, irs);
        }
        p
    }

    /// ... then our ACK completes the handshake and the application accepts the connection.
    fn established(k: Kernel) -> Probe {
        let mut p = Probe::syn_received(k);
        let irs = p.irs;
        let got = p.exchange(seg(Flags::ACK, at(ISS, 1), at(irs, 1)));
        assert!(got.is_empty(), "{got:?}");
        p.accept();
        assert_eq!(p.linux().state, "ESTABLISHED");
        assert_eq!(p.rfc5961.c.state(), State::Established);
        assert_eq!(p.rfc793.c.state(), State::Established);
        p
    }

    fn accept(&mut self) {
        self.listener.set_nonblocking(true).unwrap();
        let by = Wall::now() + Duration::from_secs(5);
        let s = loop {
            match self.listener.accept() {
                Ok((s, _)) => break s,
                Err(_) if Wall::now() < by => std::thread::sleep(Duration::from_millis(2)),
                Err(e) => panic!("accept: {e}"),
            }
        };
        s.set_nonblocking(false).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        self.stream = Some(s);
    }

    fn now(&self) -> Instant {
        Instant::from_epoch(self.start.elapsed())
    }

    fn feed_shadows(&mut self, s: &Segment) {
        let now = self.now();
        let p = Packet {
            src: OURS,
            dst: LINUX,
            segment: s.clone(),
        };
        for sh in [&mut self.rfc5961, &mut self.rfc793] {
            sh.c.handle_packet(now, &p).unwrap();
            sh.out.clear();
            while let Some(o) = sh.c.poll_transmit() {
                sh.out.push(o.segment);
            }
        }
    }

    /// Sends `s` to the kernel and to the shadows, without waiting.
    fn send(&mut self, s: Segment) {
        inject(&mut self.k, OURS, LINUX, s.clone());
        self.feed_shadows(&s);
    }

    /// What the kernel sends us during the next [`WAIT`], but for retransmissions of its
    /// SYN-ACK (its first comes 1 s after the SYN: possible on a slow machine).
    fn replies(&mut self) -> Vec<Segment> {
        let mut got = replies(&mut self.k, LINUX, OURS, WAIT);
        got.retain(|s| !(s.flags.syn() && s.seq == self.irs));
        got
    }

    /// Sends `s` and returns the kernel's answers.
    fn exchange(&mut self, s: Segment) -> Vec<Segment> {
        self.send(s);
        self.replies()
    }

    /// The kernel's socket for this connection.
    fn linux(&self) -> SockInfo {
        kernel_socket(LINUX.port(), OURS.port()).expect("the kernel's socket")
    }

    /// The kernel's segments (or a shadow's), SEQ relative to the kernel's ISN and ACK to
    /// ours, in RFC 9293 notation: `<SEQ=1><ACK=1><CTL=ACK>` (but a reset's `SEQ=0` as is).
    fn rel(&self, segs: &[Segment]) -> Vec<String> {
        segs.iter()
            .map(|s| {
                // A reset without a TCB answers a segment without ACK with SEQ=0: absolute.
                let absolute = s.flags.rst() && s.seq == SeqNum(0);
                Segment {
                    seq: if absolute {
                        s.seq
                    } else {
                        SeqNum(s.seq.since(self.irs))
                    },
                    ack: SeqNum(s.ack.since(ISS)),
                    ..s.clone()
                }
                .to_string()
            })
            .collect()
    }

    /// Prints what each side did, and returns (Linux, synfin Rfc5961, synfin Rfc793).
    fn report(&self, what: &str, linux: &[Segment]) -> [Vec<String>; 3] {
        let r = [
            self.rel(linux),
            self.rel(&self.rfc5961.out),
            self.rel(&self.rfc793.out),
        ];
        println!(
            "{what}\n  linux ({:?}): {:?}\n  synfin Rfc5961 ({}): {:?}\n  synfin Rfc793 ({}): {:?}",
            kernel_socket(LINUX.port(), OURS.port()).map(|s| s.state),
            r[0],
            self.rfc5961.c.state(),
            r[1],
            self.rfc793.c.state(),
            r[2]
        );
        r
    }

    /// The kernel's application closes first (its FIN), we answer with FIN,ACK: the kernel
    /// and both shadows end in TIME-WAIT.
    fn time_wait(k: Kernel) -> Probe {
        let mut p = Probe::established(k);
        drop(p.stream.take());
        let now = p.now();
        for sh in [&mut p.rfc5961, &mut p.rfc793] {
            sh.c.close(now).unwrap();
            while sh.c.poll_transmit().is_some() {}
        }
        let got = p.replies();
        assert_eq!(p.rel(&got), ["<SEQ=1><ACK=1><CTL=FIN,ACK>"]);
        let irs = p.irs;
        let got = p.exchange(seg(Flags::FIN | Flags::ACK, at(ISS, 1), at(irs, 2)));
        let [linux, ours, _] = p.report("our FIN,ACK after the kernel's FIN", &got);
        assert_eq!(linux, ["<SEQ=2><ACK=2><CTL=ACK>"]);
        assert_eq!(linux, ours);
        assert_eq!(p.linux().state, "TIME-WAIT");
        assert_eq!(p.rfc5961.c.state(), State::TimeWait);
        assert_eq!(p.rfc793.c.state(), State::TimeWait);
        p
    }
}

/// (1) RFC 5961 §3.2: a RST inside the window but not exactly at RCV.NXT draws a challenge ACK
/// `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>` and leaves the connection alone. RFC 9293 §3.10.7.4
/// (second step) calls it an "optional mitigation approach" and keeps the RFC 793 rule (reset
/// on any in-window RST) for stacks without it. Linux sends the challenge ACK and stays ESTABLISHED, as synfin's default
/// `Rfc5961` profile does; the `Rfc793` profile resets (as smoltcp does).
#[test]
fn in_window_rst_not_at_rcv_nxt_draws_a_challenge_ack() {
    in_netns("in_window_rst_not_at_rcv_nxt_draws_a_challenge_ack", |k| {
        let mut p = Probe::established(k);
        let got = p.exchange(seg(Flags::RST, at(ISS, 11), SeqNum(0)));
        let [linux, rfc5961, rfc793] = p.report("RST at RCV.NXT+10 in ESTABLISHED", &got);
        assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
        assert_eq!(p.linux().state, "ESTABLISHED");
        assert_eq!(rfc5961, linux);
        assert_eq!(p.rfc5961.c.state(), State::Established);
        assert!(rfc793.is_empty());
        assert_eq!(p.rfc793.c.state(), State::Closed);
    });
}

/// (2) RFC 9293 §3.10.7.4 (second, check the RST bit) and RFC 5961 §3.2: a RST exactly at
/// RCV.NXT resets the connection; nothing is sent. Linux, and synfin in both profiles, enter
/// CLOSED; the application's next read fails with "connection reset".
#[test]
fn rst_at_rcv_nxt_resets() {
    in_netns("rst_at_rcv_nxt_resets", |k| {
        let mut p = Probe::established(k);
        let got = p.exchange(seg(Flags::RST, at(ISS, 1), SeqNum(0)));
        let [linux, rfc5961, rfc793] = p.report("RST at RCV.NXT in ESTABLISHED", &got);
        assert!(linux.is_empty() && rfc5961.is_empty() && rfc793.is_empty());
        assert_eq!(kernel_socket(LINUX.port(), OURS.port()), None);
        let err = p.stream.as_mut().unwrap().read(&mut [0u8; 8]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset);
        assert_eq!(p.rfc5961.c.state(), State::Closed);
        assert_eq!(p.rfc793.c.state(), State::Closed);
    });
}

/// (3) RFC 5961 §4.2: a SYN in a synchronized state draws a challenge ACK whatever its
/// sequence number (RFC 9293 §3.10.7.4, fourth step, for stacks implementing RFC 5961; RFC 793
/// reset the connection for an in-window SYN). Linux sends the challenge ACK and stays ESTABLISHED, as
/// synfin's `Rfc5961` profile does; `Rfc793` answers with a RST and enters CLOSED (smoltcp
/// drops the SYN silently).
#[test]
fn syn_in_established_draws_a_challenge_ack() {
    in_netns("syn_in_established_draws_a_challenge_ack", |k| {
        let mut p = Probe::established(k);
        let got = p.exchange(seg(Flags::SYN, at(ISS, 101), SeqNum(0)));
        let [linux, rfc5961, rfc793] = p.report("SYN at RCV.NXT+100 in ESTABLISHED", &got);
        assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
        assert_eq!(p.linux().state, "ESTABLISHED");
        assert_eq!(rfc5961, linux);
        assert_eq!(p.rfc5961.c.state(), State::Established);
        assert_eq!(rfc793, ["<SEQ=0><ACK=102><CTL=RST,ACK>"]);
        assert_eq!(p.rfc793.c.state(), State::Closed);
    });
}

/// (4) RFC 9293 §3.10.7.4, fifth step, SYN-RECEIVED: "If the segment acknowledgment is not
/// acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST> and send it." Linux sends that RST
/// for an ACK of something not yet sent, and keeps the half-open connection: the right ACK
/// after it still completes the handshake. synfin's `Rfc793` profile does the same. Its
/// `Rfc5961` profile applies the RFC 5961 §5.2 ACK check first (RFC 9293 puts it before the
/// per-state rules, MAY-12): SEG.ACK > SND.NXT is discarded with an ACK, not a RST.
#[test]
fn unacceptable_ack_in_syn_received_draws_a_reset() {
    in_netns("unacceptable_ack_in_syn_received_draws_a_reset", |k| {
        let mut p = Probe::syn_received(k);
        let irs = p.irs;
        let got = p.exchange(seg(Flags::ACK, at(ISS, 1), at(irs, 1001)));
        let [linux, rfc5961, rfc793] = p.report("ACK of ISS+1001 in SYN-RECEIVED", &got);
        assert_eq!(linux, ["<SEQ=1001><CTL=RST>"]);
        assert_eq!(p.linux().state, "SYN-RECEIVED");
        assert_eq!(rfc793, linux);
        assert_eq!(rfc5961, ["<SEQ=1><ACK=1><CTL=ACK>"]);
        assert_eq!(p.rfc5961.c.state(), State::SynReceived);
        assert_eq!(p.rfc793.c.state(), State::SynReceived);
        // The half-open connection survived the RST.
        let got = p.exchange(seg(Flags::ACK, at(ISS, 1), at(irs, 1)));
        assert!(got.is_empty(), "{got:?}");
        p.accept();
        assert_eq!(p.linux().state, "ESTABLISHED");
        assert_eq!(p.rfc5961.c.state(), State::Established);
        assert_eq!(p.rfc793.c.state(), State::Established);
    });
}

/// (4, continued) RFC 9293 §3.10.7.4 checks the sequence number first: in SYN-RECEIVED an
/// unacceptable segment (not a RST) draws `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>` and is dropped
/// before the ACK field is looked at. Linux checks the ACK first (`tcp_check_req` hands a
/// wrong ACK to the listener, which resets), so a segment far outside the window with a wrong
/// ACK still draws `<SEQ=SEG.ACK><CTL=RST>`. synfin (both profiles) follows the RFC's order
/// and answers with an ACK.
#[test]
fn unacceptable_ack_in_syn_received_resets_before_the_sequence_check() {
    in_netns(
        "unacceptable_ack_in_syn_received_resets_before_the_sequence_check",
        |k| {
            let mut p = Probe::syn_received(k);
            let irs = p.irs;
            let got = p.exchange(seg(Flags::ACK, at(ISS, 200_001), at(irs, 1001)));
            let [linux, rfc5961, rfc793] = p.report(
                "ACK of ISS+1001 with SEQ=RCV.NXT+200000 in SYN-RECEIVED",
                &got,
            );
            assert_eq!(linux, ["<SEQ=1001><CTL=RST>"]);
            assert_eq!(p.linux().state, "SYN-RECEIVED");
            assert_eq!(rfc5961, ["<SEQ=1><ACK=1><CTL=ACK>"]);
            assert_eq!(rfc793, rfc5961);
        },
    );
}

/// (5) RFC 9293 §3.10.7.4, first step: a segment below the window (here data-less, SEQ =
/// RCV.NXT - 100, an old duplicate) is not acceptable: "an acknowledgment should be sent in
/// reply" `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`, and the segment dropped. Linux sends that
/// duplicate ACK (rate-limited per socket, `tcp_invalid_ratelimit`), as synfin does in both
/// profiles.
#[test]
fn old_duplicate_below_the_window_draws_a_duplicate_ack() {
    in_netns(
        "old_duplicate_below_the_window_draws_a_duplicate_ack",
        |k| {
            let mut p = Probe::established(k);
            let irs = p.irs;
            let got = p.exchange(seg(Flags::ACK, at(ISS, -99), at(irs, 1)));
            let [linux, rfc5961, rfc793] =
                p.report("ACK with SEQ=RCV.NXT-100 in ESTABLISHED", &got);
            assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
            assert_eq!(p.linux().state, "ESTABLISHED");
            assert_eq!(rfc5961, linux);
            assert_eq!(rfc793, linux);
        },
    );
}

/// (5, continued) RFC 5961 §5.2 (RFC 9293 §3.10.7.4, fifth step, MAY-12): an ACK field below
/// SND.UNA - MAX.SND.WND is discarded and an ACK sent back. Linux does so (a challenge ACK);
/// synfin's `Rfc5961` profile too; `Rfc793` ignores the old ACK ("it can be ignored").
#[test]
fn ack_below_snd_una_minus_max_snd_wnd_draws_a_challenge_ack() {
    in_netns(
        "ack_below_snd_una_minus_max_snd_wnd_draws_a_challenge_ack",
        |k| {
            let mut p = Probe::established(k);
            let irs = p.irs;
            let got = p.exchange(seg(Flags::ACK, at(ISS, 1), at(irs, -99_999)));
            let [linux, rfc5961, rfc793] =
                p.report("ACK=SND.UNA-100000 in ESTABLISHED (window 65535)", &got);
            assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
            assert_eq!(p.linux().state, "ESTABLISHED");
            assert_eq!(rfc5961, linux);
            assert!(rfc793.is_empty());
        },
    );
}

/// (5, continued) RFC 9293 §3.10.7.4, fifth step, ESTABLISHED: "If the ACK acks something not
/// yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and return" (and RFC 5961
/// §5.2 the same). Linux 6.18 sends it, as a challenge ACK (so rate-limited), as synfin does in
/// both profiles. Kernels before the fix "tcp: send a challenge ACK on SEG.ACK > SND.NXT"
/// (upstream 7.1-rc1; the 6.18.y stable tree has it) dropped the segment silently
/// (`SKB_DROP_REASON_TCP_ACK_UNSENT_DATA`): on such a kernel this test fails.
#[test]
fn ack_of_unsent_data_in_established_draws_an_ack() {
    in_netns("ack_of_unsent_data_in_established_draws_an_ack", |k| {
        let mut p = Probe::established(k);
        let irs = p.irs;
        let got = p.exchange(seg(Flags::ACK, at(ISS, 1), at(irs, 1001)));
        let [linux, rfc5961, rfc793] = p.report("ACK=SND.NXT+1000 in ESTABLISHED", &got);
        assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
        assert_eq!(p.linux().state, "ESTABLISHED");
        assert_eq!(rfc5961, linux);
        assert_eq!(rfc793, linux);
    });
}

/// (5, continued) RFC 5961 §5.2 accepts SEG.ACK down to SND.UNA - MAX.SND.WND, MAX.SND.WND
/// being the largest window the peer offered. Linux caps that window at the octets the peer
/// has acknowledged so far (`tcp_ack`: `min(max_window, bytes_acked)`), so before any data an
/// ACK just below SND.UNA (here SND.UNA - 100, below the kernel's ISN: never sent) draws a
/// challenge ACK. synfin's `Rfc5961` profile takes MAX.SND.WND as is (65535 here): the ACK is
/// a duplicate, ignored without an answer, as in `Rfc793`.
#[test]
fn ack_below_snd_una_before_any_data_draws_a_challenge_ack() {
    in_netns(
        "ack_below_snd_una_before_any_data_draws_a_challenge_ack",
        |k| {
            let mut p = Probe::established(k);
            let irs = p.irs;
            let got = p.exchange(seg(Flags::ACK, at(ISS, 1), at(irs, -99)));
            let [linux, rfc5961, rfc793] =
                p.report("ACK=SND.UNA-100 in ESTABLISHED, no data sent", &got);
            assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
            assert_eq!(p.linux().state, "ESTABLISHED");
            assert!(rfc5961.is_empty() && rfc793.is_empty());
            assert_eq!(p.rfc5961.c.state(), State::Established);
        },
    );
}

/// (6) RFC 9293 §3.6.1 (MUST-13): TIME-WAIT lingers 2*MSL, with MSL 2 minutes (§3.4.2):
/// 240 s, which synfin uses. Linux holds TIME-WAIT for a fixed TCP_TIMEWAIT_LEN, 60 s
/// (include/net/tcp.h), read here from the socket's timer in `/proc/net/tcp` rather than
/// waited for; after a second it is still there, with a second less left.
#[test]
fn time_wait_lasts_sixty_seconds_not_two_msl() {
    in_netns("time_wait_lasts_sixty_seconds_not_two_msl", |k| {
        let p = Probe::time_wait(k);
        let first = p.linux();
        println!("Linux TIME-WAIT: {first:?}");
        // Timer kind 3: the TIME-WAIT timer.
        assert_eq!(first.timer, 3);
        assert!(
            first.left > Duration::from_secs(55) && first.left <= Duration::from_secs(60),
            "{first:?}"
        );
        std::thread::sleep(Duration::from_secs(1));
        let later = p.linux();
        assert_eq!(later.state, "TIME-WAIT");
        assert!(later.left < first.left, "{later:?}");
        let synfin_left = p
            .rfc5961
            .c
            .poll_timeout()
            .unwrap()
            .saturating_since(p.now());
        println!("synfin TIME-WAIT left: {synfin_left:?}");
        assert!(synfin_left > Duration::from_secs(230) && synfin_left <= Duration::from_secs(240));
    });
}

/// (6, continued) RFC 9293 §3.6.1 (MAY-2, from RFC 1122 §4.2.2.13): a TCP in TIME-WAIT may
/// accept a new SYN to reopen the connection if it picks an ISN above any sequence number of
/// the old one (RFC 6191 does the same with timestamps). Linux does: a SYN above RCV.NXT in
/// TIME-WAIT (no timestamps here) draws a SYN-ACK with ISN = old SND.NXT + 65537, and the
/// handshake completes to a new ESTABLISHED connection. synfin does not reopen: its `Rfc5961`
/// profile answers the (in-window) SYN with a challenge ACK and stays in TIME-WAIT, `Rfc793`
/// resets and enters CLOSED.
#[test]
fn syn_above_rcv_nxt_in_time_wait_reopens_the_connection() {
    in_netns(
        "syn_above_rcv_nxt_in_time_wait_reopens_the_connection",
        |k| {
            let mut p = Probe::time_wait(k);
            let irs = p.irs;
            let syn = Segment {
                mss: Some(1460),
                ..seg(Flags::SYN, at(ISS, 1002), SeqNum(0))
            };
            let got = p.exchange(syn);
            let [linux, rfc5961, rfc793] = p.report("SYN at RCV.NXT+1000 in TIME-WAIT", &got);
            assert_eq!(got.len(), 1, "{linux:?}");
            assert_eq!(got[0].flags, Flags::SYN | Flags::ACK);
            assert_eq!(got[0].ack, at(ISS, 1003));
            let old_snd_nxt = at(irs, 2);
            let new_isn = got[0].seq;
            println!("new ISN = old SND.NXT + {}", new_isn.since(old_snd_nxt));
            assert!(new_isn.gt(old_snd_nxt));
            assert_eq!(new_isn.since(old_snd_nxt), 65537);
            assert_eq!(p.linux().state, "SYN-RECEIVED");
            assert_eq!(rfc5961, ["<SEQ=2><ACK=2><CTL=ACK>"]);
            assert_eq!(p.rfc5961.c.state(), State::TimeWait);
            assert_eq!(rfc793, ["<SEQ=0><ACK=1003><CTL=RST,ACK>"]);
            assert_eq!(p.rfc793.c.state(), State::Closed);
            // The new connection opens.
            inject(
                &mut p.k,
                OURS,
                LINUX,
                seg(Flags::ACK, at(ISS, 1003), new_isn.wrapping_add(1)),
            );
            p.accept();
            assert_eq!(p.linux().state, "ESTABLISHED");
        },
    );
}

/// (6, continued) The other side of MAY-2: a SYN at or below RCV.NXT in TIME-WAIT may be an
/// old duplicate, and Linux does not reopen for it (without timestamps, RFC 6191 has nothing
/// else to go by): it answers `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>` and stays in TIME-WAIT.
/// synfin finds the segment below the window (RFC 9293 §3.10.7.4, first step) and sends the
/// same ACK, in both profiles.
#[test]
fn syn_below_rcv_nxt_in_time_wait_draws_an_ack() {
    in_netns("syn_below_rcv_nxt_in_time_wait_draws_an_ack", |k| {
        let mut p = Probe::time_wait(k);
        let syn = Segment {
            mss: Some(1460),
            ..seg(Flags::SYN, at(ISS, -998), SeqNum(0))
        };
        let got = p.exchange(syn);
        let [linux, rfc5961, rfc793] = p.report("SYN at RCV.NXT-1000 in TIME-WAIT", &got);
        assert_eq!(linux, ["<SEQ=2><ACK=2><CTL=ACK>"]);
        assert_eq!(p.linux().state, "TIME-WAIT");
        assert_eq!(rfc5961, linux);
        assert_eq!(rfc793, linux);
        assert_eq!(p.rfc5961.c.state(), State::TimeWait);
        assert_eq!(p.rfc793.c.state(), State::TimeWait);
    });
}

/// (6, continued) RFC 1337 (TIME-WAIT assassination): a RST in TIME-WAIT should be ignored;
/// RFC 9293 §3.10.7.4 (second step) still says CLOSING, LAST-ACK and TIME-WAIT "enter the
/// CLOSED state" on an acceptable RST. synfin ignores it (`Config::rfc1337`, on by default);
/// Linux, with its default `net.ipv4.tcp_rfc1337 = 0`, ends TIME-WAIT at once.
#[test]
fn rst_in_time_wait_ends_it_without_rfc1337() {
    in_netns("rst_in_time_wait_ends_it_without_rfc1337", |k| {
        let mut p = Probe::time_wait(k);
        let rfc1337 = sysctl("net/ipv4/tcp_rfc1337");
        println!("net.ipv4.tcp_rfc1337 = {rfc1337}");
        assert_eq!(rfc1337, "0");
        let got = p.exchange(seg(Flags::RST, at(ISS, 2), SeqNum(0)));
        let [linux, rfc5961, rfc793] = p.report("RST at RCV.NXT in TIME-WAIT", &got);
        assert!(linux.is_empty() && rfc5961.is_empty() && rfc793.is_empty());
        assert_eq!(kernel_socket(LINUX.port(), OURS.port()), None);
        assert_eq!(p.rfc5961.c.state(), State::TimeWait);
        assert_eq!(p.rfc793.c.state(), State::TimeWait);
    });
}

/// (7) RFC 5961 §7: "An implementation SHOULD include an ACK throttling mechanism". Linux
/// 6.x has two: a per-namespace limit of challenge ACKs per second,
/// `net.ipv4.tcp_challenge_ack_limit` (off by default since Linux 6.0: INT_MAX, i.e.
/// 2147483647), and a per-socket limit on ACKs for invalid segments,
/// `net.ipv4.tcp_invalid_ratelimit` (500 ms). Three in-window RSTs in a burst draw one
/// challenge ACK; another after 600 ms draws one more. synfin has no throttle: it answers each
/// of them.
#[test]
fn challenge_acks_are_limited_to_one_per_half_second_per_socket() {
    in_netns(
        "challenge_acks_are_limited_to_one_per_half_second_per_socket",
        |k| {
            let limit = sysctl("net/ipv4/tcp_challenge_ack_limit");
            let ratelimit = sysctl("net/ipv4/tcp_invalid_ratelimit");
            println!("net.ipv4.tcp_challenge_ack_limit = {limit}");
            println!("net.ipv4.tcp_invalid_ratelimit = {ratelimit} ms");
            assert_eq!(limit, i32::MAX.to_string());
            assert_eq!(ratelimit, "500");
            let mut p = Probe::established(k);
            let first = Wall::now();
            let mut synfin = 0;
            for off in [11, 21, 31] {
                p.send(seg(Flags::RST, at(ISS, off), SeqNum(0)));
                synfin += p.rfc5961.out.len();
            }
            let got = p.replies();
            let [linux, _, _] = p.report("three RSTs in the window, at once", &got);
            assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
            assert_eq!(synfin, 3);
            std::thread::sleep(Duration::from_millis(600).saturating_sub(first.elapsed()));
            let got = p.exchange(seg(Flags::RST, at(ISS, 41), SeqNum(0)));
            let [linux, rfc5961, _] = p.report("one more, 600 ms after the first", &got);
            assert_eq!(linux, ["<SEQ=1><ACK=1><CTL=ACK>"]);
            assert_eq!(rfc5961, linux);
            assert_eq!(p.linux().state, "ESTABLISHED");
        },
    );
}

/// The attacker's own connection to the same listener, from the next port, by hand: its
/// address, and the kernel's accepted end (kept open, or the kernel would close it).
fn second_connection(p: &mut Probe) -> (SocketAddrV4, TcpStream) {
    let own = SocketAddrV4::new(OURS_IP, OURS.port() + 1);
    let syn = Segment {
        mss: Some(1460),
        ..seg(Flags::SYN, ISS, SeqNum(0))
    };
    inject(&mut p.k, own, LINUX, syn);
    let got = replies(&mut p.k, LINUX, own, WAIT);
    assert!(
        got.len() == 1 && got[0].flags == Flags::SYN | Flags::ACK,
        "the second SYN-ACK: {got:?}"
    );
    let irs2 = got[0].seq;
    inject(
        &mut p.k,
        own,
        LINUX,
        seg(Flags::ACK, at(ISS, 1), at(irs2, 1)),
    );
    let (stream, _) = p.listener.accept().unwrap();
    (own, stream)
}

/// At once: two in-window RSTs at the victim's connection, one at the attacker's (`own`).
/// The challenge ACKs each drew.
fn probe_both(p: &mut Probe, own: SocketAddrV4, off: i64) -> (Vec<Segment>, Vec<Segment>) {
    let rst = |o| seg(Flags::RST, at(ISS, o), SeqNum(0));
    p.send(rst(off));
    p.send(rst(off + 10));
    inject(&mut p.k, own, LINUX, rst(off));
    let mut got = replies_to(&mut p.k, LINUX, &[OURS, own], WAIT);
    let attacker = got.pop().unwrap_or_default();
    let victim = got.pop().unwrap_or_default();
    println!("victim (two RSTs): {victim:?}\nattacker (one RST): {attacker:?}");
    (victim, attacker)
}

/// (7b) The challenge-ACK side channel (CVE-2016-5696; `synfin side-channel`): does one
/// connection's challenge ACK use up another's? Two connections to the same listener. Linux
/// 6.18 as shipped limits per socket only (the host-wide limit is off): two RSTs at the
/// victim draw one challenge ACK, and the attacker's own RST still draws its own. That is the
/// model's "per connection" limit, under which noninterference holds.
#[test]
fn challenge_acks_are_limited_per_socket_not_per_host() {
    in_netns("challenge_acks_are_limited_per_socket_not_per_host", |k| {
        assert_eq!(
            sysctl("net/ipv4/tcp_challenge_ack_limit"),
            i32::MAX.to_string()
        );
        let mut p = Probe::established(k);
        let (own, _kernel_end) = second_connection(&mut p);
        let (victim, attacker) = probe_both(&mut p, own, 11);
        assert_eq!(
            victim.len(),
            1,
            "one challenge ACK a socket in 500 ms: {victim:?}"
        );
        assert_eq!(
            attacker.len(),
            1,
            "the other socket's is not used up: {attacker:?}"
        );
        assert!(attacker[0].flags == Flags::ACK && attacker[0].ack == at(ISS, 1));
        assert_eq!(p.linux().state, "ESTABLISHED");
    });
}

/// (7c) ... and with the host-wide limit switched on at 1 a second
/// (`net.ipv4.tcp_challenge_ack_limit = 1`, this test's namespace only; Linux draws the
/// second's budget at random between half the limit and one and a half times it, here
/// always 1), the victim's challenge ACK uses up the attacker's: the model's "shared" limit,
/// and the side channel. A round that straddles a second boundary may see both answered, so
/// up to three rounds are tried, each in a new second.
#[test]
fn a_host_wide_limit_lets_one_socket_see_anothers_challenge_ack() {
    in_netns(
        "a_host_wide_limit_lets_one_socket_see_anothers_challenge_ack",
        |k| {
            std::fs::write("/proc/sys/net/ipv4/tcp_challenge_ack_limit", "1").unwrap();
            assert_eq!(sysctl("net/ipv4/tcp_challenge_ack_limit"), "1");
            let mut p = Probe::established(k);
            let (own, _kernel_end) = second_connection(&mut p);
            let leaked = (0..3).any(|round| {
                std::thread::sleep(Duration::from_millis(1100));
                let (victim, attacker) = probe_both(&mut p, own, 11 + 100 * round);
                victim.len() == 1 && attacker.is_empty()
            });
            assert!(
                leaked,
                "the victim's challenge ACK never used up the attacker's"
            );
        },
    );
}

/// Beyond RFC 5961 §3.2: Linux also resets on a RST at RCV.NXT - 1 in CLOSE-WAIT, LAST-ACK or
/// CLOSING (`tcp_reset_check`: a peer that sent its FIN may send the RST with the FIN's
/// sequence number). RFC 9293 §3.10.7.4 finds the segment unacceptable (below the window) and
/// drops it, a RST without an answer; synfin does that in both profiles and stays in
/// CLOSE-WAIT.
#[test]
fn rst_at_rcv_nxt_minus_one_in_close_wait_resets() {
    in_netns("rst_at_rcv_nxt_minus_one_in_close_wait_resets", |k| {
        let mut p = Probe::established(k);
        let irs = p.irs;
        let got = p.exchange(seg(Flags::FIN | Flags::ACK, at(ISS, 1), at(irs, 1)));
        let [linux, rfc5961, _] = p.report("our FIN in ESTABLISHED", &got);
        assert_eq!(linux, ["<SEQ=1><ACK=2><CTL=ACK>"]);
        assert_eq!(rfc5961, linux);
        assert_eq!(p.linux().state, "CLOSE-WAIT");
        let got = p.exchange(seg(Flags::RST, at(ISS, 1), SeqNum(0)));
        let [linux, rfc5961, rfc793] = p.report("RST at RCV.NXT-1 in CLOSE-WAIT", &got);
        assert!(linux.is_empty() && rfc5961.is_empty() && rfc793.is_empty());
        assert_eq!(kernel_socket(LINUX.port(), OURS.port()), None);
        assert_eq!(p.rfc5961.c.state(), State::CloseWait);
        assert_eq!(p.rfc793.c.state(), State::CloseWait);
    });
}
