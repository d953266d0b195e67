//! The packetdrill runner's peak memory on the worst scripts we could write: each at most
//! 1 MiB, the whole run under 100 MB. Alone in its test binary, so the process's peak resident
//! set (`VmHWM`, Linux) is this test's.

use synfin_conformance::packetdrill::run_corpus;

const MIB: usize = 1 << 20;

/// `head`, then `line` repeated while the script stays within 1 MiB.
fn fill(head: &str, line: &str) -> String {
    let mut s = head.to_string();
    while s.len() + line.len() <= MIB {
        s.push_str(line);
    }
    s
}

/// The peak resident set of this process in kB.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

const OPEN: &str = "--tolerance_usecs=50000\n\
    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
    +0 bind(3, ..., ...) = 0\n\
    +0 listen(3, 1) = 0\n\
    +0 < S 0:0(0) win 65535 <mss 65535>\n\
    +0 > S. 0:0(0) ack 1 win 65535 <mss 1460>\n\
    +0 < . 1:1(0) ack 1 win 65535\n\
    +0 accept(3, ..., ...) = 4\n";

/// The worst scripts: the 4 GB sequence span; the lines the parser turns into the most memory
/// per octet (shell, call, header, option and argument lines); and scripts that run their whole
/// mebibyte: the largest segments, each read, the largest writes, timers for most of an hour.
fn worst_scripts() -> Vec<(&'static str, String)> {
    let mut v = vec![(
        "span.pkt",
        format!("{OPEN}+0 < . 1:4000000001(4000000000) ack 1 win 32767\n"),
    )];
    // The shortest lines: 6 octets a parsed line.
    v.push(("short-shell.pkt", fill("0 close(3) = -1\n", "0 `x`\n")));
    v.push(("short-calls.pkt", fill("", "0 f()=0\n")));
    v.push(("short-python.pkt", fill("", "0 %{x}%\n")));
    v.push(("short-headers.pkt", fill("0 close(3) = -1\n", "--a\n")));
    v.push(("short-reads.pkt", fill(OPEN, "0 read(4,...,0)=-1\n")));
    // As many option strings as fit, 40 one-octet options a line.
    let nops = ["nop"; 40].join(",");
    v.push(("options.pkt", fill("", &format!("0 > S 0:0(0) <{nops}>\n"))));
    // Six arguments of 600 octets.
    let arg = "a".repeat(600);
    let args = [arg.as_str(); 6].join(",");
    v.push(("long-args.pkt", fill("", &format!("0 g({args})=0\n"))));
    // #ifdef STANDARD nested 20,000 deep around as many lines as fit.
    let (open, close) = (
        "#ifdef STANDARD\n".repeat(20_000),
        "#endif\n".repeat(20_000),
    );
    let nested = fill(&open, "0 `x`\n");
    let keep = nested.len() - close.len() - open.len();
    v.push((
        "nested.pkt",
        format!(
            "{open}{}0 close(3) = -1\n{close}",
            &nested[open.len()..open.len() + keep - 16]
        ),
    ));
    // The largest segments, each acknowledged and read, for the whole mebibyte: 650 MB of
    // data through the endpoint.
    let mut big = OPEN.to_string();
    let mut seq = 1u64;
    loop {
        let end = seq + 65_495;
        let cycle = format!(
            "+0 < . {seq}:{end}(65495) ack 1 win 65535\n\
             +0 > . 1:1(0) ack {end}\n\
             +0 read(4, ..., 2147483647) = 65495\n"
        );
        if big.len() + cycle.len() > MIB {
            break;
        }
        big.push_str(&cycle);
        seq = end;
    }
    v.push(("segments.pkt", big));
    // The largest writes packetdrill can say, 2^31 - 1 octets each, to a peer whose window
    // is closed: the first fills the send buffer, the others are refused.
    let closed = "--tolerance_usecs=50000\n\
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
        +0 bind(3, ..., ...) = 0\n\
        +0 listen(3, 1) = 0\n\
        +0 < S 0:0(0) win 0 <mss 65535>\n\
        +0 > S. 0:0(0) ack 1 <mss 1460>\n\
        +0 < . 1:1(0) ack 1 win 0\n\
        +0 accept(3, ..., ...) = 4\n\
        +0 write(4, ..., 2147483647) = 65536\n";
    v.push((
        "writes.pkt",
        fill(closed, "+0 write(4, ..., 2147483647) = -1\n"),
    ));
    // Lines 37 ms apart for nearly an hour: the SYN's retransmissions run out meanwhile.
    v.push((
        "timers.pkt",
        fill(
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
             +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n\
             +0 > S 0:0(0)\n",
            "+0.037 `x`\n",
        ),
    ));
    v
}

/// Each worst script alone in a corpus, one after the other: the peak resident set of the
/// whole test (`VmHWM` only grows) is the largest any one of them needs, plus what the
/// allocator keeps between them.
#[test]
fn worst_scripts_of_a_mebibyte_stay_under_100_mb() {
    let Some(before) = peak_kb() else {
        eprintln!("skipped: no /proc/self/status VmHWM here");
        return;
    };
    let dir =
        std::env::temp_dir().join(format!("synfin-packetdrill-memory-{}", std::process::id()));
    println!("peak resident set before: {before} kB");
    for (name, src) in worst_scripts() {
        assert!(src.len() <= MIB, "{name}: {} octets", src.len());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join(name), &src).expect("write script");
        drop(src);
        let t = std::time::Instant::now();
        let summary = run_corpus(&dir);
        let elapsed = t.elapsed();
        let _ = std::fs::remove_dir_all(&dir);
        let summary = summary.expect("corpus readable");
        let r = &summary.reports[0];
        let verdict = r.verdict.to_string();
        let verdict: String = verdict.chars().take(100).collect();
        println!(
            "{name}: peak {} kB after, {elapsed:?}: {verdict}",
            peak_kb().unwrap_or(0)
        );
    }
    let after = peak_kb().expect("VmHWM");
    assert!(after < 100_000, "peak resident set {after} kB");
}
