//! Faults on the datagrams the tester sends to the peer: the network of RFC 9293 §3.4 ("the
//! segments may be lost, duplicated, delivered out of order, or delayed"), applied by index.

use proptest::prelude::*;

/// What happens to one datagram of the tester's on its way to the peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Never arrives.
    Lose,
    /// Arrives twice in a row.
    Duplicate,
    /// Arrives after the tester's next datagram (or, if none follows before the peer goes
    /// quiet, late on its own).
    Swap,
    /// Arrives, and then an earlier datagram of the tester's (`back` datagrams before it,
    /// counted from 1; the first one if there are fewer) arrives again: an old duplicate.
    LateDuplicate { back: usize },
}

/// The strategy for one fault.
pub fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        2 => Just(Fault::Lose),
        1 => Just(Fault::Duplicate),
        1 => Just(Fault::Swap),
        1 => (1usize..6).prop_map(|back| Fault::LateDuplicate { back }),
    ]
}

/// The fault rules at work: counts the tester's datagrams and holds a swapped one.
#[derive(Debug, Default)]
pub struct Faults {
    rules: std::collections::BTreeMap<usize, Fault>,
    sent: Vec<Vec<u8>>,
    held: Option<Vec<u8>>,
    /// What happened, for reports.
    pub log: Vec<String>,
}

impl Faults {
    pub fn new(rules: std::collections::BTreeMap<usize, Fault>) -> Faults {
        Faults {
            rules,
            ..Faults::default()
        }
    }

    /// The tester sends `d`: the datagrams that reach the peer now, in order.
    pub fn push(&mut self, d: Vec<u8>) -> Vec<Vec<u8>> {
        let n = self.sent.len();
        self.sent.push(d.clone());
        let earlier = self.held.take();
        let mut out = Vec::new();
        match self.rules.get(&n) {
            None => out.push(d),
            Some(Fault::Lose) => self.log.push(format!("#{n} lost")),
            Some(Fault::Duplicate) => {
                self.log.push(format!("#{n} duplicated"));
                out.push(d.clone());
                out.push(d);
            }
            Some(Fault::Swap) => {
                self.log.push(format!("#{n} held back"));
                self.held = Some(d);
            }
            Some(Fault::LateDuplicate { back }) => {
                let k = n.saturating_sub(*back);
                self.log
                    .push(format!("#{n} followed by an old duplicate of #{k}"));
                out.push(d);
                out.push(self.sent[k].clone());
            }
        }
        out.extend(earlier);
        out
    }

    /// The held datagram, when nothing else is about to overtake it.
    pub fn release(&mut self) -> Option<Vec<u8>> {
        let d = self.held.take()?;
        self.log.push("held datagram released".to_string());
        Some(d)
    }

    pub fn holding(&self) -> bool {
        self.held.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: u8) -> Vec<u8> {
        vec![n]
    }

    #[test]
    fn each_fault_does_what_it_says() {
        let rules = [
            (1, Fault::Lose),
            (2, Fault::Duplicate),
            (3, Fault::Swap),
            (5, Fault::LateDuplicate { back: 4 }),
        ];
        let mut f = Faults::new(rules.into_iter().collect());
        assert_eq!(f.push(d(0)), vec![d(0)]);
        assert_eq!(f.push(d(1)), Vec::<Vec<u8>>::new());
        assert_eq!(f.push(d(2)), vec![d(2), d(2)]);
        assert_eq!(f.push(d(3)), Vec::<Vec<u8>>::new());
        assert!(f.holding());
        // The held datagram goes after the next one.
        assert_eq!(f.push(d(4)), vec![d(4), d(3)]);
        assert_eq!(f.push(d(5)), vec![d(5), d(1)]);
        assert_eq!(f.release(), None);
    }

    #[test]
    fn a_held_datagram_with_nothing_after_it_is_released() {
        let mut f = Faults::new([(0, Fault::Swap)].into_iter().collect());
        assert!(f.push(d(0)).is_empty());
        assert_eq!(f.release(), Some(d(0)));
        assert!(!f.holding());
    }
}
