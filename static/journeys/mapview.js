/* Reading the journey map (every role): fit-to-screen and zoom of the board, and the side panel that shows a
   card's details (and, in edit mode, its edit form). Without JavaScript the board scrolls at full size and the
   card links open the touchpoint's page. */
(function () {
  "use strict";

  // ---------------------------------------------------------------- fit and zoom
  var STEPS = [0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25];
  var LANE_EM = 9, STAGE_EM = 16, MIN_FIT_FONT = 0.72, FIT_STAGE_PX = 200;
  var zoomBar = document.getElementById("map-zoom");

  function board() { return document.getElementById("map-board"); }
  function mode() { var b = board(); return (b && b.dataset.mode) || "view"; }
  function storageKey() { return "cx-map-zoom-" + mode(); }
  function stored() {
    try { return window.localStorage.getItem(storageKey()); } catch (e) { return null; }
  }
  function remember(value) {
    try { window.localStorage.setItem(storageKey(), String(value)); } catch (e) { /* private mode: not kept */ }
  }
  // "fit" or a zoom factor; reading starts fitted to the screen, editing at full size.
  function current() {
    var value = stored();
    if (value === "fit") { return "fit"; }
    var number = parseFloat(value);
    if (STEPS.indexOf(number) >= 0) { return number; }
    return mode() === "edit" ? 1 : "fit";
  }

  function resizeCharts(scroller) {
    if (!window.Plotly) { return; }
    scroller.querySelectorAll(".js-plotly-plot").forEach(function (plot) { window.Plotly.Plots.resize(plot); });
  }

  function apply() {
    var b = board();
    var scroller = b && b.querySelector(".journey-map");
    var table = scroller && scroller.querySelector("table");
    if (!table || !zoomBar) { return; }
    var stages = parseInt(table.style.getPropertyValue("--stages"), 10) || 1;
    var setting = current();
    var font, laneWidth, stageWidth;
    if (setting === "fit") {
      var available = scroller.clientWidth - 2;
      var base = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      font = Math.max(MIN_FIT_FONT, Math.min(1, (available - LANE_EM * base) / stages / FIT_STAGE_PX));
      laneWidth = LANE_EM * base * font;
      stageWidth = Math.floor((available - laneWidth) / stages);
      table.style.setProperty("--map-zoom", font.toFixed(3));
      table.style.setProperty("--lane-w", laneWidth + "px");
      table.style.setProperty("--stage-w", stageWidth + "px");
      scroller.scrollLeft = 0;  // everything fits across: start from the first stage
    } else {
      font = setting;
      table.style.setProperty("--map-zoom", String(font));
      table.style.removeProperty("--lane-w");
      table.style.removeProperty("--stage-w");
    }
    b.classList.toggle("is-fitted", setting === "fit");
    b.classList.toggle("is-compact", font < 0.9);
    document.getElementById("map-zoom-fit").setAttribute("aria-pressed", setting === "fit" ? "true" : "false");
    document.getElementById("map-zoom-level").textContent = Math.round(font * 100) + " %";
    var index = STEPS.indexOf(setting === "fit" ? nearest(font) : setting);
    document.getElementById("map-zoom-out").disabled = index <= 0;
    document.getElementById("map-zoom-in").disabled = index >= STEPS.length - 1;
    resizeCharts(scroller);
    // Whatever scrolls into view (a moved card, a focused link) lands beside the sticky headers, not under them.
    var head = table.querySelector("thead");
    var laneHead = table.querySelector("thead th.lane");
    scroller.style.scrollPaddingTop = (head ? head.offsetHeight : 0) + "px";
    scroller.style.scrollPaddingLeft = (laneHead ? laneHead.offsetWidth : 0) + "px";
  }

  function nearest(value) {
    return STEPS.reduce(function (best, step) { return Math.abs(step - value) < Math.abs(best - value) ? step : best; });
  }

  function step(direction) {
    var setting = current();
    var index = STEPS.indexOf(setting === "fit" ? nearest(parseFloat(
      document.querySelector("#map-board .journey-map table").style.getPropertyValue("--map-zoom")) || 1) : setting);
    var next = STEPS[Math.max(0, Math.min(STEPS.length - 1, index + direction))];
    remember(next);
    apply();
  }

  if (zoomBar) {
    zoomBar.hidden = false;
    document.getElementById("map-zoom-fit").addEventListener("click", function () {
      remember(current() === "fit" ? 1 : "fit");
      apply();
    });
    document.getElementById("map-zoom-out").addEventListener("click", function () { step(-1); });
    document.getElementById("map-zoom-in").addEventListener("click", function () { step(1); });
    var pending = null;
    window.addEventListener("resize", function () {
      if (current() !== "fit") { return; }
      clearTimeout(pending);
      pending = setTimeout(apply, 100);
    });
    apply();
    // A re-rendered board (after an edit) keeps the zoom.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (event.detail.target && event.detail.target.id === "map-board") { apply(); }
    });
  }

  // ---------------------------------------------------------------- the side panel
  var opener = null, openerCard = null;
  var panelEl = document.getElementById("map-panel");

  function panel() {
    var el = document.getElementById("map-panel");
    return el && window.bootstrap ? window.bootstrap.Offcanvas.getOrCreateInstance(el) : null;
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "map-panel-body" && event.detail.elt && !target.contains(event.detail.elt)) {
      opener = event.detail.elt;
      var card = opener.closest ? opener.closest(".touchpoint-card[id]") : null;
      openerCard = card ? card.id : null;
    }
  });

  // Details (or a form) loaded into the panel: copy the card's KPIs and owner in, show the panel, focus its heading
  // or first field.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "map-panel-body") { return; }
    target.querySelectorAll("[data-mirror]").forEach(function (slot) {
      var source = document.getElementById(slot.dataset.mirror);
      if (source && source.innerHTML.trim()) { slot.innerHTML = source.innerHTML; }
    });
    // The panel is named by its heading, whichever content it holds.
    var heading = target.querySelector("h2");
    if (heading && panelEl) {
      if (!heading.id) { heading.id = "map-panel-heading"; }
      panelEl.setAttribute("aria-labelledby", heading.id);
    }
    var p = panel();
    if (p && panelEl.classList.contains("show")) {
      focusPanel();
    } else if (p) {
      p.show();  // focused once shown (Bootstrap focuses the panel itself first)
    }
  });

  // The keyboard focus goes to the form's first field or, for details, to the panel's heading.
  function focusPanel() {
    var body = document.getElementById("map-panel-body");
    var focus = body && (body.querySelector("input:not([type=hidden]), select, textarea") || body.querySelector("h2"));
    if (!focus) { return; }
    if (focus.tagName === "H2" && !focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
    focus.focus();
  }

  // Closed: the keyboard focus goes back to the card link (or button) that opened it, when it is still there.
  if (panelEl) {
    panelEl.addEventListener("shown.bs.offcanvas", focusPanel);
    panelEl.addEventListener("hidden.bs.offcanvas", function () {
      if (opener && document.body.contains(opener)) {
        opener.focus();
      } else if (openerCard && document.getElementById(openerCard)) {
        // The board was re-rendered after a save: focus the same card's link.
        var link = document.getElementById(openerCard).querySelector(".tp-open");
        if (link) { link.focus(); }
      }
      opener = openerCard = null;
    });
  }

  // The server says a change was saved (HX-Trigger: workbench-saved): close the panel.
  document.body.addEventListener("workbench-saved", function () {
    var p = panel();
    if (p) { p.hide(); }
  });
})();
