"""OpenAttestation (TradeTrust) documents: reader, writer and the Merkle proof."""
