"""The HTTP front end: the FastAPI app, its routes, schemas, errors and server process."""
