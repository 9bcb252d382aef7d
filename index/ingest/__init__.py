"""Adding received documents to the corpus: readers per format, metadata detection, ids, the add command."""
