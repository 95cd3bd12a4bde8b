"""Publishers: put an episode into a media library."""
