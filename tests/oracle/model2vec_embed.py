"""Embeddings from Python model2vec: the oracle for vectors::StaticModel.

Usage: model2vec_embed.py MODEL_DIR < texts.json (a JSON list of strings)
Prints a JSON list of vectors (StaticModel.encode with its defaults:
max_length 512, normalisation from the model's config).
"""
import json
import sys

from model2vec import StaticModel


def main():
    model = StaticModel.from_pretrained(sys.argv[1])
    texts = json.load(sys.stdin)
    vectors = model.encode(texts, use_multiprocessing=False)
    json.dump(vectors.astype(float).tolist(), sys.stdout)


main()
