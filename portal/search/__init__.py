"""Site-wide search behind one interface (`SearchBackend`); Whoosh is the embedded backend."""
