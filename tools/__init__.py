"""Tooling that is not the product: the multi-node scale test and its helpers."""
