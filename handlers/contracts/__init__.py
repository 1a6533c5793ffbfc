"""Contracts and payments in chat (issue 12)."""
