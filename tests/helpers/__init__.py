"""Shared test code, imported as ``helpers.*`` (pyproject: ``pythonpath = ["tests"]``).

Conftest files hold fixtures only; anything a test module imports by name lives here,
so any set of test files runs in one pytest call (qutebrowser's tests/helpers/).
"""
