//! What a person sees of the model, in the words of synfin's text traces: action labels
//! ([`label`]), the state of both hosts and the network ([`panel`]), a sequence diagram as SVG
//! ([`svg`]), and the explorer's address of a path ([`address`]). `synfin explore` serves these;
//! nothing here changes what the checker explores.

pub mod address;
pub mod label;
pub mod panel;
pub mod svg;
