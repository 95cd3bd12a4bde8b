"""Image engines: text→image and image→image."""
