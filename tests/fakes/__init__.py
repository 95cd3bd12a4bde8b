"""Faithful fake servers for the external engines, run on localhost for tests (mocks only at the network edge)."""
