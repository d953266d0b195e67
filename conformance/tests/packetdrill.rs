//! The packetdrill runner: parser units on inline snippets, a few runs of inline scripts, and
//! the FreeBSD tcp-testsuite corpus against the committed baseline.
//!
//! The corpus tests need the corpus at `../shared/tcp-testsuite` next to the workspace (or
//! where `SYNFIN_TCP_TESTSUITE` points, when building); `build.rs` marks them ignored, with
//! the reason, where it is missing, except under `CI=true`, where they run and fail.

mod common;

use common::corpus;
use std::collections::BTreeMap;
use std::path::PathBuf;
use synfin_conformance::packetdrill::parse::{
    parse, parse_line, CallLine, Direction, Kind, ShellLine, Time,
};
use synfin_conformance::packetdrill::report::Verdict;
use synfin_conformance::packetdrill::{run_corpus, run_text};

fn segment(text: &str) -> synfin_conformance::packetdrill::parse::SegmentLine {
    match parse_line(1, text).unwrap().kind {
        Kind::Segment(s) => s,
        k => panic!("not a segment: {k:?}"),
    }
}

#[test]
fn parses_flags_seq_ack_win_and_options() {
    let s = segment("+0.10 < S. 0:0(0) ack 1 win 32767 <mss 1460,sackOK,eol,eol>");
    assert_eq!(s.dir, Direction::Inject);
    assert!(s.flags.syn && s.flags.ack && !s.flags.fin && !s.flags.rst);
    assert_eq!(s.seq, Some((0, 0, 0)));
    assert_eq!(s.ack, Some(1));
    assert_eq!(s.win, Some(32767));
    assert_eq!(s.options, ["mss 1460", "sackOK", "eol", "eol"]);
    assert_eq!(s.mss(), Some(1460));

    let s = segment("+0.00 > R  65700:65700(0)       win 0");
    assert_eq!(s.dir, Direction::Expect);
    assert!(s.flags.rst && !s.flags.ack);
    assert_eq!(
        (s.seq, s.ack, s.win),
        (Some((65700, 65700, 0)), None, Some(0))
    );

    let s = segment("+0.00 <  . 17:20(3) ack 34 win 32767");
    assert!(s.flags.ack && !s.flags.syn);
    assert_eq!(s.seq, Some((17, 20, 3)));

    let s = segment("+0.00 > F. 1:1(0) ack 2 win 65535");
    assert!(s.flags.fin && s.flags.ack);
    let s = segment("+0.00 < SF 1:1(0) win 32767");
    assert!(s.flags.syn && s.flags.fin);
    let s = segment("+0.00 > S.     ...(0)     ack 65537 win 65535 <mss 1460>");
    assert_eq!(s.seq, None);
    let s = segment("+0.01 <[noecn] . 1:1(0) ack 1 win 65535");
    assert_eq!(s.extra, ["[noecn]"]);
    assert!(parse_line(1, "+0 < X 0:0(0) win 1").is_err());
    assert!(
        parse_line(1, "+0 < S 0:5(3) win 1").is_err(),
        "end - start must be len"
    );
}

#[test]
fn parses_timestamps() {
    assert_eq!(
        parse_line(1, " 0.00 close(3) = 0").unwrap().time,
        Time::Absolute(0)
    );
    assert_eq!(
        parse_line(1, "1.5 close(3) = 0").unwrap().time,
        Time::Absolute(1_500_000)
    );
    assert_eq!(
        parse_line(1, "+0.10 close(3) = 0").unwrap().time,
        Time::Relative(100_000)
    );
    assert_eq!(
        parse_line(1, "+3 close(3) = 0").unwrap().time,
        Time::Relative(3_000_000)
    );
    assert_eq!(parse_line(1, "* close(3) = 0").unwrap().time, Time::Any);
    assert!(parse_line(1, "+x close(3) = 0").is_err());
}

