"""The service layer: one function per use case, each in one unit of work, in packages named
after what a customs IT engineer looks for.

* :mod:`~originlink.services.issuing` — the issuing authority's side: applications (P1),
  issuance and what each kind adds (P1, P9, P10, P11), status changes (P6, P7), reading and
  printing certificates.
* :mod:`~originlink.services.importing` — the importing customs' side: receiving a CO and its
  business response (P2, P3), pulling (P2 pull/hybrid), preference claims and the ledger (P4),
  utilisation notices (P5), post-clearance reviews, status updates from the issuer.
* :mod:`~originlink.services.verification` — retroactive verification on both sides (P8) with
  its deadlines, and public verification of printed COs (P13).
* :mod:`~originlink.services.messaging` — the exchange machinery: the transactional outbox
  (sending), receiving and answering messages (inbound, receipts), the delivery worker, G2G
  dispatch and pull serving, the hub, the message log and reconciliation (P14).
* :mod:`~originlink.services.node` — the node itself: users and tokens, partners (P12), the
  audit chain.

:mod:`~originlink.services.context` is what every use case is given (the node);
:mod:`~originlink.services.unit_of_work` is how it reaches storage (repositories only, never
SQL). Which handler serves which message type, and which hooks run, is decided by the
composition root (:mod:`originlink.bootstrap`).
"""
