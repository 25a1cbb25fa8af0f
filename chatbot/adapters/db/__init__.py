"""Persistence: tables, engine and session set-up, repositories."""
