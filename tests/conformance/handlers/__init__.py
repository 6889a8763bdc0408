"""Handlers written from each conformance requirement's description, keyed by requirement id."""
