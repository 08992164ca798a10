"""ALADI digital certificate of origin (COD) 1.8.0 XML: reader and writer."""
