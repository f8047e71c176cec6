"""The bundled layouts (Jinja2 templates and CSS), loaded with importlib.resources."""
