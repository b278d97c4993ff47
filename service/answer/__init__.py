"""The answer core shared by every front end: question checks, answering, citation labels."""
