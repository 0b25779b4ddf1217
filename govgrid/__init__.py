"""GovGrid: grid-based social governance and dispute mediation.

网格化服务管理 + 矛盾纠纷多元化解.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import validation_messages  # noqa: F401  (before any schema: translates marshmallow)

__version__ = "0.1.0"


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: configuration from the environment, then each part's `init_app`."""
    from flask_sqlalchemy.session import Session as FsaSession
    from werkzeug.middleware.proxy_fix import ProxyFix

    from . import cli, compression, config, errors, i18n, input_guard
    from .admin import views as admin_views
    from .analysis import api as analysis_api
    from .analysis import models as _analysis_models  # noqa: F401
    from .analysis import views as analysis_views
    from .assessment import api as assessment_api
    from .assessment import evidence_api as assessment_evidence_api
    from .assessment import models as _assessment_models  # noqa: F401
    from .assessment import scorecard_api as assessment_scorecard_api
    from .assessment import unit_views as assessment_unit_views
    from .assessment import views as assessment_views
    from .audit import models as _audit_models  # noqa: F401  (tables known to migrations)
    from .audit import recorder as audit_recorder
    from .auth import api as auth_api
    from .auth import login, scope
    from .auth import rules as _jurisdiction_rules  # noqa: F401  (registers the rules)
    from .auth import views as auth_views
    from .cases import agreements_api, attachments_api, categories_api, dispatch_api, parties_api
    from .cases import api as cases_api
    from .cases import export_api as case_export_api
    from .cases import points_api as case_points_api
    from .cases import records as _case_records  # noqa: F401
    from .cases import views as cases_views
    from .console import views as console_views
    from .dashboard import views as dashboard_views
    from .extensions import api, db, limiter, migrate, redis_client
    from .geo import api as geo_api
    from .health import bp as health_bp
    from .mobile import views as mobile_views
    from .notifications import api as notifications_api
    from .notifications import channels as notify_channels
    from .notifications import views as notifications_views
    from .outbox import models as _outbox_models  # noqa: F401
    from .reports import api as reports_api
    from .reports import models as _report_models  # noqa: F401
    from .reports import views as reports_views
    from .sla import api as sla_api
    from .sla import models as _sla_models  # noqa: F401
    from .sla import urgent_api
    from .sla import urgent_models as _urgent_models  # noqa: F401
    from .sla import views as sla_views
    from .stats import api as stats_api
    from .web import views as web_views

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.from_environment(app.instance_path))
    if overrides:
        app.config.from_mapping(overrides)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    # First, before any shared extension is touched: an unknown channel name stops start-up.
    notify_channels.init_app(app)
    if app.config["PROXY_COUNT"]:
        # Behind nginx: trust exactly that many X-Forwarded-* hops for the client address
        # (login throttling and the audit trail use it).
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    db.init_app(app)
    # Every ORM query is scoped by jurisdiction and every write audited, whoever issues it.
    scope.install(FsaSession)
    audit_recorder.install(FsaSession)
    migrate.init_app(app, db, directory=_migrations_dir())
    redis_client.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    api.init_app(app)
    errors.init_app(app)
    input_guard.init_app(app)
    compression.init_app(app)
    login.init_app(app)

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(web_views.bp)
    app.register_blueprint(cases_views.bp)
    app.register_blueprint(console_views.bp)
    app.register_blueprint(dashboard_views.bp)
    app.register_blueprint(notifications_views.bp)
    app.register_blueprint(sla_views.bp)
    app.register_blueprint(mobile_views.bp)
    app.register_blueprint(analysis_views.bp)
    app.register_blueprint(reports_views.bp)
    app.register_blueprint(assessment_views.bp)
    app.register_blueprint(assessment_unit_views.bp)
    api.register_blueprint(geo_api.bp, url_prefix="/api/v1")
    api.register_blueprint(auth_api.bp, url_prefix="/api/v1")
    api.register_blueprint(cases_api.bp, url_prefix="/api/v1")
    api.register_blueprint(case_export_api.bp, url_prefix="/api/v1")
    api.register_blueprint(categories_api.bp, url_prefix="/api/v1")
    api.register_blueprint(parties_api.bp, url_prefix="/api/v1")
    api.register_blueprint(attachments_api.bp, url_prefix="/api/v1")
    api.register_blueprint(dispatch_api.bp, url_prefix="/api/v1")
    api.register_blueprint(case_points_api.bp, url_prefix="/api/v1")
    api.register_blueprint(agreements_api.bp, url_prefix="/api/v1")
    api.register_blueprint(notifications_api.bp, url_prefix="/api/v1")
    api.register_blueprint(urgent_api.bp, url_prefix="/api/v1")
    api.register_blueprint(sla_api.bp, url_prefix="/api/v1")
    api.register_blueprint(stats_api.bp, url_prefix="/api/v1")
    api.register_blueprint(analysis_api.bp, url_prefix="/api/v1")
    api.register_blueprint(reports_api.bp, url_prefix="/api/v1")
    api.register_blueprint(assessment_api.bp, url_prefix="/api/v1")
    api.register_blueprint(assessment_scorecard_api.bp, url_prefix="/api/v1")
    api.register_blueprint(assessment_evidence_api.bp, url_prefix="/api/v1")
    cli.init_app(app)
    return app


def _migrations_dir() -> str:
    """migrations/ beside the package (the repository root); GOVGRID_MIGRATIONS_DIR overrides
    it for installs where the package and the repository live apart."""
    import os
    from pathlib import Path

    default = Path(__file__).resolve().parent.parent / "migrations"
    return os.environ.get("GOVGRID_MIGRATIONS_DIR", str(default))
