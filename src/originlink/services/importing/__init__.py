"""The importing customs' side: a received CO checked against the dataset, its agreement and the
trust lists and answered with a business response (P2, P3); pulling a CO by number or after a
hybrid notification; preference claims decided per line against the quantity ledger (P4);
utilisation notices to the issuing side (P5); claims listed for post-clearance review; a
received CO cancelled or replaced by its issuer.
"""
