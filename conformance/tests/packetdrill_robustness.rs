//! The packetdrill runner on scripts that are not what it expects: unreadable, binary or
//! oversized files, truncated lines, values beyond what a TCP header or an IPv4 datagram can
//! carry. Each is a verdict for that one script (`malformed`, with the line and the reason),
//! never a pass, never an aborted run, never an allocation the size of a bogus length.

use std::path::{Path, PathBuf};
use synfin_conformance::packetdrill::parse::parse;
use synfin_conformance::packetdrill::{run_corpus, run_text};

/// A directory under the system's temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("synfin-packetdrill-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).expect("write script");
        p
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A script that passes: a passive open taken to ESTABLISHED.
const PASSES: &str = "--tolerance_usecs=50000\n\
    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
    +0 bind(3, ..., ...) = 0\n\
    +0 listen(3, 1) = 0\n\
    +0 < S 0:0(0) win 32767 <mss 1460>\n\
    +0 > S. 0:0(0) ack 1 win 65535 <mss 1460>\n\
    +0.1 < . 1:1(0) ack 1 win 32767\n\
    +0 accept(3, ..., ...) = 4\n";

/// `PASSES` with `line` appended: its line number is 9.
fn with_line(line: &str) -> String {
    format!("{PASSES}{line}\n")
}

/// The verdict word and its text for one script.
fn verdict(src: &str) -> (&'static str, String) {
    let r = run_text("x.pkt", src);
    (r.verdict.word(), r.verdict.to_string())
}

/// Asserts that `src` is malformed, the reason naming `lineno` and containing `needle`.
#[track_caller]
fn assert_malformed_at(src: &str, lineno: usize, needle: &str) {
    let e = parse(src).expect_err("a parse error");
    assert_eq!(e.lineno, lineno, "{e}");
    let (word, text) = verdict(src);
    assert_eq!(word, "malformed", "{text}");
    assert!(
        text.contains(&format!("line {lineno}:")) && text.contains(needle),
        "want line {lineno} and {needle:?} in: {text}"
    );
}

#[test]
fn the_passing_script_passes() {
    assert_eq!(verdict(PASSES).0, "pass", "{}", verdict(PASSES).1);
    let line = "+0 getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0";
    assert_eq!(
        verdict(&with_line(line)).0,
        "pass",
        "{}",
        verdict(&with_line(line)).1
    );
}

#[test]
fn unreadable_binary_and_non_utf8_files_are_malformed_and_the_run_goes_on() {
    let dir = TempDir::new("unreadable");
    dir.write("a-good.pkt", PASSES);
    dir.write("b-latin1.pkt", b"0 cl\xe9se(3) = 0\n");
    dir.write("c-binary.pkt", b"0 close(3) = 0\n\x00\x01\x02\n");
    std::os::unix::fs::symlink(
        dir.path().join("nowhere"),
        dir.path().join("d-dangling.pkt"),
    )
    .expect("symlink");
    dir.write("e-good-too.pkt", PASSES);
    let summary = run_corpus(dir.path()).expect("the corpus directory itself is readable");
    let got: Vec<(String, &str, String)> = summary
        .reports
        .iter()
        .map(|r| (r.path.clone(), r.verdict.word(), r.verdict.to_string()))
        .collect();
    assert_eq!(got.len(), 5, "{got:#?}");
    assert_eq!((got[0].0.as_str(), got[0].1), ("a-good.pkt", "pass"));
    assert_eq!((got[1].0.as_str(), got[1].1), ("b-latin1.pkt", "malformed"));
    assert!(
        got[1].2.contains("not UTF-8 text at byte 4"),
        "{}",
        got[1].2
    );
    assert_eq!((got[2].0.as_str(), got[2].1), ("c-binary.pkt", "malformed"));
    assert!(got[2].2.contains("NUL octet at byte 15"), "{}", got[2].2);
    assert_eq!(
        (got[3].0.as_str(), got[3].1),
        ("d-dangling.pkt", "malformed")
    );
    assert!(got[3].2.contains("cannot read"), "{}", got[3].2);
    assert_eq!((got[4].0.as_str(), got[4].1), ("e-good-too.pkt", "pass"));
    for r in &summary.reports[1..4] {
        assert!(
            !r.connection_management,
            "{}: malformed is no connection management",
            r.path
        );
    }
}

/// A FIFO (or any file that is not a regular file) named `.pkt` is reported, not read: reading
/// it would wait for a writer forever.
#[test]
fn a_fifo_named_pkt_is_reported_not_read() {
    let dir = TempDir::new("fifo");
    let fifo = dir.path().join("fifo.pkt");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipped: mkfifo unavailable");
        return;
    }
    let summary = run_corpus(dir.path()).expect("corpus readable");
    assert_eq!(summary.reports.len(), 1);
    let v = &summary.reports[0].verdict;
    assert_eq!(v.word(), "malformed", "{v}");
    assert!(v.to_string().contains("not a regular file"), "{v}");
}

