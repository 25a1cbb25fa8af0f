"""The `chatbot` command: one module per command group, all wired in main.py."""
