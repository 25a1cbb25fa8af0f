"""Plain data and rules. No I/O, no Slack, no X."""
