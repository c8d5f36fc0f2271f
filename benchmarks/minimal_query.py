"""The least a sentence-transformers + FAISS query can do, for the cold-start comparison.

    python benchmarks/minimal_query.py MODEL_DIR INDEX_FILE "question"

Imports sentence-transformers, loads the model, encodes one question and searches a FAISS
index: what any tool built the obvious way pays on every invocation.
"""

import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import faiss  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

model = SentenceTransformer(sys.argv[1], device="cpu")
index = faiss.read_index(sys.argv[2])
vector = model.encode([sys.argv[3]], normalize_embeddings=True)
print(index.search(vector, 3)[1][0])