#[test]
fn parses_calls_and_shell_lines() {
    let call = |t: &str| match parse_line(1, t).unwrap().kind {
        Kind::Call(c) => c,
        k => panic!("{k:?}"),
    };
    let c: CallLine =
        call("+0.00 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
    assert_eq!(
        (c.name.as_str(), c.ret, c.errno.as_deref()),
        ("connect", -1, Some("EINPROGRESS"))
    );
    let c = call("+0.00 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0");
    assert_eq!(
        c.args,
        ["3", "SOL_SOCKET", "SO_ERROR", "[ECONNRESET]", "[4]"]
    );
    let c = call("+0.00 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)");
    assert_eq!((c.ret, c.errno), (2, None));

    let shell = |t: &str| match parse_line(1, t).unwrap().kind {
        Kind::Shell(s) => s,
        k => panic!("{k:?}"),
    };
    assert_eq!(
        shell("+0.00 `sysctl -w net.inet.tcp.insecure_rst=1`"),
        ShellLine::Sysctl {
            name: "net.inet.tcp.insecure_rst".into(),
            value: "1".into()
        }
    );
    assert!(matches!(
        shell("+0.10 `sockstat -4 -P tcp -s | grep -c X | grep 1`"),
        ShellLine::Other(_)
    ));
    assert!(matches!(
        parse_line(1, "+0.00 %{ assert tcpi_state == TCPI_LISTEN }%").unwrap().kind,
        Kind::Python(p) if p == "assert tcpi_state == TCPI_LISTEN"
    ));
}

#[test]
fn selects_the_standard_branch_and_reads_headers() {
    let src = "// comment\n--ip_version=ipv4\n--tolerance_usecs=75000\n\
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
        #ifdef STANDARD\n+0 close(3) = 0\n#else\n+0 bind(3, ..., ...) = 0\n#endif\n\
        #ifdef FreeBSD\n+0 listen(3, 1) = 0\n#endif\n";
    let s = parse(src).unwrap();
    assert_eq!(s.tolerance_usecs(), 75_000);
    assert_eq!(s.header("ip_version"), Some("ipv4"));
    let names: Vec<_> = s
        .lines
        .iter()
        .map(|l| match &l.kind {
            Kind::Call(c) => c.name.clone(),
            k => panic!("{k:?}"),
        })
        .collect();
    assert_eq!(names, ["socket", "close"]);
    assert_eq!(s.lines[1].lineno, 6);
    assert!(parse("#ifdef STANDARD\n").is_err());
    assert_eq!(parse("0 close(3) = 0\n").unwrap().tolerance_usecs(), 4_000);
}

const ACTIVE_OPEN: &str = "--tolerance_usecs=50000\n\
    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
    +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n\
    +0 > S 0:0(0) win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 0>\n\
    +0.10 < S. 0:0(0) ack 1 win 32767 <mss 1460>\n\
    +0 > . 1:1(0) ack 1 win 65535\n";

#[test]
fn sysctl_insecure_rst_picks_the_rst_profile() {
    // An RST at RCV.NXT + RCV.WND - 1: RFC 793 resets, RFC 5961 answers with a challenge ACK.
    let insecure = format!(
        "0 `sysctl -w net.inet.tcp.insecure_rst=1`\n{ACTIVE_OPEN}\
         +0.10 < R 65534:65534(0) win 32767\n\
         +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0\n"
    );
    assert_eq!(run_text("x.pkt", &insecure).verdict, Verdict::Pass);
    let secure = format!(
        "0 `sysctl -w net.inet.tcp.insecure_rst=0`\n{ACTIVE_OPEN}\
         +0.10 < R 65534:65534(0) win 32767\n\
         +0 > . 1:1(0) ack 1 win 65535\n\
         +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
    );
    assert_eq!(run_text("x.pkt", &secure).verdict, Verdict::Pass);
}

#[test]
fn relative_times_drive_retransmission_timers() {
    // The SYN is retransmitted after the 1 s initial RTO (RFC 6298).
    let ok = "--tolerance_usecs=50000\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
        +0 connect(3, ..., ...) = -1 EINPROGRESS\n+0 > S 0:0(0) win 65535\n+1.0 > S 0:0(0) win 65535\n";
    assert_eq!(run_text("x.pkt", ok).verdict, Verdict::Pass);
    let early = ok.replace("+1.0 > S", "+0.5 > S");
    let r = run_text("x.pkt", &early);
    assert!(
        matches!(&r.verdict, Verdict::Fail(f) if f.lineno == 5),
        "{}",
        r.verdict
    );
    let wrong = ok.replace("+1.0 > S 0:0(0)", "+1.0 > S 1:1(0)");
    assert!(matches!(
        run_text("x.pkt", &wrong).verdict,
        Verdict::Fail(_)
    ));
}

#[test]
fn unexpected_segments_and_unsupported_scripts_are_reported() {
    let r = run_text(
        "x.pkt",
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 connect(3, ..., ...) = -1 EINPROGRESS\n",
    );
    assert!(
        matches!(&r.verdict, Verdict::Fail(f) if f.got.starts_with("S 0:0(0)")),
        "{}",
        r.verdict
    );
    let r = run_text(
        "x.pkt",
        "--ip_version=ipv6\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
    );
    assert!(matches!(r.verdict, Verdict::Unsupported(ref s) if s.contains("IPv6")));
    let r = run_text("x-ecn.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    assert_eq!(r.verdict, Verdict::Unsupported("ECN".into()));
    assert!(!r.connection_management);
}

/// Closing a listener: a connection still in SYN-RECEIVED is discarded without a segment (a
/// kernel's syncache entry or request socket; RFC 9293 §3.10.4 CLOSE in LISTEN deletes the
/// TCB), and a later segment finds the port closed; an ESTABLISHED connection nobody accepted
/// is aborted, `<SEQ=SND.NXT><CTL=RST>` (§3.10.5 ABORT), as a kernel's accept queue is.
#[test]
fn closing_a_listener_discards_syn_received_and_aborts_the_unaccepted() {
    let listen = "--tolerance_usecs=50000\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
        +0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n\
        +0 < S 0:0(0) win 32767 <mss 1460>\n+0 > S. 0:0(0) ack 1 win 65535 <mss 1460>\n";
    let syn_received = format!(
        "{listen}+0.1 close(3) = 0\n+0.1 < . 1:1(0) ack 1 win 32767\n+0 > R 1:1(0) win 0\n"
    );
    assert_eq!(run_text("x.pkt", &syn_received).verdict, Verdict::Pass);
    let established = format!(
        "{listen}+0.1 < . 1:1(0) ack 1 win 32767\n+0.1 close(3) = 0\n+0 > R 1:1(0) win 0\n"
    );
    assert_eq!(run_text("x.pkt", &established).verdict, Verdict::Pass);
    let silent = format!("{listen}+0.1 < . 1:1(0) ack 1 win 32767\n+0.1 close(3) = 0\n");
    assert!(matches!(
        run_text("x.pkt", &silent).verdict,
        Verdict::Fail(_)
    ));
}

#[test]
#[cfg_attr(
    no_tcp_testsuite,
    ignore = "needs ../shared/tcp-testsuite, the FreeBSD tcp-testsuite (SOURCE.md there; or \
              SYNFIN_TCP_TESTSUITE=DIR when building)"
)]
fn corpus_does_not_drop_below_the_baseline() {
    let summary = run_corpus(&corpus()).expect("corpus readable");
    println!("{summary}");
    let malformed: Vec<String> = summary
        .malformed()
        .iter()
        .map(|r| format!("{}: {}", r.path, r.verdict))
        .collect();
    assert!(
        malformed.is_empty(),
        "corpus scripts the parser takes as malformed:\n{}",
        malformed.join("\n")
    );
    let baseline_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/packetdrill-baseline.txt");
    let baseline = std::fs::read_to_string(&baseline_path).expect("baseline file");
    let now: BTreeMap<&str, &str> = summary
        .reports
        .iter()
        .map(|r| (r.path.as_str(), r.verdict.word()))
        .collect();
    let mut dropped = Vec::new();
    for line in baseline.lines().filter(|l| !l.trim().is_empty()) {
        let (path, verdict) = line.rsplit_once(' ').expect("`path verdict`");
        if verdict == "pass" && now.get(path) != Some(&"pass") {
            let r = summary.reports.iter().find(|r| r.path == path);
            dropped.push(format!(
                "{path}: {}",
                r.map_or("missing".to_string(), |r| r.verdict.to_string())
            ));
        }
    }
    assert!(
        dropped.is_empty(),
        "scripts that passed in the baseline no longer pass:\n{}",
        dropped.join("\n")
    );
    let fresh: Vec<_> = summary
        .reports
        .iter()
        .filter(|r| {
            r.verdict == Verdict::Pass && !baseline.lines().any(|l| l == format!("{} pass", r.path))
        })
        .map(|r| r.path.as_str())
        .collect();
    if !fresh.is_empty() {
        println!("passing now but not in the baseline (update it): {fresh:?}");
    }
}

