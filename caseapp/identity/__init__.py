"""Who this person is to their colleagues: the key store (``keys``), their signing key, the keys of colleagues
they trust and their cards (``signing``). Below the case file and the bundles: the history's anchors are signed
with the same key as the bundles."""
