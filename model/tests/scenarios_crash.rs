//! The crash scenarios (RFC 9293 §3.5.1, Figures 9 and 10) replayed on the model: the states
//! and segments the figures show, and the `sometimes` property each figure stands for, true
//! where the scenario ends.

use stateright::actor::{ActorModelAction, Id};
use stateright::{Expectation, Model};
use synfin_model::ghost::Ghost;
use synfin_model::model::{host, SysState};
use synfin_model::properties::{info, Prop};
use synfin_model::scenarios::{scenario, Do, Scenario};
use synfin_model::trace::{self, Step};
use synfin_model::{Flags, State, TcpModel};

/// The scenario's model, every state of its path (the initial one first) and its steps.
fn replay(name: &str) -> (Scenario, TcpModel, Vec<SysState>, Vec<Step>) {
    let sc = scenario(name).expect("named scenario");
    let model = sc.model();
    let actions = sc.actions(&model).expect("the scenario replays");
    let path = model.path(&actions).expect("its actions form a path");
    let steps = trace::steps(&model, &path);
    (sc, model, path.into_states(), steps)
}

/// Whether property `prop` of the catalog holds in `s`.
fn holds(model: &TcpModel, prop: Prop, s: &SysState) -> bool {
    (info::<TcpModel>(prop).condition)(model, s)
}

fn states(s: &SysState) -> [State; 2] {
    [host(s, 0).tcb.state, host(s, 1).tcb.state]
}

