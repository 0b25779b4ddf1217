"""Accounts, roles, login (sessions and bearer tokens) and jurisdiction scoping."""
