"""Trust: keys, X.509 certificates, trust lists, document and message signatures."""
