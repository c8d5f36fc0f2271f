"""Stories -> views -> vectors -> the on-disk index, and its verification.

- ``views``: the short texts embedded for each story;
- ``store``: building, saving, loading and searching an index;
- ``lexical``: the BM25 index saved with it; ``records``: its story and view records;
- ``folder``: what in an index folder is matcher's, and the build lock;
- ``checksums``: the checksums of its files.

Nothing is imported here: ``matcher.ingest`` reads ``folder`` (to skip index files in a
corpus) while ``store`` imports ``matcher.ingest``, so an eager import would be a cycle.
"""
