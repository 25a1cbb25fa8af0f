"""The Microsoft Teams adapter: the bot endpoint, its gateway and its cards."""
