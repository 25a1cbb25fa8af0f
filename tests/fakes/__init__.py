"""Local fake servers that speak the real protocols (Slack Web API + Socket Mode, X API v2)."""
