//! The odds of the off-path attacker's blind segments (`synfin_model::attack`, `odds`),
//! checked by brute force: on a reduced window (RCV.WND = MAX.SND.WND = 1024), at every
//! synchronized block the victim reaches, every SEQ (and ACK) around every class boundary is
//! given to the rules one by one; each must meet the fate of its class's member, and the
//! successes counted one by one must be the odds the classes give.

use synfin_model::attack::{self, AckClass, Kind, SeqClass};
use synfin_model::{config, odds, rules, Config, Flags, Reading, Rfc, Segment, Seq, Tcb};

const W: u32 = 1024;

fn reduced(name: &str, rfc: Rfc) -> Config {
    let mut cfg = config(name).unwrap();
    cfg.profile.window = W;
    cfg.profile.rfc = rfc;
    cfg
}

fn segment(kind: Kind, seq: Seq, ack: Seq) -> Segment {
    match kind {
        Kind::Rst => Segment::new(Flags::RST, seq, Seq(0)),
        Kind::Syn => Segment::new(Flags::SYN, seq, Seq(0)),
        Kind::Data => Segment::new(Flags::ACK, seq, ack).with_len(1),
    }
}

fn succeeds(kind: Kind, t: &Tcb, seg: &Segment, r: &Reading) -> bool {
    attack::succeeded(kind, t, &rules::segment_arrives(t, seg, r))
}

/// The values tried around a boundary: every one within 64 of it.
fn around(b: Seq) -> impl Iterator<Item = Seq> {
    (0..128u32).map(move |k| b.add(k.wrapping_sub(64)))
}

/// SEQ values around every boundary of the SEQ classes (RCV.NXT, the window's right edge,
/// the far side of the sequence space where right of the window turns into left of it).
fn seqs(t: &Tcb) -> Vec<Seq> {
    [t.rcv_nxt, t.rcv_nxt.add(W), t.rcv_nxt.add(1 << 31)]
        .into_iter()
        .flat_map(around)
        .collect()
}

/// ACK values around every boundary of the ACK classes.
fn acks(t: &Tcb) -> Vec<Seq> {
    [
        t.snd_una.add(W.wrapping_neg()),
        t.snd_una,
        t.snd_nxt,
        t.snd_nxt.add(1 << 31),
    ]
    .into_iter()
    .flat_map(around)
    .collect()
}

fn cases() -> Vec<(Kind, Config)> {
    let mut v = Vec::new();
    for rfc in [Rfc::Rfc5961, Rfc::Rfc793] {
        v.push((Kind::Rst, reduced("blind-reset", rfc)));
        v.push((Kind::Syn, reduced("blind-syn", rfc)));
        v.push((Kind::Data, reduced("blind-data", rfc)));
    }
    v
}

#[test]
fn every_guess_around_a_class_boundary_meets_the_fate_of_its_classs_member() {
    let mut tried = 0u64;
    for (kind, cfg) in cases() {
        let r = cfg.profile;
        let blocks = odds::victim_blocks(&cfg).unwrap();
        assert!(
            !blocks.is_empty(),
            "{}: the victim is never synchronized",
            cfg.name
        );
        for t in &blocks {
            let fate = attack::classes_against(kind, t, &r, rules::segment_arrives);
            let of = |s: SeqClass, a: AckClass| {
                fate.iter()
                    .find(|c| c.0 == s && (kind != Kind::Data || c.1 == a))
                    .map(|c| c.3)
                    .unwrap()
            };
            let acks = if kind == Kind::Data {
                acks(t)
            } else {
                vec![Seq(0)]
            };
            for seq in seqs(t) {
                for &ack in &acks {
                    let seg = segment(kind, seq, ack);
                    let want = of(SeqClass::of(seq, t.rcv_nxt, W), AckClass::of(ack, t, W));
                    assert_eq!(
                        succeeds(kind, t, &seg, &r),
                        want,
                        "{} {:?}: {seg:?} at {t:?}",
                        cfg.name,
                        r.rfc
                    );
                    tried += 1;
                }
            }
        }
    }
    assert!(tried > 100_000, "{tried}");
}

