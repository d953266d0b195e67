//! The named properties' identifiers: [`Prop`], one variant per property of
//! [`crate::properties::catalog`], so that code names a property by type and only the command
//! line and reports spell it (`Prop::name`, `Prop::from_name`).

use crate::state::State;
use std::fmt;

/// A property of the catalog. The `always` ones first, then the `sometimes` ones, in the
/// catalog's order ([`Prop::ALL`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prop {
    /// `isn-agreement`
    IsnAgreement,
    /// `honest-acks`
    HonestAcks,
    /// `no-half-open`
    NoHalfOpen,
    /// `diagram-edges`
    DiagramEdges,
    /// `orderly-close`
    OrderlyClose,
    /// `fin-ack-means-received`
    FinAckMeansReceived,
    /// `good-terminal-states`
    GoodTerminalStates,
    /// `resets-justified`
    ResetsJustified,
    /// `no-stale-accepted`
    NoStaleAccepted,
    /// `time-wait-lasts`
    TimeWaitLasts,
    /// `data-integrity`
    DataIntegrity,
    /// `no-blind-reset`
    NoBlindReset,
    /// `no-blind-syn-teardown`
    NoBlindSynTeardown,
    /// `no-blind-data`
    NoBlindData,
    /// `reach-<state>`: an end is in this state.
    Reach(State),
    /// `seed-handshake`
    SeedHandshake,
    /// `seed-close`
    SeedClose,
    /// `syn-retransmitted`
    SynRetransmitted,
    /// `simultaneous-open`
    SimultaneousOpen,
    /// `peer-reset`
    PeerReset,
    /// `fin-wait-2-stranded`
    FinWait2Stranded,
    /// `fig9-half-open-by-syn`
    Fig9HalfOpenBySyn,
    /// `fig10-half-open-by-segment`
    Fig10HalfOpenBySegment,
    /// `second-incarnation-established`
    SecondIncarnationEstablished,
    /// `data-both-ways`
    DataBothWays,
}

use Prop::*;

/// `reach-<state>` for every state, in Figure 5's order.
pub const REACH_ALL: [Prop; 11] = [
    Reach(State::Closed),
    Reach(State::Listen),
    Reach(State::SynSent),
    Reach(State::SynReceived),
    Reach(State::Established),
    Reach(State::FinWait1),
    Reach(State::FinWait2),
    Reach(State::CloseWait),
    Reach(State::Closing),
    Reach(State::LastAck),
    Reach(State::TimeWait),
];

impl Prop {
    /// Every property, in the catalog's order.
    pub const ALL: [Prop; 35] = [
        IsnAgreement,
        HonestAcks,
        NoHalfOpen,
        DiagramEdges,
        OrderlyClose,
        FinAckMeansReceived,
        GoodTerminalStates,
        ResetsJustified,
        NoStaleAccepted,
        TimeWaitLasts,
        DataIntegrity,
        NoBlindReset,
        NoBlindSynTeardown,
        NoBlindData,
        REACH_ALL[0],
        REACH_ALL[1],
        REACH_ALL[2],
        REACH_ALL[3],
        REACH_ALL[4],
        REACH_ALL[5],
        REACH_ALL[6],
        REACH_ALL[7],
        REACH_ALL[8],
        REACH_ALL[9],
        REACH_ALL[10],
        SeedHandshake,
        SeedClose,
        SynRetransmitted,
        SimultaneousOpen,
        PeerReset,
        FinWait2Stranded,
        Fig9HalfOpenBySyn,
        Fig10HalfOpenBySegment,
        SecondIncarnationEstablished,
        DataBothWays,
    ];

    /// The name `synfin` prints and takes on its command line.
    pub const fn name(self) -> &'static str {
        match self {
            IsnAgreement => "isn-agreement",
            HonestAcks => "honest-acks",
            NoHalfOpen => "no-half-open",
            DiagramEdges => "diagram-edges",
            OrderlyClose => "orderly-close",
            FinAckMeansReceived => "fin-ack-means-received",
            GoodTerminalStates => "good-terminal-states",
            ResetsJustified => "resets-justified",
            NoStaleAccepted => "no-stale-accepted",
            TimeWaitLasts => "time-wait-lasts",
            DataIntegrity => "data-integrity",
            NoBlindReset => "no-blind-reset",
            NoBlindSynTeardown => "no-blind-syn-teardown",
            NoBlindData => "no-blind-data",
            Reach(s) => match s {
                State::Closed => "reach-closed",
                State::Listen => "reach-listen",
                State::SynSent => "reach-syn-sent",
                State::SynReceived => "reach-syn-received",
                State::Established => "reach-established",
                State::FinWait1 => "reach-fin-wait-1",
                State::FinWait2 => "reach-fin-wait-2",
                State::CloseWait => "reach-close-wait",
                State::Closing => "reach-closing",
                State::LastAck => "reach-last-ack",
                State::TimeWait => "reach-time-wait",
            },
            SeedHandshake => "seed-handshake",
            SeedClose => "seed-close",
            SynRetransmitted => "syn-retransmitted",
            SimultaneousOpen => "simultaneous-open",
            PeerReset => "peer-reset",
            FinWait2Stranded => "fin-wait-2-stranded",
            Fig9HalfOpenBySyn => "fig9-half-open-by-syn",
            Fig10HalfOpenBySegment => "fig10-half-open-by-segment",
            SecondIncarnationEstablished => "second-incarnation-established",
            DataBothWays => "data-both-ways",
        }
    }

    /// The property called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Prop> {
        Prop::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether it follows the seed's exact segments (`seed-handshake`, `seed-close`), which
    /// the model then has to track.
    pub const fn is_seed(self) -> bool {
        matches!(self, SeedHandshake | SeedClose)
    }

    /// The attack a blind property is about (`None` for the others): checked only where the
    /// configuration's attacker makes it.
    pub const fn attack(self) -> Option<crate::attack::Kind> {
        match self {
            NoBlindReset => Some(crate::attack::Kind::Rst),
            NoBlindSynTeardown => Some(crate::attack::Kind::Syn),
            NoBlindData => Some(crate::attack::Kind::Data),
            _ => None,
        }
    }
}

/// A property serializes as its name.
impl serde::Serialize for Prop {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for Prop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_has_its_own_name_and_is_found_by_it() {
        let mut names: Vec<&str> = Prop::ALL.iter().map(|p| p.name()).collect();
        for p in Prop::ALL {
            assert_eq!(Prop::from_name(p.name()), Some(p));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Prop::ALL.len());
        assert_eq!(Prop::from_name("reach-nowhere"), None);
    }

    #[test]
    fn the_catalog_lists_every_property_once_in_the_order_of_all() {
        let ids: Vec<Prop> = crate::properties::catalog().iter().map(|p| p.id).collect();
        assert_eq!(ids, Prop::ALL);
    }
}
