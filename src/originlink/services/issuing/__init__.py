"""The issuing authority's side: an exporter's application (P1: draft, submit, withdraw; an
officer refuses), issuing it — numbered gap-free, completed as its kind requires (new,
retroactive P10, back-to-back P9, replacement P7, certified true copy P11), signed, validated
and stored in one transaction — and later status changes (cancel P6, replace P7); reading
certificates with their history and links, and printing them as PDF.
"""