#[test]
fn a_blind_rst_or_syn_succeeds_as_often_as_the_guesses_counted_one_by_one() {
    for (kind, cfg) in cases().into_iter().filter(|(k, _)| *k != Kind::Data) {
        let r = cfg.profile;
        for t in &odds::victim_blocks(&cfg).unwrap() {
            // Every SEQ within 2^17 of RCV.NXT, then every 4096th value of the rest.
            let near = (0..1u32 << 18).map(|k| t.rcv_nxt.add(k.wrapping_sub(1 << 17)));
            let hits = near
                .filter(|&s| succeeds(kind, t, &segment(kind, s, Seq(0)), &r))
                .count() as u128;
            let far = (1u32 << 5..(1 << 20) - (1 << 5))
                .map(|k| t.rcv_nxt.add(k << 12))
                .filter(|&s| succeeds(kind, t, &segment(kind, s, Seq(0)), &r))
                .count();
            assert_eq!(far, 0, "{} {:?}: a far guess succeeded", cfg.name, r.rfc);
            let chance = attack::chance(kind, t, &r, rules::segment_arrives);
            assert_eq!(hits, chance.hits, "{} {:?} at {t:?}", cfg.name, r.rfc);
        }
    }
}

#[test]
fn the_classes_partition_the_sequence_space() {
    let cfg = reduced("blind-data", Rfc::Rfc5961);
    for t in &odds::victim_blocks(&cfg).unwrap() {
        let seq: u64 = SeqClass::ALL.iter().map(|c| c.size(W)).sum();
        let ack: u64 = AckClass::ALL.iter().map(|c| c.size(t, W)).sum();
        assert_eq!((seq, ack), (1 << 32, 1 << 32));
        // Each class's size is the count of its members: its first and last value are in it,
        // the values just outside are not (the classes are intervals of sequence space).
        let first_last = |lo: Seq, n: u64| (lo, lo.add((n - 1) as u32), lo.add(n as u32));
        for c in SeqClass::ALL {
            let lo = match c {
                SeqClass::At => t.rcv_nxt,
                SeqClass::In => t.rcv_nxt.add(1),
                SeqClass::Above => t.rcv_nxt.add(W),
                SeqClass::Below => t.rcv_nxt.add(1 << 31),
            };
            let (a, b, after) = first_last(lo, c.size(W));
            assert_eq!(
                (SeqClass::of(a, t.rcv_nxt, W), SeqClass::of(b, t.rcv_nxt, W)),
                (c, c)
            );
            assert_ne!(SeqClass::of(after, t.rcv_nxt, W), c);
        }
        for c in AckClass::ALL {
            let lo = match c {
                AckClass::Old => t.snd_una.add(W.wrapping_neg()),
                AckClass::Acceptable => t.snd_una,
                AckClass::Ahead => t.snd_nxt.add(1),
                AckClass::TooOld => t.snd_nxt.add(1 << 31),
            };
            let (a, b, after) = first_last(lo, c.size(t, W));
            assert_eq!((AckClass::of(a, t, W), AckClass::of(b, t, W)), (c, c));
            assert_ne!(AckClass::of(after, t, W), c);
        }
    }
}

/// The figures `synfin check --config blind-reset` prints: one blind RST succeeds with
/// probability 1/2^32 under RFC 5961 and RCV.WND/2^32 under RFC 793; a SYN never, or
/// RCV.WND/2^32; data (W + 3)/2^64, or about 2^-33.
#[test]
fn the_odds_table_gives_rfc_5961_and_rfc_793_their_figures() {
    let hits = |name: &str| -> Vec<(Rfc, u128)> {
        let t = odds::table(&config(name).unwrap()).unwrap().unwrap();
        t.rows.iter().map(|r| (r.reading, r.hits)).collect()
    };
    let w = 65535u128;
    assert_eq!(hits("blind-reset"), [(Rfc::Rfc5961, 1), (Rfc::Rfc793, w)]);
    assert_eq!(hits("blind-syn"), [(Rfc::Rfc5961, 0), (Rfc::Rfc793, w)]);
    // RFC 5961: SEQ exact, ACK in SND.UNA - MAX.SND.WND ..= SND.NXT (best in FIN-WAIT-1
    // straight from SYN-RECEIVED, SYN,ACK and FIN both unacknowledged: W + 3 values). RFC 793:
    // SEQ exact, ACK anything not above SND.NXT.
    let half = 1u128 << 31;
    assert_eq!(
        hits("blind-data"),
        [
            (Rfc::Rfc5961, w + 3),
            (Rfc::Rfc793, (1u128 << 32) - (half - 1))
        ]
    );
}
