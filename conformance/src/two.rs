//! Two-endpoint conformance: placeholder, filled in below.
