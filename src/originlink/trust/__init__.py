"""Trust: keys, X.509 certificates, trust lists, document and message signatures.

One module per concept; import from the module itself:

* :mod:`~originlink.trust.codes`: every stable code and sentence, in one place.
* :mod:`~originlink.trust.canonical`: RFC 8785 bytes (what is signed).
* :mod:`~originlink.trust.keys`, :mod:`~originlink.trust.signer`: keys on disk and the
  :class:`~originlink.trust.signer.Signer` interface (file keys now, an HSM later).
* :mod:`~originlink.trust.certificates`, :mod:`~originlink.trust.chain`,
  :mod:`~originlink.trust.ca`: participant certificates, chain validation, the pilot CA.
* :mod:`~originlink.trust.jws`: detached compact JWS, signing and strict verification.
* :mod:`~originlink.trust.listmodel`, :mod:`~originlink.trust.trustlist`: trust lists and the
  :class:`~originlink.trust.trustlist.TrustStore` that decides whom to trust.
* :mod:`~originlink.trust.document`, :mod:`~originlink.trust.verification`: CO signatures and
  their four-aspect verification.
* :mod:`~originlink.trust.node`: a node's own key and trust-list workflows on disk.
"""
