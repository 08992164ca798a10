"""Formats: canonical JSON, UBL 2.4, UN/CEFACT (edi3) JSON, ALADI COD XML, PDF and QR."""
