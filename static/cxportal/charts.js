/* Draws every chart rendered by cxportal/charts.py: a <div data-cx-chart> holding its figure and config as a
   JSON data block. Runs on page load and on every fragment htmx swaps in, so no page needs an inline script
   (the Content-Security-Policy allows none). Needs plotly.js on the page; without it the div stays empty
   and the page's table carries the numbers. */
(function () {
  "use strict";

  var registered = false;

  function registerGerman() {
    if (registered) return;
    registered = true;
    window.Plotly.register({
      moduleType: "locale",
      name: "de",
      dictionary: {
        "Autoscale": "Automatische Skalierung",
        "Box Select": "Rechteckauswahl",
        "Double-click to zoom back out": "Doppelklick zum Herauszoomen",
        "Download plot as a PNG": "Diagramm als PNG herunterladen",
        "Download plot": "Diagramm herunterladen",
        "Lasso Select": "Lassoauswahl",
        "Pan": "Verschieben",
        "Produced with Plotly.js": "Erstellt mit Plotly.js",
        "Reset axes": "Achsen zurücksetzen",
        "Reset view": "Ansicht zurücksetzen",
        "Taking snapshot - this may take a few seconds": "Bild wird erstellt – das kann einige Sekunden dauern",
        "Zoom": "Zoom",
        "Zoom in": "Vergrößern",
        "Zoom out": "Verkleinern",
        "trace": "Datenreihe"
      },
      format: {
        days: ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        shortDays: ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        months: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                 "Oktober", "November", "Dezember"],
        shortMonths: ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
        date: "%d.%m.%Y",
        decimal: ",",
        thousands: "."
      }
    });
  }

  function draw(root) {
    if (!window.Plotly || !root.querySelectorAll) return;
    registerGerman();
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
