"""Adapters around the core: the database, the chat platforms and the social networks."""
