"""Helpers shared by test modules (importable as `tests.support`; fixtures stay in conftest)."""
