"""Repositories: one module per aggregate, each a thin class over a transaction's connection."""
