"""Echo Brain: a project-aware assistant (chat grounded in project memory, prompt enhancement, proposed actions)."""
