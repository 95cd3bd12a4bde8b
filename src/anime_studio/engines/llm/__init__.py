"""Language engines: story → scenes/shots breakdown, prompt enhancement, chat."""
