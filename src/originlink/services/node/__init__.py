"""The node itself: its users and their API tokens (roles and organisations), its partners with
their exchange model and format (P12, from signed trust lists), and the hash-chained audit log.
"""
