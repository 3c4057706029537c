"""Simulated office people for the load and scale tests (driven by Locust)."""
