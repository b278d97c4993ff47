"""From a brief's file to clean structured text, provenance-keeping chunks and their vectors."""
