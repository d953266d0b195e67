//! `synfin-model`: RFC 9293 connection management as pure reference rules ([`rules`]) and as a
//! stateright actor model explored exhaustively under loss, duplication and reordering.
#![forbid(unsafe_code)]

pub mod attack;
pub mod broken;
pub mod rules;
pub mod segment;
pub mod seq;
pub mod state;
pub mod tcb;

pub use segment::{Flags, Segment};
pub use seq::Seq;
pub use state::State;
pub use tcb::{Broken, Reading, Rfc, Tcb};

pub mod compact;
pub mod config;
pub mod engine;
pub mod ghost;
pub mod host;
pub mod model;
pub mod odds;
pub mod prop;
pub mod properties;
pub mod script;
pub mod seed;
pub mod side_channel;
pub mod system;
pub mod throttle;

pub use config::{config, configs, Config, Goal, IsnPolicy, NetworkKnobs};
pub use model::TcpModel;
pub mod liveness;
pub mod mermaid;
pub mod scenarios;
pub mod shortest;
pub mod trace;
pub mod view;
