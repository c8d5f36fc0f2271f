"""Texts -> vectors: the sentence encoders and the models they load.

- ``models``: the embedding models matcher knows and where their weights live;
- ``encoder``: the ``Encoder`` interface and the sentence-transformers encoder;
- ``onnx_export`` / ``onnx_encoder``: the question encoder exported once per build and
  run without torch.

Nothing is imported here: torch and sentence-transformers load only when the first
text is encoded.
"""
