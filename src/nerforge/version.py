"""nerforge's version, in a leaf module: what reads it (a Dask worker, ``--version``) imports nothing."""

__version__ = "0.1.0"  # keep in step with pyproject.toml's [project] version
