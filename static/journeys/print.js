/* Scale each printed map so that it fits one landscape A4 page (277 × 190 mm inside the margins).
   The sheet is laid out at the printable width, then zoomed out (and widened by the same factor, so it
   still fills the page width) until it is no taller than a page. Without JavaScript the map simply
   flows onto further pages. */
(function () {
  var MM = 96 / 25.4, WIDTH = 277 * MM, HEIGHT = 190 * MM - 4;

  function height(sheet) { return sheet.getBoundingClientRect().height; }

  function set(sheet, zoom) {
    sheet.style.width = WIDTH / zoom + "px";
    sheet.style.zoom = zoom;
  }

  function fit(sheet) {
    set(sheet, 1);
    if (height(sheet) <= HEIGHT) return;
    var low = 0.35, high = 1;
    for (var i = 0; i < 10; i++) {
      var zoom = (low + high) / 2;
      set(sheet, zoom);
      if (height(sheet) <= HEIGHT) low = zoom; else high = zoom;
    }
    set(sheet, low);
  }

  function fitAll() { document.querySelectorAll(".print-map").forEach(fit); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fitAll); else fitAll();
  window.addEventListener("beforeprint", fitAll);
})();
