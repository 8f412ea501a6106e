"""The web console: ES modules and one stylesheet, served as they are, that call the /v1 API."""
