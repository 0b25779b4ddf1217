"""Every word the dashboard's scripts show, translated here because JavaScript has no
catalog. Placeholders stay in Python's %(name)s form; the scripts fill them in."""

from __future__ import annotations

from flask_babel import gettext as _

from ..analysis.labels import layer_labels


def script_labels() -> dict[str, object]:
    return {
        "numerator": _("Numerator"),
        "denominator": _("Denominator"),
        "noFigure": _("No figure: nothing to divide by in this period."),
        "listCases": _("List these %(count)s cases"),
        "urgentBoard": _("Urgent incident board"),
        "asOf": _("Data as of %(time)s"),
        "loadFailed": _("The figures could not be loaded. Try again later."),
        "reported": _("Cases reported"),
        "resolutionRate": _("Resolution rate"),
        "monthReported": _("%(month)s: %(count)s cases reported"),
        "monthRate": _("%(month)s: resolution rate %(rate)s (%(numerator)s of %(denominator)s)"),
        "categoryReported": _("%(name)s: %(count)s cases reported"),
        "categoryRate": _("%(name)s: resolution rate %(rate)s (%(numerator)s of "
                          "%(denominator)s)"),
        "noCases": _("No cases were reported in this period."),
        "rank": _("Rank"),
        "place": _("Area"),
        "households": _("Households"),
        "sortBy": _("Sort by %(column)s"),
        "drillDown": _("Open the dashboard of %(name)s"),
        "noPlacesBelow": _("There are no places below this one."),
        "layerUnits": _("Unit boundaries by indicator"),
        "layerCells": _("Grid cells (choropleth)"),
        "layerHeat": _("Heat map of cases"),
        "layerClusters": _("Case markers (clustered)"),
        "noData": _("No figure"),
        "mapLoadFailed": _("Map data could not be loaded."),
        "pointsShown": _("%(shown)s of %(total)s cases on the map"),
        "openCase": _("Open the case"),
        "cellTooltip": _("%(name)s (%(village)s): %(reported)s reported, %(per_1000)s per "
                         "1,000 households, %(unresolved)s unresolved"),
        **layer_labels(),
    }
