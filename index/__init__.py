"""Corpus loading, parsing, segmentation and search indexes."""
