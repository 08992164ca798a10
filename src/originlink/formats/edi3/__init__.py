"""UN/CEFACT (edi3) certificate-of-origin JSON: reader and writer."""
