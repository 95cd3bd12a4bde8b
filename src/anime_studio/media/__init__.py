"""Media: storage paths under the media root, ffmpeg and probing, thumbnails, range serving."""
