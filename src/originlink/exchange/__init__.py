"""Exchange between gateways: envelopes, transports, delivery worker, inbound handling, hub."""