/// `1:4000000001(4000000000)` is consistent (end - start = length) but no IPv4 datagram can
/// carry it: a parse error, found before anything is allocated (the runner once built the
/// 4 GB payload).
#[test]
fn a_sequence_span_beyond_an_ipv4_datagram_is_a_parse_error_naming_the_line() {
    let src = with_line("+0 < . 1:4000000001(4000000000) ack 1 win 32767");
    let t = std::time::Instant::now();
    assert_malformed_at(&src, 9, "65495");
    assert!(t.elapsed().as_secs() < 2, "took {:?}", t.elapsed());
    // end - start must be the length, without wrapping past 2^32 (as packetdrill checks).
    assert_malformed_at(&with_line("+0 < . 1:5(3) ack 1 win 1"), 9, "length");
    assert_malformed_at(
        &with_line("+0 < . 4294967295:9(10) ack 1 win 1"),
        9,
        "length",
    );
    assert_malformed_at(&with_line("+0 < . 1:4294967296(4294967295) win 1"), 9, "32");
    assert_malformed_at(&with_line("+0 < . 1:1(0) ack 4294967296 win 1"), 9, "ack");
}

/// 65,535 octets of IPv4 datagram (RFC 791's 16-bit Total Length) less the 20-octet IPv4 and
/// 20-octet TCP headers: 65,495 octets of data, fewer with options.
#[test]
fn segment_lengths_beyond_an_ipv4_datagram_are_parse_errors() {
    assert!(parse(&with_line("+0 < . 1:65496(65495) ack 1 win 32767")).is_ok());
    assert_malformed_at(
        &with_line("+0 < . 1:65497(65496) ack 1 win 32767"),
        9,
        "65495",
    );
    // An MSS option takes 4 octets of the datagram.
    assert!(parse(&with_line(
        "+0 < . 1:65492(65491) ack 1 win 32767 <mss 1460>"
    ))
    .is_ok());
    assert_malformed_at(
        &with_line("+0 < . 1:65493(65492) ack 1 win 32767 <mss 1460>"),
        9,
        "65495",
    );
    assert_malformed_at(&with_line("+0 > . ...(65496) ack 1 win 32767"), 9, "65495");
}

/// Times: a script spans at most an hour (every timer of the endpoint is below 7 minutes), and
/// no time can overflow the microsecond clock.
#[test]
fn times_beyond_an_hour_are_parse_errors() {
    assert!(parse("3600 close(3) = 0\n").is_ok());
    assert_malformed_at("0 close(3) = 0\n3600.000001 close(3) = 0\n", 2, "hour");
    assert_malformed_at("0 close(3) = 0\n+3601 close(3) = 0\n", 2, "hour");
    assert_malformed_at("99999999999999999999 close(3) = 0\n", 1, "hour");
    assert_malformed_at("18446744073709.551615 close(3) = 0\n", 1, "hour");
    // Relative times add up.
    assert_malformed_at(
        "0 close(3) = 0\n+1800 close(3) = 0\n+1800 close(3) = 0\n+1 close(3) = 0\n",
        4,
        "hour",
    );
    // The tolerance is a time too, and a number.
    assert_malformed_at(
        "--tolerance_usecs=18446744073709551615\n0 close(3) = 0\n",
        1,
        "hour",
    );
    assert_malformed_at("--tolerance_usecs=lots\n0 close(3) = 0\n", 1, "tolerance");
    // packetdrill's times are `[0-9]*[.][0-9]+` or integers.
    assert_malformed_at("0. close(3) = 0\n", 1, "time");
}

