//! Scenario replay on the endpoint: placeholder.
