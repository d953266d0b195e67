//! The Mermaid exporter (`synfin_model::mermaid`): the seed's handshake and close drawn as
//! sequence diagrams, compared with text written by hand from RFC 9293's notation (§3.5,
//! Figure 6; §3.6, Figure 12), and the escaping of the characters Mermaid's grammar reserves.

use synfin_model::mermaid::{escape, render, render_from};
use synfin_model::scenarios::{scenario, Scenario, NAMES};
use synfin_model::segment::Segment;
use synfin_model::trace::{self, Names, Step};
use synfin_model::{Flags, Seq, State, TcpModel};

/// The scenario, its model, its steps and its names.
fn replay(name: &str) -> (Scenario, TcpModel, Vec<Step>, Names) {
    let sc = scenario(name).expect("named scenario");
    let model = sc.model();
    let actions = sc.actions(&model).expect("the scenario replays");
    let path = model.path(&actions).expect("its actions form a path");
    let steps = trace::steps(&model, &path);
    let names = (sc.names)(model.cfg());
    (sc, model, steps, names)
}

/// Line by line, so that a failure says which line differs.
fn assert_lines(got: &str, want: &str) {
    let (g, w): (Vec<_>, Vec<_>) = (got.lines().collect(), want.lines().collect());
    for (n, (g, w)) in g.iter().zip(&w).enumerate() {
        assert_eq!(g, w, "line {}:\n{got}", n + 1);
    }
    assert_eq!(g.len(), w.len(), "line count:\n{got}");
    assert_eq!(got, want);
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# The synchronization requires each side to send its own initial sequence number and to receive a
//# confirmation of it in acknowledgment from the remote TCP peer. Each side must also receive the
//# remote peer's initial sequence number and send a confirming acknowledgment.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5
//# In line 3, TCP Peer B sends a SYN and acknowledges the SYN it received from TCP Peer A.
#[test]
fn seed_handshake_is_figure_6_as_a_sequence_diagram() {
    let (_, model, steps, names) = replay("seed-handshake");
    let want = "\
sequenceDiagram
    participant A
    participant B
    Note over A,B: J = 100, K = 4294967292
    Note over A: CLOSED
    Note over B: CLOSED
    Note over A: OPEN (active) → SYN-SENT
    Note over B: OPEN (passive) → LISTEN
    A->>B: <SEQ=J><CTL=SYN>
    Note over B: SYN-RECEIVED
    B->>A: <SEQ=K><ACK=J+1><CTL=SYN,ACK>
    Note over A: ESTABLISHED [connected]
    A->>B: <SEQ=J+1><ACK=K+1><CTL=ACK>
    Note over B: ESTABLISHED [connected]
";
    assert_lines(&render(&model, &steps, &names), want);
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# When the other TCP peer has both acknowledged the FIN and sent a FIN of its own, the first TCP
//# peer can ACK this FIN.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.6
//# The TCP endpoint then waits until its own FIN is acknowledged whereupon it deletes the
//# connection.
#[test]
fn seed_close_is_figure_12_as_a_sequence_diagram() {
    let (sc, model, steps, names) = replay("seed-close");
    let want = "\
sequenceDiagram
    participant A
    participant B
    Note over A,B: M = 101, N = 4294967293
    Note over A: ESTABLISHED
    Note over B: ESTABLISHED
    Note over A: CLOSE → FIN-WAIT-1
    A->>B: <SEQ=M><ACK=N><CTL=FIN,ACK>
    Note over B: CLOSE-WAIT [connection closing]
    B->>A: <SEQ=N><ACK=M+1><CTL=ACK>
    Note over A: FIN-WAIT-2
    Note over B: CLOSE → LAST-ACK
    B->>A: <SEQ=N><ACK=M+1><CTL=FIN,ACK>
    Note over A: TIME-WAIT [connection closing]
    A->>B: <SEQ=M+1><ACK=N+1><CTL=ACK>
    Note over B: CLOSED [closed]
    Note over A: 2MSL timeout → CLOSED [closed]
";
    assert_lines(&render_from(&model, &steps, &names, sc.first), want);
}

#[test]
fn the_whole_close_starts_from_closed_and_contains_the_handshake() {
    let (_, model, steps, names) = replay("seed-close");
    let (_, hs_model, hs_steps, _) = replay("seed-handshake");
    let whole = render(&model, &steps, &names);
    assert_eq!(whole, render_from(&model, &steps, &names, 0));
    // The handshake's arrows, with the close's names (J = M-1 and K = N-1 have no name).
    let hs = render(&hs_model, &hs_steps, &names);
    let arrows = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains("->>"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(arrows(&hs), arrows(&whole)[..3].to_vec());
    assert_eq!(
        arrows(&hs),
        [
            "    A->>B: <SEQ=100><CTL=SYN>",
            "    B->>A: <SEQ=4294967292><ACK=M><CTL=SYN,ACK>",
            "    A->>B: <SEQ=M><ACK=N><CTL=ACK>",
        ]
    );
}

#[test]
fn no_line_of_any_scenario_holds_a_raw_semicolon_or_hash() {
    for name in NAMES {
        let (_, model, steps, names) = replay(name);
        let out = render(&model, &steps, &names);
        assert!(out.starts_with("sequenceDiagram\n"), "{name}:\n{out}");
        for line in out.lines() {
            // Only entity codes may hold them: `#35;`, `#59;`.
            let bare = line.replace("#35;", "").replace("#59;", "");
            assert!(!bare.contains(';'), "{name}: raw ';' in {line:?}");
            assert!(!bare.contains('#'), "{name}: raw '#' in {line:?}");
        }
    }
}

#[test]
fn semicolons_and_hashes_become_entity_codes() {
    assert_eq!(escape("a; b #1"), "a#59; b #35;1");
    assert_eq!(escape("#59;"), "#35;59#59;");
    assert_eq!(escape("two\nlines"), "two lines");

    // A step whose words hold both, and a loss.
    let (_, model, mut steps, names) = replay("seed-handshake");
    let syn = Segment::new(Flags::SYN, Seq(100), Seq(0));
    steps.truncate(1);
    steps.push(Step {
        actor: "network".into(),
        action: "loses".into(),
        segment: Some((0, syn)),
        sent: None,
        states: steps[0].states,
        events: vec![],
    });
    steps.push(Step {
        actor: "A".into(),
        action: "retransmission timeout; #2".into(),
        segment: None,
        sent: Some(syn),
        states: [State::SynSent, State::Closed],
        events: vec!["connected", "closed"],
    });
    let out = render(&model, &steps, &names);
    let tail: Vec<_> = out.lines().skip(7).collect();
    assert_eq!(
        tail,
        [
            "    A-xB: <SEQ=J><CTL=SYN> (lost)",
            "    Note over A: retransmission timeout#59; #35;2 [connected, closed]",
        ],
        "{out}"
    );
}
