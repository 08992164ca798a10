"""Verification: retroactive verification (P8) — the importing side requests it, the issuing
side acknowledges, consents to a visit and answers per item; deadlines from the agreement's
profile lapse into NO_REPLY on both sides — and public verification (P13) of a printed CO's QR
code against every version this node issued.
"""
