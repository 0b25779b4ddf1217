"""Assessment API (stub while the services are written)."""

from flask_smorest import Blueprint

bp = Blueprint("assessment", __name__, description="Assessment and the ladder 考核")