/// The states right after the handshake, the crash and the reboot (`first` is the crash).
fn crash_and_reboot(sc: &Scenario, model: &TcpModel, path: &[SysState]) {
    let (j, k) = (model.cfg().isn[0], model.cfg().isn[1]);
    let before = &path[sc.first];
    assert_eq!(states(before), [State::Established; 2]);
    assert_eq!((host(before, 0).tcb.iss, host(before, 1).tcb.iss), (j, k));
    let crashed = &path[sc.first + 1];
    assert!(crashed.crashed[0] && !crashed.crashed[1]);
    let rebooted = &path[sc.first + 2];
    let a = host(rebooted, 0);
    assert!(!rebooted.crashed[0]);
    assert_eq!(a.tcb.state, State::Closed);
    assert_eq!(a.incarnation, 1);
    assert!(a.ghost.has(Ghost::REBOOTED));
    assert_eq!(a.tcb.iss, model.host(0).iss_of(1));
    assert_ne!(a.tcb.iss, j, "the reboot takes a new ISS");
    assert_eq!(a.next_call, 0, "the user starts its script over");
    assert_eq!(host(rebooted, 1).tcb.state, State::Established);
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# When the SYN arrives at line 3, TCP Peer B, being in a synchronized state, and the incoming
//# segment outside the window, responds with an acknowledgment indicating what sequence it next
//# expects to hear (ACK 100).
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# TCP Peer A sees that this segment does not acknowledge anything it sent and, being
//# unsynchronized, sends a reset (RST) because it has detected a half-open connection. TCP Peer B
//# aborts at line 5.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.4.1
//# When new connections are created, an initial sequence number (ISN) generator is employed that
//# selects a new 32-bit ISN.
#[test]
fn fig9_new_syn_discovers_half_open_connection() {
    let (sc, model, path, steps) = replay("fig9-half-open-discovery");
    crash_and_reboot(&sc, &model, &path);
    let (j, k) = (model.cfg().isn[0], model.cfg().isn[1]);
    let f = sc.first;
    // 3. A opens again: SYN-SENT, a SYN with the new ISS.
    let syn = steps[f + 2].sent.expect("A sends its SYN");
    assert_eq!(syn.flags, Flags::SYN);
    assert_eq!(syn.seq, model.host(0).iss_of(1));
    assert_eq!(states(&path[f + 3]), [State::SynSent, State::Established]);
    // 4. B, ESTABLISHED, answers the SYN with an ACK of what it holds (RFC 5961 §4's challenge
    // ACK: <SEQ=SND.NXT><ACK=RCV.NXT>), and stays ESTABLISHED.
    let ack = steps[f + 3].sent.expect("B answers the SYN");
    assert_eq!(ack.flags, Flags::ACK);
    assert_eq!((ack.seq, ack.ack), (k.add(1), j.add(1)));
    assert_eq!(states(&path[f + 4]), [State::SynSent, State::Established]);
    // 5. The ACK acknowledges nothing A's new connection sent: A answers <SEQ=SEG.ACK><CTL=RST>
    // and stays SYN-SENT.
    let rst = steps[f + 4].sent.expect("A answers the ACK");
    assert_eq!(rst.flags, Flags::RST);
    assert_eq!(rst.seq, ack.ack);
    assert_eq!(
        rst.seq,
        host(&path[f + 4], 1).tcb.rcv_nxt,
        "the RST is in B's window"
    );
    // 6. B aborts: connection reset, CLOSED; A is still SYN-SENT.
    assert_eq!(steps[f + 5].events, ["connection reset"]);
    let end = path.last().unwrap();
    assert_eq!(states(end), [State::SynSent, State::Closed]);
    assert!(host(end, 1).ghost.has(Ghost::RESET_SYNCHRONIZED));
    assert!(holds(&model, Prop::Fig9HalfOpenBySyn, end));
    assert!(path[..path.len() - 1]
        .iter()
        .all(|s| !holds(&model, Prop::Fig9HalfOpenBySyn, s)));
    assert!(!holds(&model, Prop::Fig10HalfOpenBySegment, end));
}

//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# In this case, the data arriving at TCP Peer A from TCP Peer B (line 2) is unacceptable because
//# no such connection exists, so TCP Peer A sends a RST. The RST is acceptable so TCP Peer B
//# processes it and aborts the connection.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# If at site A the connection no longer exists, then an attempt by the user at site B to send any
//# data on it will result in the site B TCP endpoint receiving a reset control message.
#[test]
fn fig10_segment_to_rebooted_host_is_reset() {
    let (sc, model, path, steps) = replay("fig10-half-open-by-segment");
    crash_and_reboot(&sc, &model, &path);
    let (j, k) = (model.cfg().isn[0], model.cfg().isn[1]);
    let f = sc.first;
    // 2. B sends on the connection A no longer has: its FIN.
    let fin = steps[f + 2].sent.expect("B sends its FIN");
    assert_eq!(fin.flags, Flags::FIN_ACK);
    assert_eq!((fin.seq, fin.ack), (k.add(1), j.add(1)));
    assert_eq!(states(&path[f + 3]), [State::Closed, State::FinWait1]);
    // 3. A, CLOSED, answers <SEQ=SEG.ACK><CTL=RST> and stays CLOSED.
    let rst = steps[f + 3].sent.expect("A answers the FIN");
    assert_eq!(rst.flags, Flags::RST);
    assert_eq!(rst.seq, fin.ack);
    assert_eq!(states(&path[f + 4]), [State::Closed, State::FinWait1]);
    // B aborts: connection reset, CLOSED.
    assert_eq!(steps[f + 4].events, ["connection reset"]);
    let end = path.last().unwrap();
    assert_eq!(states(end), [State::Closed, State::Closed]);
    assert!(host(end, 1).ghost.has(Ghost::RESET_SYNCHRONIZED));
    assert!(holds(&model, Prop::Fig10HalfOpenBySegment, end));
    assert!(path[..path.len() - 1]
        .iter()
        .all(|s| !holds(&model, Prop::Fig10HalfOpenBySegment, s)));
    assert!(!holds(&model, Prop::Fig9HalfOpenBySyn, end));
}

/// The resets of Figures 9 and 10 are justified (the rebooted end no longer holds the
/// connection), and no other safety property of the crash configuration fails on the way.
//= https://www.rfc-editor.org/rfc/rfc9293#section-3.5.1
//# Such connections will automatically become reset if an attempt is made to send data in either
//# direction.
#[test]
fn half_open_discovery_breaks_no_safety_property() {
    for name in ["fig9-half-open-discovery", "fig10-half-open-by-segment"] {
        let (_, model, path, _) = replay(name);
        for p in model.properties() {
            if p.expectation != Expectation::Always {
                continue;
            }
            for (n, s) in path.iter().enumerate() {
                assert!((p.condition)(&model, s), "{name}: {} fails at {n}", p.name);
            }
        }
        let end = path.last().unwrap();
        assert!(!host(end, 1).ghost.has(Ghost::UNJUSTIFIED_RESET), "{name}");
    }
}

/// A scenario cannot make the model do what the checker would not: recover a host that is up,
/// or crash a host twice (each host reboots at most once).
#[test]
fn a_scenario_crashes_only_as_the_model_allows() {
    let mut sc = scenario("fig9-half-open-discovery").expect("named scenario");
    let model = sc.model();
    sc.script = vec![Do::Recover(0)];
    let err = sc.actions(&model).unwrap_err();
    assert!(err.contains("does not apply"), "{err}");
    sc.script = vec![Do::Crash(0), Do::Crash(1)];
    assert!(sc.actions(&model).is_err(), "one host down at a time");
    sc.script = vec![Do::Crash(0), Do::Recover(0), Do::Crash(0)];
    let err = sc.actions(&model).unwrap_err();
    assert!(err.contains("step 2"), "{err}");
    sc.script = vec![Do::Crash(0), Do::Recover(0), Do::Crash(1), Do::Recover(1)];
    let actions = sc.actions(&model).expect("each host may reboot once");
    assert_eq!(actions[0], ActorModelAction::Crash(Id::from(0)));
    assert_eq!(actions[3], ActorModelAction::Recover(Id::from(1)));
}

/// A crashed host receives nothing: a delivery to it does not apply.
#[test]
fn a_crashed_host_receives_nothing() {
    let mut sc = scenario("fig10-half-open-by-segment").expect("named scenario");
    let model = sc.model();
    sc.script = vec![Do::User(0), Do::User(1), Do::Crash(1), Do::Deliver(0)];
    let err = sc.actions(&model).unwrap_err();
    assert!(err.contains("step 3"), "{err}");
}
