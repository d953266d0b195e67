//! The model against the packetdrill corpus: each script that passes against the endpoint is
//! replayed into the model's rules, and each step the endpoint took must be one the model
//! allows (`synfin_conformance::packetdrill::model_check`). Disagreements are reported, not
//! fixed here.

mod common;

use synfin_conformance::packetdrill::model_check::{
    check_corpus, check_text, check_trace, ModelVerdict,
};
use synfin_conformance::packetdrill::{parse, run};

/// Passing scripts whose whole trace the model accepts. Measured when this test was written:
/// all 138 scripts of `packetdrill-baseline.txt` that passed then (772 inputs: 437 injected
/// segments, 317 user calls, 17 timer expiries, 1 read; 486 segments sent), none disagreeing,
/// none not comparable; since listeners discard SYN-RECEIVED on close, all 148 passing
/// scripts (807 inputs). The count must not drop; raise it when more scripts pass and are
/// accepted.
const ACCEPTED_AT_LEAST: usize = 148;

const ACTIVE_OPEN_CLOSE: &str = "--tolerance_usecs=50000\n\
    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
    +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n\
    +0 > S 0:0(0) win 65535 <mss 1460>\n\
    +0.10 < S. 0:0(0) ack 1 win 32767 <mss 1460>\n\
    +0 > . 1:1(0) ack 1 win 65535\n\
    +0 close(3) = 0\n\
    +0 > F. 1:1(0) ack 1 win 65535\n";

#[test]
fn a_tampered_trace_disagrees() {
    let script = parse::parse(ACTIVE_OPEN_CLOSE).unwrap();
    let (_, notes) = run::run_script("x.pkt", &script);
    let mut trace = notes.trace;
    assert_eq!(trace.len(), 3, "connect, the SYN,ACK, close");
    assert!(matches!(
        check_trace(&trace),
        ModelVerdict::Accepted { steps: 3 }
    ));
    // The ACK of the SYN,ACK acknowledging one octet too many.
    let ack = &mut trace[1].sent[0].segment.ack;
    ack.0 = ack.0.wrapping_add(1);
    match check_trace(&trace) {
        ModelVerdict::Disagrees(d) => assert_eq!((d.lineno, d.step), (5, 1), "{d}"),
        v => panic!("{v:?}"),
    }
}

#[test]
fn an_active_open_is_accepted() {
    let c = check_text("x.pkt", ACTIVE_OPEN_CLOSE).expect("the script passes");
    assert!(
        matches!(c.verdict, ModelVerdict::Accepted { .. }),
        "{:?}",
        c.verdict
    );
}

#[test]
#[cfg_attr(
    no_tcp_testsuite,
    ignore = "needs ../shared/tcp-testsuite, the FreeBSD tcp-testsuite (SOURCE.md there; or \
              SYNFIN_TCP_TESTSUITE=DIR when building)"
)]
fn passing_scripts_are_accepted_by_the_model() {
    let dir = common::corpus();
    let checks = check_corpus(&dir).expect("corpus readable");
    let (mut accepted, mut disagrees, mut other) = (0, Vec::new(), Vec::new());
    let mut steps = 0;
    for c in &checks {
        match &c.verdict {
            ModelVerdict::Accepted { steps: n } => {
                accepted += 1;
                steps += n;
            }
            ModelVerdict::Disagrees(d) => disagrees.push(format!("{}: {d}", c.path)),
            ModelVerdict::NotComparable(why) => other.push(format!("{}: {why}", c.path)),
        }
    }
    println!(
        "{} passing scripts: {accepted} accepted by the model, {} disagree, {} not comparable",
        checks.len(),
        disagrees.len(),
        other.len()
    );
    println!("{steps} inputs compared in the accepted scripts");
    println!("\nfirst disagreement of each disagreeing script:");
    for d in &disagrees {
        println!("  {d}");
    }
    println!("\nnot comparable:");
    for o in &other {
        println!("  {o}");
    }
    assert!(
        accepted >= ACCEPTED_AT_LEAST,
        "accepted {accepted} < {ACCEPTED_AT_LEAST}"
    );
}
