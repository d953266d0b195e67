//! The broken variants (`synfin_model::broken`) are transformations around the reference
//! rules. Each must give exactly the state space its rule gave when it was written inside the
//! reference rules: the counts below were measured with that earlier implementation (commit
//! 77728f7, `synfin check --config lifecycle --broken NAME --no-liveness --threads 1`), and
//! the same runs of both implementations agreed on 88 (variant, configuration) pairs in unique
//! states, transitions and every property's verdict.

use stateright::{Checker, Model};
use synfin_model::compact::CompactModel;
use synfin_model::{config, Broken};

#[test]
fn every_broken_variant_has_the_state_space_it_had_inside_the_rules() {
    let expected: [(Broken, usize, usize); 14] = [
        (Broken::WrongIrs, 31672, 270897),
        (Broken::AckTooFar, 54201, 515852),
        (Broken::RstEstablishes, 32964, 280307),
        (Broken::CloseSkipsFinWait1, 89352, 800513),
        (Broken::LastAckAnyAck, 35256, 302065),
        (Broken::AckFinUnprocessed, 31608, 269551),
        (Broken::CloseWaitIgnoresClose, 25237, 217198),
        (Broken::DeliverDuplicate, 31672, 270897),
        (Broken::TwoWayHandshake, 31248, 267041),
        (Broken::NoTimeWait, 37817, 330042),
        (Broken::RstNoSeqCheck, 50976, 427601),
        (Broken::FinNeverRetransmitted, 4744, 34490),
        (Broken::FinOverwritesIrs, 37624, 323889),
        (Broken::AckEveryAck, 28668, 256957),
    ];
    for (broken, unique, transitions) in expected {
        let mut cfg = config("lifecycle").unwrap();
        cfg.profile.broken = Some(broken);
        let m = CompactModel::new(cfg).unwrap();
        let c = m.clone().checker().spawn_dfs().join();
        assert_eq!(
            (c.unique_state_count(), c.state_count()),
            (unique, transitions),
            "{broken:?}"
        );
        assert!(!m.overflowed());
    }
}

/// `data` is where `DeliverDuplicate` shows (lifecycle carries no text).
#[test]
fn deliver_duplicate_has_its_state_space_on_data() {
    let mut cfg = config("data").unwrap();
    cfg.profile.broken = Some(Broken::DeliverDuplicate);
    let c = CompactModel::new(cfg)
        .unwrap()
        .checker()
        .threads(2)
        .spawn_dfs()
        .join();
    assert_eq!(c.unique_state_count(), 3554450);
}
