"""Small pieces shared by every domain: pagination, slugs, text types, request limits."""