/// Option values fit their fields (RFC 9293 §3.2: MSS 16 bits; RFC 7323 §2.2: shift count 8
/// bits); the window is the 16-bit header field (RFC 9293 §3.1); options take at most 40
/// octets (Data Offset: at most 15 32-bit words of header, 20 octets of them fixed).
#[test]
fn option_values_and_sizes_are_bounded() {
    let seg = |opts: &str| with_line(&format!("+0 < . 1:1(0) ack 1 win 32767 <{opts}>"));
    assert!(parse(&seg("mss 65535")).is_ok());
    assert_malformed_at(&seg("mss 65536"), 9, "mss");
    assert_malformed_at(&seg("wscale 256"), 9, "wscale");
    assert_malformed_at(&seg("TS val 4294967296 ecr 0"), 9, "TS");
    assert_malformed_at(&seg("mss"), 9, "mss");
    assert_malformed_at(&seg("frobnicate 3"), 9, "option");
    // 10 MSS options are 40 octets; an eleventh does not fit.
    let ten = ["mss 1"; 10].join(",");
    assert!(parse(&seg(&ten)).is_ok());
    assert_malformed_at(&seg(&format!("{ten},nop")), 9, "40");
    assert_malformed_at(&seg(&["nop"; 1000].join(",")), 9, "40");
    assert!(parse(&seg("mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 0")).is_ok());
    assert!(parse(&seg("sack 1:2 3:4,nop,nop")).is_ok());
    assert!(parse(&with_line("+0 < . 1:1(0) ack 1 win 65535")).is_ok());
    assert_malformed_at(&with_line("+0 < . 1:1(0) ack 1 win 65536"), 9, "win");
    assert_malformed_at(&with_line("+0 < . 1:1(0) ack 1 win 4294967296"), 9, "win");
}

/// Lines longer than 4 KiB and scripts larger than 1 MiB are parse errors naming the line.
#[test]
fn long_lines_and_large_scripts_are_parse_errors() {
    let long = format!("+0 close(4) = 0 // {}", "x".repeat(4096));
    assert_malformed_at(&with_line(&long), 9, "4096");
    // 1 MiB of comment lines, then one more.
    let line = format!("// {}\n", "y".repeat(1020)); // 1 KiB
    let big = format!("{PASSES}{}", line.repeat(1024));
    assert!(big.len() > 1 << 20);
    let e = parse(&big).expect_err("too large");
    let (word, text) = verdict(&big);
    assert_eq!(word, "malformed", "{text}");
    assert!(text.contains("1 MiB"), "{text}");
    assert!(
        e.lineno > 1000,
        "the line where the script crosses 1 MiB: {e}"
    );
    // From a file, the same, without reading the whole file.
    let dir = TempDir::new("large");
    dir.write("big.pkt", big.as_bytes());
    let s = run_corpus(dir.path()).expect("corpus");
    assert_eq!(s.reports[0].verdict.word(), "malformed");
    assert!(
        s.reports[0].verdict.to_string().contains("1 MiB"),
        "{}",
        s.reports[0].verdict
    );
}

/// An empty script, or one whose every line is a comment, a header or a skipped branch, checks
/// nothing: it is malformed ("no statements"), never a pass.
#[test]
fn scripts_without_statements_are_malformed_not_passes() {
    for src in [
        "",
        "\n\n",
        "// only a comment\n",
        "/* a block\n comment */\n",
        "--tolerance_usecs=1000\n--ip_version=ipv4\n",
        "#ifdef FreeBSD\n0 close(3) = 0\n#endif\n",
        "0 `sysctl -w net.inet.tcp.insecure_rst=1`\n",
    ] {
        let (word, text) = verdict(src);
        assert_eq!(word, "malformed", "{src:?}: {text}");
        assert!(text.contains("no statements"), "{src:?}: {text}");
    }
}

