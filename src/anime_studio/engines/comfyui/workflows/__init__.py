"""API-format workflow builders (image, image→video, music) and the parser of their outputs."""
