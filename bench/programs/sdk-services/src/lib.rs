//! Empty: this package only pulls in the SDK crates the `services` bench section builds alone.