/// Every statement form the parser takes, cut short, is a parse error at its line.
#[test]
fn truncated_lines_are_parse_errors() {
    let truncated = [
        // Segments.
        "+0 < S 0:0(0) wi",
        "+0 < S 0:0(0) win",
        "+0 < S 0:0(0) ack",
        "+0 < S 0:0(0) ack 1 wi",
        "+0 < S 0:0(0",
        "+0 < S 0:0(",
        "+0 < S 0:0",
        "+0 < S 0:",
        "+0 < S 0",
        "+0 < S",
        "+0 <",
        "+0 > S. 0:0(0) ack 1 win 65535 <mss 1460",
        "+0 > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,eo",
        "+0 > S. 0:0(0) ack 1 win 65535 <mss 1460,",
        "+0 > S. 0:0(0) ack 1 win 65535 <mss",
        "+0 > S. 0:0(0) ack 1 win 65535 <",
        "+0 > S. 0:0(0) ack 1 win 65535 <TS val 100 ecr",
        "+0 > S. 0:0(0) ack 1 win 65535 <sack 1:",
        "+0 > S. ...(",
        "+0 > S. ..",
        "+0 <[noecn",
        // System calls.
        "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in",
        "+0 connect(3, ..., ...) = -1 EINPROG",
        "+0 connect(3, ..., ...) = -",
        "+0 connect(3, ..., ...) =",
        "+0 connect(3, ..., ...)",
        "+0 connect(3, ..., ..",
        "+0 connect(3, ",
        "+0 connect(",
        "+0 connect",
        "+0 fcntl(3, F_GETFL) = 0x",
        "+0 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR",
        "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4) = 0",
        "+0 write(4, ..., ) = 0",
        "+0 write(4, ...) = 0",
        "+0 read(4, ..., 10",
        // Shell lines.
        "+0 `sysctl -w net.inet.tcp.insecure_rst=1",
        "+0 `sysctl -w net.inet.tcp.insecure_rst=`",
        "+0 `sysctl -w net.inet.tcp.insecure_rst`",
        "+0 `sysctl -w`",
        "+0 `",
        // Python lines.
        "+0 %{ assert tcpi_state == TCPI_LISTEN",
        "+0 %{ assert tcpi_state == }%",
        "+0 %{ assert tcpi_state }%",
        "+0 %{",
        // Times.
        "+0.",
        "+0.1",
        "+",
        // Preprocessor and comments.
        "#ifdef",
        "#ifd",
    ];
    let mut accepted = Vec::new();
    for line in truncated {
        let src = with_line(line);
        match parse(&src) {
            Err(e) if e.lineno == 9 => {
                let (word, text) = verdict(&src);
                if word != "malformed" {
                    accepted.push(format!("{line:?}: {text}"));
                }
            }
            Err(e) => accepted.push(format!("{line:?}: error at another line: {e}")),
            Ok(_) => accepted.push(format!("{line:?}: accepted")),
        }
    }
    // An unterminated block comment swallowed the rest of the script.
    let src = format!("{PASSES}/* a comment\n+0 close(4) = 0\n");
    if !matches!(parse(&src), Err(e) if e.lineno == 9) {
        accepted.push("/* without */: accepted".into());
    }
    assert!(
        accepted.is_empty(),
        "truncated lines accepted:\n{}",
        accepted.join("\n")
    );
}

/// A failure's line, a parse error's line and reasons quoting the script are cut to 200
/// characters, with an ellipsis and the original length.
#[test]
fn echoed_lines_are_cut_to_200_characters() {
    // A failing line of 1,000-odd characters: accept() with nothing to accept, with a long note.
    let note = "n".repeat(1000);
    let src = format!(
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 accept(3, ..., ...) = 4 ({note})\n"
    );
    let line_chars = format!("+0 accept(3, ..., ...) = 4 ({note})")
        .chars()
        .count();
    let r = run_text("x.pkt", &src);
    let text = r.verdict.to_string();
    assert_eq!(r.verdict.word(), "fail", "{text}");
    assert!(text.len() < 600, "{} characters: {text}", text.len());
    assert!(
        text.contains(&format!("… ({line_chars} characters)")),
        "{text}"
    );
    // A parse error's line.
    let bad = format!("+0 < S 0:0(0) win 1 {}", "z".repeat(3000));
    let (word, text) = verdict(&with_line(&bad));
    assert_eq!(word, "malformed", "{text}");
    assert!(text.len() < 600, "{} characters: {text}", text.len());
    assert!(
        text.contains(&format!("… ({} characters)", bad.chars().count())),
        "{text}"
    );
    // A reason quoting a long word (an unknown system call's name).
    let name = "f".repeat(3000);
    let (_, text) = verdict(&with_line(&format!("+0 {name}(4) = 0")));
    assert!(text.len() < 600, "{} characters: {text}", text.len());
}

/// Malformed scripts are a verdict of their own: not a failure of connection management, not
/// "unsupported" (a feature the runner or endpoint lacks); the summary counts them apart.
#[test]
fn malformed_scripts_are_counted_apart() {
    let dir = TempDir::new("counted");
    dir.write("good.pkt", PASSES);
    dir.write("bad.pkt", with_line("+0 < S 0:0(0) wi"));
    dir.write("x-ecn.pkt", PASSES);
    let summary = run_corpus(dir.path()).expect("corpus");
    let words: Vec<_> = summary
        .reports
        .iter()
        .map(|r| (r.path.as_str(), r.verdict.word()))
        .collect();
    assert_eq!(
        words,
        [
            ("bad.pkt", "malformed"),
            ("good.pkt", "pass"),
            ("x-ecn.pkt", "unsupported")
        ]
    );
    assert_eq!(summary.counts().total(), 3);
    let text = summary.to_string();
    assert!(
        text.contains("all: 3 scripts: 1 pass, 0 fail, 1 unsupported, 1 malformed"),
        "{text}"
    );
    assert!(
        text.contains(
            "connection management: 1 scripts: 1 pass, 0 fail, 0 unsupported, 0 malformed"
        ),
        "{text}"
    );
    assert!(text.contains("malformed: line 9:"), "{text}");
    assert!(summary.baseline().contains("bad.pkt malformed\n"));
}
