/* Draws every chart rendered by cxportal/charts.py: a <div data-cx-chart> holding its figure and config as a
   JSON data block. Runs on page load and on every fragment htmx swaps in, so no page needs an inline script
   (the Content-Security-Policy allows none). Needs plotly.js on the page; without it the div stays empty
   and the page's table carries the numbers. */
(function () {
  "use strict";

  var registered = false;
  var gettext = window.gettext || function (text) { return text; };
  var pgettext = window.pgettext || function (context, text) { return text; };
  var getFormat = window.get_format || function (name) { return { DECIMAL_SEPARATOR: ".", THOUSAND_SEPARATOR: "," }[name]; };

  // The page's language as a plotly locale (tool tips, month and day names, separators), its texts from the
  // JavaScript catalogue (/jsi18n/, locale/*/LC_MESSAGES/djangojs.po); English is plotly's own.
  function registerLocale() {
    var language = (document.documentElement.lang || "en").split("-")[0];
    if (registered || language === "en" || !window.gettext) return;
    registered = true;
    // Each tool tip spelt out, so makemessages finds it.
    var dictionary = {
      "Autoscale": gettext("Autoscale"),
      "Box Select": gettext("Box Select"),
      "Double-click to zoom back out": gettext("Double-click to zoom back out"),
      "Download plot as a PNG": gettext("Download plot as a PNG"),
      "Download plot": gettext("Download plot"),
      "Lasso Select": gettext("Lasso Select"),
      "Pan": gettext("Pan"),
      "Produced with Plotly.js": gettext("Produced with Plotly.js"),
      "Reset axes": gettext("Reset axes"),
      "Reset view": gettext("Reset view"),
      "Taking snapshot - this may take a few seconds": gettext("Taking snapshot - this may take a few seconds"),
      "Zoom": gettext("Zoom"),
      "Zoom in": gettext("Zoom in"),
      "Zoom out": gettext("Zoom out"),
      "trace": gettext("trace")
    };
    window.Plotly.register({
      moduleType: "locale",
      name: language,
      dictionary: dictionary,
      format: {
        days: [gettext("Sunday"), gettext("Monday"), gettext("Tuesday"), gettext("Wednesday"), gettext("Thursday"),
               gettext("Friday"), gettext("Saturday")],
        shortDays: [pgettext("abbreviated day", "Sun"), pgettext("abbreviated day", "Mon"),
                    pgettext("abbreviated day", "Tue"), pgettext("abbreviated day", "Wed"),
                    pgettext("abbreviated day", "Thu"), pgettext("abbreviated day", "Fri"),
                    pgettext("abbreviated day", "Sat")],
        months: [gettext("January"), gettext("February"), gettext("March"), gettext("April"), gettext("May"),
                 gettext("June"), gettext("July"), gettext("August"), gettext("September"), gettext("October"),
                 gettext("November"), gettext("December")],
        shortMonths: [pgettext("abbrev. month", "Jan"), pgettext("abbrev. month", "Feb"),
                      pgettext("abbrev. month", "Mar"), pgettext("abbrev. month", "Apr"),
                      pgettext("abbrev. month", "May"), pgettext("abbrev. month", "Jun"),
                      pgettext("abbrev. month", "Jul"), pgettext("abbrev. month", "Aug"),
                      pgettext("abbrev. month", "Sep"), pgettext("abbrev. month", "Oct"),
                      pgettext("abbrev. month", "Nov"), pgettext("abbrev. month", "Dec")],
        // strftime-style, as plotly reads it: the day, month and year order of the language
        date: gettext("%m/%d/%Y"),
        decimal: getFormat("DECIMAL_SEPARATOR"),
        thousands: getFormat("THOUSAND_SEPARATOR")
      }
    });
  }

  function draw(root) {
    if (!window.Plotly || !root.querySelectorAll) return;
    registerLocale();
    var charts = root.matches && root.matches("[data-cx-chart]") ? [root] : [];
    charts = charts.concat(Array.prototype.slice.call(root.querySelectorAll("[data-cx-chart]")));
    charts.forEach(function (chart) {
      if (chart.hasAttribute("data-cx-drawn")) return;
      var block = chart.querySelector("script[type='application/json']");
      if (!block) return;
      chart.setAttribute("data-cx-drawn", "");
      var spec = JSON.parse(block.textContent);
      var plot = document.createElement("div");
      chart.appendChild(plot);
      window.Plotly.newPlot(plot, spec.figure.data, spec.figure.layout, spec.config);
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(draw);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
