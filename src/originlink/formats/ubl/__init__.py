"""OASIS UBL 2.4 CertificateOfOrigin XML: reader and writer."""
