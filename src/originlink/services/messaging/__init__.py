"""The exchange between gateways: the transactional outbox (a message is written in the
transaction of the change that causes it), what the issuing side sends when its COs change,
receiving a message (authenticate, check, apply once, answer with a signed receipt), the
delivery worker (send in batches, retry with back-off, dead letters), the G2G routes and pull
serving, the hub (store and forward on the envelope alone), the message log and
reconciliation with a partner (P14).
"""
