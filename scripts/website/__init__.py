"""The site layer: the MkDocs hooks, the offline zip and the PDF step. It calls the engine (reconcile)."""