/// Every failing script of the corpus is explained by a family of FreeBSD's profile
/// (`profiles/freebsd.toml`), matched by the signature of its first failure alone: no
/// per-script list. The families' counts are pinned, so that a change in the runner, the
/// endpoint or a pattern that moves a script from one family to another shows.
#[test]
#[cfg_attr(
    no_tcp_testsuite,
    ignore = "needs ../shared/tcp-testsuite, the FreeBSD tcp-testsuite (SOURCE.md there; or \
              SYNFIN_TCP_TESTSUITE=DIR when building)"
)]
fn every_failure_is_explained_by_a_family_of_the_freebsd_profile() {
    let summary = run_corpus(&corpus()).expect("corpus readable");
    let unexplained: Vec<String> = summary
        .unexplained()
        .iter()
        .map(|r| {
            format!(
                "{}: {} [{:?}]",
                r.path,
                r.verdict,
                r.signature.as_ref().map(|s| s.to_string())
            )
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "failing scripts whose signature no family of profiles/freebsd.toml matches:\n{}",
        unexplained.join("\n")
    );
    let families: Vec<(&str, usize)> = summary
        .by_family()
        .iter()
        .map(|(f, n)| (f.name.as_str(), *n))
        .collect();
    let explained: usize = families.iter().map(|(_, n)| n).sum();
    assert_eq!(explained, summary.counts().fail);
    assert_eq!(families, FAMILIES);
}

/// How many failing scripts each family of `profiles/freebsd.toml` explains.
const FAMILIES: [(&str, usize); 11] = [
    ("bsd-silent-on-ack-below-rcv-nxt", 15),
    ("bsd-silent-on-ackless-segment-in-time-wait", 3),
    ("bsd-closing-ack-repeats-fin", 12),
    ("rcv-wnd-beyond-advertised", 18),
    ("rst-form-for-in-window-syn", 11),
    ("bsd-synack-at-listener-dropped", 2),
    ("bsd-drop-synfin", 3),
    ("bsd-fin-deferred-in-syn-received", 2),
    ("bsd-time-wait-answers-everything", 5),
    ("synfin-syn-text-not-queued", 2),
    ("synfin-no-fast-retransmit", 1),
];

/// A failure whose signature no family matches is unexplained, whatever its text.
#[test]
fn a_failure_of_another_shape_is_unexplained() {
    use synfin_conformance::packetdrill::report::{Failure, ScriptReport};
    use synfin_conformance::signature::{InputKind, Signature};
    let failure = Failure {
        lineno: 3,
        text: "+0 < S 0:0(0) win 1000".into(),
        expected: "no further segment".into(),
        got: ". 1:1(0) ack 1".into(),
        reason: "unexpected . segment".into(),
        sent_by: None,
    };
    let report = |state| ScriptReport {
        path: "made-up.pkt".into(),
        verdict: Verdict::Fail(failure.clone()),
        signature: Some(Signature {
            state,
            input: InputKind::Named("CLOSE".into()),
            stack: vec![],
            reference: vec!["FIN,ACK".into()],
            ends: None,
        }),
        connection_management: true,
        shell_skipped: 0,
        ignored: vec![],
    };
    assert!(report(synfin_model::State::SynReceived)
        .explained()
        .is_some());
    assert!(report(synfin_model::State::CloseWait).explained().is_none());
}
