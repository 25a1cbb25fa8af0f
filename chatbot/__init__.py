"""chatbot: a Slack bot that puts a primary school's Twitter policy into practice."""

__version__ = "0.1.0"
