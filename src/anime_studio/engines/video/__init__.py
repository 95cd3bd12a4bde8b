"""Video engines: image→video clips for shots."""
