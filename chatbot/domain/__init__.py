"""Plain data and rules. No I/O, no chat platform, no network."""
